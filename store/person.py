"""One person's data on request (GDPR art. 15): everything held about them.

Their erasure (art. 17) is `store.erasure`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from i18n import N_, _, format_date, language
from store.auditlog import about_employee, raw_entries
from store.errors import NotFoundError
from store.labels import audit_action_label, plan_status_label, source_label
from store.models import Robot

if TYPE_CHECKING:
    from store.dataset import Dataset
    from store.unit_of_work import Repository

# ----------------------------------------------------------------- export


def person_data(repo: Repository, employee_no: str) -> dict:
    """Everything held about one person, as JSON-ready values; NotFoundError if nothing is."""
    return data_about(repo.ds, raw_entries(repo), employee_no)


def data_about(ds: Dataset, audit: Iterable[dict], employee_no: str) -> dict:
    """`person_data` of one version's data and its audit log (an erasure reads both under the
    write lock)."""
    staff = ds.staff.get(employee_no)
    assessments = [
        {**row.to_model().model_dump(mode="json"), "recorded": row.seq + 1}
        for row in ds.assessments
        if row.staff == employee_no
    ]
    plans = [
        p.model_dump(mode="json") for p in ds.training_plans.values() if p.staff == employee_no
    ]
    robots = [
        {"code": r.code, "name": r.name, "as": _robot_roles(r, employee_no)}
        for r in ds.robots.values()
        if _robot_roles(r, employee_no)
    ]
    audit = [e for e in audit if about_employee(e, employee_no)]
    if staff is None and not (assessments or plans or robots or audit):
        raise NotFoundError("staff", employee_no)
    profile = staff.model_dump(mode="json") if staff else None
    if staff is not None:
        department = ds.departments.get(staff.department)
        role = ds.roles.get(staff.role or "")
        profile["department_name"] = department.name if department else None
        profile["role_name"] = role.name if role else None
    return {
        "employee_no": employee_no,
        "profile": profile,
        "assessments": assessments,
        "training_plans": plans,
        "robots": robots,
        "audit_entries": audit,
    }


def _robot_roles(robot: Robot, employee_no: str) -> list[str]:
    roles = ["owner"] if robot.owner == employee_no else []
    return roles + (["operator"] if employee_no in robot.operators else [])


SECTIONS = (
    (N_("Assessments ({n})"), "assessments"),
    (N_("Training plans ({n})"), "training_plans"),
    (N_("Robots ({n})"), "robots"),
    (N_("Audit entries ({n})"), "audit_entries"),
)
LABELS = {
    "employee_no": N_("Employee number"),
    "as": N_("Role"),
    "at": N_("When"),
    "key": N_("Record"),
    # the rest read as their field names do ('valid_until' -> 'Valid until'): listed so that
    # each has its words in every language
    "name": N_("Name"),
    "email": N_("Email"),
    "department": N_("Department"),
    "role": N_("Role"),
    "digital_agent": N_("Digital agent"),
    "active": N_("Active"),
    "start_date": N_("Start date"),
    "department_name": N_("Department name"),
    "role_name": N_("Role name"),
    "staff": N_("Staff"),
    "competency": N_("Competency"),
    "level": N_("Level"),
    "date": N_("Date"),
    "source": N_("Source"),
    "assessor": N_("Assessor"),
    "valid_until": N_("Valid until"),
    "note": N_("Note"),
    "recorded": N_("Recorded"),
    "id": N_("Id"),
    "target_level": N_("Target level"),
    "course": N_("Course"),
    "due": N_("Due"),
    "status": N_("Status"),
    "completed": N_("Completed"),
    "code": N_("Code"),
    "user": N_("User"),
    "action": N_("Action"),
    "entity": N_("Entity"),
    "changes": N_("Changes"),
}
"""Each field's label; a field not listed reads as its name ('valid_until' -> 'Valid until')."""

ROBOT_ROLES = {"owner": N_("owner"), "operator": N_("operator")}
"""A person's part in a robot (the `as` list), in words."""

VALUE_LABELS = {
    "source": source_label,
    "status": plan_status_label,
    "action": audit_action_label,
    "as": lambda value: _(ROBOT_ROLES.get(value, value)),
    "entity": _,  # a table's name ('training_plans'), in words (store.problems.WORDS)
}
"""Fields whose values are enumerations: shown as their labels in another language than
English (English shows the stored values, as this text always did)."""

DATES = frozenset({"start_date", "date", "valid_until", "due", "completed"})
"""Fields holding a date, written the current language's way."""


def person_text(data: dict) -> str:
    """The same as `person_data`, for the person to read, in the current language: a heading
    per section, each record numbered, its fields as `Label: value` lines with the values lined
    up, yes/no for booleans and '-' where nothing is held."""
    title = _("Data held about employee {employee_no}").format(employee_no=data["employee_no"])
    lines = _heading(title, "=")
    lines += ["", *_heading(_("Profile"), "-")]
    profile = data["profile"]
    lines += _fields(profile) if profile else [_("(no staff record: only the records below)")]
    for title, name in SECTIONS:
        items = data[name]
        lines += ["", *_heading(_(title).format(n=len(items)), "-")]
        if not items:
            lines.append(_("(none)"))
        margin = len(f"{len(items)}. ")
        for number, item in enumerate(items, start=1):
            first, *rest = _fields(item)
            lines += [f"{number}.".ljust(margin) + first, *(" " * margin + line for line in rest)]
            if number < len(items):
                lines.append("")
    return "\n".join(lines) + "\n"


def _heading(text: str, underline: str) -> list[str]:
    return [text, underline * len(text)]


def _label(name: str) -> str:
    label = LABELS.get(name)
    return _(label) if label else name.replace("_", " ").capitalize()


def _fields(record: dict) -> list[str]:
    """`Label: value` lines, values starting in one column; a value of several lines (an audit
    entry's changes) continues in that column."""
    width = max(len(_label(name)) for name in record) + 2
    lines = []
    for name, value in record.items():
        first, *rest = _value_lines(value, name)
        lines.append(f"{_label(name) + ':':<{width}}{first}".rstrip())
        lines += [" " * width + line for line in rest]
    return lines


def _value_lines(value: object, field: str = "") -> list[str]:
    if isinstance(value, dict):  # an audit entry's changes: field -> [old, new]
        return [_change(name, change) for name, change in value.items()] or ["-"]
    return [_readable(value, field)]


def _change(name: str, change: object) -> str:
    # English keeps the field's own words ('employee no'); another language its label's
    label = name.replace("_", " ") if language() == "en" else _label(name).lower()
    if isinstance(change, list) and len(change) == 2:
        old, new = change
        if old is None:
            return f"{label}: {_readable(new, name)}"
        if new is None:
            return _("{field}: was {old}").format(field=label, old=_readable(old, name))
        return f"{label}: {_readable(old, name)} -> {_readable(new, name)}"
    return f"{label}: {_readable(change, name)}"


def _readable(value: object, field: str = "") -> str:
    """One value as a person reads it: yes/no, '-' for nothing, lists joined with commas,
    enumerations as their labels and dates as the language writes them."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_readable(v, field) for v in value) or "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_readable(v, k)}" for k, v in value.items()) or "-"
    if field in VALUE_LABELS and isinstance(value, str) and language() != "en":
        return VALUE_LABELS[field](value)
    if field in DATES and isinstance(value, str):
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)
