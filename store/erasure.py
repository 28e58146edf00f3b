"""Erasing one person (GDPR art. 17): the rules, and the erasure from start to end, on any
backend.

What goes. The person's own records: their staff record, assessments and training plans. Where
another record refers to them, it stops doing so, field by field (`FIELDS`): a robot loses them
as owner or operator; a field that names a person (a department's lead, an assessor, a theme's
owner) gets a pseudonym instead of their employee number, name or e-mail; free text (a note)
gets the pseudonym instead of their name or e-mail. Codes are never touched, so an employee
number that is also a department's code leaves the department alone. The audit log keeps that
things happened, when and by whom: entries about the person's own records lose their values and
carry the pseudonym, and the erasure adds one entry saying only that it happened. Every backup
(a folder database `kapabel backup` wrote) is erased the same way.

This module is backend-neutral: who is erased (`Identity`, found by `identify` in the data, the
audit log and the backups), what a record or history entry becomes (`register_change`,
`history_eraser`, `audit_eraser`), and the order of it all (`erase_person`). A backend only
writes it, through the storage contract (`store.storage.ErasureSession`): the folder rewrites
its files in one journaled commit (`store.folder.erasure`), PostgreSQL changes the rows that
hold a trace of the person in one transaction (`store.postgres.erasure`). Both write the
erasure down before anything is touched, so that a crash midway is finished by whoever next
takes the write lock; the whole erasure holds that lock, so nobody sees it half done.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import orjson
from pydantic import ValidationError

from i18n import _
from store.errors import NotFoundError, StoreError
from store.models import MODELS_BY_TABLE, REGISTER_MODELS, AuditAction
from store.person import data_about
from store.storage import Change

TEXT = "text"
"""Free text: the person's name or e-mail inside it becomes the pseudonym."""
PERSON = "person"
"""Names a person: their employee number, name or e-mail becomes the pseudonym."""
REFERENCE = "reference"
"""An employee number: the person is dropped from it (in the audit log: the pseudonym)."""

FIELDS: dict[str, dict[str, str | dict[str, str]]] = {
    "departments": {"name": TEXT, "lead": PERSON},
    "roles": {"name": TEXT},
    "frameworks": {"name": TEXT, "scale": {"label": TEXT, "descriptor": TEXT, "group": TEXT}},
    "competencies": {"area": TEXT, "name": TEXT, "description": TEXT},
    "assessments": {"assessor": PERSON, "note": TEXT},
    "courses": {"name": TEXT, "provider": TEXT},
    "robots": {
        "name": TEXT,
        "process": TEXT,
        "platform": TEXT,
        "owner": REFERENCE,
        "operators": REFERENCE,
        "kle": TEXT,
        "run_frequency": TEXT,
        "phase_history": {},
    },
    "themes": {
        "title": TEXT,
        "end_state": TEXT,
        "owner": PERSON,
        "stakeholders": {"name": PERSON, "role": TEXT},
    },
    "milestones": {"title": TEXT, "owner": PERSON},
    "governance": {"people": PERSON},
    "settings": {"value": TEXT},
}
"""Where a person can appear in another table's records, field by field (a dict: the fields of
the objects in a list). Every other field is a code, a number, a date or a choice, and is left
alone. Another person's staff record says nothing about this one."""

OWN_RECORDS = {"staff": "employee_no", "assessments": "staff", "training_plans": "staff"}
"""The tables whose records are the person's own, and the field that says whose."""


@dataclass(frozen=True)
class Identity:
    """Who is erased, and under which pseudonym the audit log remembers that it happened."""

    employee_no: str
    pseudonym: str
    texts: frozenset[str]
    """Every name and e-mail address the person had: replaced also inside longer text."""
    at: str
    user: str

    @cached_property
    def _words(self) -> re.Pattern | None:
        """The names and addresses as whole words or phrases, any case, longest first ('Bo'
        leaves 'Borgerservice' alone)."""
        texts = sorted(self.texts, key=len, reverse=True)
        if not texts:
            return None
        return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, texts))})(?!\w)", re.IGNORECASE)

    @cached_property
    def _anything(self) -> re.Pattern:
        """Any trace at all, any case."""
        needles = sorted({self.employee_no, *self.texts}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, needles)), re.IGNORECASE)

    def text(self, value: str) -> str:
        """Free text with the person's name and e-mail replaced."""
        return value if self._words is None else self._words.sub(self.pseudonym, value)

    def person(self, value: str) -> str:
        """A field naming a person: the pseudonym if it is this one."""
        return self.pseudonym if value.strip() == self.employee_no else self.text(value)

    def plain(self, data: bytes) -> bytes:
        """Bytes that cannot be read field by field (a torn line): the employee number, names
        and e-mail replaced wherever they stand as words."""
        text = data.decode("utf-8", "surrogateescape")
        text = re.sub(rf"(?<!\w){re.escape(self.employee_no)}(?!\w)", self.pseudonym, text)
        return self.text(text).encode("utf-8", "surrogateescape")

    @cached_property
    def _needles(self) -> frozenset[str]:
        return frozenset(n.lower() for n in (self.employee_no, *self.texts))

    def found_in(self, data: bytes) -> bool:
        """Any trace of the person at all (a quick test before looking closer)."""
        text = data.decode("utf-8", "surrogateescape")
        lower = text.lower()
        if len(lower) != len(text):  # a rare letter whose lower case is longer
            return self._anything.search(text) is not None
        return any(needle in lower for needle in self._needles)

    def traces(self, text: str) -> list[int]:
        """Where in `text` a trace of the person starts, in order (a superset of what the
        erasure replaces: the number and names anywhere, any case)."""
        lower = text.lower()
        if len(lower) != len(text):  # a rare letter whose lower case is longer
            return [match.start() for match in self._anything.finditer(text)]
        found = []
        for needle in self._needles:
            at = lower.find(needle)
            while at >= 0:
                found.append(at)
                at = lower.find(needle, at + 1)
        return sorted(found)

    def lines_with_traces(self, text: str) -> list[int]:
        """The numbers (from 0) of the lines of `text` that hold a trace of the person, in
        order: the lines an erasure must look at, found in one pass over the whole text."""
        hits: list[int] = []
        number, counted = 0, 0
        for position in self.traces(text):
            number += text.count("\n", counted, position)  # the line `position` is on
            counted = position
            if not hits or hits[-1] != number:
                hits.append(number)
        return hits

    def escaped(self) -> Identity:
        """The same person, the names also as JSON and PostgreSQL's COPY text escape them (a
        quote or a backslash doubled): for finding them in stored text, never for replacing."""
        variants: set[str] = set()
        for text in {self.employee_no, *self.texts}:
            json = orjson.dumps(text).decode()[1:-1]
            variants |= {text, json, text.replace("\\", "\\\\"), json.replace("\\", "\\\\")}
        return dataclasses.replace(self, texts=frozenset(variants - {self.employee_no}))

    def audit_entry(self) -> dict:
        """The one entry the erasure leaves: that it happened, when, by whom."""
        return {
            "at": self.at,
            "user": self.user,
            "action": str(AuditAction.ERASE),
            "entity": "staff",
            "key": self.pseudonym,
            "changes": {},
        }

    def to_json(self) -> bytes:
        return orjson.dumps({**dataclasses.asdict(self), "texts": sorted(self.texts)})

    @classmethod
    def from_json(cls, data: dict, where: object) -> Identity:
        """The identity `to_json` wrote down (`where` names the place, for the message)."""
        try:
            return cls(
                employee_no=_text(data["employee_no"]),
                pseudonym=_text(data["pseudonym"]),
                texts=frozenset(_text(t) for t in data["texts"]),
                at=_text(data["at"]),
                user=_text(data["user"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise StoreError(
                _("{where}: an interrupted erasure cannot be finished from it ({error})").format(
                    where=where, error=error
                )
            ) from None


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not a text")
    return value


# ------------------------------------------------------------------ erasing, start to end
def erase_person(repo, employee_no: str) -> dict:
    """Erase everything about one person, backups included; what was removed (counts) and the
    pseudonym. NotFoundError when nothing about them is held anywhere (then nothing changes).

    Under the backend's write lock (which first finishes an erasure a crash interrupted): who
    they are is found, then the backend writes the erasure down and carries it out."""
    storage = repo.storage
    with repo.erasure() as session:
        data = session.version.data
        audit = list(storage.history_records("audit"))
        if held_in(data, audit, employee_no) is None and not storage.backups.holding(employee_no):
            raise NotFoundError("staff", employee_no)  # nothing is held: nothing changes
        identity = identify(data, audit, storage.backups, employee_no, repo.user)
        session.erase(identity)
    return {"pseudonym": identity.pseudonym, "counts": dict(session.counts)}


def erasure_scope(repo, employee_no: str) -> dict:
    """What an erasure of `employee_no` would find: `data` (as `person_data`, None when the
    database holds nothing) and `backups` (how many hold them); NotFoundError when nothing."""
    repo.refresh()
    data = held_data(repo, employee_no)
    backups = repo.storage.backups.holding(employee_no)
    if data is None and not backups:
        raise NotFoundError("staff", employee_no)
    return {"data": data, "backups": backups}


def held_data(repo, employee_no: str) -> dict | None:
    """What the database holds as the person's (`person_data`), None when nothing."""
    return held_in(repo.ds, repo.storage.history_records("audit"), employee_no)


def held_in(ds, audit: Iterable[dict], employee_no: str) -> dict | None:
    """What `ds` and the audit log hold as the person's, None when nothing: their own records,
    robots naming them, or audit entries of them as staff. An audit entry that merely mentions
    the text (a name, a department code equal to it) does not make it an employee number:
    `person erase "A Name"` reported an erasure that removed nothing."""
    try:
        data = data_about(ds, audit, employee_no)
    except NotFoundError:
        return None
    if data["profile"] or data["assessments"] or data["training_plans"] or data["robots"]:
        return data
    if any(is_staff_entry(entry, employee_no) for entry in data["audit_entries"]):
        return data
    return None


def is_staff_entry(entry: object, employee_no: str) -> bool:
    """An audit entry about the staff record `employee_no`."""
    return (
        isinstance(entry, dict)
        and entry.get("entity") == "staff"
        and entry.get("key") == employee_no
    )


def identify(ds, audit: Iterable[dict], backups, employee_no: str, user: str) -> Identity:
    """The person's employee number and every name and address found for them (the database,
    its audit log, every backup: after an erasure a crash stopped before the backups, only
    they still know the name), under a new pseudonym."""
    texts: set[str] = set()
    staff = ds.staff.get(employee_no)
    if staff is not None:
        texts |= {staff.name, staff.email or ""}
    texts |= names_in_audit(audit, employee_no)
    texts |= backups.names_of(employee_no)
    return new_identity(employee_no, texts, user)


def new_identity(employee_no: str, texts: set[str], user: str) -> Identity:
    """The person under a fresh pseudonym, erased now by `user` (one rule for every backend)."""
    return Identity(
        employee_no=employee_no,
        pseudonym=f"ERASED-{secrets.token_hex(4)}",
        texts=frozenset(texts - {""}),
        at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        user=user,
    )


def names_in_audit(entries: Iterable[dict], employee_no: str) -> set[str]:
    """Names and addresses the person's staff record had (earlier ones too)."""
    found: set[str] = set()
    for entry in entries:
        if is_staff_entry(entry, employee_no):
            changes = entry.get("changes")
            for name in ("name", "email"):
                values = changes.get(name) if isinstance(changes, dict) else None
                found |= {v for v in values or [] if isinstance(v, str)}
    return found


def own_plans(plans: Iterable[dict], audit: Iterable[dict], employee_no: str) -> set[str]:
    """The ids of the person's training plans: in the register (`plans`, records as JSON) or
    known only from the audit log (a plan deleted since)."""
    found = {p.get("id") for p in plans if isinstance(p, dict) and p.get("staff") == employee_no}
    for entry in audit:
        if not isinstance(entry, dict) or entry.get("entity") != "training_plans":
            continue
        changes = entry.get("changes")
        staff = changes.get("staff") if isinstance(changes, dict) else None
        if isinstance(staff, list) and employee_no in staff:
            found.add(entry.get("key"))
    return found


# ------------------------------------------------------------------ records, field by field
OWN_COUNT = {
    "staff": "staff record",
    "assessments": "assessments",
    "training_plans": "training plans",
}
"""What the counts call the person's own records, by table."""


def register_change(ds, identity: Identity, counts: Counter) -> Change:
    """The register without the person, as a Change: their own records deleted, every other
    record that names them scrubbed field by field (for a backend that stores records)."""
    upserts: dict[str, dict] = {}
    deletes: dict[str, set[str]] = {}
    for model in REGISTER_MODELS:
        table = model.table
        for key, record in ds.table(table).items():
            stored = record.model_dump(mode="json")
            if is_own(table, stored, identity):
                counts[OWN_COUNT[table]] += 1
                deletes.setdefault(table, set()).add(key)
                continue
            scrubbed = scrub_record(table, stored, identity)
            if scrubbed != stored:
                counts["robots"] += table == "robots"
                upserts.setdefault(table, {})[key] = model.model_validate(fitted(table, scrubbed))
    return Change(upserts=upserts, deletes={t: frozenset(k) for t, k in deletes.items()})


def is_own(table: str, record: dict, identity: Identity) -> bool:
    field = OWN_RECORDS.get(table)
    return field is not None and record.get(field) == identity.employee_no


def scrub_record(table: str, record: dict, identity: Identity) -> dict:
    """Another record, with the person taken out of each field that can hold them."""
    new = dict(record)
    for field, kind in FIELDS.get(table, {}).items():
        if field not in record:
            continue
        value = record[field]
        if kind == REFERENCE and isinstance(value, list):
            new[field] = [v for v in value if v != identity.employee_no]
        elif kind == REFERENCE:
            new[field] = None if value == identity.employee_no else value
        else:
            new[field] = scrub_value(kind, value, identity)
    return new


def scrub_value(kind: str | dict, value: object, identity: Identity) -> object:
    """A field's value (or an audit entry's old or new value) by its kind in `FIELDS`."""
    if isinstance(value, list):
        return [scrub_value(kind, v, identity) for v in value]
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            return value
        return {k: scrub_value(kind[k], v, identity) if k in kind else v for k, v in value.items()}
    if isinstance(value, dict):
        return {k: scrub_value(kind, v, identity) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    if kind == TEXT:
        return identity.text(value)
    if value.strip() == identity.employee_no:
        return identity.pseudonym  # PERSON, or a REFERENCE in the audit log
    return identity.text(value) if kind == PERSON else value


def fitted(table: str, record: dict) -> dict:
    """`record` cut to the lengths its model allows (the pseudonym may be longer than a name
    it replaced), so that the database still opens."""
    model = MODELS_BY_TABLE[table]
    try:
        model.model_validate(record)
    except ValidationError as error:
        for problem in error.errors():
            limit = (problem.get("ctx") or {}).get("max_length")
            if problem["type"] == "string_too_long" and limit:
                record = _cut(record, problem["loc"], limit)
    return record


def _cut(value: object, location: tuple, limit: int) -> object:
    if not location:
        return value[:limit] if isinstance(value, str) else value
    head, rest = location[0], location[1:]
    if isinstance(value, dict) and head in value:
        return {**value, head: _cut(value[head], rest, limit)}
    if isinstance(value, list) and isinstance(head, int) and head < len(value):
        return [*value[:head], _cut(value[head], rest, limit), *value[head + 1 :]]
    return value


LineEraser = Callable[[dict], dict | None]
"""A history record or audit entry without the person (None: it goes)."""


def history_eraser(table: str, identity: Identity, counts: Counter) -> LineEraser:
    def erase(record: dict) -> dict | None:
        if is_own(table, record, identity):
            counts[OWN_COUNT[table]] += 1
            return None
        new = scrub_record(table, record, identity)
        return fitted(table, new) if new != record else record

    return erase


def audit_eraser(identity: Identity, plans: set[str], counts: Counter) -> LineEraser:
    def erase(entry: dict) -> dict | None:
        new = scrub_audit(entry, identity, plans)
        counts["audit entries"] += new != entry
        return new

    return erase


def scrub_audit(entry: dict, identity: Identity, plans: set[str]) -> dict:
    """An audit entry about the person's own record keeps what happened, when and by whom,
    under the pseudonym; another entry has the person taken out of its values by field."""
    entity, key = entry.get("entity"), entry.get("key")
    key_parts = key.split("|") if isinstance(key, str) else []
    own = (entity in ("staff", "assessments") and key_parts[:1] == [identity.employee_no]) or (
        entity == "training_plans" and key in plans
    )
    if own:
        kept = {k: entry[k] for k in ("at", "user", "action", "entity") if k in entry}
        return {
            **kept,
            "key": key if entity == "training_plans" else identity.pseudonym,
            "changes": {},
        }
    changes = entry.get("changes")
    if entity in MODELS_BY_TABLE and isinstance(changes, dict):
        fields = FIELDS.get(entity, {})
        changes = {
            name: scrub_value(fields[name], value, identity) if name in fields else value
            for name, value in changes.items()
        }
    elif entity not in MODELS_BY_TABLE:  # an import's summary, a restore: text throughout
        changes = scrub_value(TEXT, changes, identity)
        key = scrub_value(TEXT, key, identity)
    return {**entry, "key": key, "changes": changes}
