"""The forms and the app's own messages in Danish (issue #13), driven with keys: labels,
buttons, choices, a refusal at its field, the pickers, the confirmation and the notifications."""

from __future__ import annotations

import pytest

import i18n
from tests.tui.helpers import screen_words, settle
from tests.tui.people_fixtures import AS_OF, small_repo  # noqa: F401
from tui.app import KapabelApp
from tui.forms import AssessmentForm, ConfirmDialog, PersonForm
from tui.forms.picker import PickerScreen


@pytest.fixture
def danish():
    i18n.set_language("da")
    yield
    i18n.set_language("en")


def notices(app) -> list[str]:
    return [notice.message for notice in app._notifications]


async def open_form(pilot, form) -> list:
    results: list = []
    pilot.app.push_screen(form, results.append)
    await pilot.pause()
    return results


async def test_an_assessment_form_in_danish_refuses_at_the_field_in_danish(
    danish,
    small_repo,  # noqa: F811
) -> None:
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = AssessmentForm("E001", "DC1.1")
        await open_form(pilot, form)
        words = screen_words(pilot)
        assert "Registrér en vurdering" in words
        for label in ("Medarbejder", "Kompetence", "Niveau", "Dato", "Kilde", "Gyldig til"):
            assert label in words
        assert "ÅÅÅÅ-MM-DD (valgfri)" in words and "leder" in words  # placeholder, source
        assert "Gem ctrl+s" in words and "Annullér esc" in words
        assert "Record an assessment" not in words and "Valid until" not in words
        await pilot.press("tab", "9", "9", "tab", *"31-02-2026", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        errors = form.field_errors()
        assert "99 er over det højeste niveau i DIGCOMP, 8" in errors["level"]
        assert "ikke en dato: '31-02-2026' (brug ÅÅÅÅ-MM-DD)" in errors["date"]
        assert "99 er over det højeste niveau" in screen_words(pilot)  # shown, under its field
        await pilot.press("backspace", "backspace", "3")
        form.query_one("#field-date").value = "2026-01-10"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert "Vurdering registreret: E001 DC1.1 niveau 3" in notices(app)


async def test_a_required_name_is_asked_for_in_danish(danish, small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = PersonForm()
        await open_form(pilot, form)
        assert "Tilføj en person" in screen_words(pilot)
        await pilot.press(*"E900", "ctrl+s")
        await pilot.pause()
        assert form.field_errors()["name"] == "skal udfyldes: et navn"
        assert "afdeling: kode eller navn" in screen_words(pilot)  # the reference's placeholder


async def test_the_picker_searches_in_danish(danish, small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_form(pilot, AssessmentForm())
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        words = screen_words(pilot)
        assert "Vælg medarbejder" in words and "træffere" in words
        assert "↑↓ flytter · Enter vælger · Esc annullerer" in words


async def test_a_confirmation_asks_in_danish(danish, small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        results = await open_form(pilot, ConfirmDialog("Slette E001?"))
        words = screen_words(pilot)
        assert "Er du sikker?" in words and "Ja y" in words and "Annullér n" in words
        await pilot.press("y")
        await pilot.pause()
    assert results == [True]


async def test_the_app_says_its_own_things_in_danish(danish, small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        assert app.sub_title.endswith(f"pr. {AS_OF:%d-%m-%Y}")  # the date as Danish writes it
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: "Ingen ændringer på disken" in notices(app))
