"""Assign training to a cohort: the active people in a department subtree (optionally one role)
who are required to reach a level in a competency and are below it -- or, chosen explicitly,
everyone below it -- get a planned TrainingPlan, in one transaction, after a preview.

    CohortForm(due) -> list[TrainingPlan] | None

Who is included is decided by `reports.cohort.choose_cohort`: the preview and the plans created
are the same list; the preview counts the people required, below and already planned. Each plan
gets its own audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, Select, Static

from i18n import N_, _, format_integer, ngettext
from reports.cohort import Cohort, CohortCriteria, choose_cohort, cohort_plans
from reports.rules import plan_due_warning
from store.models import PlanStatus, TrainingPlan
from store.training import create_plans
from tui.forms.assessment import scale_problem
from tui.forms.base import FormField
from tui.forms.parsing import FormErrors, parse_date
from tui.forms.requirement import CodeFormScreen

PREVIEW_NAMES = 5
INCLUDE_CHOICES = [
    (N_("people required to reach it"), "required"),
    (N_("everyone below it"), "everyone"),
]
"""Who a cohort takes: by default the people required to reach the level; everyone, on request."""


@dataclass(frozen=True)
class CohortOrder:
    """What the form asks for: who (criteria), by when, with which course."""

    criteria: CohortCriteria
    due: dt.date
    course: str | None


def order_from_values(values: dict[str, Any]) -> CohortOrder:
    criteria = CohortCriteria(
        department=values["department"],
        competency=values["competency"],
        level=values["level"],
        role=values["role"],
        everyone_below=values.get("include") == "everyone",
    )
    return CohortOrder(criteria, values["due"], values["course"])


def preview_text(cohort: Cohort, names: int = PREVIEW_NAMES) -> Text:
    """'12 people will get a plan: A, B, C, D, E and 7 more', then how many are in scope,
    required to reach the level, below it and already planned (or why nobody will)."""
    count = len(cohort)
    text = Text()
    reason = cohort.why_empty()
    if reason is not None:
        text.append(_("Nobody will get a plan: {reason}").format(reason=reason), style="bold")
    else:
        who = ngettext("{n} person will get a plan: ", "{n} people will get a plan: ", count)
        text.append(who.format(n=format_integer(count)), style="bold")
        text.append(", ".join(cohort.first_names(names)))
        if count > names:
            text.append(_(" and {n} more").format(n=format_integer(count - names)))
    criteria = cohort.criteria
    below = _("everyone below it") if criteria.everyone_below else _("of them below it")
    figures = _(
        "In scope {in_scope} · required to reach level {level}: {required} · {below}: "
        "{below_count} · already planned: {planned} (left out)"
    ).format(
        in_scope=format_integer(cohort.in_scope),
        level=criteria.level,
        required=format_integer(cohort.required),
        below=below,
        below_count=format_integer(cohort.below),
        planned=format_integer(len(cohort.already_planned)),
    )
    text.append("\n" + figures, style="dim")
    return text


class CohortForm(CodeFormScreen):
    """Choose the cohort, see who is included, create their plans; None when cancelled."""

    title_text = N_("Assign training to a cohort")
    save_label = N_("Assign")
    BINDINGS = [Binding("ctrl+s", "save", N_("Assign"))]  # the footer says it as the button does

    def __init__(self, due: dt.date, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.start = {"due": due.isoformat(), **(values or {})}

    def fields(self) -> Iterable[FormField]:
        start = self.start
        yield self.code_field("department", _("Department"), start.get("department", ""), True)
        yield self.code_field("role", _("Role"), start.get("role", ""), False)
        yield self.code_field("competency", _("Competency"), start.get("competency", ""), True)
        yield self.level_field(
            _("Below level"), start.get("level", ""), start.get("competency", "")
        )
        choices = [(_(label), value) for label, value in INCLUDE_CHOICES]
        include = Select(choices, value="required", allow_blank=False, compact=True)
        yield FormField("include", _("Include"), include)
        yield self.code_field("course", _("Course"), start.get("course", ""), False)
        yield FormField("due", _("Due"), Input(start["due"], compact=True), parse_date)
        yield FormField("preview", _("Who"), Static(classes="fixed-value"), lambda _raw: None)

    def on_mount(self) -> None:
        self.show_preview()  # FormScreen.on_mount runs as well (Textual calls each class's)

    def on_field_changed(self, name: str) -> None:
        super().on_field_changed(name)
        self.show_preview()

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return scale_problem(self.app.repo.ds, values, "level")

    def check_warnings(self, values: dict[str, Any]) -> dict[str, str]:
        warning = plan_due_warning(values.get("due"), PlanStatus.PLANNED, self.app.as_of)
        return {"due": warning} if warning else {}

    def current_cohort(self) -> Cohort | None:
        """The cohort the fields describe now, or None while a field is not valid."""
        try:
            order = order_from_values(self.parsed_values())
        except FormErrors:
            return None
        return choose_cohort(self.app.analysis, order.criteria)

    def show_preview(self) -> None:
        cohort = self.current_cohort()
        preview = self.query_one("#field-preview", Static)
        if cohort is None:
            preview.update(Text(_("fill in the fields to see who is included"), style="dim"))
        else:
            preview.update(preview_text(cohort))

    def make_record(self, values: dict[str, Any]) -> CohortOrder:  # type: ignore[override]
        return order_from_values(values)

    def save(self, record: CohortOrder) -> list[TrainingPlan]:  # type: ignore[override]
        cohort = choose_cohort(self.app.analysis, record.criteria)
        return create_plans(self.app.repo, cohort_plans(cohort, record.due, record.course))

    def saved_message(self, saved: list[TrainingPlan]) -> str:
        n = len(saved)
        message = ngettext("{n} training plans created", "{n} training plans created", n)
        return message.format(n=format_integer(n))
