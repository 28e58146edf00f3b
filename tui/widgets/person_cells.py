"""Table cells for people and their competencies, built as `rich.text.Text`.

Names and notes come from the data: they are put into Text objects (never parsed as markup),
flattened to one line and cut with an ellipsis, so `[bold]`, emoji, æøå or a 300-character
name can neither inject styles nor break a row. Every state has words or a sign as well as a
colour, so colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from i18n import _, format_date
from reports.render.cells import plain
from reports.rules import CellState, cell_state

GAP_STYLES = {
    CellState.MEETS: "green",
    CellState.SHORT_1: "yellow",
    CellState.SHORT_2: "bold red",
    CellState.NOT_ASSESSED: "magenta",
}


def one_line(text: str | None, width: int | None = None, style: str = "") -> Text:
    """User text on one line, exactly as typed otherwise; cut to `width` with an ellipsis."""
    cell = Text(plain(text or ""), style=style, no_wrap=True, overflow="ellipsis")
    if width is not None and cell.cell_len > width:
        cell.truncate(width, overflow="ellipsis")
    return cell


def level_text(level: int | None) -> Text:
    """A level, or '—' (not assessed; the page's legend says so)."""
    return Text("—", style="magenta") if level is None else Text(str(level))


def date_text(day: dt.date | None) -> Text:
    return Text("—" if day is None else format_date(day))


def gap_bar(required: int, current: int | None, gap: int) -> Text:
    """'✓ meets', or one block per missing level and the number: '■■ 2' ('■■ 2?' when the
    person was never assessed, so the whole requirement is missing)."""
    state = cell_state(required, current)
    style = GAP_STYLES[state]
    if gap == 0:
        return Text(_("✓ meets"), style=style)
    bar = Text("■" * min(gap, 5), style=style)
    bar.append(f" {gap}", style=style)
    if state is CellState.NOT_ASSESSED:
        bar.append("?", style=style)
    return bar


def count_text(count: int) -> Text:
    """A count of gaps: '✓' for none, else the number, so the column reads without colour."""
    return Text("✓", style="green") if count == 0 else Text(str(count), style="bold red")
