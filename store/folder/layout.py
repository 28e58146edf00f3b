"""The files of a database folder and what `meta.json` records.

Layout of a database folder (created 0700, every file 0600):

    meta.json                 schema version, key counters, history lengths and checksums,
                              the hashes of the table files saves wrote (store.trusted)
    <table>.json              one TinyDB file per register table (departments.json, staff.json...)
    assessments.jsonl         history, append-only
    robot_benefits.jsonl      history, append-only
    audit.jsonl               who changed what, append-only
    journal.json              only while a multi-file commit is being applied
    erasure.json              only while a person is being erased (see store.erasure)
    .lock                     the write lock
    backups/<UTC time>/       copies of the data files (`kapabel backup`)
    cache/                    derived, safe to delete: the history snapshot and the history's
                              stamp when last found to match it (store.snapshot), the hashes
                              of the table files known valid (store.trusted), large tables'
                              columns kept for reports (store.register_columns)
"""

from __future__ import annotations

import zlib
from pathlib import Path

import orjson

from i18n import N_
from store.errors import CorruptFileError
from store.models import Assessment, AuditEntry, RobotBenefit
from store.trusted import entry_read

SCHEMA_VERSION = 4
"""1: the register in table files, the history in JSON Lines; 2: meta.json also records each
history file's length and checksum (store.history), which a Kapabel reading 1 would not keep;
3: robots have dated phases (and `paused`), a KLE number and a run frequency, and the database
has settings (`settings.json`), which a Kapabel reading 2 would refuse or lose; 4: coverage
rules (`coverage_rules.json`), which a Kapabel reading 3 would not copy, back up or check."""
META_FILE = "meta.json"
JOURNAL_FILE = "journal.json"
ERASURE_FILE = "erasure.json"
"""An erasure under way: who is being erased (see `store.erasure`); never copied to a backup."""
LOCK_FILE = ".lock"
BACKUP_DIR = "backups"
BACKUP_STAMP = "%Y%m%dT%H%M%S%fZ"
"""A backup folder's name: the UTC time it was made (so the names sort by age)."""
PARTIAL_SUFFIX = ".partial"
"""`backups/.<stamp>.partial/`: a backup being made (under the lock); one found later was left by
a crash."""
HISTORY_FILES = {
    "assessments": "assessments.jsonl",
    "robot_benefits": "robot_benefits.jsonl",
    "audit": "audit.jsonl",
}
HISTORY_MODELS = {"assessments": Assessment, "robot_benefits": RobotBenefit, "audit": AuditEntry}


def meta_document(data: dict, meta_path: Path) -> dict:
    """The meta document of a parsed `meta.json`; CorruptFileError naming what is wrong.

    `history` maps each history file to [length, CRC-32] as the last save left it (absent in a
    database written before lengths were recorded). `tables`, when there, records the hashes of
    the table files known valid (`store.trusted.written_entry`); one of another shape is left
    out (it is only a speed-up).
    """
    meta = data.get("meta")
    doc = meta.get("1") if isinstance(meta, dict) else None
    if not isinstance(doc, dict):
        raise CorruptFileError(meta_path, N_("no meta document"))
    counters = doc.get("counters", {})
    if not isinstance(counters, dict) or not all(map(whole, counters.values())):
        raise CorruptFileError(meta_path, N_("counters: not a table of whole numbers"))
    history = doc.get("history", {})
    if not isinstance(history, dict) or not all(
        name in HISTORY_FILES.values()
        and isinstance(entry, list)
        and len(entry) == 2
        and all(map(whole, entry))
        and entry[0] >= 0
        and 0 <= entry[1] < 1 << 32
        for name, entry in history.items()
    ):
        raise CorruptFileError(meta_path, N_("history: not a table of file lengths and checksums"))
    read = {"schema_version": doc.get("schema_version"), "counters": counters, "history": history}
    tables = entry_read(doc.get("tables"))
    if tables is not None:
        read["tables"] = tables
    return read


def whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def recorded(content: bytes) -> list[int]:
    """[length, CRC-32] of a history file's content as a save records it (its whole lines)."""
    end = content.rfind(b"\n") + 1
    return [end, zlib.crc32(content[:end])]


def with_history_recorded(meta: bytes, files: dict[str, bytes]) -> bytes:
    """`meta` (a meta.json's bytes) recording the history files among `files` as they are: for
    history rewritten outside a transaction (an erasure in a backup). Unchanged if unreadable."""
    try:
        data = orjson.loads(meta)
        history = data["meta"]["1"].setdefault("history", {})
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return meta
    for name, content in files.items():
        if name in HISTORY_FILES.values():
            history[name] = recorded(content)
    return orjson.dumps(data)


def without_table_hashes(meta: bytes) -> bytes:
    """`meta` (a meta.json's bytes) recording no table file's hash (`store.trusted`): for a
    folder every table of which is to be validated whatever its meta.json claims (a backup
    checked before it is restored, which may come from anywhere). Unchanged if unreadable (the
    open names what is wrong)."""
    try:
        data = orjson.loads(meta)
        doc = data["meta"]["1"]
        if not isinstance(doc, dict) or "tables" not in doc:
            return meta
        del doc["tables"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return meta
    return orjson.dumps(data)
