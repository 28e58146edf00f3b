"""What the Overview screen shows: the organisation's state in a handful of figures.

`build_overview(analysis)` is quick (reads the analysis); `overview_trend(analysis)` rebuilds
readiness at past quarter ends from the history and takes longer at scale: run it in a worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from reports import rules
from reports.analysis import Analysis
from reports.robots import robot_figures, robots_in_scope
from reports.trend import Trend, readiness_trend

LARGEST_GAPS = 5


@dataclass(frozen=True)
class GapCell:
    """A competency in one department (its own staff) and how many there fall short."""

    competency: str
    department: str
    staff_short: int
    staff_required: int


@dataclass(frozen=True)
class Overview:
    as_of: dt.date
    readiness_pct: float | None
    largest_gaps: list[GapCell]
    overdue_training: int
    robots_in_production: int
    hours_saved_12_months: float
    """By robots in production, over the last 12 whole months."""
    hours_expected_per_year: float
    key_person_risk: list[str]
    """Codes of robots in production with fewer than two qualified operators."""
    coverage_unmet: int = 0
    """(coverage rule, department) results with a shortfall (`reports.coverage`)."""
    coverage_results: int = 0
    without_agent: list[str] = field(default_factory=list)
    """Departments without an active digital agent of their own."""
    expiring: int = 0
    """Required ratings lapsing within `rules.EXPIRING_DAYS` days (`reports.ratings`)."""

    @property
    def benefit_realisation_pct(self) -> float | None:
        return rules.benefit_realisation(self.hours_saved_12_months, self.hours_expected_per_year)


def largest_gaps(analysis: Analysis, count: int = LARGEST_GAPS) -> list[GapCell]:
    """(competency x department) cells with the most staff short, counting each department's
    own staff (a parent does not repeat its children's gaps); ties in tree and competency
    order. Read from the department counters at once: making every department's figures to
    look for them took ~6 ms at 50,000 staff (300 departments)."""
    index = analysis.grid.department_index
    departments = [d for d in analysis.tree.walk() if d in index]  # the others have no staff
    required, short = analysis.own_shortfalls(departments)
    at, columns = np.nonzero(short > 0)  # by department (tree order), then grid column
    shortest = np.argsort(-short[at, columns], kind="stable")[:count]
    at, columns = at[shortest], columns[shortest]
    competencies = analysis.grid.competencies
    return [
        GapCell(competencies[k], departments[d], staff_short, staff_required)
        for d, k, staff_short, staff_required in zip(
            at.tolist(),
            columns.tolist(),
            short[at, columns].tolist(),
            required[at, columns].tolist(),
            strict=True,
        )
    ]


def overdue_training_count(analysis: Analysis, department: str | None = None) -> int:
    """Open plans past their due date (`rules.is_overdue`), for active staff in scope
    (`Analysis.staff_in_scope`: active, in a department in scope that has staff). Read from
    the open plans' fields `Structure` keeps and the grid's arrays: reading every plan and
    its person again took ~6-9 ms at 50,000 staff (17,679 plans, 3,012 overdue)."""
    as_of = analysis.as_of
    staff = [
        person
        for person, _competency, _target, due in analysis.structure.open_plans
        if rules.is_overdue(due, True, as_of)
    ]
    return analysis.active_in_scope(staff, department) if staff else 0


def build_overview(analysis: Analysis, gaps: int = LARGEST_GAPS) -> Overview:
    """The figures, with the `gaps` largest gaps (a taller screen lists more)."""
    production = [
        figures
        for r in robots_in_scope(analysis, None)
        if (figures := robot_figures(analysis, r)).in_production
    ]
    from reports.coverage import coverage_in_scope, departments_without_agent
    from reports.ratings import expiring_pairs

    results = [r for c in coverage_in_scope(analysis) for r in c.results]
    return Overview(
        as_of=analysis.as_of,
        readiness_pct=analysis.department_figures(None).readiness_pct,
        largest_gaps=largest_gaps(analysis, gaps),
        overdue_training=overdue_training_count(analysis),
        robots_in_production=len(production),
        hours_saved_12_months=sum(f.hours_12m for f in production),
        hours_expected_per_year=sum(f.robot.expected_hours_per_year for f in production),
        key_person_risk=[f.robot.code for f in production if f.key_person_risk],
        coverage_unmet=sum(not r.met for r in results),
        coverage_results=len(results),
        without_agent=departments_without_agent(analysis),
        expiring=len(expiring_pairs(analysis)),
    )


def overview_trend(analysis: Analysis, quarters: int = 8) -> Trend:
    """Organisation readiness at the last `quarters` quarter ends, then as of the analysis date
    (the last value: the same figure as `readiness_pct`)."""
    return readiness_trend(analysis, None, rules.trend_dates(analysis.as_of, quarters))
