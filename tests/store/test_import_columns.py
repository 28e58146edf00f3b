"""An assessments file checked column by column (`store.importing.columnar`) plans and writes
exactly what checking it row by row does: the same problems, the same records, the same bytes
in the history and the audit, on random files full of good and bad cells."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import store.importing.columnar
from store.dataset import row_from_model
from store.importing import import_file, plan_file
from store.importing.csvfile import _lines
from store.models import Assessment, Source, Staff
from store.repository import FolderRepository
from store.unit_of_work import _history_lines
from tests.iohelpers import EMPLOYEE_NO, populate

GOOD = {
    "employee_no": [EMPLOYEE_NO, "E2", " E2 ", "E3", "E4", "E5", "E6", "E7"],
    "competency": ["RPA1", "DC1.1", "DC2.1"],
    "level": ["0", "1", "2", "3", " 3", "8"],  # 8: above RPA1's scale, within DC1.1's
    "date": ["2026-01-05", "05.01.2026", "5.1.2026", "31.12.2026", "2025-06-01", "01.03.2026"],
    "source": ["selv", "self", "manager", "Leder", "uddannelse", ""],
    "valid_until": ["", "", "", "2027-01-01", "2020-01-01", "01.01.2026"],  # some too early
    "assessor": ["", "Leder Ærø", "'=x", "-"],
    "note": ["", "x", "=1+1", "'=1+1", "x;y", 'q"uote', "line\nbreak", " pad ", "'-'"],
}
"""Cells each of which reads (a row of them may still break a rule between its cells)."""
TIDY = {**GOOD, "level": ["0", "1", "2", "3"], "valid_until": ["", "2027-01-01"]}
"""Good cells that no row of them breaks a rule with (a file that is written)."""
BAD = {
    "employee_no": ["E404", "", "E|2", "'=E2", "e2"],
    "competency": ["NOPE", "", "rpa1", "RPA1\u200b"],
    "level": ["9", "21", "-1", "2,0", "1.5", "x", ""],
    "date": ["2026-02-30", "", "x", "2026-1-5x"],
    "source": ["boss", "sel v"],
    "valid_until": ["x", "2026-13-01"],
    "assessor": ["a\u200bb", "x\ty"],
    "note": ["\u202e", "a\x1bb", "x" * 5001],
}
"""Cells that cannot be used, each for a reason of its own."""
CELLS = list(GOOD)
HEADERS = {
    "employee_no": ["employee_no", "medarbejdernr"],
    "competency": ["competency", "kompetence"],
    "level": ["level", "niveau"],
    "date": ["date", "dato"],
    "source": ["source", "kilde"],
    "valid_until": ["valid_until", "gyldig_til"],
    "assessor": ["assessor", "bedømmer"],
    "note": ["note", "bemærkning"],
}


def _cell(column: str, bad: int) -> st.SearchStrategy[str]:
    """A good cell, or (`bad` times in 20) a bad or random one; -1: a tidy one."""
    wrong = st.one_of(st.sampled_from(BAD[column]), st.text(max_size=6))
    good = st.sampled_from((TIDY if bad < 0 else GOOD)[column])
    return st.integers(0, 19).flatmap(lambda n: wrong if n < bad else good)


@st.composite
def files(draw) -> bytes:
    """A CSV of assessments: a random choice and order of columns (now and then a required
    one missing), rows of cells mostly good, now and then one repeated, blank, short or long."""
    names = draw(st.permutations(list(CELLS)))
    keep = draw(st.integers(4, len(names)))
    chosen = [n for n in names if n in ("employee_no", "competency", "level", "date")]
    chosen += [n for n in names[:keep] if n not in chosen]
    if draw(st.integers(0, 20)) == 0:
        chosen = chosen[1:]  # a required column missing
    header = [draw(st.sampled_from(HEADERS[n])) for n in chosen]
    bad = draw(st.sampled_from([-1, -1, 0, 1, 4]))
    fresh = st.tuples(*(_cell(n, bad) for n in chosen))
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(0, 25))):
        again = rows and bad >= 0 and draw(st.integers(0, 12)) == 0  # a key given twice
        row = list(draw(st.sampled_from(rows)) if again else draw(fresh))
        shape = draw(st.integers(0, 60 if bad <= 0 else 30))
        if shape == 0:
            row = []
        elif shape == 1:
            row = row[: draw(st.integers(0, len(row)))]
        elif shape == 2:
            row += [draw(st.sampled_from(["", "x", " "]))]
        rows.append(row)
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))

    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in '",;\n\r\t') else cell

    lines = [delimiter.join(map(quote, line)) for line in [header, *rows]]
    return (newline.join(lines) + newline).encode("utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("columns") / "db"
    repo = FolderRepository.open(path, create=True, user="prop")
    populate(repo)
    for number in range(3, 8):
        repo.put(Staff(employee_no=f"E{number}", name=f"Person {number}", department="D1"))
    repo.record(
        Assessment(staff="E2", competency="DC1.1", level=3, date=dt.date(2026, 1, 5), note="x")
    )
    repo.record(Assessment(staff="E4", competency="RPA1", level=1, date=dt.date(2026, 1, 5)))
    repo.record(STORED_BY_HAND)
    return path


STORED_BY_HAND = Assessment.model_construct(
    staff="E3",
    competency="DC1.1",
    level=2,
    date=dt.date(2026, 1, 5),
    source=Source.SELF,
    assessor=None,
    valid_until=None,
    note=" pad ",
)
"""A stored assessment that validating its values changes (its note is trimmed): as if its
line had been edited by hand."""


def _row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.importing.columnar, "fits", lambda *_: False)


def _planned(plan) -> tuple:
    return (
        plan.problems,
        [(f.line, f.column, f.problem) for f in plan.found],
        plan.notes,
        plan.summary(),
        plan.added,
        plan.updated,
        plan.in_file_order,
    )


def _both_ways(template: Path, data: bytes) -> list[tuple]:
    """The plan of `data`, by columns and by rows."""
    with tempfile.TemporaryDirectory() as scratch:
        file = Path(scratch) / "in.csv"
        file.write_bytes(data)
        repo = FolderRepository.open(template, user="prop")
        plans = [_planned(plan_file(repo, "assessments", file))]
        with pytest.MonkeyPatch.context() as monkeypatch:
            _row_by_row(monkeypatch)
            plans.append(_planned(plan_file(repo, "assessments", file)))
    return plans


@pytest.mark.parametrize(
    ("lines", "unchanged", "updated"),
    [
        (["E4;RPA1;1;05.01.2026", "E2;DC1.1;3;2026-01-05"], 2, 0),  # the same again
        (["E4;RPA1;2;05.01.2026", "E4;RPA1;1;05.01.2026"], 0, 1),  # changed, then given twice
        (["E3;DC1.1;2;2026-01-05"], 0, 1),  # the stored note is trimmed: a correction
    ],
)
def test_a_stored_assessment_given_again(template: Path, lines, unchanged, updated) -> None:
    data = "\n".join(["employee_no;competency;level;date", *lines]).encode()
    by_columns, by_rows = _both_ways(template, data)
    assert by_columns == by_rows
    assert (by_rows[3].count("unchanged"), len(by_rows[5])) == (1, updated)
    assert f"{unchanged} unchanged" in by_rows[3]


def _written(db: Path) -> tuple[bytes, list[dict]]:
    audit = [
        {**orjson.loads(line), "at": None}
        for line in (db / "audit.jsonl").read_bytes().splitlines()
    ]
    return (db / "assessments.jsonl").read_bytes(), audit


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=files())
def test_columns_plan_what_rows_plan(template: Path, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        file = Path(scratch) / "in.csv"
        file.write_bytes(data)
        repo = FolderRepository.open(template, user="prop")
        by_columns = _planned(plan_file(repo, "assessments", file))
        with pytest.MonkeyPatch.context() as monkeypatch:
            _row_by_row(monkeypatch)
            by_rows = _planned(plan_file(repo, "assessments", file))
    event("problems" if by_rows[0] else "no problems")
    event("adds records" if by_rows[4] else "adds nothing")
    assert by_columns == by_rows


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=files())
def test_columns_write_what_rows_write(template: Path, data: bytes) -> None:
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        file = Path(scratch) / "in.csv"
        file.write_bytes(data)
        for name in ("columns", "rows"):
            db = Path(scratch) / name
            shutil.copytree(template, db)
            with pytest.MonkeyPatch.context() as monkeypatch:
                if name == "rows":
                    _row_by_row(monkeypatch)
                plan = import_file(FolderRepository.open(db, user="prop"), "assessments", file)
            written.append((plan.problems, _written(db), FolderRepository.open(db).ds.assessments))
    event("problems" if written[0][0] else "written")
    assert written[0][0] == written[1][0]
    assert written[0][1] == written[1][1]
    assert list(written[0][2]) == list(written[1][2])


_assessments = st.builds(
    Assessment.model_construct,
    staff=st.text(min_size=1, max_size=5),
    competency=st.sampled_from(["C1", "DC1.1"]),
    level=st.integers(0, 20),
    date=st.dates(),
    source=st.sampled_from(list(Source)),
    assessor=st.one_of(st.none(), st.text(max_size=5)),
    valid_until=st.one_of(st.none(), st.dates()),
    note=st.text(max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(records=st.lists(_assessments, max_size=8))
def test_history_lines_are_the_models_dumps(records: list[Assessment]) -> None:
    lines = _history_lines([row_from_model(record, 0) for record in records])
    assert orjson.dumps(lines) == orjson.dumps([r.model_dump(mode="json") for r in records])


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='a;\r\n" ', max_size=16))
def test_lines_are_found_as_stringio_gives_them(text: str) -> None:
    """The header is read from lines found lazily (`csvfile._lines`), the rest from StringIO."""
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))
