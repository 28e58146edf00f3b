"""One person's data on request (GDPR): everything held about them, or its erasure.

Erasure removes the staff record, their assessments and training plans, drops them from robots
(operator, owner), and replaces their employee number, name and e-mail with a pseudonym wherever
else they occur -- audit entries, notes, other records, and the backups under `<db>/backups/`.
The erasure itself is recorded in the audit log, under the pseudonym only.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field

from pydantic import ValidationError

from store.auditlog import about_employee, new_entry, raw_entries
from store.errors import NotFoundError
from store.files import atomic_write
from store.models import AuditAction, Entity, Robot
from store.repository import FolderRepository

# ----------------------------------------------------------------- export


def person_data(repo: FolderRepository, employee_no: str) -> dict:
    """Everything held about one person, as JSON-ready values; NotFoundError if nothing is."""
    ds = repo.ds
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
    audit = [e for e in raw_entries(repo) if about_employee(e, employee_no)]
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


# ----------------------------------------------------------------- erasure


@dataclass
class Identity:
    """What identifies the person: replaced by `pseudonym` wherever it occurs."""

    employee_no: str
    pseudonym: str
    texts: set[str] = field(default_factory=set)
    """Names and e-mail addresses (current and earlier), replaced also inside longer text."""

    def scrub(self, value: object, texts: bool = True) -> object:
        """`value` with the person replaced; `texts=False` replaces the employee number only
        (for another person's record, whose name may be the same)."""
        if isinstance(value, str):
            if value == self.employee_no:
                return self.pseudonym
            if "|" in value:
                value = "|".join(
                    self.pseudonym if p == self.employee_no else p for p in value.split("|")
                )
            for text in self.texts if texts else ():
                if text.casefold() in value.casefold():
                    value = _replace_words(value, text, self.pseudonym)
            return value
        if isinstance(value, list):
            return [self.scrub(v, texts) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub(v, texts) for k, v in value.items()}
        return value

    def scrub_audit(self, entry: dict) -> dict:
        """An audit entry with the person replaced; another person's entries keep their name."""
        other_person = entry.get("entity") == "staff" and entry.get("key") != self.employee_no
        return self.scrub(entry, texts=not other_person)

    def mentioned_in(self, data: bytes) -> bool:
        text = data.decode("utf-8", "replace").casefold()
        needles = [f'"{self.employee_no}"', f'"{self.employee_no}|', f"|{self.employee_no}|"]
        return any(n.casefold() in text for n in needles + [t for t in self.texts if t])


def _replace_words(value: str, text: str, replacement: str) -> str:
    """Replace `text` as a whole word or phrase, any case ('Bo' leaves 'Borgerservice' alone)."""
    pattern = re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)
    return pattern.sub(replacement, value)


def identity_of(repo: FolderRepository, employee_no: str, pseudonym: str | None = None) -> Identity:
    """The person's identifiers, including earlier names and addresses found in the audit log."""
    identity = Identity(employee_no, pseudonym or f"ERASED-{secrets.token_hex(4)}")
    staff = repo.ds.staff.get(employee_no)
    if staff is not None:
        identity.texts |= {staff.name, staff.email or ""}
    for entry in raw_entries(repo):
        if entry.get("entity") == "staff" and entry.get("key") == employee_no:
            for name in ("name", "email"):
                identity.texts |= {v for v in entry.get("changes", {}).get(name, []) if v}
    identity.texts.discard("")
    return identity


def erase_person(repo: FolderRepository, employee_no: str, *, backups: bool = True) -> dict:
    """Erase everything about one person; returns what was removed (counts) and the pseudonym."""
    repo.refresh()
    person_data(repo, employee_no)  # NotFoundError when nothing is held: nothing changes
    identity = identity_of(repo, employee_no)
    counts = _erase(repo, identity)
    counts["backups rewritten"] = _erase_in_backups(repo, identity) if backups else 0
    repo.save_snapshot()  # the erasure deleted the history snapshot: the next open stays fast
    return {"pseudonym": identity.pseudonym, "counts": counts}


def _erase(repo: FolderRepository, identity: Identity) -> dict[str, int]:
    counts: Counter[str] = Counter()
    no = identity.employee_no

    def history(records: list[dict]) -> list[dict]:
        kept = [r for r in records if r.get("staff") != no]
        counts["assessments"] += len(records) - len(kept)
        return [identity.scrub(r) for r in kept]

    repo.rewrite_history("assessments", history)
    repo.rewrite_history("robot_benefits", lambda records: [identity.scrub(r) for r in records])
    with repo.transaction() as tx:
        for robot in list(repo.ds.robots.values()):
            if robot.owner == no or no in robot.operators:
                operators = [o for o in robot.operators if o != no]
                owner = None if robot.owner == no else robot.owner
                tx.put(robot.model_copy(update={"operators": operators, "owner": owner}))
                counts["robots"] += 1
        for plan in [p for p in repo.ds.training_plans.values() if p.staff == no]:
            tx.delete("training_plans", plan.key())
            counts["training plans"] += 1
        for table in repo.tables:
            if table == "staff":  # nothing in another person's record is about this one
                continue
            for record in list(repo.ds.table(table).values()):
                _put_scrubbed(tx, identity, record)
        if no in repo.ds.staff:
            tx.delete("staff", no)
            counts["staff record"] += 1

    def audit(records: list[dict]) -> list[dict]:
        counts["audit entries"] = sum(about_employee(r, no) for r in records)
        note = new_entry(repo, AuditAction.ERASE, "staff", identity.pseudonym, {})
        note["changes"] = {"removed": [None, dict(sorted(counts.items()))]}
        return [identity.scrub_audit(r) for r in records] + [note]

    repo.rewrite_history("audit", audit)
    counts["torn lines files"] = _scrub_torn_files(repo, identity)
    return dict(counts)


def _scrub_torn_files(repo: FolderRepository, identity: Identity) -> int:
    """Lines a crash tore are set aside in `<log>.torn`, unparseable: scrub them as plain text."""
    scrubbed = 0
    for log in repo.logs.values():
        path = log.torn_path
        if not path.exists():
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        new = text
        for token in (identity.employee_no, *identity.texts):
            new = _replace_words(new, token, identity.pseudonym)
        if new != text:
            atomic_write(path, new.encode("utf-8"))
            scrubbed += 1
    return scrubbed


def _put_scrubbed(tx, identity: Identity, record: Entity) -> None:
    values = record.model_dump(mode="json")
    scrubbed = identity.scrub(values)
    if scrubbed == values:
        return
    try:
        new = type(record).model_validate(scrubbed)
    except ValidationError:  # a field too short for the pseudonym: leave it to the reviewer
        return
    if new.key() == record.key():  # a code that merely equals the employee number stays
        tx.put(new)


def _erase_in_backups(repo: FolderRepository, identity: Identity) -> int:
    """Erase the person from every backup that mentions them; returns how many were rewritten."""
    from store.backup import list_backups

    rewritten = 0
    for folder in list_backups(repo.path):
        files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
        if not any(identity.mentioned_in(p.read_bytes()) for p in files):
            continue
        copy = FolderRepository.open(folder, user=repo.user)
        copy_identity = identity_of(copy, identity.employee_no, identity.pseudonym)
        copy_identity.texts |= identity.texts
        _erase(copy, copy_identity)
        rewritten += 1
    return rewritten
