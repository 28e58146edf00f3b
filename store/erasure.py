"""Erasing one person (GDPR art. 17): everywhere, field by field, and always to the end.

What goes. The person's own records: their staff record, assessments and training plans. Where
another record refers to them, it stops doing so, field by field (`FIELDS`): a robot loses them
as owner or operator; a field that names a person (a department's lead, an assessor, a theme's
owner) gets a pseudonym instead of their employee number, name or e-mail; free text (a note)
gets the pseudonym instead of their name or e-mail. Codes are never touched, so an employee
number that is also a department's code leaves the department alone. The audit log keeps that
things happened, when and by whom: entries about the person's own records lose their values and
carry the pseudonym, and the erasure adds one entry saying only that it happened. Every backup
is erased the same way; a backup a crash left half-made is deleted; lines a crash tore, which
cannot be read field by field, have the person replaced as text; the history snapshot is deleted.

Always to the end. Before anything is touched, the erasure is written down in `erasure.json`:
the employee number, the pseudonym, every name and e-mail the person had (so it holds personal
data until the erasure is done, then it is deleted). Each step after it only ever takes the
person out, so it can run again; whoever next takes the database's lock -- `kapabel person
erase` again, or any program opening the database -- finishes an interrupted erasure from that
file. The database itself changes in one journaled commit; each backup file is replaced
atomically. The whole erasure holds the write lock, so nobody sees it half done.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import orjson
from pydantic import ValidationError

from store import snapshot
from store.auditlog import raw_entries
from store.errors import NotFoundError, StoreError
from store.files import atomic_write, fsync_dir, temp_target
from store.folder.backups import remove_partial_backups
from store.folder.layout import (
    BACKUP_DIR,
    ERASURE_FILE,
    HISTORY_FILES,
    JOURNAL_FILE,
    META_FILE,
    PARTIAL_SUFFIX,
    with_history_recorded,
)
from store.folder.storage import FolderStorage
from store.models import MODELS_BY_TABLE, REGISTER_MODELS, AuditAction
from store.person import person_data
from store.register import read_json_object

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
    },
    "themes": {
        "title": TEXT,
        "end_state": TEXT,
        "owner": PERSON,
        "stakeholders": {"name": PERSON, "role": TEXT},
    },
    "milestones": {"title": TEXT, "owner": PERSON},
    "governance": {"people": PERSON},
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
    def from_json(cls, data: dict, path: Path) -> Identity:
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
                f"{path}: an interrupted erasure cannot be finished from it ({error})"
            ) from None


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} is not a text")
    return value


# ------------------------------------------------------------------ erasing, start to end
def erase_person(repo: FolderStorage, employee_no: str) -> dict:
    """Erase everything about one person, backups included; what was removed (counts) and the
    pseudonym. NotFoundError when nothing about them is held anywhere (then nothing changes).
    A server database erases in its own way, in one transaction (`store.postgres.erasure`)."""
    if getattr(repo, "path", None) is None:
        return repo.erase_person(employee_no)
    with repo.exclusive():  # finishes an erasure a crash interrupted, first
        identity = _identify(repo, employee_no)
        atomic_write(repo.path / ERASURE_FILE, identity.to_json())  # before touching anything
        counts = _erase(repo, identity)
    repo.save_snapshot()  # the erasure deleted the history snapshot: the next open stays fast
    return {"pseudonym": identity.pseudonym, "counts": counts}


def finish_erasure(repo: FolderStorage) -> dict:
    """Finish the erasure written down in `erasure.json` (under the lock); what it erased."""
    path = repo.path / ERASURE_FILE
    identity = Identity.from_json(read_json_object(path) or {}, path)
    counts = _erase(repo, identity)
    return {"employee_no": identity.employee_no, "pseudonym": identity.pseudonym, "counts": counts}


def erasure_scope(repo: FolderStorage, employee_no: str) -> dict:
    """What an erasure of `employee_no` would find: `data` (as `person_data`, None when the
    database holds nothing) and `backups` (how many hold them); NotFoundError when nothing."""
    if getattr(repo, "path", None) is None:
        return repo.erasure_scope(employee_no)  # a server database
    data = held_data(repo, employee_no)
    backups = sum(_backup_holds(f, employee_no) for f in _backup_folders(repo.path))
    if data is None and not backups:
        raise NotFoundError("staff", employee_no)
    return {"data": data, "backups": backups}


def held_data(repo, employee_no: str) -> dict | None:
    """What the database holds as the person's (`person_data`), None when nothing: their own
    records, robots naming them, or audit entries of them as staff. An audit entry that merely
    mentions the text (a name, a department code equal to it) does not make it an employee
    number: `person erase "A Name"` reported an erasure that removed nothing."""
    try:
        data = person_data(repo, employee_no)
    except NotFoundError:
        return None
    if data["profile"] or data["assessments"] or data["training_plans"] or data["robots"]:
        return data
    if any(_is_staff_entry(entry, employee_no) for entry in data["audit_entries"]):
        return data
    return None


def _is_staff_entry(entry: object, employee_no: str) -> bool:
    return (
        isinstance(entry, dict)
        and entry.get("entity") == "staff"
        and entry.get("key") == employee_no
    )


def _held(repo: FolderStorage, employee_no: str) -> bool:
    if held_data(repo, employee_no) is not None:
        return True
    return any(_backup_holds(f, employee_no) for f in _backup_folders(repo.path))


def _identify(repo: FolderStorage, employee_no: str) -> Identity:
    """The person's employee number and every name and address found for them (the database,
    its audit log, every backup), under a new pseudonym."""
    if not _held(repo, employee_no):
        raise NotFoundError("staff", employee_no)  # nothing is held: nothing changes
    texts: set[str] = set()
    staff = repo.ds.staff.get(employee_no)
    if staff is not None:
        texts |= {staff.name, staff.email or ""}
    texts |= _names_in_audit(raw_entries(repo), employee_no)
    for folder in _backup_folders(repo.path):
        texts |= _names_in_backup(folder, employee_no)
    return new_identity(employee_no, texts, repo.user)


def new_identity(employee_no: str, texts: set[str], user: str) -> Identity:
    """The person under a fresh pseudonym, erased now by `user` (one rule for every backend)."""
    return Identity(
        employee_no=employee_no,
        pseudonym=f"ERASED-{secrets.token_hex(4)}",
        texts=frozenset(texts - {""}),
        at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        user=user,
    )


def _names_in_audit(entries: list[dict], employee_no: str) -> set[str]:
    """Names and addresses the person's staff record had (earlier ones too)."""
    found: set[str] = set()
    for entry in entries:
        if entry.get("entity") == "staff" and entry.get("key") == employee_no:
            changes = entry.get("changes")
            for name in ("name", "email"):
                values = changes.get(name) if isinstance(changes, dict) else None
                found |= {v for v in values or [] if isinstance(v, str)}
    return found


def _names_in_backup(folder: Path, employee_no: str) -> set[str]:
    found: set[str] = set()
    try:
        staff = orjson.loads((folder / "staff.json").read_bytes()).get("staff", {})
        for record in staff.values():
            if record.get("employee_no") == employee_no:
                found |= {v for v in (record.get("name"), record.get("email")) if v}
    except (OSError, orjson.JSONDecodeError, AttributeError):
        pass  # nothing readable there: the plain search still finds the number
    try:
        data = (folder / HISTORY_FILES["audit"]).read_bytes()
    except OSError:
        return found
    entries = []
    for line in data.split(b"\n"):
        try:
            entries.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue
    return found | _names_in_audit([e for e in entries if isinstance(e, dict)], employee_no)


def _erase(repo: FolderStorage, identity: Identity) -> dict[str, int]:
    """Every step of the erasure after it was written down; each may run again."""
    repo.erasing = True
    try:
        counts = _erase_in_database(repo, identity)
        counts["partial backups removed"] = remove_partial_backups(repo.path)
        counts["backups rewritten"] = sum(
            _erase_in_folder(folder, identity) for folder in _backup_folders(repo.path)
        )
        (repo.path / ERASURE_FILE).unlink()
        fsync_dir(repo.path)
    finally:
        repo.erasing = False
    return dict(counts)


def _erase_in_database(repo: FolderStorage, identity: Identity) -> Counter[str]:
    """The database's own files, in one journaled commit; then the lines set aside as torn."""
    for log in repo.logs.values():
        log.prepare_append()  # a torn last line goes to `<log>.torn`, handled below
    names = repo.data_files() - {META_FILE, ERASURE_FILE, JOURNAL_FILE}
    files = {name: (repo.path / name).read_bytes() for name in names if (repo.path / name).exists()}
    changed, counts = erase_in_files(files, identity)
    changed = _with_entry(changed, files, identity)  # once: not again when run again
    snapshot.remove(repo.path)
    if changed:
        repo.replace_files(changed, whole=False)
    for leftover in repo.path.iterdir():
        target = temp_target(leftover.name) or ""
        if target.endswith(".torn") and leftover.is_file():
            leftover.unlink()  # a rewrite below that a crash interrupted
    torn = {p.name: p.read_bytes() for p in repo.path.glob("*.torn") if p.is_file()}
    torn_changed, _ = erase_in_files(torn, identity)
    for name, data in torn_changed.items():
        atomic_write(repo.path / name, data)
    counts["torn lines files"] = len(torn_changed)
    return counts


def _backup_folders(db: Path) -> Iterator[Path]:
    """Every folder under `backups/` (a backup, a restore's scratch copy) but half-made ones."""
    try:
        entries = sorted((db / BACKUP_DIR).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink() and not entry.name.endswith(PARTIAL_SUFFIX):
            yield entry


def _file_paths(folder: Path) -> list[Path]:
    """A backup's files (its lock file and temporaries aside)."""
    return [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
    ]


def _backup_holds(folder: Path, employee_no: str) -> bool:
    """Whether erasing would change the backup: a record of the person or a field naming them.
    The number as any value is not enough: a name or a department code equal to it is not them
    (`person erase "A Name"` reported an erasure that removed nothing)."""
    files = {p.name: p.read_bytes() for p in _file_paths(folder)}
    if not any(_number_in(data, employee_no) for data in files.values()):
        return False
    probe = Identity(employee_no, pseudonym="ERASED-probe", texts=frozenset(), at="", user="")
    _, counts = erase_in_files(files, probe)
    if any(counts[held] for held in (*_OWN_COUNT.values(), "robots")):
        return True
    audit = _json_lines(files.get(HISTORY_FILES["audit"], b""))
    return any(_is_staff_entry(entry, employee_no) for entry in audit)  # gone from the register


def _json_lines(data: bytes) -> list:
    """The JSON values of the lines of a history file (a line that is none is left out)."""
    values = []
    for line in data.splitlines():
        with contextlib.suppress(orjson.JSONDecodeError):
            values.append(orjson.loads(line))
    return values


def _erase_in_folder(folder: Path, identity: Identity) -> bool:
    """Erase the person from one backup, file by file; True if it held them."""
    for leftover in folder.iterdir():
        if temp_target(leftover.name) and leftover.is_file():
            leftover.unlink()  # a rewrite that a crash interrupted
    files = {p.name: p.read_bytes() for p in _file_paths(folder)}
    changed, _ = erase_in_files(files, identity)
    if changed:
        changed = _with_entry(changed, files, identity)
    if META_FILE in files and set(changed) & set(HISTORY_FILES.values()):
        # The backup's meta.json records its history's lengths and checksums: written first,
        # so that an erasure run again after a crash rewrites the history to match it.
        changed = {META_FILE: with_history_recorded(files[META_FILE], changed), **changed}
    for name, data in changed.items():
        atomic_write(folder / name, data)
    return bool(changed)


def _number_in(data: bytes, employee_no: str) -> bool:
    """The employee number as a JSON value or a part of a '|'-joined key."""
    number = employee_no.encode()
    needles = (b'"%s"' % number, b'"%s|' % number, b"|%s|" % number, b'|%s"' % number)
    return any(n in data for n in needles)


# ------------------------------------------------------------------ one folder's files
def erase_in_files(
    files: dict[str, bytes], identity: Identity
) -> tuple[dict[str, bytes], Counter[str]]:
    """The files of one database folder (name -> bytes) that erasing the person changes, with
    their new content, and what was removed. A file that is no database file is taken as text."""
    counts: Counter[str] = Counter()
    changed: dict[str, bytes] = {}
    tables = {f"{model.table}.json": model.table for model in REGISTER_MODELS}
    histories = {file: name for name, file in HISTORY_FILES.items()}
    plans = _own_plans(files, identity)
    for name, data in sorted(files.items()):
        if not identity.found_in(data):
            continue
        if name in tables:
            new = _erase_in_table(tables[name], data, identity, counts)
        elif histories.get(name) == "audit":
            new = _erase_in_lines(data, identity, _audit_eraser(identity, plans, counts))
        elif name in histories:
            new = _erase_in_lines(
                data, identity, _history_eraser(histories[name], identity, counts)
            )
        else:
            new = identity.plain(data) if identity.found_in(data) else data
        if new != data:
            changed[name] = new
    return changed, counts


def _with_entry(
    changed: dict[str, bytes], files: dict[str, bytes], identity: Identity
) -> dict[str, bytes]:
    """`changed` with the erasure's own audit entry added to the audit log, unless it is there."""
    audit = HISTORY_FILES["audit"]
    current = changed.get(audit, files.get(audit, b""))
    line = orjson.dumps(identity.audit_entry())
    if line in current.split(b"\n"):
        return changed
    end = current.rfind(b"\n") + 1  # before a torn last line, if there is one
    return {**changed, audit: current[:end] + line + b"\n" + current[end:]}


def _own_plans(files: dict[str, bytes], identity: Identity) -> set[str]:
    """The ids of the person's training plans, in the register or only in the audit log."""
    plans: set[str] = set()
    unreadable = (orjson.JSONDecodeError, AttributeError, TypeError, KeyError)
    try:
        table = orjson.loads(files.get("training_plans.json", b"{}")).get("training_plans", {})
        plans |= {r.get("id") for r in table.values() if r.get("staff") == identity.employee_no}
    except unreadable:
        pass
    for line in files.get(HISTORY_FILES["audit"], b"").split(b"\n"):
        if b"training_plans" not in line:
            continue
        try:
            entry = orjson.loads(line)
            staff = entry["changes"].get("staff") or []
        except unreadable:
            continue
        if entry.get("entity") == "training_plans" and identity.employee_no in staff:
            plans.add(entry.get("key"))
    return plans


def _erase_in_table(table: str, data: bytes, identity: Identity, counts: Counter) -> bytes:
    """A register file (TinyDB: {table: {doc id: record}}) without the person."""
    try:
        document = orjson.loads(data)
        records = document[table]
        assert isinstance(records, dict)
    except (orjson.JSONDecodeError, KeyError, TypeError, AssertionError):
        return identity.plain(data) if identity.found_in(data) else data  # unreadable: as text
    kept: dict = {}
    for doc_id, record in records.items():
        if not isinstance(record, dict):
            kept[doc_id] = record
        elif _is_own(table, record, identity):
            counts[_OWN_COUNT[table]] += 1
        else:
            new = _scrub_record(table, record, identity)
            if new != record and table == "robots":
                counts["robots"] += 1
            kept[doc_id] = _fitted(table, new) if new != record else record
    if kept == records:
        return data
    return orjson.dumps({**document, table: kept})


_OWN_COUNT = {
    "staff": "staff record",
    "assessments": "assessments",
    "training_plans": "training plans",
}


def _is_own(table: str, record: dict, identity: Identity) -> bool:
    field = OWN_RECORDS.get(table)
    return field is not None and record.get(field) == identity.employee_no


def _scrub_record(table: str, record: dict, identity: Identity) -> dict:
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
            new[field] = _scrub_value(kind, value, identity)
    return new


def _scrub_value(kind: str | dict, value: object, identity: Identity) -> object:
    """A field's value (or an audit entry's old or new value) by its kind in `FIELDS`."""
    if isinstance(value, list):
        return [_scrub_value(kind, v, identity) for v in value]
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            return value
        return {k: _scrub_value(kind[k], v, identity) if k in kind else v for k, v in value.items()}
    if isinstance(value, dict):
        return {k: _scrub_value(kind, v, identity) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    if kind == TEXT:
        return identity.text(value)
    if value.strip() == identity.employee_no:
        return identity.pseudonym  # PERSON, or a REFERENCE in the audit log
    return identity.text(value) if kind == PERSON else value


def _fitted(table: str, record: dict) -> dict:
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
"""A history record or audit entry without the person (None: the line goes)."""


def _erase_in_lines(data: bytes, identity: Identity, erase: LineEraser) -> bytes:
    """A JSON Lines file without the person; a line that is no JSON object, and a torn last
    line, have the person replaced as text. Only the lines with a trace of them are parsed
    (found in one pass over the file), so the others stay byte for byte."""
    end = data.rfind(b"\n") + 1
    lines = data[:end].split(b"\n")[:-1]
    text = data[:end].decode("utf-8", "surrogateescape")
    hits, number, counted = set(), 0, 0
    for position in identity.traces(text):
        number += text.count("\n", counted, position)  # the line `position` is on
        counted = position
        hits.add(number)
    for number in sorted(hits, reverse=True):
        line = lines[number]
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            record = None
        if not isinstance(record, dict):
            lines[number] = identity.plain(line)
            continue
        new = erase(record)
        if new is None:
            del lines[number]
        elif new != record:
            lines[number] = orjson.dumps(new)
    tail = data[end:]
    tail = identity.plain(tail) if identity.found_in(tail) else tail
    return b"".join(line + b"\n" for line in lines) + tail


def _history_eraser(table: str, identity: Identity, counts: Counter) -> LineEraser:
    def erase(record: dict) -> dict | None:
        if _is_own(table, record, identity):
            counts[_OWN_COUNT[table]] += 1
            return None
        new = _scrub_record(table, record, identity)
        return _fitted(table, new) if new != record else record

    return erase


def _audit_eraser(identity: Identity, plans: set[str], counts: Counter) -> LineEraser:
    def erase(entry: dict) -> dict | None:
        new = _scrub_audit(entry, identity, plans)
        counts["audit entries"] += new != entry
        return new

    return erase


def _scrub_audit(entry: dict, identity: Identity, plans: set[str]) -> dict:
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
            name: _scrub_value(fields[name], value, identity) if name in fields else value
            for name, value in changes.items()
        }
    elif entity not in MODELS_BY_TABLE:  # an import's summary, a restore: text throughout
        changes = _scrub_value(TEXT, changes, identity)
        key = _scrub_value(TEXT, key, identity)
    return {**entry, "key": key, "changes": changes}
