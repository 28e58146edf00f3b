"""The first frame: drawn at once, while the database opens in a worker.

Deliberately still (no animated indicator): every redraw takes the GIL from the worker that is
opening the database, which cost over a second at 50,000 staff.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from i18n import N_, _
from tui.widgets.footer import KeysFooter


class LoadingScreen(Screen):
    """Shows which folder is being opened; the app switches to the Overview when it is."""

    TITLE = N_("Opening")
    DEFAULT_CSS = """
    LoadingScreen > Vertical { align: center middle; }
    LoadingScreen LoadingIndicator { height: 3; }
    LoadingScreen #loading-message { width: 100%; text-align: center; padding: 0 2; }
    """

    def __init__(self, folder_name: str) -> None:
        super().__init__()
        self.folder_name = folder_name

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(
                Text(_("Opening {folder} …").format(folder=self.folder_name)), id="loading-message"
            )
        yield KeysFooter()

    def show_progress(self, message: str) -> None:
        self.query_one("#loading-message", Static).update(Text(message))

    def show_problem(self, message: str) -> None:
        """The database could not be opened: say why and how to leave."""
        text = Text(_("Cannot open the database") + "\n\n", style="bold red")
        text.append(message)
        text.append("\n\n" + _("Press q to quit."), style="bold")
        self.query_one("#loading-message", Static).update(text)
