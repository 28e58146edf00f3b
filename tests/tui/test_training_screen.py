"""Training, driven with keys: filter, start, complete with an assessment, assign a cohort."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Select

from reports.plan_filters import DueFilter, StatusFilter
from store.models import PlanStatus, Requirement, TrainingPlan
from store.repository import FolderRepository
from tests.tui.helpers import workers_done
from tests.tui.pilot_helpers import fill, type_text
from tests.tui.small_org import AS_OF, build_small_org
from tui.app import KapabelApp
from tui.forms.cohort import CohortForm
from tui.forms.complete_plan import CompletePlanForm
from tui.forms.confirm import ConfirmDialog
from tui.screens.training import TrainingScreen

# The plans of the small org, in display order (earliest due first):
# TP-000003 E3 SEC completed 2025-12-01, TP-000001 E1 RPA planned 2026-01-15 (overdue),
# TP-000004 E4 RPA cancelled 2026-02-01, TP-000002 E6 RPA in progress 2026-03-20.


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    return build_small_org(tmp_path / "db")


def on_disk(repo: FolderRepository) -> FolderRepository:
    return FolderRepository.open(repo.path, user="checker")


async def open_training(pilot) -> TrainingScreen:
    await pilot.press("5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TrainingScreen)
    return screen


async def highlight(pilot, screen: TrainingScreen, plan_id: str) -> None:
    """Move the cursor to the plan's row with the arrow keys: to the top, then down."""
    while screen.table.cursor_row > 0:
        await pilot.press("up")
    for _ in range(len(screen.table.keys)):
        if screen.table.current_key == plan_id:
            return
        await pilot.press("down")
    assert screen.table.current_key == plan_id


async def test_filter_by_status_and_overdue(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        assert screen.status_filter == StatusFilter.OPEN  # what HR works on, by default
        assert screen.table.keys == ["TP-000001", "TP-000002"]
        await pilot.press("s", "s")  # planned, then in progress
        await pilot.pause()
        assert screen.table.keys == ["TP-000002"]
        await pilot.press("s")  # completed
        await pilot.pause()
        assert screen.table.keys == ["TP-000003"]
        await pilot.press("s", "s")  # cancelled, all
        await pilot.pause()
        assert screen.status_filter == StatusFilter.ALL
        assert screen.table.keys == ["TP-000003", "TP-000001", "TP-000004", "TP-000002"]
        await pilot.press("o")  # overdue: open and due before the as-of date
        await pilot.pause()
        assert screen.due_filter == DueFilter.OVERDUE
        assert screen.table.keys == ["TP-000001"]
        await pilot.press("o")  # due in the next 30 days
        await pilot.pause()
        assert screen.table.keys == ["TP-000002"]
        counts = str(screen.query_one("#counts").render())
        assert "2 open · 1 overdue · 1 due in 30 days" in counts


async def test_mark_a_plan_in_progress(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await highlight(pilot, screen, "TP-000001")
        await pilot.press("p")
        await pilot.pause()
        assert repo.ds.training_plans["TP-000001"].status == PlanStatus.IN_PROGRESS
        assert screen.table.current_key == "TP-000001"
        await pilot.press("s", "s", "s")  # show completed plans
        await highlight(pilot, screen, "TP-000003")
        await pilot.press("p")  # a completed plan cannot be started
        await pilot.pause()
        assert repo.ds.training_plans["TP-000003"].status == PlanStatus.COMPLETED
        said = [n.message for n in app._notifications]
        assert "Only a planned plan can be started; this one is completed" in said
    assert on_disk(repo).ds.training_plans["TP-000001"].status == PlanStatus.IN_PROGRESS


async def test_cancel_a_plan_after_confirming(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await highlight(pilot, screen, "TP-000001")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "TP-000001" in str(app.screen.question)
        assert "Keep it" in str(app.screen.query_one("#confirm-no").label)  # not a 2nd "Cancel"
        await pilot.press("n")  # changed my mind: nothing happens
        await pilot.pause()
        assert repo.ds.training_plans["TP-000001"].status == PlanStatus.PLANNED

        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        assert "TP-000001" not in screen.table.keys  # the list shows open plans
        await pilot.press("s", "s", "s", "s")  # show cancelled plans: it is kept
        await pilot.pause()
        assert "TP-000001" in screen.table.keys
    assert on_disk(repo).ds.training_plans["TP-000001"].status == PlanStatus.CANCELLED


async def test_complete_a_plan_and_record_the_level_reached(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        assert app.analysis.current_level("E6", "RPA") == 2
        await highlight(pilot, screen, "TP-000002")
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CompletePlanForm)
        assert form.query_one("#field-level").value == "3"  # prefilled with the target level
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        assert app.analysis.current_level("E6", "RPA") == 3
    stored = on_disk(repo).ds
    plan = stored.training_plans["TP-000002"]
    assert (plan.status, plan.completed) == (PlanStatus.COMPLETED, AS_OF)
    last = stored.assessments[-1]
    assert (last.staff, last.competency, last.level, last.date, last.source) == (
        "E6",
        "RPA",
        3,
        AS_OF,
        "training",
    )


def shown(form, box_id: str) -> str:
    """What a box of the form reads on screen, whitespace runs as one space (it wraps)."""
    return " ".join(str(form.query_one(f"#{box_id}").render()).split())


async def test_completing_below_the_current_level_warns_then_the_latest_assessment_counts(repo):
    """E6 is at level 2 (manager, 2025-06-01) with a plan to 3. Recording 0 on completion is
    warned about, at the field, before saving: the current level and the target are named and
    what saving means is said. Saved after the warning, the training assessment (dated the
    completion day) is the latest, so by the current-level rule it is the current level; the
    manager's 2 stays in the history."""
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_training(pilot)
        await highlight(pilot, screen, "TP-000002")
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CompletePlanForm)
        assert shown(form, "field-current") == "2 (manager, 2025-06-01) as of 2026-03-01"
        assert form.query_one("#field-completed").value == "2026-03-01"  # today by default
        assert shown(form, "warning-level") == ""
        await pilot.press("backspace", "0")  # the level has the focus
        await pilot.pause()
        assert shown(form, "warning-level") == (
            "⚠ 0 is below the current level, 2 (manager, 2025-06-01): from 2026-03-01 it becomes "
            "the current level (the latest assessment counts); untick Assessment to keep 2; "
            "0 is below the plan's target, 3: the gap stays open"
        )
        await pilot.press("ctrl+s")  # a warning, not a refusal: the user's decision
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        assert app.analysis.current_level("E6", "RPA") == 0
    stored = on_disk(repo).ds
    assert stored.training_plans["TP-000002"].completed == AS_OF
    history = [(a.level, a.source, a.date) for a in stored.assessments if a.staff == "E6"]
    assert history == [(2, "manager", dt.date(2025, 6, 1)), (0, "training", AS_OF)]


async def test_a_completion_dated_before_the_current_assessment_keeps_the_current_level(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_training(pilot)
        await highlight(pilot, screen, "TP-000002")
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        await pilot.press("backspace", "1", "shift+tab", "shift+tab")  # level, then the date
        assert app.screen.focused is form.query_one("#field-completed")
        await pilot.press(*["backspace"] * 10, *"2025-05-01")
        await pilot.pause()
        assert shown(form, "warning-level").startswith(
            "⚠ 1 is below the current level, 2 (manager, 2025-06-01): it is kept as history; "
            "the later 2 stays current"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        assert app.analysis.current_level("E6", "RPA") == 2
    stored = on_disk(repo).ds
    plan = stored.training_plans["TP-000002"]
    assert (plan.status, plan.completed) == (PlanStatus.COMPLETED, dt.date(2025, 5, 1))
    last = stored.assessments[-1]
    assert (last.staff, last.level, last.source, last.date) == (
        "E6",
        1,
        "training",
        dt.date(2025, 5, 1),
    )


async def test_a_completion_date_that_is_not_a_date_completes_nothing(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_training(pilot)
        await highlight(pilot, screen, "TP-000002")
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-completed").focus()
        await pilot.press(*["backspace"] * 10, *"2026-02-30", "ctrl+s")
        await pilot.pause()
        assert app.screen is form and "2026-02-30" in shown(form, "error-completed")
    assert on_disk(repo).ds.training_plans["TP-000002"].status == PlanStatus.IN_PROGRESS


async def test_a_level_outside_the_scale_completes_nothing(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await highlight(pilot, screen, "TP-000002")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("backspace", "9", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompletePlanForm)
        await pilot.press("escape")
        await pilot.pause()
    stored = on_disk(repo).ds
    assert stored.training_plans["TP-000002"].status == PlanStatus.IN_PROGRESS
    assert len(stored.assessments) == len(repo.ds.assessments) == 5


async def test_assign_a_cohort_with_preview(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_training(pilot)
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CohortForm)
        await fill(pilot, "D2", "CW", "RPA", "3")
        await pilot.pause()
        preview = str(form.query_one("#field-preview").render())
        assert "2 people will get a plan: Åse [b]Ørsted[/b], Bo Berg" in preview
        assert (
            "In scope 3 · required to reach level 3: 3 · of them below it: 3 · "
            "already planned: 1 (left out)"
        ) in preview
        assert "Assign  ctrl+s" in str(form.query_one("#form-save").label)  # says what it does
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
    stored = on_disk(repo)
    new = [p for p in stored.ds.training_plans.values() if p.id > "TP-000004"]
    due = AS_OF + dt.timedelta(days=90)
    assert sorted((p.staff, p.competency, p.target_level, p.status, p.due) for p in new) == [
        ("E1", "RPA", 3, PlanStatus.PLANNED, due),
        ("E2", "RPA", 3, PlanStatus.PLANNED, due),
    ]
    audited = [e.key for e in stored.audit_entries() if e.entity == "training_plans"]
    assert sorted(p.id for p in new) == sorted(audited[-2:])


def preview_of(form: CohortForm) -> str:
    return " ".join(str(form.query_one("#field-preview").render()).split())


async def test_a_cohort_is_the_people_required_to_reach_the_level_unless_everyone_is_chosen(repo):
    # SEC level 2 is required of the caseworkers in D2 and below: E1, E2, E6 -- not of E3,
    # D2's manager, who is below it too.
    repo.put(Requirement(competency="SEC", level=2, department="D2", role="CW"))
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_training(pilot)
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CohortForm)
        await fill(pilot, "D2", "", "SEC", "2")
        await pilot.pause()
        assert "3 people will get a plan: Åse [b]Ørsted[/b], Bo Berg, Fie Frost" in preview_of(form)
        assert (
            "In scope 4 · required to reach level 2: 3 · of them below it: 3 · already planned: 0"
        ) in preview_of(form)
        include = form.query_one("#field-include", Select)
        assert app.screen.focused is include  # the next field after the level
        await pilot.press("enter", "down", "enter")  # everyone below it, an explicit choice
        await pilot.pause()
        assert include.value == "everyone"
        assert "4 people will get a plan: Åse [b]Ørsted[/b], Carl Clausen, Bo" in preview_of(form)
        assert "required to reach level 2: 3 · everyone below it: 4" in preview_of(form)
        await pilot.press("enter", "up", "enter")  # back to the people required
        await pilot.pause()
        assert include.value == "required"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
    new = [p for p in on_disk(repo).ds.training_plans.values() if p.id > "TP-000004"]
    assert sorted((p.staff, p.competency, p.target_level) for p in new) == [
        ("E1", "SEC", 2),
        ("E2", "SEC", 2),
        ("E6", "SEC", 2),
    ]


async def test_a_cohort_nobody_is_in_says_so_and_creates_nothing(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_training(pilot)
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        await fill(pilot, "D3", "MG", "RPA", "3")  # Teknik has no manager
        await pilot.pause()
        reason = "nobody in scope: no active staff in D3 or below with role MG"
        assert f"Nobody will get a plan: {reason}" in preview_of(form)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        shown = " ".join(str(form.query_one("#form-error").render()).split())
        assert f"{reason}: no plans were created" in shown
    assert len(on_disk(repo).ds.training_plans) == 4


async def test_cohort_with_an_unknown_department_creates_nothing(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_training(pilot)
        await pilot.press("g")
        await fill(pilot, "D9", "", "RPA", "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CohortForm)
        assert "unknown department 'D9'" in str(app.screen.query_one("#error-department").render())
    assert len(on_disk(repo).ds.training_plans) == 4


async def test_a_long_list_is_shown_a_page_at_a_time(repo):
    with repo.transaction() as tx:
        for i in range(450):
            tx.put(
                TrainingPlan(
                    staff="E4", competency="SEC", target_level=2, due=AS_OF + dt.timedelta(days=i)
                )
            )
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        table = screen.table
        assert table.row_count == table.page_size < len(table.keys) == 452
        size = table.page_size
        assert f"Plans 1-{size} of 452" in str(screen.query_one("#page-info").render())
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert table.current_key == table.keys[size]
        assert f"Plans {size + 1}-{2 * size} of 452" in str(screen.query_one("#page-info").render())
        await pilot.press("up")  # back over the page boundary
        assert table.current_key == table.keys[size - 1]
        assert table.row_count == table.page_size


async def test_the_cohort_form_opens_from_the_command_palette(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_training(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "assign training")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CohortForm)


async def test_a_change_made_on_another_screen_shows_when_coming_back(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        await pilot.press("3")  # People
        await pilot.pause()
        plan = repo.put(TrainingPlan(staff="E4", competency="SEC", target_level=2, due=AS_OF))
        app.data_changed()
        await pilot.press("5")
        await pilot.pause()
        assert app.screen is screen
        assert plan.id in screen.table.keys


async def test_the_palette_offers_each_training_action_once(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_training(pilot)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Show overdue training plans" in titles  # has no key of its own
        for action in ("cohort", "start", "complete", "cancel_plan"):
            named = [t for t, a, _ in screen.PALETTE_ACTIONS if a == action]
            bound = [b.description for b in screen.BINDINGS if b.action == action]
            assert named and bound
            assert titles.count(named[0]) == 1 and bound[0] not in titles


async def test_enter_opens_a_plan_with_its_history_and_edit(repo):
    from tests.tui.helpers import screen_words
    from tui.forms import TrainingPlanForm
    from tui.screens.plan import PlanScreen

    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_training(pilot)
        await highlight(pilot, screen, "TP-000001")
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        words = screen_words(pilot)
        assert "Training plan TP-000001" in words
        assert "Åse [b]Ørsted[/b] (E1)" in words and "RPA Robotdrift" in words
        assert "2026-01-15 OVERDUE (as of 2026-03-01)" in words
        assert "tester create" in words  # the history, from the audit log
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrainingPlanForm)
        form.query_one("#field-target_level").value = "3"
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        words = screen_words(pilot)
        assert "Target level 3 (Trin 3)" in words
        assert "tester update target_level: 2 -> 3" in words
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    assert on_disk(repo).ds.training_plans["TP-000001"].target_level == 3


async def test_a_cohort_due_in_the_past_is_warned_about(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_training(pilot)
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CohortForm)
        assert not form.query_one("#warning-due").display  # 90 days ahead: nothing to say
        form.query_one("#field-due").value = "2026-02-01"
        await pilot.pause()
        warning = form.query_one("#warning-due")
        assert warning.display
        assert "2026-02-01 is before the as-of date (2026-03-01): the plan is overdue at once" in (
            str(warning.render())
        )
