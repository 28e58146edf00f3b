"""Parsing JSON Lines: the one-array fast path must agree with the careful line-by-line path."""

from __future__ import annotations

from pathlib import Path

import pytest

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
