"""Readiness over the last quarters as a row of bars with the first and latest value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from i18n import _, format_date, format_percent

BARS = " ▁▂▃▄▅▆▇█"


def bar_for(pct: float | None) -> str:
    """One bar character for a percentage (0-100); a gap ' ' when there is no figure."""
    if pct is None:
        return "·"
    index = round(max(0.0, min(100.0, pct)) / 100 * (len(BARS) - 1))
    return BARS[max(1, index)]


def quarter_label(end: dt.date) -> str:
    """'Q3 2026' for a quarter's last day, else the date itself (the as-of date)."""
    following = end + dt.timedelta(days=1)
    if following.day == 1 and following.month in (1, 4, 7, 10):
        return _("Q{quarter} {year}").format(quarter=(end.month - 1) // 3 + 1, year=end.year)
    return format_date(end)


def format_pct(pct: float | None) -> str:
    """A percentage as the current language writes it (62.5 % / 62,5 %); – for none."""
    return "–" if pct is None else format_percent(pct)


def trend_text(points: Sequence[tuple[dt.date, float | None]]) -> Text:
    """Bars oldest → newest, then 'Q1 2024 61.0 % → Q4 2025 72.3 %' so the bars are not alone."""
    text = Text()
    if not points:
        return text.append(_("no history yet"), style="dim")
    for _day, pct in points:
        text.append(bar_for(pct) * 2, style="bold cyan")
        text.append(" ")
    first, last = points[0], points[-1]
    text.append(
        f"  {quarter_label(first[0])} {format_pct(first[1])} → "
        f"{quarter_label(last[0])} {format_pct(last[1])}"
    )
    return text


class TrendBars(Static):
    """Readiness per quarter end (oldest first)."""

    def show(self, points: Sequence[tuple[dt.date, float | None]]) -> None:
        self.update(trend_text(points))
