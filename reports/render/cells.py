"""Turning one value into display text, the same way in text, Markdown and CSV."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
MISSING = "-"


def plain(text: str) -> str:
    """User text on one line: control characters (newlines, escape codes) become a space."""
    return _CONTROL.sub(" ", text)


def cell_text(value: Any, missing: str = MISSING) -> str:
    """Display text: None as '-', booleans yes/no, floats with one decimal, dates ISO."""
    kind = type(value)
    if kind is str:
        return _CONTROL.sub(" ", value)
    if kind is int:
        return str(value)
    if value is None:
        return missing
    if kind is bool:
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return plain(str(value))


def is_numeric_column(rows: list[list[Any]], index: int) -> bool:
    """Right-align a column whose values are all numbers or missing."""
    for row in rows:
        value = row[index]
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            return False
    return True


def group_rows(rows: list[list[Any]], index: int) -> list[tuple[Any, list[list[Any]]]]:
    """Consecutive rows with the same value in column `index`, that column left out."""
    groups: list[tuple[Any, list[list[Any]]]] = []
    for row in rows:
        key = row[index]
        rest = row[:index] + row[index + 1 :]
        if groups and groups[-1][0] == key:
            groups[-1][1].append(rest)
        else:
            groups.append((key, [rest]))
    return groups
