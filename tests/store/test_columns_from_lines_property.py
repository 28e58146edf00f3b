"""Opening a history without its snapshot reads the JSON lines straight into columns
(`Columns.from_lines`, `Columns.from_records`): on random lines, good and damaged, they are the
columns (and so the rows) of the careful way (`parse_lines`, then `rows_from_records`), or the
fast way steps aside (None, or it raises) and the careful way reads (or refuses) them as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import snapshot
from store.columns import Columns
from store.dataset import rows_from_records
from store.errors import CorruptFileError
from store.history import parse_lines
from store.repository import FolderRepository

GOOD = {
    "staff": st.sampled_from(["E1", "E2", "E10", "Ærø 7"]),
    "competency": st.sampled_from(["DC1.1", "DC2.3"]),
    "level": st.integers(0, 8),
    "date": st.sampled_from(["2024-01-31", "2024-02-29", "2025-12-01"]),
    "source": st.sampled_from(["self", "manager", "test", "training"]),
    "assessor": st.one_of(st.none(), st.sampled_from(["Direktør", "HR", ""])),
    "valid_until": st.one_of(st.none(), st.sampled_from(["2024-06-30", "2026-01-01"])),
    "note": st.sampled_from(["", "ok", 'a "quoted" note\\', "tab\there"]),
}
ODD = st.one_of(  # a value the store never writes: the careful way decides what it means
    st.none(),
    st.integers(-(2**40), 2**40),
    st.sampled_from([True, 3.0, 2.5, "3", "", "2024-13-01", "20240101", "x", [1], {"a": 1}]),
)


@st.composite
def record(draw) -> dict:
    doc = {name: draw(values) for name, values in GOOD.items()}
    if draw(st.integers(0, 9)) == 0:  # now and then something the store would not write
        name = draw(st.sampled_from(sorted(GOOD)))
        if draw(st.booleans()):
            del doc[name]
        else:
            doc[name] = draw(ODD)
    return doc


BAD_LINES = [b"", b"  ", b"not json", b"[1]", b"{}", b'{"staff":"E1"', b"1,2", b"{},{}"]


@st.composite
def lines(draw) -> bytes:
    records = draw(st.lists(record(), max_size=30))
    encoded = [orjson.dumps(r) for r in records]
    if encoded and draw(st.integers(0, 7)) == 0:  # a damaged line somewhere
        encoded.insert(draw(st.integers(0, len(encoded))), draw(st.sampled_from(BAD_LINES)))
    return b"".join(line + b"\n" for line in encoded)


def careful(data: bytes):
    """The columns and rows the careful way makes, or None where it refuses."""
    try:
        rows = rows_from_records(parse_lines(Path("assessments.jsonl"), data, 0), 0)
        return Columns.from_rows(rows), rows
    except (CorruptFileError, KeyError, ValueError, TypeError, OverflowError):
        return None


def assert_same(fast: Columns, slow: Columns) -> None:
    assert len(fast) == len(slow)
    for name, array in slow.arrays().items():
        assert fast.arrays()[name].dtype == array.dtype, name
        assert np.array_equal(fast.arrays()[name], array), name
    assert fast.codes == slow.codes
    assert [fast.row(i) for i in range(len(fast))] == slow.rows()


@settings(max_examples=300, deadline=None)
@given(lines(), st.integers(1, 400))
def test_lines_read_as_columns_are_the_careful_ways_columns(data: bytes, size: int) -> None:
    fast = Columns.from_lines(data, size)  # `size`: pieces that cut the lines anywhere
    slow = careful(data)
    if fast is not None:
        assert slow is not None, "the fast way read lines the careful way refuses"
        assert_same(fast, slow[0])
        assert fast.rows() == slow[1]
    elif slow is not None and data:
        # lines the careful way reads are read fast too, but for a blank line (which it
        # skips), a record without a date (whose columns would not give its row back) and a
        # value of a kind the store never writes (a number for a name: 1 and True are one key)
        blank = any(not line.strip() for line in data.split(b"\n")[:-1])
        texts = (0, 1, 4, 7)  # staff, competency, source, note; the assessor may be None too
        odd = any(
            any(type(row[at]) is not str for at in texts)
            or not isinstance(row.assessor, str | None)
            for row in slow[1]
        )
        assert blank or odd or any(r.date is None for r in slow[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(record(), max_size=30), st.integers(0, 5))
def test_records_as_columns_are_their_rows_columns(records: list[dict], first: int) -> None:
    try:
        rows = rows_from_records(records, first)
        slow = Columns.from_rows(rows)
    except (KeyError, ValueError, TypeError, OverflowError):
        slow = None
    try:
        fast = Columns.from_records(records, first)
    except (KeyError, ValueError, TypeError, OverflowError):
        fast = None
    if fast is not None:
        assert slow is not None
        assert_same(fast, slow)


def without_snapshot(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo"
    shutil.copytree(template, path)
    snapshot.remove(path)
    return path


def test_a_database_opened_without_its_snapshot_has_the_rows_of_its_lines(
    demo_db_template, tmp_path
) -> None:
    path = without_snapshot(demo_db_template, tmp_path)
    lines_path = path / "assessments.jsonl"
    expected = rows_from_records(parse_lines(lines_path, lines_path.read_bytes(), 0), 0)
    repo = FolderRepository.open(path)
    history = repo.ds.assessments
    assert history._history.columns is not None  # read as columns, no row made yet
    assert list(history) == expected


def test_a_damaged_record_is_still_named_when_opening_without_a_snapshot(
    demo_db_template, tmp_path
) -> None:
    path = without_snapshot(demo_db_template, tmp_path)
    lines_path = path / "assessments.jsonl"
    data = lines_path.read_bytes().split(b"\n")
    data[2] = data[2].replace(b'"level":', b'"levle":')
    lines_path.write_bytes(b"\n".join(data))
    with pytest.raises(CorruptFileError, match="record 3 is not an assessment"):
        FolderRepository.open(path, read_only=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(record(), max_size=40), st.booleans(), st.randoms(use_true_random=False))
def test_the_sort_of_the_pairs_is_the_lexsort(records: list[dict], shuffled: bool, rnd) -> None:
    """(staff, competency, date, precedence, seq): a stable sort of the packed key when seq
    follows the position, as in a history; the lexsort otherwise."""
    try:
        rows = rows_from_records(records, 0)
        columns = Columns.from_rows(rows)
    except (KeyError, ValueError, TypeError, OverflowError):
        return
    if shuffled:  # recorded in another order than they are held
        seqs = list(range(len(rows)))
        rnd.shuffle(seqs)
        columns = Columns.from_rows(
            [row._replace(seq=seq) for row, seq in zip(rows, seqs, strict=True)]
        )
    data = columns.arrays()
    expected = np.lexsort(
        (data["seq"], data["rank"], data["date"], data["competency"], data["staff"])
    )
    assert np.array_equal(columns._by_pair()[1], expected)


@pytest.mark.parametrize(
    "values",
    [("staff", 1, True), ("staff", 2, 2.0), ("competency", 0, False), ("assessor", 1, True)],
)
def test_values_that_are_equal_only_as_numbers_keep_their_own_kind(values) -> None:
    """A hand-edited history with a number where the store writes text: the rows say what each
    line says (True stays True, not the 1 of an earlier line; `kapabel check` names it so), as
    the careful way reads them: the fast way steps aside for a value the store never writes."""
    name, first, second = values
    base = {"staff": "E1", "competency": "DC1.1", "level": 1, "date": "2024-01-31"}
    data = b"".join(
        orjson.dumps({**base, name: value, "note": str(at)}) + b"\n"
        for at, value in enumerate((first, second))
    )
    fast = Columns.from_lines(data)
    slow = careful(data)
    assert slow is not None
    rows = fast.rows() if fast is not None else slow[1]
    kinds = [[type(value) for value in row] for row in rows]
    assert kinds == [[type(value) for value in row] for row in slow[1]]


HAND_EDITS = {
    "no date": ((b'"date":"', b'"date":null,"x":"'), "date:"),
    "a list for a note": ((b'"note":"', b'"note":["x"],"x":"'), "note:"),
    "a level no report can hold": ((b'"level":', b'"level":70000,"x":'), "level:"),
}
"""Hand edits to a line that the careful way read (and a report then failed on)."""


def forget_the_history_checksum(path: Path) -> None:
    """meta.json without the history's length and checksum (an older or hand-edited meta), so
    that an edited line is read as it is rather than refused as altered."""
    meta_path = path / "meta.json"
    meta = orjson.loads(meta_path.read_bytes())
    del meta["meta"]["1"]["history"]["assessments.jsonl"]
    meta_path.write_bytes(orjson.dumps(meta))


@pytest.mark.parametrize("edit", HAND_EDITS)
def test_a_hand_edited_record_is_named_when_opening_without_a_snapshot(
    demo_db_template, tmp_path, edit: str
) -> None:
    (old, new), field = HAND_EDITS[edit]
    path = without_snapshot(demo_db_template, tmp_path)
    lines_path = path / "assessments.jsonl"
    data = lines_path.read_bytes().split(b"\n")
    assert old in data[2]
    data[2] = data[2].replace(old, new, 1)
    lines_path.write_bytes(b"\n".join(data))
    forget_the_history_checksum(path)
    before = lines_path.read_bytes()
    with pytest.raises(CorruptFileError) as caught:
        FolderRepository.open(path, read_only=True)
    message = str(caught.value)
    assert message.startswith(f"{lines_path}: record 3 is not an assessment: {field}")
    assert "\n" not in message
    assert lines_path.read_bytes() == before
