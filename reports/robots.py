"""The robots report: per department and phase; per robot the hours it promised and delivered,
failed runs, qualified operators and key-person risk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from i18n import N_, ngettext
from reports import rules
from reports.analysis import Analysis
from reports.base import Report, Table, ensure_analysis, resolve_scope
from reports.tree import natural_key
from reports.words import MISSING, Phrase, enum_text, number, percent, phrase, term, terms
from store.dataset import Dataset
from store.models import PhaseChange, Robot, RobotBenefit, RobotPhase, Staff
from store.robots import hourly_rate


@dataclass(frozen=True)
class RobotFigures:
    robot: Robot
    hours_12m: float
    runs_12m: int
    failed_12m: int
    operators: int
    qualified_operators: int
    phase_change: PhaseChange | None = None
    """The phase as of the date and the day it began (None: the robot did not exist yet)."""
    hourly_rate: float | None = None

    @property
    def phase(self) -> RobotPhase | None:
        return None if self.phase_change is None else self.phase_change.phase

    @property
    def phase_since(self) -> dt.date | None:
        return None if self.phase_change is None else self.phase_change.since

    @property
    def in_production(self) -> bool:
        return self.phase == RobotPhase.PRODUCTION

    @property
    def net_value(self) -> float | None:
        return rules.net_value(self.hours_12m, self.hourly_rate, self.robot.yearly_cost)

    @property
    def realisation_pct(self) -> float | None:
        return rules.benefit_realisation(self.hours_12m, self.robot.expected_hours_per_year)

    @property
    def failed_pct(self) -> float | None:
        return rules.failed_run_pct(self.runs_12m, self.failed_12m)

    @property
    def key_person_risk(self) -> bool:
        return rules.has_key_person_risk(self.phase, self.qualified_operators)

    def to_dict(self) -> dict[str, Any]:
        r = self.robot
        return {
            "code": r.code,
            "name": r.name,
            "department": r.department,
            "phase": None if self.phase is None else str(self.phase),
            "phase_since": self.phase_since,
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
            "yearly_cost": r.yearly_cost,
            "net_value": self.net_value,
        }


def is_qualified(analysis: Analysis, robot: Robot, employee_no: str) -> bool:
    """An operator counts when still active and meeting every competency the robot requires,
    as of the analysis date (`rules.operator_qualified`)."""
    person = analysis.ds.staff.get(employee_no)
    if person is None:
        return False
    levels = {c: analysis.current_level(employee_no, c) for c in robot.required_competencies}
    return rules.operator_qualified(person.active, robot.required_competencies, levels)


def qualification(analysis: Analysis, robot: Robot, employee_no: str) -> dict[str, bool]:
    """Competency -> whether the operator's current level meets the robot's requirement."""
    return {
        code: rules.meets(level, analysis.current_level(employee_no, code))
        for code, level in robot.required_competencies.items()
    }


def left_without_qualified_operator(analysis: Analysis, employee_no: str) -> list[Robot]:
    """Robots in production (as of the analysis date) that this person operates and whose
    competencies they meet, and no other active operator does: deactivating them leaves each
    without a qualified operator (the People page and form warn first; an import that has
    deactivated them says so)."""
    found = []
    for robot in analysis.ds.robots.values():
        if employee_no not in robot.operators or not rules.in_production(robot, analysis.as_of):
            continue
        if not all(qualification(analysis, robot, employee_no).values()):
            continue
        others = [e for e in dict.fromkeys(robot.operators) if e != employee_no]
        if not any(is_qualified(analysis, robot, e) for e in others):
            found.append(robot)
    return sorted(found, key=lambda r: natural_key(r.code))


def last_operator_warning(analysis: Analysis, employee_no: str) -> str | None:
    """What deactivating the person would leave behind, in words, naming each robot; None when
    nothing (the People page and form say it before saving)."""
    robots = left_without_qualified_operator(analysis, employee_no)
    if not robots:
        return None
    names = ", ".join(f"{r.code} {r.name}" for r in robots)
    return ngettext(
        "the last qualified operator of {robots} (in production): deactivated, it has no "
        "qualified operator left",
        "the last qualified operator of {robots} (in production): deactivated, they have no "
        "qualified operator left",
        len(robots),
    ).format(robots=names)


def leaving_operators(ds: Dataset, records: Iterable[object]) -> list[str]:
    """Of the records an import writes, the people it deactivates who operate a robot (cheap:
    no figures; only for these is `deactivation_warnings` worth computing)."""
    operators = {e for robot in ds.robots.values() for e in robot.operators}
    return [
        r.employee_no
        for r in records
        if isinstance(r, Staff) and not r.active and r.employee_no in operators
    ]


def deactivation_warnings(analysis: Analysis, employee_nos: Iterable[str]) -> list[str]:
    """For deactivating these people together: each robot in production whose every operator
    meeting its competencies is among them, named with them ('E2 is the last qualified
    operator of R1 ...'). Those already deactivated count as leaving, so the same holds after
    an import has written the deactivations."""
    leaving = set(employee_nos)
    warnings = []
    for robot in sorted(analysis.ds.robots.values(), key=lambda r: natural_key(r.code)):
        if not leaving.intersection(robot.operators):
            continue
        if not rules.in_production(robot, analysis.as_of):
            continue
        meeting = [
            e
            for e in dict.fromkeys(robot.operators)
            if all(qualification(analysis, robot, e).values())
            and (e in leaving or is_qualified(analysis, robot, e))
        ]
        if meeting and leaving.issuperset(meeting):
            warnings.append(
                ngettext(
                    "{who} is the last qualified operator of {robot} (in production): "
                    "deactivated, it has no qualified operator left",
                    "{who} are the last qualified operators of {robot} (in production): "
                    "deactivated, it has no qualified operator left",
                    len(meeting),
                ).format(who=", ".join(meeting), robot=f"{robot.code} {robot.name}")
            )
    return warnings


def robots_operated_by(analysis: Analysis, employee_no: str) -> list[tuple[Robot, bool]]:
    """The robots a person operates and whether they are qualified for each, by code."""
    robots = [r for r in analysis.ds.robots.values() if employee_no in r.operators]
    return [
        (r, is_qualified(analysis, r, employee_no))
        for r in sorted(robots, key=lambda r: natural_key(r.code))
    ]


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
        rules.phase_on(robot, analysis.as_of),
        hourly_rate(analysis.ds),
    )


SORTS: dict[str, str] = {
    "risk": N_("key-person risk first, then fewest qualified operators"),
    "realisation": N_("benefit realisation, lowest first"),
    "hours": N_("hours saved in 12 months, most first"),
    "failed": N_("failed-run rate, highest first"),
}
"""How the Robots screen can order its portfolio (key -> what it means, in English words
marked with `N_`: the screen shows `_(SORTS[key])`)."""


def sorted_figures(figures: list[RobotFigures], by: str) -> list[RobotFigures]:
    """The portfolio in the order `by` (a key of SORTS); figures without a value go last,
    ties keep their order (department, then code)."""

    def missing_last(value: float | None, high_first: bool) -> tuple[bool, float]:
        if value is None:
            return (True, 0.0)
        return (False, -value if high_first else value)

    keys = {  # robots not in production (no benefit to realise yet) after those that are
        "realisation": lambda f: (not f.in_production, missing_last(f.realisation_pct, False)),
        "hours": lambda f: (False, -f.hours_12m),
        "failed": lambda f: (not f.in_production, missing_last(f.failed_pct, True)),
        "risk": lambda f: (not f.key_person_risk, not f.in_production, f.qualified_operators),
    }
    return sorted(figures, key=keys[by])


def portfolio(
    analysis: Analysis,
    department: str | None = None,
    phase: RobotPhase | str | None = None,
    by: str = "realisation",
) -> list[RobotFigures]:
    """The robots of a department and all below it (None: everywhere), in one phase as of the
    analysis date (None: any), in the order `by`: the Robots screen's list."""
    figures = [robot_figures(analysis, r) for r in robots_in_scope(analysis, department)]
    if phase is not None:
        figures = [f for f in figures if f.phase == phase]
    return sorted_figures(figures, by)


def monthly_benefits(
    analysis: Analysis, robot: Robot, months: int = 24
) -> list[tuple[str, RobotBenefit | None]]:
    """The last `months` whole months (as the 12-month window counts them) and what the robot
    saved in each (None: nothing logged), oldest first: the robot page's chart."""
    benefits = analysis.ds.robot_benefits
    return [
        (month, benefits.get(f"{robot.code}|{month}"))
        for month in rules.benefit_months(analysis.as_of, months)
    ]


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
    report_name = N_("Robots report")

    robots: list[RobotFigures]
    department_names: dict[str, str]

    def phase_counts(self) -> list[dict[str, Any]]:
        """Robots per department (its own robots) and phase, departments in tree order."""
        result: dict[str, dict[str, int]] = {}
        for f in self.robots:
            counts = result.setdefault(f.robot.department, {str(p): 0 for p in RobotPhase})
            if f.phase is not None:
                counts[str(f.phase)] += 1
        return [{"department": d, "phases": c} for d, c in result.items()]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "by_department_and_phase": self.phase_counts(),
            "robots": [f.to_dict() for f in self.robots],
            "hours_saved_12_months": sum(f.hours_12m for f in self.robots),
            "expected_hours_per_year_in_production": sum(
                f.robot.expected_hours_per_year for f in self.robots if f.in_production
            ),
            "key_person_risk": [f.robot.code for f in self.robots if f.key_person_risk],
        }

    def tables(self) -> list[Table]:
        phases = [str(p) for p in RobotPhase]
        phase_headers = [enum_text(p, RobotPhase) for p in RobotPhase]
        counts = self.phase_counts()
        phase_rows = [
            [self.department_names[c["department"]], *(c["phases"][p] for p in phases),
             sum(c["phases"].values())]
            for c in counts
        ]  # fmt: skip
        phase_rows.append(
            [
                term(N_("Total")),
                *(sum(c["phases"][p] for c in counts) for p in phases),
                len(self.robots),
            ]  # fmt: skip
        )
        robot_rows = [
            [f.robot.code, f.robot.name, phase_text(f), f.robot.go_live,
             f.robot.expected_hours_per_year, f.hours_12m, f.realisation_pct, f.failed_pct,
             f"{f.qualified_operators}/{f.operators}", f.key_person_risk, f.net_value]
            for f in self.robots
        ]  # fmt: skip
        return [
            Table(term(N_("Robots per department and phase")),
                  [term(N_("Department")), *phase_headers, term(N_("Total"))], phase_rows),
            Table(
                term(N_("Robots (hours and runs over the last 12 whole months; operators "
                        "qualified/all)")),
                terms(N_("Code"), N_("Name"), N_("Phase"), N_("Go-live"), N_("Expected h/yr"),
                      N_("Saved h 12m"), N_("Realised %"), N_("Failed %"), N_("Operators"),
                      N_("Key-person risk"), N_("Net value")),
                robot_rows,
            ),
        ]  # fmt: skip


def phase_text(figures: RobotFigures) -> Phrase | str:
    """'production since 2026-02-01'; '-' before the robot's first phase began."""
    if figures.phase is None:
        return MISSING
    since = figures.phase_since
    phase = enum_text(figures.phase, RobotPhase)
    if since is None:
        return phase
    return phrase(N_("{phase} since {date}"), phase=phase, date=since)


def build_robots(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> RobotsReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    figures = [robot_figures(analysis, r) for r in robots_in_scope(analysis, scope and scope.code)]
    names = {f.robot.department: analysis.tree.name(f.robot.department) for f in figures}
    production = [f for f in figures if f.in_production]
    saved = sum(f.hours_12m for f in production)
    expected = sum(f.robot.expected_hours_per_year for f in production)
    realised = rules.benefit_realisation(saved, expected)
    summary = [
        (term(N_("Robots")), str(len(figures))),
        (term(N_("In production")), str(len(production))),
        (
            term(N_("Hours saved, last 12 months (in production)")),
            phrase(
                N_("{saved} of {expected} expected"),
                saved=number(saved, 0),
                expected=number(expected, 0),
            ),
        ),  # fmt: skip
        (term(N_("Benefit realisation")), percent(realised)),
        (term(N_("At key-person risk")), str(sum(1 for f in figures if f.key_person_risk))),
    ]
    return RobotsReport(analysis.as_of, scope, figures, names, summary=summary)
