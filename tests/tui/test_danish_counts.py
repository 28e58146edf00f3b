"""Danish counts agree with their number: '1 forsinket', '2 forsinkede' (a count next to a
noun or adjective is an ngettext entry, not one form for every number)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

import i18n
from store.models import RobotBenefit
from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_text, screen_words, settle
from tui.app import KapabelApp
from tui.screens.robots import month_note


@pytest.fixture
def danish():
    i18n.set_language("da")
    yield
    i18n.set_language("en")


async def test_one_open_overdue_plan_is_counted_in_the_singular(danish, small_repo) -> None:
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("5")
        await settle(pilot, lambda: "frist inden 30 dage" in screen_text(pilot))
        assert "1 åben · 1 forsinket · 0 med frist inden 30 dage" in screen_text(pilot)


async def test_one_match_among_people_is_counted_in_the_singular(danish, small_repo) -> None:
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("3")
        await settle(pilot, lambda: "i alt" in screen_text(pilot))
        app.screen.query_one(Input).value = "Ørsted"
        await settle(pilot, lambda: "Viser 1–1 af 1 " in screen_text(pilot))
        assert "Viser 1–1 af 1 træffer ·" in screen_words(pilot)


def test_a_month_of_one_run_says_run_in_the_singular(danish) -> None:
    one = RobotBenefit(robot="R1", month="2026-05", hours_saved=2.0, runs=1, failed_runs=0)
    assert "1 kørsel, 0 fejlede" in month_note(one)
    many = RobotBenefit(robot="R1", month="2026-05", hours_saved=2.0, runs=3, failed_runs=1)
    assert "3 kørsler, 1 fejlede" in month_note(many)
