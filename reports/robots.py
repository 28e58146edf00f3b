"""The robots report: per department and phase; per robot the hours it promised and delivered,
failed runs, qualified operators and key-person risk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reports import rules
from reports.analysis import Analysis
from reports.base import Report, Table, ensure_analysis, resolve_scope
from reports.tree import natural_key
from store.dataset import Dataset
from store.models import Robot, RobotPhase


@dataclass(frozen=True)
class RobotFigures:
    robot: Robot
    hours_12m: float
    runs_12m: int
    failed_12m: int
    operators: int
    qualified_operators: int

    @property
    def realisation_pct(self) -> float | None:
        return rules.benefit_realisation(self.hours_12m, self.robot.expected_hours_per_year)

    @property
    def failed_pct(self) -> float | None:
        return rules.failed_run_pct(self.runs_12m, self.failed_12m)

    @property
    def key_person_risk(self) -> bool:
        return rules.has_key_person_risk(self.robot, self.qualified_operators)

    def to_dict(self) -> dict[str, Any]:
        r = self.robot
        return {
            "code": r.code,
            "name": r.name,
            "department": r.department,
            "phase": str(r.phase),
            "go_live": r.go_live,
            "expected_hours_per_year": r.expected_hours_per_year,
            "hours_saved_12_months": self.hours_12m,
            "benefit_realisation_pct": self.realisation_pct,
            "runs_12_months": self.runs_12m,
            "failed_runs_12_months": self.failed_12m,
            "failed_run_pct": self.failed_pct,
            "operators": self.operators,
            "qualified_operators": self.qualified_operators,
            "required_competencies": dict(r.required_competencies),
            "key_person_risk": self.key_person_risk,
        }


def is_qualified(analysis: Analysis, robot: Robot, employee_no: str) -> bool:
    """An operator counts when still active and meeting every competency the robot requires."""
    person = analysis.ds.staff.get(employee_no)
    if person is None or not person.active:
        return False
    levels = {c: analysis.current_level(employee_no, c) for c in robot.required_competencies}
    return rules.operator_qualified(robot.required_competencies, levels)


def robot_figures(analysis: Analysis, robot: Robot) -> RobotFigures:
    """One robot's figures as of the analysis date (last 12 whole months of benefit logs)."""
    benefits = analysis.ds.robot_benefits
    logs = [
        benefits[key]
        for month in rules.benefit_months(analysis.as_of)
        if (key := f"{robot.code}|{month}") in benefits
    ]
    operators = list(dict.fromkeys(robot.operators))
    qualified = sum(1 for e in operators if is_qualified(analysis, robot, e))
    return RobotFigures(
        robot,
        sum(b.hours_saved for b in logs),
        sum(b.runs for b in logs),
        sum(b.failed_runs for b in logs),
        len(operators),
        qualified,
    )


def robots_in_scope(analysis: Analysis, department: str | None) -> list[Robot]:
    """Robots of the departments in scope, by department (tree order) then code."""
    order = {code: i for i, code in enumerate(analysis.tree.walk())}
    scope = analysis.subtree(department)
    robots = [r for r in analysis.ds.robots.values() if department is None or r.department in scope]
    return sorted(robots, key=lambda r: (order.get(r.department, len(order)), natural_key(r.code)))


@dataclass
class RobotsReport(Report):
    kind = "robots"
    label = "Robots"

    robots: list[RobotFigures]
    department_names: dict[str, str]

    def phase_counts(self) -> list[dict[str, Any]]:
        """Robots per department (its own robots) and phase, departments in tree order."""
        result: dict[str, dict[str, int]] = {}
        for f in self.robots:
            counts = result.setdefault(f.robot.department, {str(p): 0 for p in RobotPhase})
            counts[str(f.robot.phase)] += 1
        return [{"department": d, "phases": c} for d, c in result.items()]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "by_department_and_phase": self.phase_counts(),
            "robots": [f.to_dict() for f in self.robots],
            "hours_saved_12_months": sum(f.hours_12m for f in self.robots),
            "expected_hours_per_year_in_production": sum(
                f.robot.expected_hours_per_year
                for f in self.robots
                if f.robot.phase == RobotPhase.PRODUCTION
            ),
            "key_person_risk": [f.robot.code for f in self.robots if f.key_person_risk],
        }

    def tables(self) -> list[Table]:
        phases = [str(p) for p in RobotPhase]
        counts = self.phase_counts()
        phase_rows = [
            [self.department_names[c["department"]], *(c["phases"][p] for p in phases),
             sum(c["phases"].values())]
            for c in counts
        ]  # fmt: skip
        phase_rows.append(
            ["Total", *(sum(c["phases"][p] for c in counts) for p in phases), len(self.robots)]
        )
        robot_rows = [
            [f.robot.code, f.robot.name, str(f.robot.phase), f.robot.go_live,
             f.robot.expected_hours_per_year, f.hours_12m, f.realisation_pct, f.failed_pct,
             f"{f.qualified_operators}/{f.operators}", f.key_person_risk]
            for f in self.robots
        ]  # fmt: skip
        return [
            Table("Robots per department and phase", ["Department", *phases, "Total"],
                  phase_rows),
            Table(
                "Robots (hours and runs over the last 12 whole months; operators qualified/all)",
                ["Code", "Name", "Phase", "Go-live", "Expected h/yr", "Saved h 12m",
                 "Realised %", "Failed %", "Operators", "Key-person risk"],
                robot_rows,
            ),
        ]  # fmt: skip


def build_robots(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> RobotsReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    figures = [robot_figures(analysis, r) for r in robots_in_scope(analysis, scope and scope.code)]
    names = {f.robot.department: analysis.tree.name(f.robot.department) for f in figures}
    production = [f for f in figures if f.robot.phase == RobotPhase.PRODUCTION]
    saved = sum(f.hours_12m for f in production)
    expected = sum(f.robot.expected_hours_per_year for f in production)
    realised = rules.benefit_realisation(saved, expected)
    summary = [
        ("Robots", str(len(figures))),
        ("In production", str(len(production))),
        ("Hours saved, last 12 months (in production)", f"{saved:.0f} of {expected:.0f} expected"),
        ("Benefit realisation", "-" if realised is None else f"{realised:.1f} %"),
        ("At key-person risk", str(sum(1 for f in figures if f.key_person_risk))),
    ]
    return RobotsReport(analysis.as_of, scope, figures, names, summary=summary)
