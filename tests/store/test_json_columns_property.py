"""A first start reads the history's lines with pyarrow (`store.json_columns.read_columns`):
on random lines, as the store writes them or damaged anywhere (a field's value, a key, a byte),
it gives the columns `Columns.from_lines` and the careful way (`parse_lines`, then
`rows_from_records`) give, or steps aside (None) for them to read or refuse the lines."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from store import begin_reading, snapshot
from store.columns import Columns
from store.dataset import rows_from_records
from store.folder import reading
from store.history import parse_lines
from store.repository import FolderRepository
from tests.store.test_columns_from_lines_property import (
    BAD_LINES,
    GOOD,
    ODD,
    assert_same,
    careful,
    record,
    without_snapshot,
)

pytest.importorskip("pyarrow", reason="a dependency of Kapabel: pip install -e . again")
from store import json_columns  # noqa: E402
from store.json_columns import read_columns  # noqa: E402

LINE = orjson.dumps(
    {"staff": "E1", "competency": "DC1.1", "level": 2, "date": "2024-01-31", "source": "self",
     "assessor": None, "valid_until": None, "note": ""}
)  # fmt: skip
NAMES = {  # text the store writes as it is (non-ASCII) or escaped (quotes, controls)
    **GOOD,
    "staff": st.sampled_from(["E1", "E2", "Ærø 7", "Łódź", "名前", 'E"1', "E\\2", "e\u2028"]),
    "assessor": st.one_of(st.none(), st.text(max_size=6)),
    "note": st.text(max_size=8),
}


@st.composite
def stored(draw) -> bytes:
    """One line as the store writes it (`orjson.dumps` of the record, fields in order)."""
    return orjson.dumps({name: draw(values) for name, values in NAMES.items()})


@st.composite
def damaged(draw, line: bytes) -> bytes:
    """`line` with a field's value, a key or a byte changed."""
    how = draw(st.sampled_from(["value", "record", "byte", "insert", "delete", "key", "bad line"]))
    if how == "value":  # a value the store never writes (a level no column holds, a number)
        doc = orjson.loads(line)
        doc[draw(st.sampled_from(sorted(doc)))] = draw(ODD)
        return orjson.dumps(doc)
    if how == "record":  # a value of another kind, or a field missing (may leave it as it was)
        return orjson.dumps(draw(record()))
    if how == "bad line":
        return draw(st.sampled_from([*BAD_LINES, b"{}{}", line + b" " + line, line + b"\r"]))
    if how == "key":  # a field twice, one more, or one renamed
        key = draw(st.sampled_from([b'"note":', b'"level":', b'"staff":', b'"x":']))
        return line.replace(b'"note":', key + b'"1","note":', 1)
    at = draw(st.integers(0, len(line)))
    byte = bytes([draw(st.sampled_from(b'{}[]":,\\ \r\t0-9aeflnrstu\xc3\xa6\xed\xa0\x80\xff'))])
    if how == "delete":
        return line[:at] + line[at + 1 :]
    if how == "insert":
        return line[:at] + byte + line[at:]
    return line[:at] + byte + line[at + 1 :]


@st.composite
def history(draw) -> tuple[bytes, bool]:
    """JSON lines, and whether each is as the store writes it."""
    lines = draw(st.lists(stored(), min_size=1, max_size=25))
    as_stored = draw(st.integers(0, 2)) == 0
    if not as_stored:
        places = st.integers(0, len(lines) - 1)
        for at in draw(st.lists(places, min_size=1, max_size=2, unique=True)):
            lines[at] = draw(damaged(lines[at]))
    return b"".join(line + b"\n" for line in lines), as_stored


@settings(max_examples=500, deadline=None)
@given(history(), st.sampled_from([None, 200, 1000]))
@example((LINE + b"\n\n" + LINE + b" " + LINE + b"\n", False), None)  # a blank line, two on one
@example((LINE + b"\n" + LINE.replace(b"}", b',"x":1}') + b"\n", False), None)  # one more field
@example((LINE.replace(b'"level":2', b'"level":70000') + b"\n", False), None)  # no column holds it
def test_lines_read_by_pyarrow_are_the_careful_ways_columns(
    case: tuple[bytes, bool], block_size: int | None
) -> None:
    data, as_stored = case
    fast = read_columns(data, block_size)  # `block_size`: lines parsed in several blocks
    slow = careful(data)
    if fast is None:
        assert not as_stored, "lines as the store writes them were not read"
        return
    assert slow is not None, "read lines the careful way refuses"
    assert_same(fast, slow[0])
    assert fast.rows() == slow[1]
    assert_same(fast, Columns.from_lines(data))


@pytest.mark.parametrize(
    "line",
    [
        b'{"staff":"E1","competency":"C","level":1,"date":"2024-01-31","note":""}',  # no source
        b'{"staff":"E1","competency":"C","level":1.0,"date":"2024-01-31","note":""}',
        b'{"staff":"E1","competency":"C","level":true,"date":"2024-01-31","note":""}',
        b'{"staff":"E1","competency":"C","level":1,"date":"2024-01-31","source":null,"note":""}',
        b'{"staff":"E1","competency":"C","level":1,"date":null,"source":"self","note":""}',
    ],
)
def test_a_line_the_store_does_not_write_is_left_to_the_careful_way(line: bytes) -> None:
    """A missing source is "self" there, a level 1.0 is 1, and no date is named as such: not
    decided here."""
    assert read_columns(line + b"\n") is None


@pytest.fixture
def parsing_threads(monkeypatch) -> list[threading.Thread]:
    """The threads pyarrow parsed a history in, the demo's history counting as large."""
    monkeypatch.setattr(reading, "ARROW_FROM", 0)
    threads = []

    def spied(data: bytes, block_size: int | None = None):
        threads.append(threading.current_thread())
        return read_columns(data, block_size)

    monkeypatch.setattr(json_columns, "read_columns", spied)
    return threads


def test_a_first_start_parses_the_history_with_pyarrow_while_the_register_is_read(
    demo_db_template, tmp_path, parsing_threads
) -> None:
    """Without the snapshot, a large history is parsed once, in the read-ahead's thread, and
    gives the rows of its lines."""
    path = without_snapshot(demo_db_template, tmp_path)
    threads = parsing_threads
    history = FolderRepository.open(path, read_only=True).ds.assessments
    lines = (path / "assessments.jsonl").read_bytes()
    assert history._history.columns is not None  # read as columns, no row made yet
    assert list(history) == rows_from_records(parse_lines(path, lines, 0), 0)
    assert len(threads) == 1 and threads[0] is not threading.main_thread()


def test_the_read_ahead_is_used_only_for_the_bytes_the_history_log_read(tmp_path) -> None:
    """A history appended to (or cut) between the read-ahead and the log's read is parsed
    again as the log read it."""
    history = tmp_path / "assessments.jsonl"
    history.write_bytes(LINE + b"\n")
    ahead = reading._HistoryReadAhead(history)
    assert ahead.columns_of(LINE + b"\n" + LINE + b"\n") is reading._NOT_READ
    ahead = reading._HistoryReadAhead(history)
    assert list(ahead.columns_of(LINE + b"\n").rows()) == rows_from_records([orjson.loads(LINE)], 0)


IMPORTED = """
import sys
import store.folder.reading as reading
from store.repository import FolderRepository
reading.ARROW_FROM = 0  # the demo's history counts as large
FolderRepository.open(sys.argv[1], read_only=True)
print("pyarrow" in sys.modules)
"""


def test_pyarrow_is_imported_on_a_first_start_only(demo_db_template, tmp_path) -> None:
    """Not on a start with the snapshot (nor by a report): its import is paid only when the
    history is parsed whole."""
    root = Path(__file__).resolve().parents[2]

    def imported(path: Path) -> bool:
        run = subprocess.run(
            [sys.executable, "-c", IMPORTED, str(path)],
            capture_output=True, text=True, cwd=root, timeout=120,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        return run.stdout.strip() == "True"

    assert snapshot.snapshot_path(demo_db_template).exists()
    assert not imported(demo_db_template)
    assert imported(without_snapshot(demo_db_template, tmp_path))
    report = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui.cli", "report", "gaps"]
        + ["--db", str(demo_db_template), "--format", "json"],
        capture_output=True, text=True, cwd=root, timeout=120,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr[-2000:]
    assert " store.columns\n" in report.stderr  # the list of imports was read
    assert "pyarrow" not in report.stderr


def test_a_read_ahead_begun_before_the_open_is_the_one_the_open_uses(
    demo_db_template, tmp_path, monkeypatch, parsing_threads
) -> None:
    """`kapabel` begins reading a first start's history before it imports the app
    (`store.begin_reading`): the open takes that read up rather than parsing the history again,
    and the rows are those of the lines."""
    path = without_snapshot(demo_db_template, tmp_path)
    parsed = parsing_threads
    monkeypatch.setattr(reading, "_BEGUN", {})
    begin_reading(str(path))
    begin_reading(path)  # asked twice (another caller): still one read
    history = FolderRepository.open(path, read_only=True).ds.assessments
    lines = (path / "assessments.jsonl").read_bytes()
    assert list(history) == rows_from_records(parse_lines(path, lines, 0), 0)
    assert len(parsed) == 1 and parsed[0] is not threading.main_thread()
    assert not reading._BEGUN  # taken up: a later open of the same folder reads anew


def test_a_history_saved_to_after_reading_began_is_read_as_saved(
    demo_db_template, tmp_path, monkeypatch
) -> None:
    """Another program saves between the read-ahead and the open: the open shows its
    assessment (what was read ahead is not the history's bytes any more)."""
    path = without_snapshot(demo_db_template, tmp_path)
    monkeypatch.setattr(reading, "ARROW_FROM", 0)
    monkeypatch.setattr(reading, "_BEGUN", {})
    begin_reading(path)
    next(iter(reading._BEGUN.values())).wait()  # read and parsed before the save
    saved = subprocess.run(
        [sys.executable, "-c", ANOTHER_PROGRAM_SAVES, str(path)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=120,
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    snapshot.remove(path)  # (a save may write one) the open must read the history's lines
    history = list(FolderRepository.open(path, read_only=True).ds.assessments)
    lines = (path / "assessments.jsonl").read_bytes()
    assert history == rows_from_records(parse_lines(path, lines, 0), 0)
    assert (history[-1].staff, history[-1].level, history[-1].date) == (
        saved.stdout.strip(), 7, dt.date(2026, 1, 2)
    )  # fmt: skip


ANOTHER_PROGRAM_SAVES = """
import datetime as dt, sys
from store.models import Assessment
from store.repository import FolderRepository
from store.staff import record_assessment
repo = FolderRepository.open(sys.argv[1])
person = min(repo.ds.staff)
saved = Assessment(staff=person, competency="DC1.1", level=7, date=dt.date(2026, 1, 2))
record_assessment(repo, saved)
print(person)
"""


@pytest.mark.parametrize("target", ["postgresql://nobody@localhost/none", "no-such-folder"])
def test_beginning_to_read_what_cannot_be_read_ahead_does_nothing(
    target, tmp_path, monkeypatch
) -> None:
    """A server, or a folder that is not there: nothing begun and nothing raised (the open
    itself reports a problem)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(reading, "_BEGUN", {})
    begin_reading(target)
    assert not reading._BEGUN


def test_a_program_that_ends_before_the_open_lets_the_read_ahead_finish(tmp_path) -> None:
    """`kapabel` may end before its open takes up the history read it began (an error or
    Ctrl+C while the app loads): the process then waits for that read rather than ending
    under it. A read cut off inside pyarrow by the interpreter's end crashed the process
    (SIGSEGV or SIGABRT in 3 of 10 runs), where the error's exit status was due."""
    (tmp_path / "assessments.jsonl").write_bytes(b"{}\n" * (reading.ARROW_FROM // 3 + 1))
    finished = tmp_path / "finished"
    ended = subprocess.run(
        [sys.executable, "-c", BEGINS_AND_ENDS, str(tmp_path), str(finished)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=120,
    )  # fmt: skip
    assert ended.returncode == 0, ended.stderr
    assert finished.read_text() == "parsed"  # not cut off by the end


BEGINS_AND_ENDS = """
import sys, time
from pathlib import Path
import store
from store.folder import reading

def parse(data):  # as long as pyarrow's parse of a large history, and then seen to end
    time.sleep(0.3)
    Path(sys.argv[2]).write_text("parsed")

reading._arrow_columns = parse
store.begin_reading(sys.argv[1])
"""
