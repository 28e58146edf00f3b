"""The Robots screen and a robot's page, driven with keys: add a robot with operators and
competencies, change its phase, log a month and see realisation change, deactivate an operator
and see the risk appear (and the warning before it), the same figures as `report robots`,
help on both screens, long names at 80 columns, each form's validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from reports.robots import build_robots
from store.models import Assessment, Robot, RobotBenefit, Source
from store.repository import FolderRepository
from tests.tui.helpers import screen_lines, screen_text, settle
from tests.tui.pilot_helpers import fill, type_text
from tests.tui.small_org import AS_OF, build_small_org
from tui.app import KapabelApp
from tui.forms.confirm import ConfirmDialog
from tui.forms.robot import LogMonthForm, PhaseForm, RobotForm
from tui.screens.help import HelpScreen
from tui.screens.person import PersonScreen
from tui.screens.robots import RobotScreen, RobotsScreen

LONG_NAME = "Automatisk journalisering af indgående post fra Digital Post og e-Boks " * 3


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    """The small org (RPA 1-5; E3 at level 3), E2 at level 4, and R1 in production since
    2025-06-01 run by E3 and E2 (both qualified for RPA 3), 1,200 hours a year expected."""
    repo = build_small_org(tmp_path / "db")
    with repo.transaction() as tx:
        tx.record(
            Assessment(staff="E2", competency="RPA", level=4, date=dt.date(2025, 6, 1),
                       source=Source.MANAGER)
        )  # fmt: skip
        tx.put(
            Robot(
                code="R1", name="Ydelsesrobot", department="D2", phase="production",
                phase_since=dt.date(2025, 6, 1), operators=["E3", "E2"],
                required_competencies={"RPA": 3}, expected_hours_per_year=1200,
                yearly_cost=10_000,
            )
        )  # fmt: skip
        for month in ("2025-10", "2025-11", "2025-12"):
            tx.record(
                RobotBenefit(robot="R1", month=month, hours_saved=100, runs=50, failed_runs=5)
            )
    return repo


def on_disk(repo: FolderRepository) -> FolderRepository:
    return FolderRepository.open(repo.path, user="checker")


def robots_screen(app) -> bool:
    screen = app.screen
    return isinstance(screen, RobotsScreen) and screen.query_one(DataTable).row_count > 0


async def open_robots(pilot) -> RobotsScreen:
    await pilot.press("0")
    await settle(pilot, lambda: robots_screen(pilot.app))
    return pilot.app.screen


def row_of(screen: RobotsScreen, code: str) -> list[str]:
    table = screen.query_one("#robots-table", DataTable)
    return [str(c) for c in table.get_row(code)]


async def test_add_a_robot_with_operators_and_competencies(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_robots(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RobotForm)
        await fill(pilot, "R9", "Journalrobot", "D2")
        await pilot.press("tab")  # the phase: idea
        await fill(pilot, "Journalisering", "UiPath", "E3", "", "600", "50000", "27.24.08")
        await type_text(pilot, "hver nat")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RobotsScreen))
        robot = on_disk(repo).ds.robots["R9"]
        assert (robot.department, robot.owner, robot.phase, robot.phase_since) == (
            "D2", "E3", "idea", AS_OF,
        )  # fmt: skip
        assert (robot.kle, robot.run_frequency, robot.yearly_cost) == (
            "27.24.08",
            "hver nat",
            50000,
        )

        screen = app.screen
        table = screen.query_one("#robots-table", DataTable)
        table.move_cursor(row=table.get_row_index("R9"))
        await pilot.press("o")
        await pilot.pause()
        await fill(pilot, "E3", "Bo Berg")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RobotsScreen))
        await pilot.press("c")
        await pilot.pause()
        await fill(pilot, "RPA", "3")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RobotsScreen))
    robot = on_disk(repo).ds.robots["R9"]
    assert (robot.operators, robot.required_competencies) == (["E3", "E2"], {"RPA": 3})


async def test_change_the_phase_with_a_date_and_a_refused_date(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_robots(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RobotScreen))
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PhaseForm)
        app.screen.query_one("#field-phase").value = "paused"
        await pilot.press("tab")  # to the date, the as-of date by default
        for _ in range(10):
            await pilot.press("backspace")
        await type_text(pilot, "2025-05-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#error-phase_since", Static).render())
        assert "2025-05-01 is before the robot's current phase began (2025-06-01)" in error
        assert on_disk(repo).ds.robots["R1"].phase == "production"
        field = app.screen.query_one("#field-phase_since")
        field.value = "2026-02-01"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RobotScreen))
        await settle(pilot, lambda: "paused" in screen_text(pilot))
        text = screen_text(pilot)
        assert "‖ paused since 2026-02-01" in text
        assert "● production" in text  # the history on the page
    robot = on_disk(repo).ds.robots["R1"]
    assert [(str(c.phase), c.since) for c in robot.phases()] == [
        ("production", dt.date(2025, 6, 1)),
        ("paused", dt.date(2026, 2, 1)),
    ]


async def test_log_a_month_and_see_realisation_change(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_robots(pilot)
        assert "25.0 %" in row_of(screen, "R1")  # 300 of 1,200 hours
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogMonthForm)
        assert app.screen.query_one("#field-month").value == "2026-02"  # the last whole month
        await pilot.press("tab")
        await fill(pilot, "300", "10", "11")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "cannot exceed runs" in screen_text(pilot)  # nothing saved
        assert "R1|2026-02" not in on_disk(repo).ds.robot_benefits
        app.screen.query_one("#field-failed_runs").value = "1"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RobotsScreen))
        await settle(pilot, lambda: "50.0 %" in row_of(app.screen, "R1"))
    assert on_disk(repo).ds.robot_benefits["R1|2026-02"].hours_saved == 300


async def test_deactivating_an_operator_warns_first_and_the_risk_appears(repo) -> None:
    from tests.tui.test_person_screen import open_person

    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_robots(pilot)
        assert "✓ covered" in row_of(screen, "R1")
        await open_person(pilot, "E3")
        assert "Robots they operate (1)" in screen_text(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "last qualified operator" not in screen_text(pilot)  # E2 qualifies too
        await pilot.press("y")
        await settle(pilot, lambda: not on_disk(repo).ds.staff["E3"].active)
        app.push_screen(PersonScreen("E2"))
        await settle(pilot, lambda: "Robots they operate (1)" in screen_text(pilot))
        await pilot.press("d")
        await pilot.pause()
        words = " ".join(screen_text(pilot).split())
        assert "the last qualified operator of R1 Ydelsesrobot (in production)" in words
        await pilot.press("escape")
        await pilot.press("0")
        await settle(pilot, lambda: "⚠ at risk" in row_of(app.screen, "R1"))
        assert "1/2" in row_of(app.screen, "R1")


async def test_the_screen_shows_the_figures_of_report_robots(repo) -> None:
    from store.models import PHASE_DANISH
    from store.robots import set_hourly_rate

    set_hourly_rate(repo, 350)
    report = build_robots(repo.ds, AS_OF).to_dict()["robots"]
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_robots(pilot)
        for robot in report:
            row = row_of(screen, robot["code"])
            assert row[2].endswith(f" {robot['phase']}") and robot["phase"] in PHASE_DANISH
            assert row[8] == f"{robot['net_value']:,.0f}"  # 300 h x 350 - 10,000
            assert row[3] == ("⚠ at risk" if robot["key_person_risk"] else "✓ covered")
            assert row[4] == f"{robot['qualified_operators']}/{robot['operators']}"
            assert row[5].startswith(f"{robot['hours_saved_12_months']:,.0f} /")
            assert row[6] == f"{robot['benefit_realisation_pct']:.1f} %"
            assert row[7] == f"{robot['failed_run_pct']:.1f} %"


async def test_help_on_both_screens_and_long_names_fit_80_columns(repo) -> None:
    with repo.transaction() as tx:
        tx.put(Robot(code="R2", name=LONG_NAME, department="D4", phase="test"))
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_robots(pilot)
        assert all(len(line) <= 80 for line in screen_lines(pilot))
        assert "◕ test" in row_of(screen, "R2")  # phase in a symbol and a word
        for key in ("question_mark",):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = str(app.screen.query_one(Static).content)
            assert "Keys on Robots" in text and "Sort" in text and "Phase" in text
            await pilot.press("escape")
        table = screen.query_one("#robots-table", DataTable)
        table.move_cursor(row=table.get_row_index("R2"))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RobotScreen))
        assert all(len(line) <= 80 for line in screen_lines(pilot))
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one(Static).content)
        assert "Keys on Robot" in text and "Log month" in text and "Operators" in text


async def test_each_robot_form_refuses_at_its_field_and_saves_nothing(repo) -> None:
    from tui.forms.robot import CompetenciesForm, OperatorsForm

    def error(name: str) -> str:
        return str(app.screen.query_one(f"#error-{name}", Static).render())

    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_robots(pilot)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, "R1", "Ny", "D2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RobotForm)
        assert "R1 is already used by Ydelsesrobot" in error("code")
        await pilot.press("escape")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OperatorsForm)
        await pilot.press("tab", "tab")
        await fill(pilot, "E404", "E3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "E404" in error("operator_3")
        assert "'E3' is named twice" in error("operator_4")
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompetenciesForm)
        await pilot.press("tab")
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "6")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "6 is above ORG's highest level, 5 (RPA)" in error("level_1")
    robot = on_disk(repo).ds.robots["R1"]
    assert (robot.operators, robot.required_competencies) == (["E3", "E2"], {"RPA": 3})
    assert "R1" in on_disk(repo).ds.robots and len(on_disk(repo).ds.robots) == 1


async def test_the_import_screen_warns_before_a_staff_import_deactivates_the_last_operator(
    repo, tmp_path, monkeypatch
) -> None:
    from tests.tui.test_import_and_audit_screens import _preview, _report

    monkeypatch.chdir(tmp_path)
    (tmp_path / "staff.csv").write_text(
        "employee_no,name,department_code,active\nE3,Carl Clausen,D2,nej\nE2,Bo Berg,D4,nej\n",
        encoding="utf-8",
    )
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await _preview(app, pilot, "staff", "staff.csv")
        words = " ".join(_report(app).split())
        assert "staff: 0 added, 2 updated" in words
        assert (
            "⚠ warning: E3, E2 are the last qualified operators of R1 Ydelsesrobot (in "
            "production): deactivated, it has no qualified operator left"
        ) in words
    (tmp_path / "staff.csv").write_text(
        "employee_no,name,department_code,active\nE3,Carl Clausen,D2,nej\n", encoding="utf-8"
    )
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await _preview(app, pilot, "staff", "staff.csv")
        assert "warning" not in _report(app)  # E2 still runs R1
        assert on_disk(repo).ds.staff["E3"].active  # nothing written by the preview


async def test_the_hourly_rate_gives_the_net_value_and_can_be_unset(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_robots(pilot)
        assert row_of(screen, "R1")[-1] == "–"  # no rate set
        await pilot.press("r")
        await pilot.pause()
        await type_text(pilot, "-5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "'-5' is not an amount of at least 0" in str(
            app.screen.query_one("#error-value", Static).render()
        )
        for _ in range(2):
            await pilot.press("backspace")
        await type_text(pilot, "400")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RobotsScreen))
        # 300 hours in the last 12 months x 400 - 10,000
        await settle(pilot, lambda: row_of(app.screen, "R1")[-1] == "110,000")
        await pilot.press("r")
        await pilot.pause()
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: row_of(app.screen, "R1")[-1] == "–")
    assert "hourly_rate" not in on_disk(repo).ds.settings


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_each_month_of_the_chart_keeps_to_one_line(repo, size) -> None:
    """Large figures (1,234.5 h, 12,345 runs) still leave each month on one line: a month
    whose failure rate wrapped onto the next line read as two months."""
    with repo.transaction() as tx:
        tx.record(
            RobotBenefit(robot="R1", month="2026-01", hours_saved=1234.5, runs=12345,
                         failed_runs=1234)
        )  # fmt: skip
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=size) as pilot:
        await open_robots(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RobotScreen))
        chart = app.screen.query_one("#robot-chart", Static)
        await settle(pilot, lambda: "12,345 runs, 1,234 failed (10.0 %)" in str(chart.content))
        await pilot.pause()
        lines = str(chart.content).split("\n")  # the last one empty (the text ends in one)
        assert len(lines) == 27  # two lines of legend, then 24 months
        assert chart.size.height == len(lines)  # none of them wrapped


async def test_markup_in_a_robots_names_is_shown_as_typed(repo) -> None:
    """A robot's name, process and platform and its operator's name holding [markup] are
    shown literally on the Robots screen and the robot's page."""
    markup = "[bold red]Post[/] [link=https://x]"
    with repo.transaction() as tx:
        tx.put(repo.ds.staff["E2"].model_copy(update={"name": f"Bo {markup}"}))
        robot = repo.ds.robots["R1"]
        tx.put(robot.model_copy(update={"name": f"Robot {markup}", "process": markup,
                                        "platform": markup, "kle": "27.24.08",
                                        "run_frequency": markup}))  # fmt: skip
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_robots(pilot)
        assert f"Robot {markup}" in row_of(screen, "R1")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RobotScreen))
        await settle(pilot, lambda: f"Bo {markup}" in screen_text(pilot))
        text = screen_text(pilot)
        assert f"Robot {markup}" in text and "27.24.08" in text
        assert text.count(markup) >= 5  # name, process, platform, runs, the operator
