"""Choosing a cohort for training: who in a department subtree is below a level in a competency.

Used by the Training screen's "assign to a cohort" (and open to a command or report), so the
preview a person sees is exactly the list the plans are created for. The rules (current level,
meets, open plan covering a level) come from `reports.rules` through `reports.analysis`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reports import rules
from reports.analysis import Analysis
from store.models import PlanStatus, Staff, TrainingPlan


@dataclass(frozen=True)
class CohortCriteria:
    """Active staff in `department` and below, of `role` if given, below `level` in `competency`."""

    department: str
    competency: str
    level: int
    role: str | None = None
    skip_planned: bool = True
    """Leave out people who already have an open plan reaching `level` in the competency."""


@dataclass(frozen=True)
class CohortMember:
    staff: Staff
    current: int | None
    """The current level as of the analysis date; None = not assessed."""


@dataclass(frozen=True)
class Cohort:
    criteria: CohortCriteria
    members: list[CohortMember] = field(default_factory=list)
    already_planned: list[Staff] = field(default_factory=list)
    """Below the level but left out: an open plan already covers them."""

    def __len__(self) -> int:
        return len(self.members)

    def first_names(self, count: int = 5) -> list[str]:
        """The first `count` members' names (for a preview)."""
        return [m.staff.name for m in self.members[:count]]


def has_covering_plan(analysis: Analysis, employee_no: str, competency: str, level: int) -> bool:
    """An open plan of the person for the competency already reaches `level`."""
    plans = analysis.structure.plans_by_pair.get((employee_no, competency), ())
    return any(rules.plan_covers(plan, level) for plan in plans)


def choose_cohort(analysis: Analysis, criteria: CohortCriteria) -> Cohort:
    """The people a cohort assignment reaches, in department (display) then employee order."""
    members: list[CohortMember] = []
    planned: list[Staff] = []
    for person in analysis.staff_in_scope(criteria.department):
        if criteria.role is not None and person.role != criteria.role:
            continue
        current = analysis.current_level(person.employee_no, criteria.competency)
        if rules.meets(criteria.level, current):
            continue
        if criteria.skip_planned and has_covering_plan(
            analysis, person.employee_no, criteria.competency, criteria.level
        ):
            planned.append(person)
            continue
        members.append(CohortMember(person, current))
    return Cohort(criteria, members, planned)


def cohort_plans(
    cohort: Cohort, due: dt.date | None, course: str | None = None
) -> list[TrainingPlan]:
    """One planned TrainingPlan per member (ids are handed out by the store when saved)."""
    criteria = cohort.criteria
    return [
        TrainingPlan(
            staff=member.staff.employee_no,
            competency=criteria.competency,
            target_level=criteria.level,
            course=course,
            due=due,
            status=PlanStatus.PLANNED,
        )
        for member in cohort.members
    ]
