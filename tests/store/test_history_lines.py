"""Parsing JSON Lines: the one-array fast path must agree with the careful line-by-line path."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.dataset import row_from_record, rows_from_records
from store.errors import CorruptFileError
from store.history import parse_lines

PATH = Path("assessments.jsonl")


def test_plain_lines_parse_in_order() -> None:
    assert parse_lines(PATH, b'{"a":1}\n{"a":2}\n', 0) == [{"a": 1}, {"a": 2}]


def test_blank_lines_are_skipped() -> None:
    assert parse_lines(PATH, b'{"a":1}\n\n  \n{"a":2}\n', 0) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"a":1}\n{"a":\n', "line 12 is not valid JSON"),
        (b'{"a":1}\n[1, 2]\n', "line 12 is not a JSON object"),
        (b'{"a":1}\n{"a":2},{"a":3}\n', "line 12 is not valid JSON"),
    ],
)
def test_a_bad_line_is_named(data: bytes, message: str) -> None:
    with pytest.raises(CorruptFileError, match=message):
        parse_lines(PATH, data, 10)


def test_bulk_rows_equal_one_by_one_rows() -> None:
    records = [
        {"staff": "E1", "competency": "DC1.1", "level": 3, "date": "2026-01-05"},
        {
            "staff": "E2",
            "competency": "LOK-SIK",
            "level": "4",
            "date": "2026-01-05",
            "source": "test",
            "assessor": "Akademiet",
            "valid_until": "2027-01-05",
            "note": "bestået",
        },
    ]
    assert rows_from_records(records, 7) == [
        row_from_record(r, 7 + i) for i, r in enumerate(records)
    ]


@pytest.mark.parametrize("bad", [{"date": "2026-13-01"}, {"date": 20260101}, {"level": "x"}])
def test_bulk_rows_raise_on_bad_values(bad: dict) -> None:
    record = {"staff": "E1", "competency": "DC1.1", "level": 3, "date": "2026-01-05", **bad}
    with pytest.raises((ValueError, TypeError)):
        rows_from_records([record], 0)
