"""Completing a training plan, and recording the level reached as an assessment (source training).

    CompletePlanForm(plan, on) -> TrainingPlan | None

The level is prefilled with the plan's target. The plan and the assessment are saved in one
transaction: both or neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Checkbox, Input, Static

from store.models import Assessment, Entity, PlanStatus, Source, TrainingPlan
from store.repository import FolderRepository
from tui.forms.assessment import scale_hint, scale_problem
from tui.forms.base import FormField, FormScreen
from tui.forms.checkbox import MarkedCheckbox
from tui.forms.parsing import parse_int


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
    """Mark the plan completed and (with a level) record the assessment, in one transaction."""
    done = completed_plan(plan, on)
    with repo.transaction() as tx:
        tx.put(done, expected=plan)
        if level is not None:
            tx.record(training_assessment(plan, level, on, repo.user))
    return done


def plan_summary(ds, plan: TrainingPlan, on: dt.date) -> Text:
    person = ds.staff.get(plan.staff)
    competency = ds.competencies.get(plan.competency)
    text = Text()
    text.append(person.name if person else plan.staff)
    text.append(f" ({plan.staff})\n{plan.competency} ")
    text.append(competency.name if competency else "")
    text.append(f"\ntarget level {plan.target_level} · completed {on.isoformat()}")
    return text


class CompletePlanForm(FormScreen[TrainingPlan]):
    """Confirm completing `plan` on `on`, and the level reached (recorded unless unticked)."""

    def __init__(self, plan: TrainingPlan, on: dt.date) -> None:
        super().__init__()
        self.plan = plan
        self.on = on
        self.title_text = f"Complete training plan {plan.id}"
        self.level: int | None = None

    def fields(self) -> Iterable[FormField]:
        ds, plan = self.app.repo.ds, self.plan
        yield FormField(
            "plan", "Plan", Static(plan_summary(ds, plan, self.on), classes="fixed-value")
        )
        yield FormField(
            "record",
            "Assessment",
            MarkedCheckbox("record the level reached (source: training)", value=True, compact=True),
        )
        level = str(plan.target_level)
        yield FormField(
            "level",
            "Level reached",
            Input(level, compact=True),
            lambda raw: parse_int(raw) if self.recording else None,
            hint=scale_hint(ds, plan.competency, level),
        )

    @property
    def recording(self) -> bool:
        return bool(self.raw("record"))

    def on_mount(self) -> None:
        # FormScreen's own on_mount (run after this one) focuses the first field: the level
        # is what a person checks here, so it gets the focus once that has happened.
        self.call_after_refresh(self.widget("level").focus)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.widget("level").disabled = not event.value
        self.set_error("level", None)

    def on_field_changed(self, name: str) -> None:
        if name == "level":
            hint = scale_hint(self.app.repo.ds, self.plan.competency, self.raw("level"))
            self.set_hint("level", hint)

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        if values.get("level") is None:
            return {}
        values = {**values, "competency": self.plan.competency}
        return scale_problem(self.app.repo.ds, values, "level", low=0)

    def make_record(self, values: dict[str, Any]) -> Entity:
        self.level = values["level"]
        return completed_plan(self.plan, self.on)

    def save(self, record: Entity) -> TrainingPlan:
        return complete_plan(self.app.repo, self.plan, self.on, self.level)

    def saved_message(self, saved: TrainingPlan) -> str:
        recorded = f", level {self.level} recorded" if self.level is not None else ""
        return f"Training plan {saved.id} completed{recorded}"
