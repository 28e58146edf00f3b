"""The analysis over hand-made datasets: each rule of docs/rules.md as the reports see it."""

from __future__ import annotations

from reports.analysis import analyse
from tests.reports.factory import Builder, D

AS_OF = D(2024, 6, 30)


def org() -> Builder:
    """ROOT > (SOC > SOC-A), ROOT > TECH. C1 required of all, C2 of nurses in SOC at 4."""
    return (
        Builder()
        .department("ROOT")
        .department("SOC", "ROOT")
        .department("SOC-A", "SOC")
        .department("TECH", "ROOT")
        .require("C1", 2, "ROOT")
        .require("C1", 3, "SOC")
        .require("C2", 4, "SOC", role="nurse")
    )


class TestTree:
    def test_children_subtree_ancestors_depth(self) -> None:
        a = analyse(org().ds, AS_OF)
        assert a.top_level() == ["ROOT"]
        assert a.children("ROOT") == ["SOC", "TECH"]
        assert a.subtree("SOC") == {"SOC", "SOC-A"}
        assert a.subtree(None) == {"ROOT", "SOC", "SOC-A", "TECH"}
        assert a.ancestors("SOC-A") == ("SOC", "ROOT")
        assert a.depth("SOC-A") == 2 and a.depth("ROOT") == 0

    def test_parent_cycle_does_not_hang(self) -> None:
        b = Builder().department("A", "B").department("B", "A")
        a = analyse(b.ds, AS_OF)
        assert set(a.top_level()) <= {"A", "B"} and a.subtree(None) == {"A", "B"}


class TestRequired:
    def test_inheritance_down_the_tree(self) -> None:
        b = org().staff("E1", "SOC-A").staff("E2", "TECH")
        a = analyse(b.ds, AS_OF)
        assert a.required_for("E1") == {"C1": 3}  # SOC's 3 beats ROOT's 2, inherited to SOC-A
        assert a.required_for("E2") == {"C1": 2}

    def test_role_specific(self) -> None:
        b = org().staff("E1", "SOC-A", role="nurse").staff("E2", "SOC-A", role="clerk")
        a = analyse(b.ds, AS_OF)
        assert a.required_for("E1") == {"C1": 3, "C2": 4}
        assert a.required_for("E2") == {"C1": 3}

    def test_nothing_required(self) -> None:
        b = Builder().department("X").staff("E1", "X")
        a = analyse(b.ds, AS_OF)
        assert a.required_for("E1") == {}
        assert a.department_figures(None).readiness_pct is None


class TestFigures:
    def build(self) -> Builder:
        return (
            org()
            .staff("E1", "SOC", role="nurse")  # C1 3 / C2 4
            .staff("E2", "SOC-A")  # C1 3
            .staff("E3", "TECH")  # C1 2
            .staff("E4", "TECH", active=False)  # left out
            .assess("E1", "C1", 3, D(2024, 1, 1))
            .assess("E1", "C2", 2, D(2024, 1, 1))
            .assess("E2", "C1", 1, D(2024, 1, 1))
            .assess("E4", "C1", 0, D(2024, 1, 1))
            .plan("E1", "C2", 4)  # covers E1's C2 gap
            .plan("E2", "C1", 2)  # target below requirement: does not cover
        )

    def test_whole_organisation(self) -> None:
        a = analyse(self.build().ds, AS_OF)
        fig = a.department_figures(None)
        assert fig.staff_count == 3  # inactive E4 left out
        c1 = fig.competencies["C1"]
        assert (c1.staff_required, c1.staff_meeting, c1.not_assessed) == (3, 1, 1)
        assert c1.pct_meeting == 100 / 3
        assert c1.mean_gap == (0 + 2 + 2) / 3  # E3 not assessed: gap 2
        assert c1.gaps_with_open_training == 0
        c2 = fig.competencies["C2"]
        assert (c2.staff_required, c2.staff_meeting, c2.gaps_with_open_training) == (1, 0, 1)
        assert (fig.pairs_required, fig.pairs_met) == (4, 1)
        assert fig.readiness_pct == 25.0

    def test_subtree_figures(self) -> None:
        a = analyse(self.build().ds, AS_OF)
        soc = a.department_figures("SOC")
        assert soc.staff_count == 2
        assert soc.competencies["C1"].staff_required == 2
        assert a.department_figures("SOC-A").competencies["C1"].staff_meeting == 0
        assert a.department_figures("TECH").competencies["C1"].not_assessed == 1
        assert [s.employee_no for s in a.staff_in_scope("SOC")] == ["E1", "E2"]

    def test_as_of_before_any_assessment(self) -> None:
        a = analyse(self.build().ds, D(2023, 12, 31))
        c1 = a.department_figures(None).competencies["C1"]
        assert (c1.staff_meeting, c1.not_assessed) == (0, 3)

    def test_person_rows(self) -> None:
        a = analyse(self.build().ds, AS_OF)
        rows = {r.competency: r for r in a.person_rows("E1")}
        assert rows["C1"].current == 3 and rows["C1"].gap == 0 and rows["C1"].meets
        assert rows["C2"].gap == 2 and rows["C2"].training_covered
        assert rows["C2"].open_plan.target_level == 4
        assert rows["C2"].date == D(2024, 1, 1) and rows["C2"].source == "self"
        e2 = a.person_rows("E2")[0]
        assert e2.open_plan is not None and not e2.training_covered

    def test_closed_plans_do_not_cover(self) -> None:
        b = self.build().plan("E3", "C1", 5, status="completed", completed=D(2024, 2, 1))
        b.plan("E3", "C1", 5, status="cancelled")
        a = analyse(b.ds, AS_OF)
        assert a.department_figures("TECH").competencies["C1"].gaps_with_open_training == 0
        assert a.person_rows("E3")[0].open_plan is None

    def test_gap_rows(self) -> None:
        a = analyse(self.build().ds, AS_OF)
        gaps = [(g.employee_no, g.competency, g.gap, g.training_planned) for g in a.gap_rows(None)]
        assert gaps == [("E1", "C2", 2, True), ("E2", "C1", 2, False), ("E3", "C1", 2, False)]
        assert [g.employee_no for g in a.gap_rows("TECH")] == ["E3"]
        assert a.gap_rows("TECH")[0].current is None
