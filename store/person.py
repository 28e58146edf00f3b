"""One person's data on request (GDPR art. 15): everything held about them.

Their erasure (art. 17) is `store.erasure`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from store.auditlog import about_employee, raw_entries
from store.errors import NotFoundError
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
    ("Assessments", "assessments"),
    ("Training plans", "training_plans"),
    ("Robots", "robots"),
    ("Audit entries", "audit_entries"),
)
LABELS = {"employee_no": "Employee number", "as": "Role", "at": "When", "key": "Record"}
"""Field names whose plain reading would mislead; the rest read as 'valid_until' -> 'Valid until'."""


def person_text(data: dict) -> str:
    """The same as `person_data`, for the person to read: a heading per section, each record
    numbered, its fields as `Label: value` lines with the values lined up, yes/no for booleans
    and '-' where nothing is held."""
    lines = _heading(f"Data held about employee {data['employee_no']}", "=")
    lines += ["", *_heading("Profile", "-")]
    profile = data["profile"]
    lines += _fields(profile) if profile else ["(no staff record: only the records below)"]
    for title, name in SECTIONS:
        items = data[name]
        lines += ["", *_heading(f"{title} ({len(items)})", "-")]
        if not items:
            lines.append("(none)")
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
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def _fields(record: dict) -> list[str]:
    """`Label: value` lines, values starting in one column; a value of several lines (an audit
    entry's changes) continues in that column."""
    width = max(len(_label(name)) for name in record) + 2
    lines = []
    for name, value in record.items():
        first, *rest = _value_lines(value)
        lines.append(f"{_label(name) + ':':<{width}}{first}".rstrip())
        lines += [" " * width + line for line in rest]
    return lines


def _value_lines(value: object) -> list[str]:
    if isinstance(value, dict):  # an audit entry's changes: field -> [old, new]
        return [_change(name, change) for name, change in value.items()] or ["-"]
    return [_readable(value)]


def _change(name: str, change: object) -> str:
    label = name.replace("_", " ")
    if isinstance(change, list) and len(change) == 2:
        old, new = change
        if old is None:
            return f"{label}: {_readable(new)}"
        if new is None:
            return f"{label}: was {_readable(old)}"
        return f"{label}: {_readable(old)} -> {_readable(new)}"
    return f"{label}: {_readable(change)}"


def _readable(value: object) -> str:
    """One value as a person reads it: yes/no, '-' for nothing, lists joined with commas."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_readable(v) for v in value) or "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_readable(v)}" for k, v in value.items()) or "-"
    return str(value)
