"""Add or update a person's training plan.

    TrainingPlanForm(staff_no, competency=None, target_level=None, plan=None)

With `plan` it edits that plan (saved with `expected=plan`, so a change someone else made since
is never overwritten: the form shows the conflict instead). Dismisses with the saved
`TrainingPlan` (its id handed out by the store for a new one) or None.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Input, Select, Static

from i18n import _, format_decimal
from reports.rules import plan_due_warning
from store.models import Entity, PlanStatus, TrainingPlan
from store.training import save_plan
from tui.forms.assessment import scale_hint, scale_problem
from tui.forms.base import FormField, FormScreen
from tui.forms.choices import labelled, status_options
from tui.forms.parsing import parse_int, parse_optional_date


def course_hint(ds, course: str | None) -> Text:
    """What a course raises: 'raises DC1.1 to 4, DC2.1 to 3 · 14 h'."""
    found = ds.courses.get(course) if course else None
    if found is None:
        return Text(_("optional"))
    raises = ", ".join(
        _("{code} to {level}").format(code=code, level=level)
        for code, level in sorted(found.raises.items())
    )
    hours = format_decimal(found.hours, len(f"{found.hours:g}".partition(".")[2]))
    return Text(
        _("raises {raises} · {hours} h").format(raises=raises or _("nothing listed"), hours=hours)
    )


class TrainingPlanForm(FormScreen[TrainingPlan]):
    def __init__(
        self,
        staff_no: str,
        competency: str | None = None,
        target_level: int | None = None,
        plan: TrainingPlan | None = None,
    ) -> None:
        super().__init__()
        self.staff_no = plan.staff if plan else staff_no
        self.plan = plan
        self.competency = plan.competency if plan else competency
        self.target_level = plan.target_level if plan else target_level
        self.title_text = (
            _("Update training plan {id}").format(id=plan.id) if plan else _("Add a training plan")
        )

    def fields(self) -> Iterable[FormField]:
        ds = self.app.repo.ds
        plan = self.plan
        person = ds.staff.get(self.staff_no)
        staff_no = self.staff_no
        yield FormField(
            "staff",
            _("Employee"),
            Static(
                labelled(staff_no, person.name if person else _("(unknown)")), classes="fixed-value"
            ),
            lambda _raw: staff_no,
        )
        yield self.reference_field(
            "competency", _("Competency"), "competencies", self.competency or ""
        )
        level = "" if self.target_level is None else str(self.target_level)
        yield FormField(
            "target_level",
            _("Target level"),
            Input(level, placeholder=_("level to reach"), compact=True),
            parse_int,
            hint=scale_hint(ds, self.competency, level, low=1),
        )
        course = self.reference_field(
            "course", _("Course"), "courses", (plan.course or "") if plan else "", required=False
        )
        if plan and plan.course in ds.courses:
            course.hint = course_hint(ds, plan.course)
        yield course
        due = plan.due.isoformat() if plan and plan.due else ""
        yield FormField(
            "due",
            _("Due"),
            Input(due, placeholder=_("YYYY-MM-DD (optional)"), compact=True),
            parse_optional_date,
        )
        status = str(plan.status) if plan else PlanStatus.PLANNED.value
        yield FormField(
            "status",
            _("Status"),
            Select(status_options(), value=status, allow_blank=False, compact=True),
        )
        done = plan.completed.isoformat() if plan and plan.completed else ""
        yield FormField(
            "completed",
            _("Completed on"),
            Input(done, placeholder=_("YYYY-MM-DD, only for a completed plan"), compact=True),
            parse_optional_date,
        )

    def on_field_changed(self, name: str) -> None:
        ds = self.app.repo.ds
        if name in ("competency", "target_level"):
            level = self.widget("target_level")
            assert isinstance(level, Input)
            hint = scale_hint(ds, self.resolved("competency"), level.value, low=1)
            self.set_hint("target_level", hint)
        elif name == "course" and self.resolved("course"):
            self.set_hint("course", course_hint(ds, self.resolved("course")))

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return scale_problem(self.app.repo.ds, values, "target_level")

    def check_warnings(self, values: dict[str, Any]) -> dict[str, str]:
        status = values.get("status", PlanStatus.PLANNED)
        warning = plan_due_warning(values.get("due"), status, self.app.as_of)
        return {"due": warning} if warning else {}

    def make_record(self, values: dict[str, Any]) -> Entity:
        return TrainingPlan(id=self.plan.id if self.plan else "", **values)

    def save(self, record: Entity) -> TrainingPlan:
        assert isinstance(record, TrainingPlan)
        return save_plan(self.app.repo, record, self.plan)

    def saved_message(self, saved: TrainingPlan) -> str:
        return _("Training plan {id} saved").format(id=saved.id)
