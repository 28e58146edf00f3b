"""Writing workbooks (.xlsx) people open, sort and forward: typed cells, one table per sheet.

Every value is written as what it is: a number as a number, a date as a date, a yes/no as a
boolean, and text always as text -- never as a formula, whatever it starts with (= + - @), so a
name cannot run in a spreadsheet (the CSV export's apostrophe is not needed here: a text cell
holds exactly the value). A table gets a bold header row that stays in view (frozen), an
autofilter, and column widths that fit its cells. Written with xlsxwriter in constant-memory
mode (rows go to a temporary file as they are written), so 1,000,000 rows fit in little memory.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
"""xlsxwriter's guesses from text turned off: text stays text (only `write_string` is used
anyway); constant memory for big tables."""

MAX_WIDTH = 60
"""A column is made no wider than this (long text is still there whole, the cell just shows a
part of it until widened)."""
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
"""Characters a sheet's name may not hold."""


class Book:
    """An .xlsx workbook being written; `finish()` gives its bytes."""

    def __init__(self) -> None:
        import xlsxwriter

        self._buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self._buffer, OPTIONS)
        self.formats = {
            "date": self.book.add_format({"num_format": "yyyy-mm-dd", "align": "left"}),
            "header": self.book.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"}),
            "title": self.book.add_format({"bold": True, "font_size": 14}),
            "label": self.book.add_format({"bold": True}),
            "percent": self.book.add_format({"num_format": "0%"}),
            "percent_decimal": self.book.add_format({"num_format": "0.0%"}),
            "text": self.book.add_format({"text_wrap": False}),
        }
        self._names: set[str] = set()

    def sheet(self, title: str) -> Sheet:
        """A new sheet named after `title` (shortened to Excel's 31 characters, made unique)."""
        return Sheet(self, self.book.add_worksheet(self._unique_name(title)))

    def _unique_name(self, title: str) -> str:
        """The title up to its first bracket or colon ("Governance: who ..." -> "Governance"),
        cut at a word within Excel's 31 characters, without the characters a name may not
        hold; " (2)" and on after a name already taken."""
        short = re.split(r" \(|:", title)[0].strip() or title
        base = SHEET_NAME.sub(" ", short).strip().strip("'") or "Sheet"
        if len(base) > 31:
            cut = base[:32].rsplit(" ", 1)[0]
            base = cut if len(cut) >= 12 else base[:31]
        name, number = base[:31], 2
        while name.lower() in self._names:
            suffix = f" ({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        self._names.add(name.lower())
        return name

    def finish(self) -> bytes:
        self.book.close()
        return self._buffer.getvalue()


class Sheet:
    """One sheet, written top to bottom (as constant memory requires)."""

    def __init__(self, book: Book, worksheet: Any) -> None:
        self.book = book
        self.ws = worksheet
        self.row = 0
        self.widths: dict[int, int] = {}

    def line(self, cells: Sequence[Any], style: str | None = None) -> int:
        """Write a row of cells (a title, a label and its value); returns its row index."""
        for col, value in enumerate(cells):
            self.cell(self.row, col, value, style, fit=style != "title")
        self.row += 1
        return self.row - 1

    def skip(self) -> None:
        self.row += 1

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        percent: frozenset[int] = frozenset(),
    ) -> tuple[int, int]:
        """The header (frozen, bold, with an autofilter) and the rows under it; columns in
        `percent` hold percentages (0-100) and are shown as such. Returns (first data row,
        last data row) as row indexes (last < first: no rows)."""
        header_row = self.line(headers, "header")
        self.ws.freeze_panes(header_row + 1, 0)
        decimal = {col: False for col in percent}
        rows = list(rows) if percent else rows
        if percent:  # whole percentages show as 67 %, others with a decimal
            for row in rows:
                for col in percent:
                    value = row[col] if col < len(row) else None
                    if isinstance(value, float) and not value.is_integer():
                        decimal[col] = True
        for row in rows:
            for col, value in enumerate(row):
                if col in decimal and _is_number(value):
                    style = "percent_decimal" if decimal[col] else "percent"
                    self.cell(self.row, col, value / 100, style)
                else:
                    self.cell(self.row, col, value)
            self.row += 1
        last = self.row - 1
        if headers:
            self.ws.autofilter(header_row, 0, max(last, header_row), len(headers) - 1)
        return header_row + 1, last

    def cell(
        self, row: int, col: int, value: Any, style: str | None = None, fit: bool = True
    ) -> None:
        """One typed cell: text is always written as text (never a formula)."""
        fmt = self.book.formats.get(style) if style else None
        ws = self.ws
        if value is None:
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
            return
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
            shown = "FALSE"
        elif _is_number(value):
            ws.write_number(row, col, value, fmt)
            shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col, value, fmt or self.book.formats["date"])
            shown = "0000-00-00 00:00"
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, value, fmt or self.book.formats["date"])
            shown = "0000-00-00"
        else:
            shown = value if isinstance(value, str) else _as_text(value)
            ws.write_string(row, col, shown, fmt)
        if fit:
            width = max((len(part) for part in shown.split("\n")), default=0) + 2
            if width > self.widths.get(col, 0):
                self.widths[col] = min(width, MAX_WIDTH)

    def finish(self) -> None:
        """Set the columns' widths to fit what was written (call once the sheet is written)."""
        for col, width in self.widths.items():
            self.ws.set_column(col, col, max(width, 6))


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and not math.isfinite(value))
    )


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(_as_text(item) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)
