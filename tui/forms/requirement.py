"""The requirement form: add or edit what the strategy requires of a department (and role).

    RequirementForm(original=None, competency=None) -> Requirement | None

The department, role, competency and theme are typed as a code or a name (F2 searches them); an
unknown or ambiguous one is named at its field; the level is checked against the competency's
scale. Nothing
is saved until every field is valid; Escape cancels. Built on `FormScreen`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import Input, Select

from i18n import N_, _
from store.dataset import Dataset
from store.models import Entity, Priority, Requirement
from store.requirements import save_requirement
from tui.forms.assessment import scale_hint, scale_problem
from tui.forms.base import FormField, FormScreen
from tui.forms.choices import priority_options
from tui.forms.parsing import parse_int, parse_optional_date

REFERENCES = {
    "department": ("departments", ""),
    "role": ("roles", N_("empty: every role")),
    "competency": ("competencies", ""),
    "theme": ("themes", N_("optional")),
    "course": ("courses", N_("optional")),
}
"""Field -> (the table it refers to, what leaving it empty means, as marked)."""


def describe(ds: Dataset, requirement: Requirement) -> str:
    """One line naming a requirement: 'DC1.1 level 3 for D10 Borgerservice (all roles)'."""
    department = ds.departments.get(requirement.department)
    where = f"{requirement.department} {department.name}" if department else requirement.department
    if requirement.role:
        text = _("{competency} level {level} for {department} (role {role})")
    else:
        text = _("{competency} level {level} for {department} (all roles)")
    return text.format(
        competency=requirement.competency,
        level=requirement.level,
        department=where,
        role=requirement.role,
    )


class CodeFormScreen(FormScreen):
    """A FormScreen whose reference fields take a code or a name (F2 searches) and whose level
    hint follows the competency."""

    def on_field_changed(self, name: str) -> None:
        if name in ("competency", "level") and "level" in self.specs:
            competency = self.resolved("competency")
            hint = scale_hint(self.app.repo.ds, competency, self.raw("level"), low=1)
            self.set_hint("level", hint)

    def code_field(self, name: str, label: str, value: str, required: bool) -> FormField:
        table, empty = REFERENCES[name]
        return self.reference_field(name, label, table, value, required=required, empty=empty)

    def level_field(self, label: str, value: str, competency: str) -> FormField:
        return FormField(
            "level",
            label,
            Input(value, placeholder=_("level"), compact=True),
            parse_int,
            hint=scale_hint(self.app.repo.ds, competency, value, low=1),
        )


class RequirementForm(CodeFormScreen):
    """Add (original None) or edit a requirement; dismisses with the saved one, or None."""

    def __init__(self, original: Requirement | None = None, competency: str | None = None) -> None:
        super().__init__()
        self.original = original
        self.start = _values_of(original) if original else {"competency": competency or ""}
        self.title_text = _("Edit requirement") if original else _("New requirement")

    def fields(self) -> Iterable[FormField]:
        start = self.start
        yield self.code_field("department", _("Department"), start.get("department", ""), True)
        yield self.code_field("role", _("Role"), start.get("role", ""), False)
        yield self.code_field("competency", _("Competency"), start.get("competency", ""), True)
        yield self.level_field(_("Level"), start.get("level", ""), start.get("competency", ""))
        yield FormField(
            "priority",
            _("Priority"),
            Select(
                priority_options(),
                value=start.get("priority", Priority.MUST.value),
                allow_blank=False,
                compact=True,
            ),
        )
        yield FormField(
            "due",
            _("Due"),
            Input(start.get("due", ""), placeholder=_("YYYY-MM-DD (optional)"), compact=True),
            parse_optional_date,
        )
        yield self.code_field("theme", _("Theme"), start.get("theme", ""), False)

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return scale_problem(self.app.repo.ds, values, "level")

    def make_record(self, values: dict[str, Any]) -> Entity:
        return Requirement(**values)

    def save(self, record: Entity) -> Requirement:
        assert isinstance(record, Requirement)
        return save_requirement(self.app.repo, record, self.original)

    def saved_message(self, saved: Requirement) -> str:
        return _("Saved: {what}").format(what=describe(self.app.repo.ds, saved))


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
