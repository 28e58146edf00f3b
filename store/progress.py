"""Progress of long work (a report over the whole organisation, an import), told through a plain
callback so that store and reports stay free of any screen: the app passes one that updates its
progress bar from the worker thread, the command line passes none."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, float], None]
"""Called with what is being done now (a phrase in the current language) and how far the whole
work has come, from 0.0 to 1.0. It is called from the thread doing the work."""


def quiet(step: str, done: float) -> None:
    """The default: nobody is watching."""


def tell(progress: Progress | None, step: str, done: float) -> None:
    """Report a step to `progress` if there is one."""
    if progress is not None:
        progress(step, done)
