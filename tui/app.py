"""The Kapabel Textual app: one mode per screen, switched with keys or the command palette.

Screens read `self.app.repo` (the store) and `self.app.as_of`, show figures computed by `reports/`
and write through the repository. Each screen lives in its own module under `tui/screens/`.
"""

from __future__ import annotations

import datetime as dt

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from store.repository import FolderRepository
from tui.screens.competencies import CompetenciesScreen
from tui.screens.organisation import OrganisationScreen
from tui.screens.overview import OverviewScreen
from tui.screens.people import PeopleScreen
from tui.screens.reports_screen import ReportsScreen
from tui.screens.training import TrainingScreen

SCREENS_IN_ORDER: list[tuple[str, str, str]] = [
    # (mode name, key, title)
    ("overview", "1", "Overview"),
    ("organisation", "2", "Organisation"),
    ("people", "3", "People"),
    ("competencies", "4", "Competencies"),
    ("training", "5", "Training"),
    ("reports", "6", "Reports"),
]


class KapabelApp(App):
    """Keyboard-first register of competencies, training and robots."""

    TITLE = "Kapabel"
    CSS_PATH = "app.tcss"
    MODES = {
        "overview": OverviewScreen,
        "organisation": OrganisationScreen,
        "people": PeopleScreen,
        "competencies": CompetenciesScreen,
        "training": TrainingScreen,
        "reports": ReportsScreen,
    }
    BINDINGS = [
        *(
            Binding(key, f"switch_mode('{mode}')", title, show=False)
            for mode, key, title in SCREENS_IN_ORDER
        ),
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, repo: FolderRepository, as_of: dt.date | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.as_of = as_of or dt.date.today()
        self._analysis = None

    @property
    def analysis(self):
        """The figures from `reports.analysis` for the current data and as-of date (cached)."""
        if self._analysis is None:
            from reports.analysis import analyse

            self._analysis = analyse(self.repo.ds, self.as_of)
        return self._analysis

    def data_changed(self) -> None:
        """Call after every write: drops cached figures and lets the current screen redraw."""
        self._analysis = None
        self.refresh_screens()

    def on_mount(self) -> None:
        self.sub_title = f"{self.repo.path} · as of {self.as_of.isoformat()}"
        self.switch_mode("overview")

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        for mode, key, title in SCREENS_IN_ORDER:
            yield SystemCommand(
                f"Go to {title}", f"Open the {title} screen (key {key})", self._switcher(mode)
            )

    def _switcher(self, mode: str):
        return lambda: self.switch_mode(mode)

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_reload(self) -> None:
        """Pick up changes other people made to the database."""
        if self.repo.refresh():
            self.data_changed()
            self.notify("Reloaded changes made by others")
        else:
            self.notify("No changes on disk")

    def refresh_screens(self) -> None:
        """Tell the current screen the data changed (screens implement `reload_data`)."""
        reload = getattr(self.screen, "reload_data", None)
        if reload is not None:
            reload()


def run_app(repo: FolderRepository, as_of: dt.date | None = None) -> None:
    KapabelApp(repo, as_of=as_of).run()
