"""Which plans a list shows: status, overdue (open and past due), due soon."""

from __future__ import annotations

import datetime as dt

from reports.plan_filters import DueFilter, StatusFilter, is_due_soon, plan_counts, select_plans
from store.models import PlanStatus, TrainingPlan

AS_OF = dt.date(2026, 3, 1)


def plan(id_: str, due: dt.date | None, status: PlanStatus = PlanStatus.PLANNED) -> TrainingPlan:
    completed = due if status == PlanStatus.COMPLETED else None
    return TrainingPlan(
        id=id_,
        staff="E1",
        competency="RPA",
        target_level=3,
        due=due,
        status=status,
        completed=completed,
    )


PLANS = [
    plan("P1", dt.date(2026, 2, 28)),  # overdue by a day
    plan("P2", AS_OF),  # due today: not overdue, due soon
    plan("P3", dt.date(2026, 3, 31), PlanStatus.IN_PROGRESS),  # in 30 days
    plan("P4", dt.date(2026, 5, 1)),  # in 61 days
    plan("P5", dt.date(2026, 1, 1), PlanStatus.COMPLETED),  # past due but closed
    plan("P6", None),
    plan("P7", dt.date(2026, 1, 1), PlanStatus.CANCELLED),
]


def ids(plans) -> list[str]:
    return [p.id for p in plans]


def test_overdue_means_open_and_due_before_the_as_of_date():
    assert ids(select_plans(PLANS, AS_OF, due=DueFilter.OVERDUE)) == ["P1"]


def test_due_soon_counts_from_the_as_of_date_inclusive():
    assert ids(select_plans(PLANS, AS_OF, due=DueFilter.DUE_30)) == ["P2", "P3"]
    assert ids(select_plans(PLANS, AS_OF, due=DueFilter.DUE_90)) == ["P2", "P3", "P4"]
    assert not is_due_soon(PLANS[0], AS_OF, 30)


def test_status_filters_and_order_by_due_date_with_undated_last():
    assert ids(select_plans(PLANS, AS_OF, StatusFilter.OPEN)) == ["P1", "P2", "P3", "P4", "P6"]
    assert ids(select_plans(PLANS, AS_OF, StatusFilter.IN_PROGRESS)) == ["P3"]
    assert ids(select_plans(PLANS, AS_OF, StatusFilter.ALL))[-1] == "P6"
    assert ids(select_plans(PLANS, AS_OF, StatusFilter.CANCELLED)) == ["P7"]


def test_counts_for_the_summary_line():
    assert plan_counts(PLANS, AS_OF) == {"open": 5, "overdue": 1, "due_30": 2}
