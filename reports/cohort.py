"""Choosing a cohort for training: who in a department subtree is below a level in a competency.

By default a cohort is the people in scope who are *required* to reach the level (their required
level in the competency is that level or more) and are below it; everyone below it, required or
not, is an explicit choice (`everyone_below`). Used by the Training screen's "assign to a cohort"
(and open to a command or report), so the preview a person sees is exactly the list the plans
are created for. The rules (required and current level, meets, open plan covering a level) come
from `reports.rules` through `reports.analysis`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from i18n import _
from reports import rules
from reports.analysis import Analysis
from store.errors import StoreError
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
    everyone_below: bool = False
    """Include people below `level` who are not required to reach it (not the default)."""


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
    in_scope: int = 0
    """Active staff in the department and below (of the role, if one is given)."""
    required: int = 0
    """Of those, the people required to reach the level in the competency."""
    below: int = 0
    """Of the people considered (the required ones, or everyone), those below the level."""

    def __len__(self) -> int:
        return len(self.members)

    def why_empty(self) -> str | None:
        """Why nobody will get a plan, in words (None when somebody will)."""
        if self.members:
            return None
        criteria = self.criteria
        target = {"level": criteria.level, "competency": criteria.competency}
        if self.in_scope == 0:
            if criteria.role:
                return _(
                    "nobody in scope: no active staff in {department} or below with role {role}"
                ).format(department=criteria.department, role=criteria.role)
            return _("nobody in scope: no active staff in {department} or below").format(
                department=criteria.department
            )
        if self.below == 0 and not criteria.everyone_below:
            if self.required == 0:
                return _(
                    "nobody in scope is required to reach level {level} in {competency}"
                ).format(**target)
            return _(
                "everyone in scope required to reach level {level} in {competency} has it"
            ).format(**target)
        if self.below == 0:
            return _("everyone in scope has level {level} in {competency}").format(**target)
        return _(
            "everyone below level {level} in {competency} already has an open plan reaching it"
        ).format(**target)

    def first_names(self, count: int = 5) -> list[str]:
        """The first `count` members' names (for a preview)."""
        return [m.staff.name for m in self.members[:count]]


def has_covering_plan(analysis: Analysis, employee_no: str, competency: str, level: int) -> bool:
    """An open plan of the person for the competency already reaches `level`."""
    plans = analysis.structure.plans_by_pair.get((employee_no, competency), ())
    return any(rules.plan_covers(plan, level) for plan in plans)


class EmptyCohort(StoreError):
    """Nobody would get a plan; the message says why."""


def is_required_to_reach(analysis: Analysis, person: Staff, competency: str, level: int) -> bool:
    """The person's required level in the competency is `level` or more."""
    required = analysis.structure.required_for_pair(person.department, person.role)
    return required.get(competency, 0) >= level


def choose_cohort(analysis: Analysis, criteria: CohortCriteria) -> Cohort:
    """The people a cohort assignment reaches, in department (display) then employee order."""
    members: list[CohortMember] = []
    planned: list[Staff] = []
    in_scope = required = below = 0
    for person in analysis.staff_in_scope(criteria.department):
        if criteria.role is not None and person.role != criteria.role:
            continue
        in_scope += 1
        is_required = is_required_to_reach(analysis, person, criteria.competency, criteria.level)
        required += is_required
        if not (is_required or criteria.everyone_below):
            continue
        current = analysis.current_level(person.employee_no, criteria.competency)
        if rules.meets(criteria.level, current):
            continue
        below += 1
        if criteria.skip_planned and has_covering_plan(
            analysis, person.employee_no, criteria.competency, criteria.level
        ):
            planned.append(person)
            continue
        members.append(CohortMember(person, current))
    return Cohort(criteria, members, planned, in_scope, required, below)


def cohort_plans(
    cohort: Cohort, due: dt.date | None, course: str | None = None
) -> list[TrainingPlan]:
    """One planned TrainingPlan per member (ids are handed out by the store when saved); an
    empty cohort is refused, saying why."""
    reason = cohort.why_empty()
    if reason is not None:
        raise EmptyCohort(_("{reason}: no plans were created").format(reason=reason))
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
