"""Reference fields take a code or a name, and F2 searches by either (issue 10, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from store.models import Staff
from store.repository import FolderRepository
from tests.tui.helpers import screen_words
from tests.tui.pilot_helpers import type_text
from tests.tui.small_org import AS_OF, build_small_org
from tui.app import KapabelApp
from tui.forms import AssessmentForm, PersonForm
from tui.forms.picker import PickerInput, PickerScreen
from tui.forms.requirement import RequirementForm


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    return build_small_org(tmp_path / "db")


async def open_form(pilot, form) -> list:
    results: list = []
    pilot.app.push_screen(form, results.append)
    await pilot.pause()
    return results


async def pick(pilot, field: PickerInput, query: str) -> None:
    """F2 in the field, type the query into the search, Enter takes the first match."""
    field.focus()
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PickerScreen)
    await pilot.press("ctrl+u")
    await type_text(pilot, query)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_a_person_gets_a_department_searched_by_name_and_a_role_typed_by_name(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        form = PersonForm()
        results = await open_form(pilot, form)
        await type_text(pilot, "E9")
        await pilot.press("tab")
        await type_text(pilot, "Ny Person")
        await pick(pilot, form.query_one("#field-department", PickerInput), "ydelsr")  # fuzzy
        assert form.query_one("#field-department", PickerInput).value == "D4"
        assert "✓ D4 Ydelser" in screen_words(pilot)
        form.query_one("#field-role", PickerInput).focus()
        await type_text(pilot, "Sagsbehandler")  # the role's name, not its code
        await pilot.pause()
        assert "✓ CW Sagsbehandler" in screen_words(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    assert results[0].department == "D4" and results[0].role == "CW"
    stored = FolderRepository.open(repo.path).ds.staff["E9"]
    assert (stored.department, stored.role) == ("D4", "CW")


async def test_the_search_ignores_accents_and_shows_names_as_typed(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        form = AssessmentForm(competency="RPA", level=2)
        await open_form(pilot, form)
        field = form.query_one("#field-staff", PickerInput)
        field.focus()
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "orsted")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        assert "Åse [b]Ørsted[/b]" in screen_words(pilot)  # markup in a name stays text
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form and field.value == "E1"


async def test_requirement_fields_take_names_and_refuse_unknown_or_ambiguous_ones(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = RequirementForm()
        results = await open_form(pilot, form)
        for name, text in [
            ("department", "Teknik"),
            ("role", "Sagsbehandlr"),
            ("competency", "robotdrift"),
            ("level", "2"),
            ("theme", "Robotter i drift"),
        ]:
            form.query_one(f"#field-{name}").focus()
            await type_text(pilot, text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.field_errors() == {
            "role": "unknown role 'Sagsbehandlr'; closest: CW Sagsbehandler"
        }
        form.query_one("#field-role", PickerInput).value = "leder"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    saved = results[0]
    assert (saved.department, saved.role, saved.competency, saved.theme) == (
        "D3",
        "MG",
        "RPA",
        "T1",
    )


async def test_the_person_picker_lists_at_most_50_of_many_matches(repo):
    with repo.transaction() as tx:
        for n in range(120):
            tx.put(Staff(employee_no=f"X{n:03}", name=f"Person {n} Højgaard", department="D3"))
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        form = AssessmentForm(competency="RPA", level=2)
        await open_form(pilot, form)
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "hojgaard")
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 50
        assert "the first 50 matches: type more to narrow them" in screen_words(pilot)
        await type_text(pilot, " 117")
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("escape")  # cancelling leaves the field as it was
        await pilot.pause()
        assert app.screen is form and form.query_one("#field-staff", PickerInput).value == ""


async def test_the_search_key_is_shown_at_the_field_and_in_help(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_form(pilot, PersonForm())
        app.screen.query_one("#field-department").focus()
        await pilot.pause()
        assert "F2 searches by name or code" in screen_words(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert "f2 Search by name or code" in screen_words(pilot).replace("F2", "f2")
