"""The Kapabel Textual app (for now: the database's contents at a glance)."""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from store.repository import FolderRepository


class KapabelApp(App):
    """Keyboard-first register of competencies, training and robots."""

    TITLE = "Kapabel"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("r", "reload", "Reload"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, repo: FolderRepository, as_of: dt.date | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.as_of = as_of or dt.date.today()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="where")
        yield DataTable(id="counts", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"as of {self.as_of.isoformat()}"
        table = self.query_one("#counts", DataTable)
        table.add_columns("Table", "Records")
        self._fill()

    def _fill(self) -> None:
        self.query_one("#where", Static).update(f"Database: {self.repo.path}")
        table = self.query_one("#counts", DataTable)
        table.clear()
        for name, count in self.repo.ds.counts().items():
            table.add_row(name.replace("_", " "), f"{count:,}")

    def action_reload(self) -> None:
        self.repo.refresh()
        self._fill()


def run_app(repo: FolderRepository, as_of: dt.date | None = None) -> None:
    KapabelApp(repo, as_of=as_of).run()
