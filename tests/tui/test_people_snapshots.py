"""How People and a person's page look on the demo municipality at its fixed date (100×32).

Update after an intended change with `pytest tests/tui/test_people_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from store.demo import DEMO_AS_OF
from tests.tui.helpers import settle as settle_until
from tests.tui.people_pilot import settle
from tui.app import KapabelApp
from tui.screens.people import PeopleTable

SIZE = (100, 32)


def demo_app(demo_repo) -> KapabelApp:
    app = KapabelApp(demo_repo, as_of=DEMO_AS_OF)
    return app


async def fixed_subtitle(pilot) -> None:
    """The app's subtitle names the (temporary) database folder: pin it."""
    pilot.app.sub_title = f"demo · as of {DEMO_AS_OF.isoformat()}"


# Known to fail now and then on a loaded machine (the People list or its footer late after a
# screen switch); re-run up to twice while the cause is found (see the closing note).
@pytest.mark.flaky(reruns=2)
def test_people_screen(snap_compare, demo_repo) -> None:
    async def run_before(pilot) -> None:
        await fixed_subtitle(pilot)
        await pilot.press("3")
        await settle(pilot)
        # Under load the picture was once taken before the list had the focus (its footer then
        # lacks "Open"); wait for it, failing here if the list never gets the focus at all.
        await settle_until(pilot, lambda: isinstance(pilot.app.screen.focused, PeopleTable))

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=run_before)


def test_people_screen_filtered(snap_compare, demo_repo) -> None:
    async def run_before(pilot) -> None:
        await fixed_subtitle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press(*"sen", "down", "a")
        await settle(pilot)

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=run_before)


def test_person_page(snap_compare, demo_repo) -> None:
    async def run_before(pilot) -> None:
        await fixed_subtitle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("g", "enter")  # the first person with a gap
        await settle(pilot)

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=run_before)


def test_assessment_form_on_a_person_page(snap_compare, demo_repo) -> None:
    async def run_before(pilot) -> None:
        await fixed_subtitle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("g", "enter")
        await settle(pilot)
        await pilot.press("a", "tab", "9", "ctrl+s")
        await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the picture differ
        await pilot.pause()

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=run_before)
