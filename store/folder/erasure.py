"""Erasing a person from a database folder and from folder backups: the bytes of the files.

The rules are `store.erasure`'s (backend-neutral); this module applies them to the files of a
folder database -- the live one, in one journaled commit, and every backup, file by file -- and
keeps the folder's way of finishing an interrupted erasure: before anything is touched, the
erasure is written down in `erasure.json` (the employee number, the pseudonym and every name and
e-mail the person had, so it holds personal data until the erasure is done, then it is deleted).
Each step after it only ever takes the person out, so it can run again; whoever next takes the
database's lock finishes it from that file (`finish_erasure`). A backup a crash left half-made
is deleted; lines a crash tore, which cannot be read field by field, have the person replaced as
text; the history snapshot is deleted.

Backups are folder databases on every backend (`store.folder.backups.FolderBackups`, which
calls on this module): a PostgreSQL database's `kapabel backup` writes them too, and its
erasure reaches them through the same class.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import orjson

from store import snapshot
from store.erasure import (
    OWN_COUNT,
    Identity,
    LineEraser,
    audit_eraser,
    fitted,
    history_eraser,
    is_own,
    is_staff_entry,
    names_in_audit,
    own_plans,
    scrub_record,
)
from store.files import atomic_write, fsync_dir, temp_target
from store.folder.layout import (
    ERASURE_FILE,
    HISTORY_FILES,
    JOURNAL_FILE,
    META_FILE,
    PARTIAL_SUFFIX,
    with_history_recorded,
)
from store.models import REGISTER_MODELS
from store.register import read_json_object


class FolderErasure:
    """An erasure on a database folder, under its lock (`store.storage.ErasureSession`)."""

    def __init__(self, storage) -> None:
        self.storage = storage
        self.counts: Counter[str] = Counter()

    @property
    def version(self):
        return self.storage.version

    def erase(self, identity: Identity) -> None:
        atomic_write(self.storage.path / ERASURE_FILE, identity.to_json())  # before anything
        self.counts.update(erase_written_down(self.storage, identity))


def finish_erasure(storage) -> dict:
    """Finish the erasure written down in `erasure.json` (under the lock); what it erased."""
    path = storage.path / ERASURE_FILE
    identity = Identity.from_json(read_json_object(path) or {}, path)
    counts = erase_written_down(storage, identity)
    return {"employee_no": identity.employee_no, "pseudonym": identity.pseudonym, "counts": counts}


def erase_written_down(storage, identity: Identity) -> dict[str, int]:
    """Every step of the erasure after it was written down; each may run again."""
    storage.erasing = True
    try:
        counts = _erase_in_database(storage, identity)
        counts["partial backups removed"] = storage.backups.remove_partial()
        counts["backups rewritten"] = storage.backups.erase(identity)
        (storage.path / ERASURE_FILE).unlink()
        fsync_dir(storage.path)
    finally:
        storage.erasing = False
    return dict(counts)


def _erase_in_database(storage, identity: Identity) -> Counter[str]:
    """The database's own files, in one journaled commit; then the lines set aside as torn."""
    path = storage.path
    for log in storage.logs.values():
        log.prepare_append()  # a torn last line goes to `<log>.torn`, handled below
    names = storage.data_files() - {META_FILE, ERASURE_FILE, JOURNAL_FILE}
    files = {name: (path / name).read_bytes() for name in names if (path / name).exists()}
    changed, counts = erase_in_files(files, identity)
    changed = _with_entry(changed, files, identity)  # once: not again when run again
    snapshot.remove(path)
    if changed:
        storage.replace_files(changed, whole=False)
    for leftover in path.iterdir():
        target = temp_target(leftover.name) or ""
        if target.endswith(".torn") and leftover.is_file():
            leftover.unlink()  # a rewrite below that a crash interrupted
    torn = {p.name: p.read_bytes() for p in path.glob("*.torn") if p.is_file()}
    torn_changed, _ = erase_in_files(torn, identity)
    for name, data in torn_changed.items():
        atomic_write(path / name, data)
    counts["torn lines files"] = len(torn_changed)
    return counts


# ------------------------------------------------------------------ backups
def backup_folders(home: Path) -> Iterator[Path]:
    """Every folder under `home` (a backup, a restore's scratch copy) but half-made ones."""
    try:
        entries = sorted(home.iterdir())
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


def backup_holds(folder: Path, employee_no: str) -> bool:
    """Whether erasing would change the backup: a record of the person or a field naming them.
    The number as any value is not enough: a name or a department code equal to it is not them
    (`person erase "A Name"` reported an erasure that removed nothing)."""
    files = {p.name: p.read_bytes() for p in _file_paths(folder)}
    if not any(_number_in(data, employee_no) for data in files.values()):
        return False
    probe = Identity(employee_no, pseudonym="ERASED-probe", texts=frozenset(), at="", user="")
    _, counts = erase_in_files(files, probe)
    if any(counts[held] for held in (*OWN_COUNT.values(), "robots")):
        return True
    audit = _json_lines(files.get(HISTORY_FILES["audit"], b""))
    return any(is_staff_entry(entry, employee_no) for entry in audit)  # gone from the register


def names_in_backup(folder: Path, employee_no: str) -> set[str]:
    """The names and e-mails one backup holds for the person (its register and audit log)."""
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
    return found | names_in_audit(_json_lines(data), employee_no)


def _json_lines(data: bytes) -> list:
    """The JSON values of the lines of a history file (a line that is none is left out)."""
    values = []
    for line in data.splitlines():
        with contextlib.suppress(orjson.JSONDecodeError):
            values.append(orjson.loads(line))
    return values


def erase_in_folder(folder: Path, identity: Identity) -> bool:
    """Erase the person from one backup, file by file; True if it held them. Its `cache/`
    (derived data: made when the backup is opened as a database, e.g. by `kapabel report`,
    whose kept columns hold names) is deleted first, whether or not its files name them."""
    snapshot.remove(folder)
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
            new = _erase_in_lines(data, identity, audit_eraser(identity, plans, counts))
        elif name in histories:
            new = _erase_in_lines(data, identity, history_eraser(histories[name], identity, counts))
        else:
            new = identity.plain(data)
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
    try:
        table = orjson.loads(files.get("training_plans.json", b"{}")).get("training_plans", {})
        plans = list(table.values()) if isinstance(table, dict) else []
    except (orjson.JSONDecodeError, AttributeError):
        plans = []
    audit = files.get(HISTORY_FILES["audit"], b"")
    lines = [line for line in audit.split(b"\n") if b"training_plans" in line]
    return own_plans(plans, _json_lines(b"\n".join(lines)), identity.employee_no)


def _erase_in_table(table: str, data: bytes, identity: Identity, counts: Counter) -> bytes:
    """A register file (TinyDB: {table: {doc id: record}}) without the person."""
    try:
        document = orjson.loads(data)
        records = document[table]
        assert isinstance(records, dict)
    except (orjson.JSONDecodeError, KeyError, TypeError, AssertionError):
        return identity.plain(data)  # unreadable: as text
    kept: dict = {}
    for doc_id, record in records.items():
        if not isinstance(record, dict):
            kept[doc_id] = record
        elif is_own(table, record, identity):
            counts[OWN_COUNT[table]] += 1
        else:
            new = scrub_record(table, record, identity)
            if new != record and table == "robots":
                counts["robots"] += 1
            kept[doc_id] = fitted(table, new) if new != record else record
    if kept == records:
        return data
    return orjson.dumps({**document, table: kept})


def _erase_in_lines(data: bytes, identity: Identity, erase: LineEraser) -> bytes:
    """A JSON Lines file without the person; a line that is no JSON object, and a torn last
    line, have the person replaced as text. Only the lines with a trace of them are parsed
    (found in one pass over the file), so the others stay byte for byte."""
    end = data.rfind(b"\n") + 1
    lines = data[:end].split(b"\n")[:-1]
    text = data[:end].decode("utf-8", "surrogateescape")
    for number in reversed(identity.lines_with_traces(text)):
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
