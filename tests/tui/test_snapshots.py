"""Snapshots of Overview, Organisation and Reports on the demo municipality at 100×32.

Update after an intended change of look: `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from textual.widgets import Tree

from store.demo import DEMO_AS_OF
from tests.tui.helpers import overview_ready, screen_text, settle
from tui.app import KapabelApp

SIZE = (100, 32)


def demo_app(demo_repo) -> KapabelApp:
    return KapabelApp(demo_repo, as_of=DEMO_AS_OF, watch_interval=None)


async def overview_with_trend(pilot) -> None:
    await settle(pilot, lambda: overview_ready(pilot.app))
    await settle(pilot, lambda: "→" in screen_text(pilot))  # the trend worker has finished


def test_overview_snapshot(snap_compare, demo_repo):
    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=overview_with_trend)


def test_organisation_snapshot(snap_compare, demo_repo):
    async def first_department_heatmap(pilot) -> None:
        app = pilot.app
        await overview_with_trend(pilot)
        await pilot.press("2")
        await settle(pilot, lambda: app.screen.query_one("#departments", Tree).root.children)
        first = app.analysis.top_level()[0]
        app.open_department(first, "heatmap")
        await settle(pilot, lambda: app.screen.department == first)
        await pilot.pause()

    assert snap_compare(
        demo_app(demo_repo), terminal_size=SIZE, run_before=first_department_heatmap
    )


def test_reports_snapshot(snap_compare, demo_repo):
    async def robots_preview(pilot) -> None:
        app = pilot.app
        await overview_with_trend(pilot)
        await pilot.press("6")
        await settle(pilot, lambda: app.screen._rendered_for is not None)
        from textual.widgets import Select

        app.screen.query_one("#kind", Select).value = "robots"
        await settle(pilot, lambda: getattr(app.screen._rendered_for, "kind", "") == "robots")
        await pilot.pause()

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=robots_preview)
