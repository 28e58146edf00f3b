"""The app opened with `--department` and `--read-only` (as `kapabel serve` runs it for a
department lead): nothing outside the department's subtree on any screen, list, palette or
report form; and a read-only app that says so and refuses a save in the form, losing nothing."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import DataTable, Input, Select

from tests.iohelpers import folder_hashes
from tests.tui import people_pilot
from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_lines, screen_text, settle
from tests.tui.pilot_helpers import type_text
from tui.app import KapabelApp
from tui.forms import AssessmentForm

SIZE = (120, 40)
OUTSIDE = ("E4", "Dorte Dahl", "MRK")
"""A person, and their department, beside SOC: outside SOC's subtree."""


def shows_outside(pilot) -> bool:
    text = screen_text(pilot)
    return any(word in text for word in (*OUTSIDE[1:], "Ex Employee", "Kommune"))


async def test_a_scoped_app_shows_nothing_outside_its_department(small_repo) -> None:
    app = KapabelApp(db_path=small_repo.path, as_of=AS_OF, watch_interval=None, department="SOC")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert "small · SOC and below · as of 2026-06-30" in screen_lines(pilot)[0]
        assert not shows_outside(pilot)
        await pilot.press("2")  # Organisation: the tree starts at SOC
        await settle(pilot, lambda: "Ældrepleje" in screen_text(pilot))
        assert not shows_outside(pilot)
        await pilot.press("3")  # People, inactive included, then searched for the outsider
        await people_pilot.settle(pilot)
        await pilot.press("i")
        await people_pilot.settle(pilot)
        table = app.screen.query_one("#people-table", DataTable)
        assert sorted(people_pilot.row_keys(table)) == ["E1", "E2", "E3"]
        assert not shows_outside(pilot)
        await pilot.press("slash", *OUTSIDE[0])
        await people_pilot.settle(pilot)
        assert table.row_count == 0
        await pilot.press("escape", "ctrl+p")  # the palette knows no one outside
        await pilot.pause()
        for text in OUTSIDE:
            await type_text(pilot, text)
            await pilot.pause(0.3)
            prompts = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
            assert not any(text in prompt for prompt in prompts)
            await pilot.press("ctrl+u")
        await pilot.press("escape", "6")  # Reports: no scope outside, no person outside
        await settle(pilot, lambda: app.current_mode == "reports")
        scopes = app.screen.query_one("#scope", Select)
        assert [value for _, value in scopes._options] == ["", "SOC", "ÆLD"]
        app.screen.query_one("#kind", Select).value = "person"
        app.screen.query_one("#employee", Input).value = OUTSIDE[0]
        await settle(pilot, lambda: "Employee:" in screen_text(pilot))
        assert not shows_outside(pilot)


async def test_a_read_only_app_says_so_and_refuses_a_save_in_the_form(small_repo) -> None:
    db = small_repo.path
    before = folder_hashes(db)
    app = KapabelApp(db_path=db, as_of=AS_OF, watch_interval=None, read_only=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert "small · read-only · as of 2026-06-30" in screen_lines(pilot)[0]
        await settle(pilot, lambda: any(n.title == "Read-only" for n in app._notifications))
        (told,) = [n for n in app._notifications if n.title == "Read-only"]
        assert told.message == "It was opened read-only: changes cannot be saved."
        form = AssessmentForm("E1", "DC1.1")
        app.push_screen(form)
        await pilot.pause()
        await pilot.press("tab", "3", "ctrl+s")
        await settle(pilot, lambda: bool(form.general_errors or form.field_errors()))
        assert app.screen is form  # not saved: the form stays open with what was typed
        assert form.general_errors == [f"{db} is opened read-only: nothing was saved"]
        assert screen_text(pilot).count("nothing was saved") == 1  # shown once
    assert folder_hashes(db) == before
