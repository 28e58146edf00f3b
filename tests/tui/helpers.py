"""Helpers for driving the app in tests: wait for workers, read what is on screen."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot


async def settle(pilot: Pilot, until: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run (workers, timers) until `until()` holds; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not until():
        if loop.time() > deadline:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.02)
    await footer_settled(pilot)
    await pilot.pause()


async def footer_settled(pilot: Pilot, timeout: float = 5.0) -> None:
    """Wait until the footer shows the current keys (it is rebuilt after a refresh)."""
    from tui.widgets.footer import KeysFooter

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        footers = pilot.app.screen.query(KeysFooter)
        if all(footer.up_to_date for footer in footers):
            return
        await pilot.pause(0.02)


def screen_lines(pilot: Pilot) -> list[str]:
    """The characters on screen now, one string per line (what a person sees, minus colour)."""
    strips = pilot.app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(pilot: Pilot) -> str:
    return "\n".join(screen_lines(pilot))


def overview_ready(app) -> bool:
    screen = app.screen
    return type(screen).__name__ == "OverviewScreen" and screen.figures_shown


def screen_words(pilot: Pilot) -> str:
    """The screen's words with runs of whitespace as one space (wrapped messages read whole)."""
    return " ".join(screen_text(pilot).split())


async def open_overview_figure(pilot: Pilot, key: str, press: str = "enter") -> None:
    """On the Overview: put the cursor on a figure's row ("overdue", "risk", ...) and open it."""
    from textual.widgets import DataTable

    figures = pilot.app.screen.query_one("#figures", DataTable)
    figures.focus()
    figures.move_cursor(row=figures.get_row_index(key))
    await pilot.press(press)


def toast_words(pilot: Pilot) -> str:
    """The words of the notifications on screen (the characters inside each toast's region)."""
    from textual.widgets._toast import Toast

    lines = screen_lines(pilot)
    shown = []
    for toast in pilot.app.screen.query(Toast):
        region = toast.region
        for line in lines[region.y : region.bottom]:
            shown.append(line[region.x : region.right].lstrip("▌"))
    return " ".join(" ".join(shown).split())


async def workers_done(app) -> None:
    """Wait until the app's workers have finished: all but the one that follows the database
    for as long as the app runs (`KapabelApp._watch_database`), which would never finish."""
    workers = [worker for worker in app.workers if worker.group != "watch-db"]
    if workers:  # an empty list would make Textual wait for every worker
        await app.workers.wait_for_complete(workers)
