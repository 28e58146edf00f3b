"""The requirement form: add or edit what the strategy requires of a department (and role).

Every field is checked as it is typed, with the store's own rules (`store.integrity`), so the form
and an import say the same thing. Nothing is saved until every field is valid; Escape cancels.
"""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from store.dataset import Dataset
from store.errors import StoreError, ValidationProblem
from store.integrity import record_problems
from store.models import Priority, Requirement
from store.repository import FolderRepository
from tui.forms.field import FormField, level_hint
from tui.forms.parse import (
    FieldProblem,
    optional_date,
    optional_text,
    problems_by_field,
    pydantic_problems,
    required_text,
    whole_number,
)

TEXT_FIELDS = ("department", "role", "competency", "level", "due", "theme")
FIELDS = {*TEXT_FIELDS, "priority"}


def requirement_from_values(
    ds: Dataset, values: dict[str, str]
) -> tuple[Requirement | None, dict[str, str]]:
    """Typed values -> a Requirement the store accepts, or field -> what is wrong."""
    problems: dict[str, str] = {}
    parsed: dict[str, object] = {}
    parsers = {
        "department": lambda t: required_text(t, "a department code"),
        "role": optional_text,
        "competency": lambda t: required_text(t, "a competency code"),
        "level": lambda t: whole_number(t, "a level"),
        "due": optional_date,
        "theme": optional_text,
        "priority": lambda t: Priority(t or Priority.MUST),
    }
    for name, parse in parsers.items():
        try:
            parsed[name] = parse(values.get(name, ""))
        except (FieldProblem, ValueError) as error:
            problems[name] = str(error)
    if problems:
        partial = {k: v for k, v in parsed.items() if v is not None}
        problems = {**_reference_problems(ds, partial), **problems}
        return None, problems
    try:
        requirement = Requirement(**parsed)
    except ValidationError as error:
        return None, pydantic_problems(error, FIELDS)
    problems = problems_by_field(record_problems(ds, requirement), FIELDS)
    return (None, problems) if problems else (requirement, {})


def _reference_problems(ds: Dataset, partial: dict[str, object]) -> dict[str, str]:
    """Unknown codes among the fields that did parse, so each field reports on its own."""
    found: dict[str, str] = {}
    tables = {
        "department": ds.departments,
        "role": ds.roles,
        "competency": ds.competencies,
        "theme": ds.themes,
    }
    for name, table in tables.items():
        code = partial.get(name)
        if code is not None and code not in table:
            found[name] = f"unknown {name} {code!r}"
    return found


def save_requirement(
    repo: FolderRepository, new: Requirement, original: Requirement | None
) -> Requirement:
    """Create, update, or re-key a requirement without overwriting anyone else's change."""
    if original is None:
        return repo.create(new)
    if original.key() == new.key():
        return repo.put(new, expected=original)
    with repo.transaction() as tx:
        tx.delete("requirements", original.key(), expected=original)
        return tx.create(new)


def hint_for(ds: Dataset, name: str, values: dict[str, str]) -> str:
    """What a valid value means: the department's name, the level's label..."""
    code = values.get(name, "").strip()
    if name == "department" and code in ds.departments:
        return ds.departments[code].name
    if name == "role":
        return ds.roles[code].name if code in ds.roles else "empty: every role"
    if name == "competency" and code in ds.competencies:
        return ds.competencies[code].name
    if name == "theme":
        return ds.themes[code].title if code in ds.themes else "optional"
    if name == "due":
        return "optional, YYYY-MM-DD"
    if name == "level":
        return level_hint(ds, values.get("competency", ""), code)
    return ""


class RequirementForm(ModalScreen[Requirement | None]):
    """Add (original None) or edit a requirement; dismisses with the saved one, or None."""

    CSS_PATH = "form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, original: Requirement | None = None, competency: str | None = None) -> None:
        super().__init__()
        self.original = original
        self.start = _values_of(original) if original else {"competency": competency or ""}
        self.touched: set[str] = set()

    @property
    def ds(self) -> Dataset:
        return self.app.repo.ds

    def compose(self) -> ComposeResult:
        ds, start = self.ds, self.start
        title = "Edit requirement" if self.original else "New requirement"
        with VerticalScroll(id="form"):
            yield Label(title, id="title")
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
                yield FormField("Level", "level", start.get("level", ""))
            with Horizontal(classes="pair"):
                yield FormField(
                    "Due (optional)", "due", start.get("due", ""), placeholder="YYYY-MM-DD"
                )
                yield FormField(
                    "Theme (optional)",
                    "theme",
                    start.get("theme", ""),
                    suggestions=sorted(ds.themes),
                )
            yield Label("Priority")
            yield Select(
                [(p.value, p.value) for p in Priority],
                value=start.get("priority", Priority.MUST.value),
                allow_blank=False,
                id="priority",
                compact=True,
            )
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._check()
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        values = {f.field_name: f.value for f in self.query(FormField)}
        values["priority"] = str(self.query_one("#priority", Select).value)
        return values

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.touched.add(event.input.id)
        self._check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def _check(self, everything: bool = False) -> tuple[Requirement | None, dict[str, str]]:
        """Validate all fields; show problems of the touched ones (all of them on save)."""
        values = self.values()
        requirement, problems = requirement_from_values(self.ds, values)
        for field in self.query(FormField):
            name = field.field_name
            shown = everything or name in self.touched or bool(values.get(name))
            problem = problems.get(name) if shown else None
            field.show(problem, hint_for(self.ds, name, values))
        general = (problems.get("") or problems.get("priority")) if everything else None
        self.query_one("#form-error", Static).update(Text(general or ""))
        return requirement, problems

    def action_save(self) -> None:
        requirement, problems = self._check(everything=True)
        if requirement is None:
            self.notify("Not saved: fix the fields marked in red", severity="warning")
            return
        try:
            saved = save_requirement(self.app.repo, requirement, self.original)
        except ValidationProblem as error:
            self._show_store_problems(error.problems)
            return
        except StoreError as error:
            self.query_one("#form-error", Static).update(Text(str(error)))
            return
        self.dismiss(saved)

    def _show_store_problems(self, lines: list[str]) -> None:
        problems = problems_by_field(lines, FIELDS)
        for field in self.query(FormField):
            if field.field_name in problems:
                field.show(problems[field.field_name])
        general = problems.get("")
        if general == "already exists":
            general = "a requirement for this competency, department and role already exists"
        self.query_one("#form-error", Static).update(Text(general or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _values_of(requirement: Requirement) -> dict[str, str]:
    return {
        "department": requirement.department,
        "role": requirement.role or "",
        "competency": requirement.competency,
        "level": str(requirement.level),
        "due": requirement.due.isoformat() if requirement.due else "",
        "theme": requirement.theme or "",
        "priority": str(requirement.priority),
    }
