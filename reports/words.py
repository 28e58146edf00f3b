"""A report's words in two registers: English for machines, the current language for people.

A report is built once and then rendered as text or Markdown (for a person: in the current
language, dates and numbers as that language writes them) and as CSV, JSON or a workbook (for
other programs: English words, ISO dates, `.` decimals, whatever the language; issue #13).
So every text a report holds for a person is a `Phrase`: a `str` whose value is the English
text -- CSV, JSON and workbooks write it as any other string, unchanged -- and whose `local()`
is the same words in the current language, translated when it is shown (not when it is built).

`local(value)` is any value as text for a person (a table cell, a heading, a summary line);
`machine(value)` the same value as the machine formats write it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from i18n import N_, _, format_date, format_decimal, format_integer, format_percent
from store.labels import label

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
MISSING = "-"
"""A value that is not there, in every language and format."""


def plain(text: str) -> str:
    """User text on one line: control characters (newlines, escape codes) become a space."""
    return _CONTROL.sub(" ", text)


class Phrase(str):
    """Words for a person: the string itself is the English text (what CSV, JSON and workbooks
    write); `local()` gives the words in the current language."""

    def __new__(cls, english: str, words: Callable[[], str]) -> Phrase:
        made = super().__new__(cls, english)
        made._words = words
        return made

    def local(self) -> str:
        return self._words()

    def upper(self) -> Phrase:  # type: ignore[override]
        return Phrase(str.upper(self), lambda: self.local().upper())


def term(message: str) -> Phrase:
    """A fixed text (marked with `N_` where it is written), translated when shown."""
    return Phrase(message, lambda: _(message))


def terms(*messages: str) -> list[Phrase]:
    """Fixed texts (each marked with `N_`), say a table's headers."""
    return [term(message) for message in messages]


def phrase(message: str, **values: Any) -> Phrase:
    """A sentence with `{placeholders}` (marked with `N_`); each value is put into words in the
    same register as the sentence (`machine` or `local`)."""
    english = message.format(**{name: machine(value) for name, value in values.items()})
    return Phrase(english, lambda: _(message).format(**_local_values(values)))


def compose(layout: str, **values: Any) -> Phrase:
    """Values laid out without words to translate ('{due} {title}'): each value in the
    register of the whole."""
    english = layout.format(**{name: machine(value) for name, value in values.items()})
    return Phrase(english, lambda: layout.format(**_local_values(values)))


def _local_values(values: dict[str, Any]) -> dict[str, str]:
    return {name: local(value) for name, value in values.items()}


def number(value: float, digits: int = 1) -> Phrase:
    """A number with `digits` decimals: 62.5 / 62,5."""
    return Phrase(f"{value:.{digits}f}", lambda: format_decimal(value, digits))


def percent(value: float | None) -> Phrase | str:
    """A percentage given as 0-100: 62.5 % / 62,5 %; '-' for none."""
    if value is None:
        return MISSING
    return Phrase(f"{value:.1f} %", lambda: format_percent(value))


def day(value: dt.date) -> Phrase:
    """A date: 2026-11-27 / 27-11-2026."""
    return Phrase(value.isoformat(), lambda: format_date(value))


def count(value: int) -> Phrase:
    """A count with thousands grouped: 1,234 / 1.234."""
    return Phrase(f"{value:,}", lambda: format_integer(value))


def yes_no(value: bool) -> Phrase:
    """yes / ja (a boolean a table shows in words in every format)."""
    return term(N_("yes")) if value else term(N_("no"))


def enum_text(
    value: StrEnum | str, kind: type[StrEnum], english: str | None = None
) -> Phrase | str:
    """An enumeration value for a person: its label in the current language (`store.labels`),
    while machine formats keep `english` (default: the value as stored). A value this version
    does not know is shown as stored."""
    try:
        member = kind(value)
    except ValueError:
        return str(value)
    return Phrase(str(member) if english is None else english, lambda: label(member))


def joined(items: list[Any], separator: str = ", ") -> Phrase:
    """Several values on one line, each in the register of the whole."""
    return Phrase(
        separator.join(machine(item) for item in items),
        lambda: separator.join(local(item) for item in items),
    )


def local(value: Any, missing: str = MISSING) -> str:
    """A value as text for a person, in the current language: None as '-', booleans yes/no in
    words, floats with one decimal, dates as the language writes them."""
    kind = type(value)
    if kind is str:
        return _CONTROL.sub(" ", value)
    if kind is int:
        return str(value)
    if value is None:
        return missing
    if kind is Phrase:
        return plain(value.local())
    if kind is bool:
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return format_decimal(value, 1)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, int):
        return str(value)
    return plain(str(value))


def machine(value: Any, missing: str = MISSING) -> str:
    """A value as CSV and the English texts write it, whatever the language: None as '-',
    booleans yes/no, floats with one decimal, dates ISO, enumeration values as stored."""
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


def met_of(met: int, required: int) -> Phrase:
    """'12 of 40' (requirements met of those required)."""
    return phrase(N_("{met} of {required}"), met=met, required=required)
