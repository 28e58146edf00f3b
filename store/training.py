"""Training operations the app and the command line share: assign plans, save, start, cancel
and complete a plan.

A plan moves planned -> in progress -> completed, or is cancelled while open (planned or in
progress); a completed or cancelled plan stays on record as it is. Each change is checked against
the plan as stored: one someone changed since it was read is refused (ConflictError).

Completing a plan records the level reached as an assessment (source `training`) dated on the
completion day. That assessment is history like any other: by the current-level rule the latest
assessment counts, so a level recorded below an earlier one becomes the current level from that
day. The form warns first (`reports.rules.completion_warnings`); saving after the warning is the
user's decision.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from store.errors import StoreError
from store.labels import plan_status_label
from store.models import OPEN_PLAN_STATUSES, Assessment, PlanStatus, Source, TrainingPlan
from store.problems import Problem, problem, render

if TYPE_CHECKING:
    from store import Repository


class PlanStatusError(StoreError):
    """A change the plan's status does not allow (starting a completed plan...); `problem`
    says which, as data (`store.problems`)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(render(problem))


def status_text(status: PlanStatus) -> str:
    """'in progress': a status as a sentence names it, in the current language."""
    return plan_status_label(status)


def start_refusal(plan: TrainingPlan) -> Problem | None:
    """Why the plan cannot be started, or None: only a planned plan can."""
    if plan.status != PlanStatus.PLANNED:
        return problem("status", "plan_not_planned", status=PlanStatus(plan.status))
    return None


def close_refusal(plan: TrainingPlan) -> Problem | None:
    """Why the plan cannot be completed or cancelled, or None: only an open plan can."""
    if plan.status not in OPEN_PLAN_STATUSES:
        return problem("status", "plan_closed", status=PlanStatus(plan.status))
    return None


def _refuse(refusal: Problem | None) -> None:
    if refusal is not None:
        raise PlanStatusError(refusal)


def save_plan(repo: Repository, plan: TrainingPlan, original: TrainingPlan | None = None):
    """Create a plan (a new id when it has none) or save an edited one over `original`."""
    with repo.transaction() as tx:
        return tx.put(plan, expected=original)


def start_plan(repo: Repository, plan: TrainingPlan) -> TrainingPlan:
    """Planned -> in progress (PlanStatusError for a plan in any other status)."""
    _refuse(start_refusal(plan))
    return save_plan(repo, plan.model_copy(update={"status": PlanStatus.IN_PROGRESS}), plan)


def cancel_plan(repo: Repository, plan: TrainingPlan) -> TrainingPlan:
    """An open plan -> cancelled; it stays on record (PlanStatusError when it is closed)."""
    _refuse(close_refusal(plan))
    return save_plan(repo, plan.model_copy(update={"status": PlanStatus.CANCELLED}), plan)


def create_plans(repo: Repository, plans: list[TrainingPlan]) -> list[TrainingPlan]:
    """All plans in one transaction (one audit entry each); the saved plans, with their ids."""
    with repo.transaction() as tx:
        return [tx.put(plan) for plan in plans]


def completed_plan(plan: TrainingPlan, on: dt.date) -> TrainingPlan:
    return plan.model_copy(update={"status": PlanStatus.COMPLETED, "completed": on})


def training_assessment(plan: TrainingPlan, level: int, on: dt.date, assessor: str) -> Assessment:
    """The assessment a completed plan leaves: the level reached, source `training`."""
    return Assessment(
        staff=plan.staff,
        competency=plan.competency,
        level=level,
        date=on,
        source=Source.TRAINING,
        assessor=assessor,
        note=f"training plan {plan.id} completed",
    )


def complete_plan(
    repo: Repository, plan: TrainingPlan, on: dt.date, level: int | None
) -> TrainingPlan:
    """Mark the plan completed on `on` and (with a level) record the assessment: both or neither.

    Refused when the plan is closed already (PlanStatusError) or someone changed it since it
    was read (ConflictError).
    """
    _refuse(close_refusal(plan))
    done = completed_plan(plan, on)
    with repo.transaction() as tx:
        tx.put(done, expected=plan)
        if level is not None:
            tx.record(training_assessment(plan, level, on, repo.user))
    return done
