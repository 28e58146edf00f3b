"""Each report's figures on hand-made datasets."""

from __future__ import annotations

import pytest

from reports import REPORT_KINDS, ReportInputError, build_report
from reports.analysis import analyse
from reports.heatmap import build_heatmap, department_grid, staff_grid
from reports.overview import build_overview, overview_trend
from reports.render import render as render_report
from reports.robots import build_robots
from reports.rules import CellState
from reports.strategy import build_strategy
from reports.training import build_training
from reports.trend import build_trend
from store.models import GovernanceDecision, Milestone, PhaseChange, Setting, Stakeholder, Theme
from tests.reports.factory import Builder, D, row

AS_OF = D(2024, 6, 30)


def org() -> Builder:
    return (
        Builder()
        .department("ROOT", name="Kommune")
        .department("SOC", "ROOT", name="Social")
        .department("SOC-A", "SOC", name="Social A")
        .department("TECH", "ROOT", name="Teknik")
        .require("C1", 3, "ROOT", theme="T1")
        .require("C2", 2, "SOC", theme="T2")
        .staff("E1", "SOC-A")
        .staff("E2", "SOC-A")
        .staff("E3", "TECH")
        .assess("E1", "C1", 3, D(2024, 1, 10))
        .assess("E1", "C2", 1, D(2024, 1, 10))
        .assess("E2", "C1", 4, D(2024, 1, 10))
        .assess("E2", "C2", 2, D(2024, 1, 10))
        .assess("E3", "C1", 3, D(2023, 10, 1))
    )


def test_unknown_department_and_kind() -> None:
    ds = org().ds
    with pytest.raises(ReportInputError, match="unknown department: 'NOPE'"):
        build_report("gaps", ds, AS_OF, department="NOPE")
    with pytest.raises(ReportInputError, match="unknown report"):
        build_report("nope", ds, AS_OF)
    with pytest.raises(ReportInputError, match="unknown employee"):
        build_report("person", ds, AS_OF, employee="E404")


def test_every_kind_builds_on_a_tiny_dataset() -> None:
    ds = org().ds
    for kind in REPORT_KINDS:
        report = build_report(kind, ds, AS_OF, employee="E1")
        assert report.to_dict()["report"] == kind


class TestHeatmap:
    def test_department_rows_are_subtree_figures(self) -> None:
        a = analyse(org().ds, AS_OF)
        grid = department_grid(a)
        assert [(r.code, r.depth) for r in grid.rows] == [
            ("ROOT", 0), ("SOC", 1), ("SOC-A", 2), ("TECH", 1),
        ]  # fmt: skip
        by_code = {r.code: r for r in grid.rows}
        assert by_code["SOC"].pct("C2") == 50.0  # E1 short, E2 meets
        assert by_code["TECH"].pct("C2") is None  # not required there
        assert by_code["ROOT"].pct("C1") == 100.0
        assert grid.total.readiness_pct == 80.0  # 4 of 5 pairs

    def test_scope_indents_from_the_scope(self) -> None:
        report = build_heatmap(org().ds, AS_OF, department="SOC")
        data = report.to_dict()
        assert [(d["code"], d["depth"]) for d in data["departments"]] == [("SOC", 0), ("SOC-A", 1)]
        assert data["scope"] == {"code": "SOC", "name": "Social"}

    def test_staff_grid_states(self) -> None:
        b = org().staff("E4", "SOC-A").assess("E4", "C1", 1, D(2024, 2, 1))
        grid = staff_grid(analyse(b.ds, AS_OF), "SOC")
        assert grid.competencies == ["C1", "C2"]
        cells = {p.employee_no: row for p, row in zip(grid.staff, grid.cells, strict=True)}
        assert cells["E1"] == [CellState.MEETS, CellState.SHORT_1]
        assert cells["E4"] == [CellState.SHORT_2, CellState.NOT_ASSESSED]
        tech = staff_grid(analyse(b.ds, AS_OF), "TECH")
        assert tech.competencies == ["C1"] and tech.cells == [[CellState.MEETS]]


class TestTraining:
    def build(self) -> Builder:
        b = org().plan("E1", "C2", 2, due=D(2024, 6, 1))  # overdue
        b.plan("E3", "C1", 4, status="in_progress", due=D(2024, 7, 15))  # within 30 days
        b.plan("E2", "C1", 5, due=D(2024, 9, 1))  # 31-90 days
        b.plan("E2", "C2", 3, status="completed", completed=D(2024, 3, 1), due=D(2024, 1, 1))
        return b

    def test_lists_and_counts(self) -> None:
        report = build_training(self.build().ds, AS_OF)
        assert [p.plan.staff for p in report.overdue] == ["E1"]
        assert [p.plan.staff for p in report.due_30] == ["E3"]
        assert [p.plan.staff for p in report.due_90] == ["E2"]
        statuses = {s["status"]: s["plans"] for s in report.by_status()}
        assert statuses == {"planned": 2, "in_progress": 1, "completed": 1, "cancelled": 0}
        assert report.open_totals()["plans"] == 3

    def test_gaps_with_no_plan(self) -> None:
        b = org().staff("E5", "TECH")  # C1 not assessed, no plan
        report = build_training(b.ds, AS_OF)
        assert [(g.employee_no, g.competency) for g in report.uncovered] == [
            ("E1", "C2"), ("E5", "C1"),
        ]  # fmt: skip
        covered = build_training(b.plan("E5", "C1", 3).ds, AS_OF)
        assert [g.employee_no for g in covered.uncovered] == ["E1"]


class TestRobots:
    def build(self, operators: list[str]) -> Builder:
        b = org().competency("RPA").assess("E1", "RPA", 3, D(2024, 1, 1))
        b.assess("E2", "RPA", 1, D(2024, 1, 1)).assess("E3", "RPA", 4, D(2024, 1, 1))
        b.robot(
            "R1", "SOC-A", phase="production", operators=operators,
            required_competencies={"RPA": 3}, expected_hours_per_year=1200,
        )  # fmt: skip
        b.robot("R2", "TECH", phase="idea")
        for month in range(1, 13):
            b.benefit("R1", f"2023-{month:02d}", 1000)  # before the 12-month window
        for month in range(7, 13):
            b.benefit("R1", f"2023-{month:02d}", 50, runs=10, failed=1)  # corrected month
        for month in range(1, 7):
            b.benefit("R1", f"2024-{month:02d}", 50, runs=10, failed=1)
        return b

    def test_realisation_failed_runs_and_risk(self) -> None:
        report = build_robots(self.build(["E1", "E2"]).ds, AS_OF)
        r1 = report.robots[0]
        assert r1.robot.code == "R1" and r1.hours_12m == 600  # 2023-07 .. 2024-06
        assert r1.realisation_pct == 50.0
        assert r1.failed_pct == 10.0
        assert (r1.qualified_operators, r1.operators) == (1, 2)  # E2 is below level
        assert r1.key_person_risk
        assert report.to_dict()["key_person_risk"] == ["R1"]

    def test_two_qualified_operators_no_risk(self) -> None:
        report = build_robots(self.build(["E1", "E3"]).ds, AS_OF)
        assert not report.robots[0].key_person_risk

    def test_inactive_operator_does_not_count(self) -> None:
        b = self.build(["E1", "E3"])
        b.staff("E3", "TECH", active=False)
        assert build_robots(b.ds, AS_OF).robots[0].key_person_risk

    def test_an_expired_assessment_no_longer_qualifies(self) -> None:
        b = self.build(["E1", "E3"])
        at = next(i for i, a in enumerate(b.ds.assessments) if a[:2] == ("E3", "RPA"))
        expiring = row("E3", "RPA", 4, D(2024, 1, 1), valid_until=D(2024, 5, 31), seq=at)
        b.ds.assessments[at] = expiring  # E3's only assessment is valid until 2024-05-31
        on_the_last_valid_day = build_robots(b.ds, D(2024, 5, 31)).robots[0]
        assert on_the_last_valid_day.qualified_operators == 2
        after = build_robots(b.ds, AS_OF).robots[0]
        assert (after.qualified_operators, after.key_person_risk) == (1, True)

    def test_window_is_the_last_twelve_whole_months(self) -> None:
        b = self.build(["E1"])
        b.benefit("R1", "2024-07", 999)  # AS_OF is 2024-06-30: July has not begun
        assert build_robots(b.ds, D(2024, 6, 30)).robots[0].hours_12m == 600
        # a day before the month ends, June is not whole yet: 2023-06 .. 2024-05
        assert build_robots(b.ds, D(2024, 6, 29)).robots[0].hours_12m == 1000 + 11 * 50
        assert build_robots(b.ds, D(2024, 7, 31)).robots[0].hours_12m == 600 - 50 + 999

    def test_a_phase_change_inside_the_window_moves_risk_and_json(self) -> None:
        b = self.build(["E1"])
        b.robot(
            "R1", "SOC-A", phase="production", phase_since=D(2024, 3, 1),
            phase_history=[PhaseChange(phase="test", since=D(2023, 9, 1))], operators=["E1"],
            required_competencies={"RPA": 3}, expected_hours_per_year=1200, yearly_cost=20_000,
        )  # fmt: skip
        before = build_robots(b.ds, D(2024, 2, 29))
        assert (str(before.robots[0].phase), before.robots[0].key_person_risk) == ("test", False)
        now = build_robots(b.ds, AS_OF).to_dict()["robots"][0]
        assert (now["phase"], now["phase_since"], now["key_person_risk"]) == (
            "production", D(2024, 3, 1), True,
        )  # fmt: skip
        assert now["net_value"] is None  # no hourly rate set
        b.ds.settings["hourly_rate"] = Setting(name="hourly_rate", value="400")
        now = build_robots(b.ds, AS_OF).to_dict()["robots"][0]
        assert now["net_value"] == 600 * 400 - 20_000
        assert build_robots(b.ds, D(2023, 8, 31)).to_dict()["robots"][0]["phase"] is None

    def test_the_portfolio_filters_by_subtree_and_phase_and_sorts(self) -> None:
        from reports.robots import portfolio

        b = self.build(["E1"])
        b.robot("R3", "SOC-A", phase="production", operators=["E1", "E3"],
                required_competencies={"RPA": 3}, expected_hours_per_year=100)  # fmt: skip
        b.benefit("R3", "2024-06", 90, runs=10, failed=5)
        analysis = analyse(b.ds, AS_OF)
        codes = lambda figures: [f.robot.code for f in figures]  # noqa: E731
        assert codes(portfolio(analysis, "SOC")) == ["R1", "R3"]  # TECH's R2 is not below SOC
        assert codes(portfolio(analysis, None, "idea")) == ["R2"]
        assert codes(portfolio(analysis, None, by="risk")) == ["R1", "R3", "R2"]
        assert codes(portfolio(analysis, None, by="realisation")) == ["R1", "R3", "R2"]
        assert codes(portfolio(analysis, None, by="hours")) == ["R1", "R3", "R2"]
        assert codes(portfolio(analysis, None, by="failed")) == ["R3", "R1", "R2"]

    def test_json_keeps_todays_keys(self) -> None:
        robot = build_robots(self.build(["E1"]).ds, AS_OF).to_dict()["robots"][0]
        assert {"code", "phase", "hours_saved_12_months", "benefit_realisation_pct",
                "failed_run_pct", "operators", "qualified_operators", "key_person_risk",
                "net_value", "phase_since"} <= set(robot)  # fmt: skip

    def test_scope(self) -> None:
        report = build_robots(self.build(["E1"]).ds, AS_OF, department="TECH")
        assert [f.robot.code for f in report.robots] == ["R2"]

    def test_overview(self) -> None:
        b = self.build(["E1"]).plan("E3", "C1", 4, due=D(2024, 1, 1))
        overview = build_overview(analyse(b.ds, AS_OF))
        assert overview.robots_in_production == 1
        assert (overview.hours_saved_12_months, overview.hours_expected_per_year) == (600, 1200)
        assert overview.key_person_risk == ["R1"]
        assert overview.overdue_training == 1
        assert overview.largest_gaps[0].competency == "C2"
        assert overview.largest_gaps[0].department == "SOC-A"
        assert overview.largest_gaps[0].staff_short == 1


class TestStrategyAndTrend:
    def test_theme_readiness_and_milestones(self) -> None:
        b = org()
        b.ds.themes["T1"] = Theme(code="T1", rank=2, title="Skills")
        b.ds.themes["T2"] = Theme(code="T2", rank=1, title="Robots")
        b.ds.milestones["MS-1"] = Milestone(id="MS-1", theme="T1", title="Late", due=D(2024, 5, 1))
        b.ds.milestones["MS-2"] = Milestone(
            id="MS-2", theme="T1", title="Done", due=D(2024, 4, 1), status="done"
        )
        report = build_strategy(b.ds, AS_OF)
        assert [t.theme.code for t in report.themes] == ["T2", "T1"]
        t1 = next(t for t in report.themes if t.theme.code == "T1")
        assert (t1.pairs_met, t1.pairs_required) == (3, 3)
        t2 = report.themes[0]
        assert (t2.pairs_met, t2.pairs_required) == (1, 2)
        data = report.to_dict()
        assert [(m["id"], m["overdue"]) for m in data["milestones"]] == [
            ("MS-2", False), ("MS-1", True),
        ]  # fmt: skip

    def test_theme_progress_has_a_trend_ending_on_the_as_of_date(self) -> None:
        b = org()
        b.ds.themes["T1"] = Theme(code="T1", rank=1, title="Skills")
        b.ds.themes["T2"] = Theme(code="T2", rank=2, title="Robots")
        b.assess("E3", "C1", 2, D(2024, 4, 1), valid_until=D(2024, 4, 30))  # a lapse in April
        report = build_strategy(b.ds, D(2024, 5, 15))
        assert report.trend_dates[-3:] == [D(2023, 12, 31), D(2024, 3, 31), D(2024, 5, 15)]
        t1, t2 = report.themes
        # T1 asks C1 at 3 of E1, E2, E3: E3 met it from 2023-10-01, E1 and E2 from 2024-01-10
        assert t1.trend[-4:] == [0.0, pytest.approx(100 / 3), 100.0, 100.0]
        assert t1.trend[-1] == t1.readiness_pct == 100.0
        assert t2.trend[-2:] == [50.0, 50.0] and (t2.pairs_met, t2.pairs_required) == (1, 2)
        at_the_lapse = build_strategy(b.ds, D(2024, 4, 15)).themes[0]
        assert (at_the_lapse.pairs_met, at_the_lapse.trend[-1]) == (2, pytest.approx(200 / 3))

    def test_the_report_gives_each_theme_its_stakeholders_milestones_and_progress(self) -> None:
        b = org()
        b.ds.themes["T1"] = Theme(
            code="T1", rank=1, title="Skills",
            stakeholders=[Stakeholder(name="MED-udvalget", role="høres", interest="high")],
        )  # fmt: skip
        b.ds.milestones["MS-1"] = Milestone(id="MS-1", theme="T1", title="Late", due=D(2024, 5, 1))
        b.ds.milestones["MS-2"] = Milestone(
            id="MS-2", theme="T1", title="Next", due=D(2024, 9, 1), status="in_progress"
        )
        b.ds.governance["it_investment"] = GovernanceDecision(
            domain="it_investment", input_rights=["feudal", "it_duopoly"],
            decision_rights="business_monarchy", people=["Økonomiudvalget"],
        )  # fmt: skip
        report = build_strategy(b.ds, AS_OF)
        theme = report.to_dict()["themes"][0]
        assert (theme["progress_pct"], theme["readiness_pct"], theme["pairs_met"]) == (100, 100, 3)
        assert theme["stakeholders"][0]["name"] == "MED-udvalget"
        assert [(m["id"], m["overdue_text"]) for m in theme["milestones"]] == [
            ("MS-1", "overdue by 60 days"), ("MS-2", None),
        ]  # fmt: skip
        assert theme["next_milestone"] == "MS-1"
        assert theme["trend"][-1] == {"date": "2024-06-30", "progress_pct": 100.0}
        text = render_report(report, "text", width=200)
        assert "OVERDUE BY 60 DAYS" in text and "2024-05-01 Late (overdue by 60 days)" in text
        assert "IT investment" in text
        assert "Feudal, IT duopoly" in text and "Business monarchy" in text
        assert "business_monarchy" not in text
        assert "MED-udvalget" in text and "høres" in text

    def test_trend_uses_the_as_of_rule_per_quarter(self) -> None:
        report = build_trend(org().ds, AS_OF)
        trend = report.trend
        assert trend.quarter_ends[-2:] == [D(2024, 3, 31), D(2024, 6, 30)]
        whole = trend.lines[0]
        assert whole.code is None
        # 2023-12-31: only E3's C1 (of 5 pairs); from 2024-01-10 also E1 C1, E2 C1 and C2
        assert whole.readiness[-3:] == [20.0, 80.0, 80.0]
        assert [line.code for line in trend.lines[1:]] == ["ROOT"]

    def test_overview_trend_ends_at_the_as_of_date(self) -> None:
        a = analyse(org().ds, D(2024, 5, 15))
        trend = overview_trend(a)
        assert trend.quarter_ends[-1] == D(2024, 5, 15)
        assert trend.lines[0].readiness[-1] == a.department_figures(None).readiness_pct


def random_history(seed: int) -> Builder:
    """Two departments, a few people, many assessments: same dates, expiries, backdating."""
    import random

    rng = random.Random(seed)
    b = org()
    for i in range(4, 12):
        b.staff(f"E{i}", rng.choice(["SOC", "SOC-A", "TECH", "ROOT"]))
    people = list(b.ds.staff)
    for _ in range(150):
        day = D(2022, 1, 1) + __import__("datetime").timedelta(days=rng.randrange(900))
        expires = None
        if rng.random() < 0.3:
            expires = day + __import__("datetime").timedelta(days=rng.randrange(400))
        b.assess(rng.choice(people), rng.choice(["C1", "C2"]), rng.randrange(5), day,
                 rng.choice(["self", "manager", "test", "training"]), expires)  # fmt: skip
    return b


@pytest.mark.parametrize("seed", range(6))
def test_trend_sweep_agrees_with_a_full_analysis_at_each_date(seed: int) -> None:
    ds = random_history(seed).ds
    trend = build_trend(ds, AS_OF).trend
    for q, end in enumerate(trend.quarter_ends):
        at = analyse(ds, end)
        for line in trend.lines:
            assert line.readiness[q] == at.department_figures(line.code).readiness_pct, (end, line)
