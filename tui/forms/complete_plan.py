"""Completing a training plan, and recording the level reached as an assessment (source training).

    CompletePlanForm(plan, on) -> TrainingPlan | None

The form shows the person's current level; the completion date (default `on`, today) and the
level (default the plan's target) can be changed. A level below the current one or below the
target is allowed after a warning that says what it will mean (`reports.rules.
completion_warning`); `store.training.complete_plan` saves the plan and the assessment in one
transaction: both or neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Checkbox, Input, Static

from i18n import _, format_date
from reports.rules import assessment_date_warning, completion_warning, current_assessment
from store.dataset import AssessmentRow
from store.labels import source_label
from store.models import Entity, TrainingPlan
from store.training import complete_plan, completed_plan
from tui.forms.assessment import scale_hint, scale_problem
from tui.forms.base import FormField, FormScreen
from tui.forms.checkbox import MarkedCheckbox
from tui.forms.parsing import parse_date, parse_int


def plan_summary(ds, plan: TrainingPlan) -> Text:
    person = ds.staff.get(plan.staff)
    competency = ds.competencies.get(plan.competency)
    text = Text()
    text.append(person.name if person else plan.staff)
    text.append(f" ({plan.staff})\n{plan.competency} ")
    text.append(competency.name if competency else "")
    text.append("\n" + _("target level {level}").format(level=plan.target_level))
    return text


def current_text(current: AssessmentRow | None, as_of: dt.date) -> Text:
    """'2 (manager, 2025-06-01)' or 'not assessed', as of the app's date."""
    if current is None:
        return Text(_("not assessed (as of {date})").format(date=format_date(as_of)))
    return Text(
        _("{level} ({source}, {date}) as of {as_of}").format(
            level=current.level,
            source=source_label(current.source),
            date=format_date(current.date),
            as_of=format_date(as_of),
        )
    )


class CompletePlanForm(FormScreen[TrainingPlan]):
    """Confirm completing `plan` (on `on` unless changed) and the level reached (recorded unless
    unticked)."""

    def __init__(self, plan: TrainingPlan, on: dt.date) -> None:
        super().__init__()
        self.plan = plan
        self.on = on
        self.title_text = _("Complete training plan {id}").format(id=plan.id)
        self.level: int | None = None
        self.completed_on = on
        self.current: AssessmentRow | None = None

    def fields(self) -> Iterable[FormField]:
        ds, plan = self.app.repo.ds, self.plan
        # The rule over this one pair's history (~0.06 s at 1,000,000 assessments), not the
        # whole analysis, which a save has just discarded (~0.8 s on the UI thread to rebuild).
        self.current = current_assessment(
            (
                r
                for r in ds.assessments
                if r.staff == plan.staff and r.competency == plan.competency
            ),
            self.app.as_of,
        )
        yield FormField("plan", _("Plan"), Static(plan_summary(ds, plan), classes="fixed-value"))
        yield FormField(
            "current",
            _("Current level"),
            Static(current_text(self.current, self.app.as_of), classes="fixed-value"),
        )
        yield FormField(
            "completed",
            _("Completed on"),
            Input(self.on.isoformat(), placeholder=_("YYYY-MM-DD"), compact=True),
            parse_date,
        )
        yield FormField(
            "record",
            _("Assessment"),
            MarkedCheckbox(
                _("record the level reached (source: training)"), value=True, compact=True
            ),
        )
        level = str(plan.target_level)
        yield FormField(
            "level",
            _("Level reached"),
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
        self.show_warnings()

    def on_field_changed(self, name: str) -> None:
        if name == "level":
            hint = scale_hint(self.app.repo.ds, self.plan.competency, self.raw("level"))
            self.set_hint("level", hint)

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        if values.get("level") is None:
            return {}
        values = {**values, "competency": self.plan.competency}
        return scale_problem(self.app.repo.ds, values, "level", low=0)

    def check_warnings(self, values: dict[str, Any]) -> dict[str, str]:
        level, on = values.get("level"), values.get("completed")
        if level is None or on is None:  # nothing recorded, or not readable yet
            return {}
        warnings = {
            "level": completion_warning(level, self.plan.target_level, self.current, on),
            "completed": assessment_date_warning(on, self.app.as_of),
        }
        return {name: warning for name, warning in warnings.items() if warning}

    def make_record(self, values: dict[str, Any]) -> Entity:
        self.level = values["level"]
        self.completed_on = values["completed"]
        return completed_plan(self.plan, self.completed_on)

    def save(self, record: Entity) -> TrainingPlan:
        return complete_plan(self.app.repo, self.plan, self.completed_on, self.level)

    def saved_message(self, saved: TrainingPlan) -> str:
        if self.level is None:
            return _("Training plan {id} completed").format(id=saved.id)
        message = _("Training plan {id} completed, level {level} recorded")
        return message.format(id=saved.id, level=self.level)
