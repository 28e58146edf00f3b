"""The Overview screen (being built: it shows the database counts until then)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.widgets.counts import CountsTable


class OverviewScreen(Screen):
    TITLE = "Overview"

    def compose(self) -> ComposeResult:
        yield Header()
        yield CountsTable()
        yield Footer()
