"""A person's page driven with keys: record an assessment, plan training, edit, deactivate,
and a save that meets someone else's change."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from reports.analysis import analyse
from store.repository import FolderRepository
from tests.tui.helpers import workers_done
from tests.tui.people_fixtures import AS_OF, MARKUP_NAME, small_repo  # noqa: F401
from tests.tui.people_pilot import column_text, row_keys, settle
from tui.app import KapabelApp
from tui.forms import AssessmentForm, ConfirmDialog, PersonForm, TrainingPlanForm
from tui.screens.person import PersonScreen


def on_disk(repo: FolderRepository) -> FolderRepository:
    return FolderRepository.open(repo.path)


def summary(app) -> str:
    return str(app.screen.query_one("#person-summary", Static).render())


async def open_person(pilot, employee_no: str) -> PersonScreen:
    await pilot.press("3")
    await settle(pilot)
    await pilot.press(*employee_no.lower())
    await settle(pilot)  # the filter is debounced: Enter before it ran opened the first row
    await pilot.press("enter", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PersonScreen) and screen.employee_no == employee_no
    return screen


async def test_the_page_shows_requirements_history_and_plans(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        required = screen.query_one("#person-required", DataTable)
        assert row_keys(required) == ["DC1.1", "DC2.1"]
        assert column_text(required, "Gap") == [
            "■ 1",
            "✓ meets",
        ]
        history = screen.query_one("#person-history", DataTable)
        assert history.row_count == 2
        notes = column_text(history, "Note")
        assert "[i]needs[/i] practice" in notes  # shown as typed, not as italics
        assert "Gaps: 1 of 2 short" in summary(app)
        assert "Readiness of D10 and below: 25.0 %" in summary(app)


async def test_never_assessed_reads_without_colour_and_names_stay_exact(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_person(pilot, "E002")
        required = screen.query_one("#person-required", DataTable)
        assert column_text(required, "Current") == ["—", "—"]
        assert column_text(required, "Gap") == ["■■■ 3?", "■■■■ 4?"]
        assert summary(app).startswith(MARKUP_NAME + "  E002")


async def test_recording_an_assessment_closes_the_gap_and_raises_readiness(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        assert screen.rows["DC1.1"].gap == 1
        before = app.analysis.department_figures("D10").readiness_pct
        await pilot.press("a")  # cursor is on DC1.1
        await pilot.pause()
        assert isinstance(app.screen, AssessmentForm)
        await pilot.press("tab", "3", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.rows["DC1.1"].gap == 0 and screen.rows["DC1.1"].current == 3
        after = app.analysis.department_figures("D10").readiness_pct
        assert (before, after) == (25.0, 50.0)
        assert "Readiness of D10 and below: 50.0 %" in summary(app)
        assert "Gaps: 0 of 2 short" in summary(app)
        history = screen.query_one("#person-history", DataTable)
        assert history.row_count == 3
        assert column_text(history, "Date")[0] == AS_OF.isoformat()
    assert on_disk(small_repo).ds.assessments[-1].level == 3


async def test_after_an_assessment_the_figures_are_updated_not_analysed_again(small_repo) -> None:  # noqa: F811
    """A recorded assessment updates the figures from the previous ones (the register's arrays
    are kept), giving what a full analysis gives; a plan (not an assessment) analyses anew."""
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        before = app.analysis
        await pilot.press("a", "tab", "3", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.rows["DC1.1"].gap == 0
        after = app.analysis
        assert after is not before and after.grid is before.grid  # updated, not rebuilt
        full = analyse(app.repo.ds, AS_OF)
        for code in [None, *app.repo.ds.departments]:
            assert after.department_figures(code) == full.department_figures(code)
            assert after.gap_rows(code) == full.gap_rows(code)
        assert before.department_figures("D10").readiness_pct == 25.0  # the old one stays
        await pilot.press("down", "t", "ctrl+s")  # a plan: the register changed
        await settle(pilot)
        assert app.analysis.grid is not after.grid


async def test_the_page_shows_a_saved_assessment_as_the_form_closes(small_repo) -> None:  # noqa: F811
    """The first frame after Ctrl+S shows the new level: a save of an assessment updates the
    figures in a few milliseconds (`Analysis.after_assessments`), so the page takes them when
    the form closes instead of drawing itself, then waiting for a worker and drawing again. The
    save is called as Ctrl+S calls it, and the page is looked at before anything else runs."""
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        await pilot.press("a", "tab", "3")
        form = app.screen
        assert isinstance(form, AssessmentForm)
        form.action_save()
        assert app.screen is screen and app.analysis_cached
        assert screen.rows["DC1.1"].current == 3 and screen.rows["DC1.1"].gap == 0
        assert screen.query_one("#person-history", DataTable).row_count == 3
        assert "Gaps: 0 of 2 short" in summary(app)
        await settle(pilot)
        assert screen.rows["DC1.1"].current == 3  # no late worker drew the old figures over it


async def test_many_new_assessments_are_worked_out_off_the_ui_thread(
    small_repo,  # noqa: F811
    monkeypatch,
) -> None:
    """More new assessments than `QUICK_ROWS` (another program's import, say) are left to the
    page's worker, which then shows the same figures."""
    monkeypatch.setattr("tui.app.QUICK_ROWS", 0)
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        await pilot.press("a", "tab", "3")
        app.screen.action_save()
        assert screen.rows["DC1.1"].current != 3  # not yet: a worker works them out
        await settle(pilot)
        await workers_done(app)
        assert screen.rows["DC1.1"].current == 3 and "Gaps: 0 of 2 short" in summary(app)


async def test_a_bad_level_in_the_form_saves_nothing(small_repo) -> None:  # noqa: F811
    before = len(on_disk(small_repo).ds.assessments)
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_person(pilot, "E001")
        await pilot.press("a", "tab", "9", "9", "ctrl+s")
        await settle(pilot)
        form = app.screen
        assert (
            isinstance(form, AssessmentForm)
            and "above DIGCOMP's highest level" in form.field_errors()["level"]
        )
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.rows["DC1.1"].gap == 1
    assert len(on_disk(small_repo).ds.assessments) == before


async def test_plan_training_for_the_competency_under_the_cursor(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrainingPlanForm)
        await pilot.press("ctrl+s")  # competency DC1.1, target 3 (the requirement) prefilled
        await settle(pilot)
        assert screen.rows["DC1.1"].training_covered
        plans = screen.query_one("#person-plans", DataTable)
        assert plans.row_count == 1
        # t on the plans table updates that plan
        plans.focus()
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrainingPlanForm) and form.plan is not None
    (plan,) = on_disk(small_repo).ds.training_plans.values()
    assert (plan.staff, plan.competency, plan.target_level) == ("E001", "DC1.1", 3)


async def test_edit_the_person(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_person(pilot, "E002")
        assert MARKUP_NAME in summary(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        await pilot.press("ctrl+u", *"Bo Østergård", "tab", *"bo@example.dk", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert "Bo Østergård  E002" in summary(app)
    person = on_disk(small_repo).ds.staff["E002"]
    assert (person.name, person.email) == ("Bo Østergård", "bo@example.dk")


async def test_deactivate_asks_first(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_person(pilot, "E002")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert on_disk(small_repo).ds.staff["E002"].active
        before = app.analysis.department_figures("D10").readiness_pct
        await pilot.press("d", "y")
        await settle(pilot)
        assert not on_disk(small_repo).ds.staff["E002"].active
        assert "INACTIVE" in summary(app)
        # E002 met nothing: without them D10 is readier
        assert (before, app.analysis.department_figures("D10").readiness_pct) == (25.0, 50.0)
        await pilot.press("d", "y")  # d now reactivates
        await settle(pilot)
    assert on_disk(small_repo).ds.staff["E002"].active


async def test_saving_over_someone_elses_change_overwrites_nothing(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_person(pilot, "E001")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PersonForm)
        colleague = FolderRepository.open(small_repo.path, user="colleague")
        colleague.put(colleague.ds.staff["E001"].model_copy(update={"name": "Anna Ærø-Berg"}))
        await pilot.press("tab", "ctrl+u", *"anna@kommune.dk", "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "changed by someone else" in " ".join(form.general_errors)
        await pilot.press("escape")
        await settle(pilot)
        assert "Anna Ærø-Berg" in summary(app)  # the page shows the colleague's change
    person = on_disk(small_repo).ds.staff["E001"]
    assert (person.name, person.email) == ("Anna Ærø-Berg", "anna@example.dk")


async def test_enter_on_a_plan_opens_it_as_on_the_training_screen(small_repo) -> None:  # noqa: F811
    """A plan on the person page opens on Enter (details, history, edit), as on Training."""
    from tui.screens.plan import PlanScreen

    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_person(pilot, "E001")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        plans = screen.query_one("#person-plans", DataTable)
        (plan_id,) = screen.plans
        plans.focus()
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen) and app.screen.plan_id == plan_id
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_self_and_manager_side_by_side_disagreement_and_stale_dates_marked(
    small_repo,  # noqa: F811
) -> None:
    import datetime as dt

    from store.models import Assessment

    with small_repo.transaction() as tx:  # E001's own 4 before the manager's 2: 2 apart
        tx.record(Assessment(staff="E001", competency="DC1.1", level=4, date=dt.date(2025, 5, 1)))
    app = KapabelApp(small_repo, as_of=dt.date(2027, 6, 2))  # 2025-06-01 is 24 months + a day
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        required = screen.query_one("#person-required", DataTable)
        assert column_text(required, "Self/oth.") == ["4/2 ≠", "—/4"]
        assert column_text(required, "Date") == ["2025-06-01!", "2025-06-01!"]
    app = KapabelApp(on_disk(small_repo), as_of=dt.date(2027, 6, 1))  # exactly 24 months
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_person(pilot, "E001")
        required = screen.query_one("#person-required", DataTable)
        assert column_text(required, "Date") == ["2025-06-01", "2025-06-01"]
