"""Small helpers for DataTables that show user text literally."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable

from tui.widgets.trend import format_pct


def cell(value: object) -> Text:
    """User text as a cell: never read as markup, one line."""
    return Text(str(value).replace("\n", " "), no_wrap=True, overflow="ellipsis")


def pct_cell(pct: float | None) -> Text:
    return Text(format_pct(pct), justify="right")


def refill(table: DataTable, rows: Iterable[Sequence[object]], keys: Sequence[str] | None = None):
    """Replace every row, keeping the columns."""
    table.clear()
    for index, row in enumerate(rows):
        table.add_row(*row, key=None if keys is None else keys[index])
