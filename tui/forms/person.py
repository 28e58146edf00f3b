"""Edit a person (or add one): name, e-mail, department, role, digital agent, start date, active.

    PersonForm(staff=None)

Saves with `expected=staff`, so if someone else changed the person since the form opened,
nothing is overwritten and the form says so. Dismisses with the saved `Staff` or None.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import Input, Static

from i18n import N_, _
from reports.robots import last_operator_warning
from store.integrity import key_taken_problems
from store.models import Entity, Staff
from store.problems import by_field
from store.staff import save_person
from tui.forms.base import FormField, FormScreen
from tui.forms.checkbox import MarkedCheckbox
from tui.forms.choices import labelled
from tui.forms.parsing import optional_text, parse_optional_date, parse_required


class PersonForm(FormScreen[Staff]):
    def __init__(self, staff: Staff | None = None) -> None:
        super().__init__()
        self.staff = staff
        self.title_text = _("Edit person") if staff else _("Add a person")

    def fields(self) -> Iterable[FormField]:
        person = self.staff
        if person is not None:
            number = person.employee_no
            yield FormField(
                "employee_no",
                _("Employee no."),
                Static(labelled(number, ""), classes="fixed-value"),
                lambda _raw: number,
            )
        else:
            yield FormField(
                "employee_no",
                _("Employee no."),
                Input(placeholder=_("employee number from the HR system"), compact=True),
                lambda raw: parse_required(raw, N_("an employee number")),
            )
        yield FormField(
            "name",
            _("Name"),
            Input(person.name if person else "", compact=True),
            lambda raw: parse_required(raw, N_("a name")),
        )
        yield FormField(
            "email",
            _("E-mail"),
            Input((person.email or "") if person else "", placeholder=_("optional"), compact=True),
            optional_text,
        )
        yield self.reference_field(
            "department", _("Department"), "departments", person.department if person else ""
        )
        yield self.reference_field(
            "role",
            _("Role"),
            "roles",
            (person.role or "") if person else "",
            required=False,
            empty=N_("empty: no role"),
        )
        yield FormField(
            "digital_agent",
            _("Digital agent"),
            MarkedCheckbox(
                _("drives digitalisation locally"),
                person.digital_agent if person else False,
                compact=True,
            ),
        )
        start = person.start_date.isoformat() if person and person.start_date else ""
        yield FormField(
            "start_date",
            _("Start date"),
            Input(start, placeholder=_("YYYY-MM-DD (optional)"), compact=True),
            parse_optional_date,
        )
        yield FormField(
            "active",
            _("Active"),
            MarkedCheckbox(
                _("employed (inactive staff are left out of figures)"),
                person.active if person else True,
                compact=True,
            ),
        )

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        """A new person's number that someone has already: named with everything else."""
        if self.staff is not None or "employee_no" not in values:
            return {}
        taken = key_taken_problems(self.app.repo.ds, "staff", values["employee_no"])
        return by_field(taken, {"employee_no"})[0]

    def check_warnings(self, values: dict[str, Any]) -> dict[str, str]:
        """Deactivating the last qualified operator of a robot in production: said first."""
        if self.staff is None or not self.staff.active or values.get("active") is not False:
            return {}
        warning = last_operator_warning(self.app.analysis, self.staff.employee_no)
        return {"active": warning} if warning else {}

    def make_record(self, values: dict[str, Any]) -> Entity:
        return Staff(**values)

    def save(self, record: Entity) -> Staff:
        assert isinstance(record, Staff)
        return save_person(self.app.repo, record, self.staff)

    def saved_message(self, saved: Staff) -> str:
        return _("Saved {employee_no}").format(employee_no=saved.employee_no)
