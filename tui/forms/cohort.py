"""Assign training to a cohort: everyone active in a department subtree (optionally one role) below
a level in a competency gets a planned TrainingPlan, in one transaction, after a preview.

    CohortForm(due) -> list[TrainingPlan] | None

Who is included is decided by `reports.cohort.choose_cohort`: the preview and the plans created
are the same list. Each plan gets its own audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Input, Static

from reports.cohort import Cohort, CohortCriteria, choose_cohort, cohort_plans
from reports.rules import plan_due_warning
from store.errors import StoreError
from store.models import PlanStatus, TrainingPlan
from store.repository import FolderRepository
from tui.forms.assessment import scale_problem
from tui.forms.base import FormField
from tui.forms.parsing import FormErrors, parse_date
from tui.forms.requirement import CodeFormScreen

PREVIEW_NAMES = 5


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
    )
    return CohortOrder(criteria, values["due"], values["course"])


def preview_text(cohort: Cohort, names: int = PREVIEW_NAMES) -> Text:
    """'12 people will get a plan: A, B, C, D, E and 7 more' (+ who is left out and why)."""
    count = len(cohort)
    text = Text()
    if count == 0:
        text.append("Nobody in scope is below that level", style="bold")
    else:
        who = "person" if count == 1 else "people"
        text.append(f"{count:,} {who} will get a plan: ", style="bold")
        text.append(", ".join(cohort.first_names(names)))
        if count > names:
            text.append(f" and {count - names:,} more")
    if cohort.already_planned:
        skipped = len(cohort.already_planned)
        text.append(
            f"\n{skipped:,} more {'is' if skipped == 1 else 'are'} below it but already "
            f"{'has' if skipped == 1 else 'have'} an open plan reaching the level: left out",
            style="dim",
        )
    return text


def save_cohort(repo: FolderRepository, plans: list[TrainingPlan]) -> list[TrainingPlan]:
    """All plans in one transaction (one audit entry each)."""
    with repo.transaction() as tx:
        return [tx.put(plan) for plan in plans]


class CohortForm(CodeFormScreen):
    """Choose the cohort, see who is included, create their plans; None when cancelled."""

    title_text = "Assign training to a cohort"
    save_label = "Assign"

    def __init__(self, due: dt.date, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.start = {"due": due.isoformat(), **(values or {})}

    def fields(self) -> Iterable[FormField]:
        start = self.start
        yield self.code_field("department", "Department", start.get("department", ""), True)
        yield self.code_field("role", "Role", start.get("role", ""), False)
        yield self.code_field("competency", "Competency", start.get("competency", ""), True)
        yield self.level_field("Below level", start.get("level", ""), start.get("competency", ""))
        yield self.code_field("course", "Course", start.get("course", ""), False)
        yield FormField("due", "Due", Input(start["due"], compact=True), parse_date)
        yield FormField("preview", "Who", Static(classes="fixed-value"), lambda _: None)

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
            preview.update(Text("fill in the fields to see who is included", style="dim"))
        else:
            preview.update(preview_text(cohort))

    def make_record(self, values: dict[str, Any]) -> CohortOrder:  # type: ignore[override]
        return order_from_values(values)

    def save(self, record: CohortOrder) -> list[TrainingPlan]:  # type: ignore[override]
        cohort = choose_cohort(self.app.analysis, record.criteria)
        if len(cohort) == 0:
            raise StoreError("nobody in scope is below that level: no plans were created")
        return save_cohort(self.app.repo, cohort_plans(cohort, record.due, record.course))

    def saved_message(self, saved: list[TrainingPlan]) -> str:
        return f"{len(saved):,} training plans created"
