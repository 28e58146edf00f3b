"""Assign training to a cohort: everyone active in a department subtree (optionally one role) below
a level in a competency gets a planned TrainingPlan, in one transaction, after a preview.

Who is included is decided by `reports.cohort`, the same function the preview shows.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from reports.analysis import Analysis
from reports.cohort import Cohort, CohortCriteria, choose_cohort, cohort_plans
from store.dataset import Dataset
from store.errors import StoreError
from store.integrity import level_problems
from store.models import TrainingPlan
from store.repository import FolderRepository
from tui.forms.field import FormField, level_hint
from tui.forms.parse import (
    FieldProblem,
    optional_text,
    required_date,
    required_text,
    whole_number,
)

PREVIEW_NAMES = 5


def criteria_from_values(
    ds: Dataset, values: dict[str, str]
) -> tuple[CohortCriteria | None, dt.date | None, str | None, dict[str, str]]:
    """Typed values -> (criteria, due, course) or field -> what is wrong."""
    problems: dict[str, str] = {}

    def code(name: str, table: dict, what: str, required: bool) -> str | None:
        try:
            value = required_text(values.get(name, ""), what) if required else None
            value = value or optional_text(values.get(name, ""))
        except FieldProblem as error:
            problems[name] = str(error)
            return None
        if value is not None and value not in table:
            problems[name] = f"unknown {name} {value!r}"
        return value

    department = code("department", ds.departments, "a department code", True)
    role = code("role", ds.roles, "a role code", False)
    competency = code("competency", ds.competencies, "a competency code", True)
    course = code("course", ds.courses, "a course code", False)
    level = None
    try:
        level = whole_number(values.get("level", ""), "a target level")
        if competency and "competency" not in problems:
            found = level_problems(ds, competency, level, "target_level")
            if found:
                problems["level"] = found[0].partition(": ")[2]
        elif level < 1:
            problems["level"] = "must be at least 1"
    except FieldProblem as error:
        problems["level"] = str(error)
    due = None
    try:
        due = required_date(values.get("due", ""), "a due date")
    except FieldProblem as error:
        problems["due"] = str(error)
    if problems:
        return None, None, None, problems
    criteria = CohortCriteria(department=department, competency=competency, level=level, role=role)
    return criteria, due, course, {}


def preview_text(cohort: Cohort, names: int = PREVIEW_NAMES) -> Text:
    """'12 people will get a plan: A, B, C, D, E and 7 more' (+ who is skipped and why)."""
    count = len(cohort)
    text = Text()
    if count == 0:
        text.append("Nobody in scope is below that level", style="bold")
    else:
        text.append(
            f"{count:,} {'person' if count == 1 else 'people'} will get a plan: ", style="bold"
        )
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


def course_hint(ds: Dataset, code: str) -> str:
    course = ds.courses.get(code.strip())
    if course is None:
        return "optional"
    raises = ", ".join(f"{c} to {lvl}" for c, lvl in course.raises.items())
    return f"{course.name}" + (f" (raises {raises})" if raises else "")


class CohortForm(ModalScreen[list[TrainingPlan] | None]):
    """Choose the cohort, see who is included, create their plans; None when cancelled."""

    CSS_PATH = "form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Create plans"),
    ]

    def __init__(self, as_of: dt.date, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.as_of = as_of
        self.start = values or {}
        self.touched: set[str] = set()
        self.cohort: Cohort | None = None

    @property
    def ds(self) -> Dataset:
        return self.app.repo.ds

    def compose(self) -> ComposeResult:
        ds, start = self.ds, self.start
        with VerticalScroll(id="form"):
            yield Label("Assign training to a cohort", id="title")
            with Horizontal(classes="pair"):
                yield FormField(
                    "Department (and all below it)",
                    "department",
                    start.get("department", ""),
                    suggestions=sorted(ds.departments),
                )
                yield FormField(
                    "Role (optional)", "role", start.get("role", ""), suggestions=sorted(ds.roles)
                )
            with Horizontal(classes="pair"):
                yield FormField(
                    "Competency",
                    "competency",
                    start.get("competency", ""),
                    suggestions=sorted(ds.competencies),
                )
                yield FormField("Target level (who is below it)", "level", start.get("level", ""))
            with Horizontal(classes="pair"):
                yield FormField(
                    "Course (optional)",
                    "course",
                    start.get("course", ""),
                    suggestions=sorted(ds.courses),
                )
                yield FormField("Due", "due", start.get("due", ""), placeholder="YYYY-MM-DD")
            yield Static("", id="preview", classes="preview")
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Create plans (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._check()
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        return {f.field_name: f.value for f in self.query(FormField)}

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.touched.add(event.input.id)
        self._check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def _hint(self, name: str, values: dict[str, str]) -> str:
        ds = self.ds
        value = values[name].strip()
        hints = {
            "department": ds.departments[value].name if value in ds.departments else "",
            "role": ds.roles[value].name if value in ds.roles else "empty: every role",
            "competency": ds.competencies[value].name if value in ds.competencies else "",
            "course": course_hint(ds, value),
            "due": "YYYY-MM-DD",
            "level": level_hint(ds, values["competency"], value),
        }
        return hints.get(name, "")

    def _check(self, everything: bool = False):
        values = self.values()
        criteria, due, course, problems = criteria_from_values(self.ds, values)
        for field in self.query(FormField):
            name = field.field_name
            shown = everything or name in self.touched or bool(values.get(name))
            field.show(problems.get(name) if shown else None, self._hint(name, values))
        preview = self.query_one("#preview", Static)
        if criteria is None:
            self.cohort = None
            preview.update(Text("Fill in the fields to see who is included", style="dim"))
        else:
            analysis: Analysis = self.app.analysis
            self.cohort = choose_cohort(analysis, criteria)
            preview.update(preview_text(self.cohort))
        return criteria, due, course

    def action_save(self) -> None:
        criteria, due, course = self._check(everything=True)
        if criteria is None or self.cohort is None:
            self.notify("Not saved: fix the fields marked in red", severity="warning")
            return
        if len(self.cohort) == 0:
            self.notify("Nobody to assign: no plans created", severity="warning")
            return
        try:
            saved = save_cohort(self.app.repo, cohort_plans(self.cohort, due, course))
        except StoreError as error:
            self.query_one("#form-error", Static).update(Text(str(error)))
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
