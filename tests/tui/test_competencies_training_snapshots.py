"""Snapshots of Competencies & requirements and Training on the demo data at its fixed date."""

from __future__ import annotations

from store.demo import DEMO_AS_OF
from tests.tui.helpers import overview_ready, settle
from tests.tui.pilot_helpers import fill
from tui.app import KapabelApp

SIZE = (100, 32)


def demo_app(repo) -> KapabelApp:
    return KapabelApp(repo, as_of=DEMO_AS_OF, watch_interval=None)


async def open_screen(pilot, key: str) -> None:
    await settle(pilot, lambda: overview_ready(pilot.app))
    await pilot.press(key)
    await pilot.pause()
    await pilot.wait_for_animation()


def test_competencies_screen(snap_compare, demo_repo) -> None:
    async def run_before(pilot) -> None:
        await open_screen(pilot, "4")
        # In the tree: open the local framework's first area and highlight its competency.
        await pilot.press(*["down"] * 7, "enter", "down")
        await pilot.pause()

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=run_before)


def test_training_screen(snap_compare, demo_repo) -> None:
    async def run_before(pilot) -> None:
        await open_screen(pilot, "5")

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=run_before)


def test_cohort_form_with_its_preview(snap_compare, demo_repo) -> None:
    async def run_before(pilot) -> None:
        await open_screen(pilot, "5")
        await pilot.press("g")
        await fill(pilot, "10000", "", "LOK-RPA", "2")
        await pilot.pause()

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=run_before)
