"""Turning one value into text: for a person (text, Markdown, screens) in the current language,
for CSV in the machine's English (`reports.words`)."""

from __future__ import annotations

from typing import Any

from reports.words import MISSING, local, machine, plain

__all__ = ["MISSING", "cell_text", "group_rows", "is_numeric_column", "machine_text", "plain"]


cell_text = local
"""Display text in the current language (`reports.words.local`): None as '-', booleans yes/no,
floats with one decimal, dates as the language writes them, a `Phrase` in the language's words."""

machine_text = machine
"""The same value as CSV writes it whatever the language (`reports.words.machine`): English
words, ISO dates, `.` decimals."""


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
