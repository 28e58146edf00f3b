"""Readiness as a bar with its figure: 'met / required pairs' so the bar is never alone."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from i18n import _, format_integer
from tui.widgets.trend import format_pct


def readiness_text(pct: float | None, met: int, required: int, width: int = 16) -> Text:
    text = Text()
    if pct is None:
        return text.append(_("nothing required"), style="dim")
    filled = round(pct / 100 * width)
    text.append("█" * filled, style="green3")
    text.append("░" * (width - filled), style="grey35")
    text.append(f" {format_pct(pct)}", style="bold")
    met_words = _("{met} of {required} met").format(
        met=format_integer(met), required=format_integer(required)
    )
    text.append(f"  {met_words}")
    return text


class ReadinessBar(Static):
    def show(self, pct: float | None, met: int, required: int) -> None:
        self.update(readiness_text(pct, met, required))
