"""Helpers for driving the People screens: wait until typing, workers and redraws settle."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.helpers import footer_settled, workers_done
from tui.screens.people import DEBOUNCE_SECONDS


async def settle(pilot) -> None:
    """Wait out the filter's debounce, the worker threads, the footer and the redraw they cause."""
    for _ in range(3):
        await pilot.pause(DEBOUNCE_SECONDS / 2)
        await workers_done(pilot.app)
    await footer_settled(pilot)
    await pilot.pause()


def column_text(table: DataTable, column: str) -> list[str]:
    """The plain text of one column, top to bottom."""
    return [str(getattr(cell, "plain", cell)) for cell in table.get_column(column)]


def row_keys(table: DataTable) -> list[str]:
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
