"""Training operations the app and the command line share: assign plans, complete a plan.

Completing a plan records the level reached as an assessment (source `training`) dated on the
completion day. That assessment is history like any other: by the current-level rule the latest
assessment counts, so a level recorded below an earlier one becomes the current level from that
day. The form warns first (`reports.rules.completion_warnings`); saving after the warning is the
user's decision.
"""

from __future__ import annotations

import datetime as dt

from store.models import Assessment, PlanStatus, Source, TrainingPlan
from store.repository import FolderRepository


def create_plans(repo: FolderRepository, plans: list[TrainingPlan]) -> list[TrainingPlan]:
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
    repo: FolderRepository, plan: TrainingPlan, on: dt.date, level: int | None
) -> TrainingPlan:
    """Mark the plan completed on `on` and (with a level) record the assessment: both or neither.

    Refused (ConflictError) when someone changed the plan since it was read.
    """
    done = completed_plan(plan, on)
    with repo.transaction() as tx:
        tx.put(done, expected=plan)
        if level is not None:
            tx.record(training_assessment(plan, level, on, repo.user))
    return done
