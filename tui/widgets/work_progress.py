"""A progress line for long work done in a worker thread (a report over the whole organisation,
an import): what is being done and a bar, shown only when the work takes longer than a moment."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Label, ProgressBar

from store.progress import Progress

SHOW_AFTER_S = 0.3
"""Work done sooner than this shows no progress line (it would only flicker)."""


class WorkProgress(Horizontal):
    """Hidden until `start()`ed work is still going after SHOW_AFTER_S; `reporter()` gives the
    worker thread the callback that store and reports call; `stop()` hides it again."""

    DEFAULT_CSS = """
    WorkProgress {
        height: 1;
        padding: 0 1;
        display: none;
    }
    WorkProgress.-shown {
        display: block;
    }
    WorkProgress #work-step {
        width: 1fr;
    }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._work = 0
        """Which start() the line belongs to: a superseded worker's late news is ignored."""

    def compose(self) -> ComposeResult:
        yield Label(id="work-step", markup=False)
        yield ProgressBar(total=1.0, show_eta=False, id="work-bar")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def start(self) -> Progress:
        """New work begins: the line appears if it is still going after a moment. Returns the
        callback for the worker thread (store/reports call it with a step and 0.0-1.0)."""
        self.stop()
        self._work += 1
        work = self._work
        self.query_one("#work-step", Label).update("")
        self.query_one("#work-bar", ProgressBar).update(progress=0.0)
        self._timer = self.set_timer(SHOW_AFTER_S, lambda: self._show(work))

        def report(step: str, done: float) -> None:
            self.app.call_from_thread(self._update, work, step, done)

        return report

    def stop(self) -> None:
        """The work is done (or failed): hide the line."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._work += 1
        self.remove_class("-shown")

    def _show(self, work: int) -> None:
        if work == self._work:
            self.add_class("-shown")

    def _update(self, work: int, step: str, done: float) -> None:
        if work != self._work:
            return
        self.query_one("#work-step", Label).update(Text(step + " …"))
        self.query_one("#work-bar", ProgressBar).update(progress=max(0.0, min(done, 1.0)))
