"""Bring an older database up to the current schema when it is opened.

Schema 0 (Kapabel before 0.1) kept everything -- register and history -- in one TinyDB file,
`kapabel.json`, which was rewritten on every save. Schema 1 splits the register into one file per
table and moves the history (assessments, benefit logs, audit) to append-only JSON Lines.
The old file is kept beside the new ones as `kapabel.json.schema0`.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

import orjson

from store.errors import CorruptFileError
from store.files import atomic_write
from store.history import encode_lines
from store.register import read_json_object

if TYPE_CHECKING:
    from store.repository import FolderRepository

V0_FILE = "kapabel.json"


def needs_migration(path) -> bool:
    return (path / V0_FILE).exists()


def migrate(repo: FolderRepository) -> None:
    """Run every step from the database's version up to the current one (under the lock)."""
    from store.repository import HISTORY_FILES, META_FILE, SCHEMA_VERSION

    version = repo.meta.get("schema_version", 0) if (repo.path / META_FILE).exists() else 0
    if version == 0:
        _v0_to_v1(repo, HISTORY_FILES, META_FILE)
        version = 1
    assert version == SCHEMA_VERSION


def _v0_to_v1(repo: FolderRepository, history_files: dict[str, str], meta_file: str) -> None:
    source = repo.path / V0_FILE
    data = read_json_object(source)
    if data is None:
        raise CorruptFileError(source, "missing")
    for name, table in repo.tables.items():
        rows = data.get(name, {})
        if rows:
            atomic_write(table.path, orjson.dumps({name: rows}))
    for name, file in history_files.items():
        rows = list(data.get(name, {}).values())
        if rows:
            atomic_write(repo.path / file, encode_lines(rows))
    counters = data.get("meta", {}).get("1", {}).get("counters", {})
    repo.meta = {"schema_version": 1, "counters": counters}
    audit = {
        "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "user": repo.user,
        "action": "migrate",
        "entity": "*",
        "key": "schema 0 -> 1",
        "changes": {},
    }
    audit_path = repo.path / history_files["audit"]
    existing = audit_path.read_bytes() if audit_path.exists() else b""
    atomic_write(audit_path, existing + encode_lines([audit]))
    atomic_write(repo.path / meta_file, orjson.dumps({"meta": {"1": repo.meta}}))
    os.replace(source, repo.path / (V0_FILE + ".schema0"))
