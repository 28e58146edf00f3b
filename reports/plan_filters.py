"""Which training plans a list shows: by status, overdue, due soon. Pure functions of plans.

The Training screen and any report that lists plans choose them here, so "overdue" and
"due in the next 30 days" mean the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from reports.rules import is_open_plan, plan_due_within, plan_is_overdue
from store.models import TrainingPlan


class StatusFilter(StrEnum):
    """What the status choice of a plan list means; `open` = planned or in progress."""

    ALL = "all"
    OPEN = "open"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class DueFilter(StrEnum):
    ANY = "any"
    OVERDUE = "overdue"
    DUE_30 = "due_30"
    DUE_90 = "due_90"


DUE_SOON_DAYS: dict[DueFilter, int] = {DueFilter.DUE_30: 30, DueFilter.DUE_90: 90}


def matches_status(plan: TrainingPlan, wanted: StatusFilter) -> bool:
    if wanted == StatusFilter.ALL:
        return True
    if wanted == StatusFilter.OPEN:
        return is_open_plan(plan)
    return plan.status == wanted


def is_due_soon(plan: TrainingPlan, as_of: dt.date, days: int) -> bool:
    """Still open and due from `as_of` up to `days` days later (overdue plans are not 'soon')."""
    return plan_due_within(plan, as_of, 0, days)


def matches_due(plan: TrainingPlan, wanted: DueFilter, as_of: dt.date) -> bool:
    if wanted == DueFilter.ANY:
        return True
    if wanted == DueFilter.OVERDUE:
        return plan_is_overdue(plan, as_of)
    return is_due_soon(plan, as_of, DUE_SOON_DAYS[wanted])


def plan_order(plan: TrainingPlan) -> tuple:
    """Earliest due first, plans without a due date last, then by id."""
    return (plan.due is None, plan.due or dt.date.min, plan.id)


def select_plans(
    plans: Iterable[TrainingPlan],
    as_of: dt.date,
    status: StatusFilter = StatusFilter.ALL,
    due: DueFilter = DueFilter.ANY,
) -> list[TrainingPlan]:
    """The plans a list shows for the chosen status and due filter, in display order."""
    chosen = [p for p in plans if matches_status(p, status) and matches_due(p, due, as_of)]
    chosen.sort(key=plan_order)
    return chosen


def plan_counts(plans: Iterable[TrainingPlan], as_of: dt.date) -> dict[str, int]:
    """Open, overdue and due-in-30-days counts for a summary line."""
    counts = {"open": 0, "overdue": 0, "due_30": 0}
    for plan in plans:
        if is_open_plan(plan):
            counts["open"] += 1
            counts["overdue"] += plan_is_overdue(plan, as_of)
            counts["due_30"] += is_due_soon(plan, as_of, 30)
    return counts
