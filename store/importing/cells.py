"""Reading one CSV cell as the HR systems and Danish Excel write it, and writing it back.

Each parser takes the trimmed cell text and returns a value or raises `ValueError` with a message
fit for `file:line: column: message`. The spreadsheet escape lives here too, so the exporter and
the importer share one rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from store.models import MONTH_RE
from store.problems import refusal

TRUE_WORDS = frozenset({"ja", "yes", "true", "1", "x", "j", "y"})
FALSE_WORDS = frozenset({"nej", "no", "false", "0", "n", ""})

FORMULA_STARTS = ("=", "+", "-", "@")
ESCAPE = "'"
"""A cell that a spreadsheet would run as a formula is written with a leading apostrophe.

`escape_cell` prefixes the apostrophe to a cell starting with = + - @ or with an apostrophe (so
that a value really starting with one survives); `unescape_cell` removes one apostrophe when what
follows starts with one of those five characters. Export -> import therefore returns every value
unchanged, and a hand-typed `'=SUM(A1)` is read as `=SUM(A1)`, as a spreadsheet would show it.
"""

_DANISH_DATE = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def escape_cell(text: str) -> str:
    return ESCAPE + text if text.startswith((*FORMULA_STARTS, ESCAPE)) else text


def unescape_cell(text: str) -> str:
    if text.startswith(ESCAPE) and text[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return text[1:]
    return text


def parse_text(text: str) -> str:
    return text


def parse_optional(text: str) -> str | None:
    return text or None


def parse_bool(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise refusal("cell_not_yes_no", text=text)


def parse_int(text: str) -> int:
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        value = float(_decimal_point(text))
    except ValueError:
        raise refusal("cell_not_whole_number", text=text) from None
    if not value.is_integer():
        raise refusal("cell_not_whole_number", text=text)
    return int(value)


def parse_number(text: str) -> float:
    """A number; a decimal comma (12,5) and thousands points (1.234,5) are accepted."""
    try:
        value = float(_decimal_point(text))
    except ValueError:
        raise refusal("cell_not_number", text=text) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise refusal("cell_not_number", text=text)
    return value


def _decimal_point(text: str) -> str:
    text = text.replace(" ", "").replace("\u00a0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return text


_DATES: dict[str, dt.date] = {}


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY (also D.M.YYYY and DD/MM/YYYY)."""
    known = _DATES.get(text)
    if known is not None:
        return known
    value = _parse_date(text)
    if len(_DATES) < 100_000:  # a file repeats the same few thousand dates
        _DATES[text] = value
    return value


def _parse_date(text: str) -> dt.date:
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DANISH_DATE.match(text)
        if not match:
            raise refusal("cell_not_date", text=text)
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise refusal("cell_not_real_date", text=text) from None


def parse_month(text: str) -> str:
    """YYYY-MM; MM-YYYY and MM.YYYY are accepted too."""
    if MONTH_RE.match(text):
        return text
    match = re.match(r"^(\d{1,2})[.\-/](\d{4})$", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return f"{match.group(2)}-{int(match.group(1)):02d}"
    raise refusal("cell_not_month", text=text)


def format_value(value: object) -> str:
    """A value as the importer reads it back: ISO dates, yes/no, numbers without a needless .0."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(format_value(item) for item in value)
    return str(value)


LIST_SEPARATOR = "; "
"""Between the items of a list in one cell (the people named in a governance decision)."""


def parse_list(item: Callable[[str], Any], separators: str = ";") -> Callable[[str], list]:
    """A parser for a cell holding a list: items split on any of `separators`, each trimmed
    and read by `item`; empty items are skipped."""
    pattern = re.compile(f"[{re.escape(separators)}]")

    def parse(text: str) -> list:
        return [item(part.strip()) for part in pattern.split(text) if part.strip()]

    return parse
