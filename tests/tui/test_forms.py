"""The modal forms, driven with keys as a person would: save, refuse bad input, cancel."""

from __future__ import annotations

import datetime as dt

import pytest

from store.models import PlanStatus, TrainingPlan
from store.problems import Problem, by_field
from store.repository import FolderRepository
from tests.tui.people_fixtures import AS_OF, small_repo  # noqa: F401
from tui.app import KapabelApp
from tui.forms import AssessmentForm, ConfirmDialog, TrainingPlanForm
from tui.forms.checkbox import MarkedCheckbox
from tui.forms.parsing import FieldError, parse_date, parse_int


def test_parse_date_refuses_day_first_and_impossible_dates() -> None:
    assert parse_date(" 2026-02-28 ") == dt.date(2026, 2, 28)
    for bad in ("31-02-2026", "2026-02-31", "20260228", "tomorrow", ""):
        with pytest.raises(FieldError):
            parse_date(bad)


def test_parse_int_names_the_bad_text() -> None:
    assert parse_int("7") == 7
    with pytest.raises(FieldError, match="'seven'"):
        parse_int("seven")


def test_a_field_that_cannot_be_read_says_why_as_a_problem() -> None:
    """The form's own parse refusals are Problems too, worded by store.problems' catalogue."""
    with pytest.raises(FieldError) as caught:
        parse_int("9", low=0, high=8)
    found = caught.value.problem
    assert (found.code, dict(found.params)) == ("outside_range", {"value": 9, "low": 0, "high": 8})
    assert str(caught.value) == "9 is outside 0-8"


def test_problems_go_to_the_field_they_name() -> None:
    at_field, general = by_field(
        [
            Problem("level", "text", {"text": "too high"}),
            Problem("level", "text", {"text": "second"}),
            Problem("valid_until", "valid_until_before_date"),
            Problem("", "text", {"text": "oops"}),
        ],
        {"level", "valid_until"},
    )
    assert at_field == {
        "level": "too high",
        "valid_until": "must be on or after the assessment date",
    }
    assert general == ["oops"]


def history(repo: FolderRepository) -> list:
    return FolderRepository.open(repo.path).ds.assessments


async def open_form(pilot, form) -> list:
    results: list = []
    pilot.app.push_screen(form, results.append)
    await pilot.pause()
    return results


async def test_record_an_assessment_with_keys(small_repo) -> None:  # noqa: F811
    before = len(history(small_repo))
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        results = await open_form(pilot, AssessmentForm("E001", "DC1.1"))
        await pilot.press("tab", "3", "ctrl+s")  # competency -> level
        await pilot.pause()
        assert not isinstance(app.screen, AssessmentForm)
    saved = results[0]
    assert (saved.staff, saved.competency, saved.level, saved.date) == ("E001", "DC1.1", 3, AS_OF)
    assert saved.source == "manager"
    on_disk = history(small_repo)
    assert len(on_disk) == before + 1
    assert on_disk[-1].level == 3 and on_disk[-1].assessor == "tester"


async def test_bad_level_and_date_keep_the_form_open_and_save_nothing(small_repo) -> None:  # noqa: F811
    before = len(history(small_repo))
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        form = AssessmentForm("E001", "DC1.1")
        results = await open_form(pilot, form)
        await pilot.press("tab", "9", "9", "tab", *"31-02-2026", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        errors = form.field_errors()
        assert "99 is above DIGCOMP's highest level, 8" in errors["level"]
        assert "31-02-2026" in errors["date"]
        assert app.focused is app.screen.query_one("#field-level")  # first wrong field
        # fixing both lets it save
        await pilot.press("4", "tab", *"2026-01-10", "enter")
        await pilot.pause()
        assert app.screen is not form
    assert results[0].level == 4 and results[0].date == dt.date(2026, 1, 10)
    assert len(history(small_repo)) == before + 1


async def test_a_bad_date_is_flagged_when_leaving_the_field(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = AssessmentForm("E001", "DC1.1")
        await open_form(pilot, form)
        await pilot.press("tab", "tab", *"2026-13-01", "tab")
        await pilot.pause()
        assert "not a date" in form.field_errors()["date"]


async def test_unknown_employee_and_valid_until_before_date(small_repo) -> None:  # noqa: F811
    before = len(history(small_repo))
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = AssessmentForm(competency="DC1.1", level=2)
        await open_form(pilot, form)
        await pilot.press(*"NOPE", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "unknown employee 'NOPE'" in form.field_errors()["staff"]
        app.screen.query_one("#field-staff").value = ""
        await pilot.press(*"E003")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", *"2020-01-01", "ctrl+s")
        await pilot.pause()
        assert "on or after" in form.field_errors()["valid_until"]
    assert len(history(small_repo)) == before


async def test_escape_cancels_and_saves_nothing(small_repo) -> None:  # noqa: F811
    before = len(history(small_repo))
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        results = await open_form(pilot, AssessmentForm("E001", "DC1.1", level=3))
        await pilot.press("escape")
        await pilot.pause()
    assert results == [None]
    assert len(history(small_repo)) == before


@pytest.mark.parametrize(
    ("keys", "answer"), [(["y"], True), (["escape"], False), (["enter"], False)]
)
async def test_confirm_dialog(small_repo, keys, answer) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(pilot, ConfirmDialog("Deactivate [bold]Bo[/bold]?", "Deactivate"))
        await pilot.press(*keys)
        await pilot.pause()
    assert results == [answer]


async def test_add_then_update_a_training_plan(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(pilot, TrainingPlanForm("E001", "DC1.1", target_level=3))
        await pilot.press("tab", "tab", "tab", *"2026-06-30", "ctrl+s")
        await pilot.pause()
        plan = results[0]
        assert plan.id.startswith("TP-") and plan.due == dt.date(2026, 6, 30)
        # a target outside the scale is refused at the field, and nothing changes
        form = TrainingPlanForm("E001", plan=plan)
        await open_form(pilot, form)
        await pilot.press("tab", *"12", "ctrl+s")
        await pilot.pause()
        assert (
            app.screen is form
            and "above DIGCOMP's highest level" in form.field_errors()["target_level"]
        )
        await pilot.press("escape")
    stored = FolderRepository.open(small_repo.path).ds.training_plans
    assert stored == {plan.id: plan}


async def test_updating_a_plan_someone_else_changed_overwrites_nothing(small_repo) -> None:  # noqa: F811
    plan = small_repo.put(TrainingPlan(staff="E001", competency="DC1.1", target_level=3))
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = TrainingPlanForm("E001", plan=plan)
        await open_form(pilot, form)
        other = FolderRepository.open(small_repo.path, user="colleague")
        other.put(plan.model_copy(update={"status": PlanStatus.IN_PROGRESS}))
        await pilot.press("tab", "4", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "changed by someone else" in " ".join(form.general_errors)
    stored = FolderRepository.open(small_repo.path).ds.training_plans[plan.id]
    assert stored.status == PlanStatus.IN_PROGRESS and stored.target_level == 3


def test_checkbox_state_reads_without_colour() -> None:
    box = MarkedCheckbox("digital agent", value=True)
    assert box.BUTTON_INNER == "✓"
    box.value = False
    assert box.BUTTON_INNER == " "


def shown_warning(form, field: str) -> str:
    """The warning under a field as it reads on screen ('' when none is shown)."""
    box = form.query_one(f"#warning-{field}")
    return str(box.render()) if box.display else ""


async def test_a_future_assessment_date_is_warned_about_and_saved(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = AssessmentForm("E001", "DC1.1", level=3)
        results = await open_form(pilot, form)
        form.query_one("#field-date").focus()
        await pilot.press("ctrl+u", *"2030-01-01")
        await pilot.pause()
        assert shown_warning(form, "date") == (
            "⚠ 2030-01-01 is after the as-of date (2026-01-15): this assessment does not count "
            "until 2030-01-01"
        )
        await pilot.press("ctrl+s")  # a warning, not a refusal
        await pilot.pause()
        assert app.screen is not form
        assert any("does not count until 2030-01-01" in n.message for n in app._notifications)
    assert results[0].date == dt.date(2030, 1, 1)


async def test_a_plan_due_in_the_past_is_warned_about_and_saved(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        form = TrainingPlanForm("E001", "DC1.1", target_level=3)
        results = await open_form(pilot, form)
        form.query_one("#field-due").focus()
        await pilot.press(*"2025-12-01")
        await pilot.pause()
        warning = "2025-12-01 is before the as-of date (2026-01-15): the plan is overdue at once"
        assert shown_warning(form, "due") == f"⚠ {warning}"
        await pilot.press("tab")
        await pilot.press("enter", "down", "down", "enter")  # status: completed, not overdue
        await pilot.pause()
        assert shown_warning(form, "due") == ""
        await pilot.press("enter", "up", "up", "enter")  # planned again
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    assert results[0].due == dt.date(2025, 12, 1)


async def test_a_form_and_its_picker_show_their_own_keys_not_the_screen_behind(small_repo) -> None:  # noqa: F811
    """The bottom line over a form lists the form's keys (save, cancel), never the keys of the
    screen behind it (People's "n New", "q Quit"), which the form does not answer to."""
    from tests.tui.helpers import screen_lines, settle
    from tui.forms import PersonForm
    from tui.forms.picker import PickerScreen

    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot, lambda: "People" in screen_lines(pilot)[0])
        assert "n New" in screen_lines(pilot)[-1]
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, PersonForm))
        bottom = screen_lines(pilot)[-1]
        assert "Save" in bottom and "Cancel" in bottom, bottom
        assert "New" not in bottom and "Quit" not in bottom, bottom
        await pilot.press("tab", "tab", "tab", "f2")  # the department's picker
        await settle(pilot, lambda: isinstance(app.screen, PickerScreen))
        bottom = screen_lines(pilot)[-1]
        assert "Cancel" in bottom and "New" not in bottom and "Quit" not in bottom, bottom
