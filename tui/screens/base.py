"""What every data screen shares: redraw when shown again after the data changed elsewhere."""

from __future__ import annotations

from textual import events, on, work
from textual.screen import Screen
from textual.worker import get_current_worker


class ModeScreen(Screen):
    """A screen the app switches to by its key (`MODE_SCREENS`).

    Textual restyles the whole screen on each of the two resumes of a mode's first switch,
    though its widgets were just styled as they mounted: skipped until the screen is first
    left (later resumes restyle, as the styles may have changed meanwhile). Each restyle was
    ~5 ms CPU on the Overview at start (`tests/tui/test_screen_switch_cost.py`)."""

    _left_once = False

    @on(events.ScreenResume)
    def _styled_at_mount(self, event: events.ScreenResume) -> None:
        if not self._left_once:
            event.refresh_styles = False

    @on(events.ScreenSuspend)
    def _left(self) -> None:
        self._left_once = True


class DataScreen(ModeScreen):
    """A screen that shows data from `app.repo`; subclasses implement `show_data()`.

    `app.data_changed()` calls `reload_data()` on the screen on top only; a screen that was
    hidden meanwhile notices the newer `app.data_version` when it is shown again.
    """

    _seen_version: int = -1

    def show_data(self) -> None:  # pragma: no cover - every subclass overrides it
        """(Re)draw everything from `app.repo` / `app.analysis`."""
        raise NotImplementedError

    def reload_data(self) -> None:
        self._seen_version = self.app.data_version
        self.show_data()

    def on_screen_resume(self) -> None:
        if self._seen_version != self.app.data_version:
            self.reload_data()


class AnalysisScreen(DataScreen):
    """A screen drawn from `app.analysis`, computed in a thread worker when not cached yet.

    At 50,000 staff the analysis takes about a second: the screen appears at once with a
    loading indicator, and `show_analysis(analysis)` runs when the figures are ready.
    """

    @property
    def analysis_ready(self) -> bool:
        return self.app.analysis_cached

    def show_analysis(self, analysis) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def show_data(self) -> None:
        if self.app.analysis_cached:
            self.show_analysis(self.app.analysis)
        else:
            self._set_loading(True)
            self._compute_analysis()

    @work(thread=True, exclusive=True, group="analysis")
    def _compute_analysis(self) -> None:
        analysis = self.app.analysis
        if not get_current_worker().is_cancelled:  # a newer request replaced this one
            self.app.call_from_thread(self._analysis_computed, analysis)

    def _analysis_computed(self, analysis) -> None:
        self._set_loading(False)
        self.show_analysis(analysis)

    def _set_loading(self, loading: bool) -> None:
        """A loading indicator over the screen's body (the header and footer stay usable)."""
        for widget in self.query(".analysis-body"):
            widget.loading = loading
