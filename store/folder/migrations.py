"""Bring an older database up to the current schema when it is opened.

Schema 0 (Kapabel before 0.1) kept everything -- register and history -- in one TinyDB file,
`kapabel.json`, which was rewritten on every save. Schema 1 splits the register into one file per
table and moves the history (assessments, benefit logs, audit) to append-only JSON Lines.
The old file is kept beside the new ones as `kapabel.json.schema0`. Schema 2 records each history
file's length and checksum in `meta.json` (see `store.history`). Schema 3 adds fields to robots
and a settings table, all with defaults: only the version in `meta.json` changes, so that an
older Kapabel refuses the folder instead of failing on a robot's new fields.

A migration validates everything before it writes anything, so a damaged old file is reported
(naming `kapabel.json`) and left as it was. Each step may be run again after a crash: it rewrites
the new files from the old one, and the old file is renamed only after `meta.json` is written.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Protocol

import orjson
from pydantic import ValidationError

from i18n import N_, _
from store.errors import CorruptFileError, format_pydantic_error
from store.files import DIR_MODE, FILE_MODE, atomic_write, fsync_dir
from store.folder.layout import HISTORY_FILES, META_FILE, SCHEMA_VERSION, recorded
from store.history import encode_lines, invalid_record, parse_lines
from store.models import Assessment, AuditAction, AuditEntry, RobotBenefit
from store.register import RegisterTable, read_json_object


class FolderRepository(Protocol):
    """What a migration needs of the folder being opened (it runs under the write lock)."""

    path: Path
    meta: dict
    read_only: bool
    tables: dict[str, RegisterTable]
    user: str


V0_FILE = "kapabel.json"
V0_KEPT = V0_FILE + ".schema0"
V0_HISTORY_MODELS = {"assessments": Assessment, "robot_benefits": RobotBenefit, "audit": AuditEntry}


def needs_migration(path: Path) -> bool:
    return (path / V0_FILE).exists()


def migrate(repo: FolderRepository) -> None:
    """Run every step from the database's version up to the current one (under the lock)."""
    version = repo.meta.get("schema_version", 0) if (repo.path / META_FILE).exists() else 0
    if version == 0:
        _v0_to_v1(repo, HISTORY_FILES, META_FILE)
        version = 1
    if version == 1:
        _v1_to_v2(repo, HISTORY_FILES, META_FILE)
        version = 2
    if version == 2:
        _v2_to_v3(repo, META_FILE)
        version = 3
    if version == 3:
        _bump(repo, META_FILE, 3)
        version = 4
    assert version == SCHEMA_VERSION


def _v2_to_v3(repo: FolderRepository, meta_file: str) -> None:
    """Schema 3's new fields and table have defaults: only the version changes (not on a
    read-only disk, which is read as it is)."""
    _bump(repo, meta_file, 2)


def _bump(repo: FolderRepository, meta_file: str, old: int) -> None:
    """A schema whose new fields and tables have defaults (3: robots' dated phases and the
    settings; 4: coverage rules): only the version changes, from `old` to the next (not on a
    read-only disk, which is read as it is)."""
    if repo.read_only or repo.meta.get("schema_version") != old:
        return  # read-only, or an older folder read as it is: nothing to record
    meta = {**repo.meta, "schema_version": old + 1}
    try:
        atomic_write(repo.path / meta_file, orjson.dumps({"meta": {"1": meta}}))
    except OSError:
        return
    repo.meta = meta


def _v1_to_v2(repo: FolderRepository, history_files: dict[str, str], meta_file: str) -> None:
    """Schema 2 records each history file's length and checksum in meta.json, as every save
    since does; a Kapabel reading only schema 1 refuses it, so none appends without recording.

    The history as it is now is recorded (its whole lines), once the audit log's lines were
    checked as audit entries: a checksum vouches for what it covers, so the audit log is not
    read line by line after this. On a read-only disk nothing is written: the database is read
    as before, and its next save records the lengths.
    """
    if repo.read_only:
        return  # a read-only copy: read as schema 1 (no lengths recorded to check against)
    history = {}
    for name, file in history_files.items():
        path = repo.path / file
        if not path.exists():
            continue
        data = path.read_bytes()
        if name == "audit":
            end = data.rfind(b"\n") + 1
            problem = invalid_record(
                parse_lines(path, data[:end], 0), AuditEntry, 0, N_("an audit entry")
            )
            if problem:
                raise CorruptFileError(path, problem)
        history[file] = recorded(data)
    meta = {**repo.meta, "schema_version": 2, "history": history}
    try:
        atomic_write(repo.path / meta_file, orjson.dumps({"meta": {"1": meta}}))
    except OSError:
        return
    repo.meta = meta


def tidy_after_migration(path: Path) -> None:
    """Finish a migration a crash interrupted after meta.json was written: keep the old file."""
    if (path / V0_FILE).exists() and not (path / V0_KEPT).exists():
        _keep_old_file(path)


def _keep_old_file(path: Path) -> None:
    os.replace(path / V0_FILE, path / V0_KEPT)
    os.chmod(path / V0_KEPT, FILE_MODE)
    fsync_dir(path)


def _rows(source: Path, data: dict, name: str) -> list[tuple[str, dict]]:
    """(doc_id, document) of one old table, in recording order."""
    raw = data.get(name, {})
    if not isinstance(raw, dict) or not all(isinstance(doc, dict) for doc in raw.values()):
        raise CorruptFileError(source, _("table {name!r} is not a TinyDB table").format(name=name))
    try:
        return sorted(raw.items(), key=lambda item: int(item[0]))
    except ValueError as error:
        raise CorruptFileError(
            source, _("table {name!r}: a document id is not a number").format(name=name)
        ) from error


def _validate_v0(repo: FolderRepository, source: Path, data: dict) -> None:
    """Raise CorruptFileError naming the old file before anything is written."""
    for name, table in repo.tables.items():
        checker = RegisterTable(table.model, source)
        try:
            checker._validate(dict(_rows(source, data, name)))
        except CorruptFileError as error:
            raise CorruptFileError(
                source,
                _("table {name!r}: {problem}").format(name=name, problem=_(error.problem)),
            ) from None
    for name, model in V0_HISTORY_MODELS.items():
        for doc_id, doc in _rows(source, data, name):
            try:
                model.model_validate(doc)
            except ValidationError as error:
                detail = "; ".join(format_pydantic_error(error))
                raise CorruptFileError(
                    source,
                    _("{table} document {id}: {problem}").format(
                        table=name, id=doc_id, problem=detail
                    ),
                ) from None


def _v0_to_v1(repo: FolderRepository, history_files: dict[str, str], meta_file: str) -> None:
    source = repo.path / V0_FILE
    data = read_json_object(source)
    if data is None:
        raise CorruptFileError(source, N_("missing"))
    _validate_v0(repo, source, data)
    os.chmod(repo.path, DIR_MODE)
    for name, table in repo.tables.items():
        rows = dict(_rows(source, data, name))
        if rows:
            atomic_write(table.path, orjson.dumps({name: rows}))
    audit_rows = [doc for _, doc in _rows(source, data, "audit")]
    audit_rows.append(
        {
            "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "user": repo.user,
            "action": str(AuditAction.MIGRATE),
            "entity": "*",
            "key": "schema 0 -> 1",
            "changes": {"schema_version": [0, 1]},
        }
    )
    for name, file in history_files.items():
        rows = audit_rows if name == "audit" else [doc for _, doc in _rows(source, data, name)]
        if rows:
            atomic_write(repo.path / file, encode_lines(rows))
    old_meta = data.get("meta", {}).get("1", {})
    counters = old_meta.get("counters", {}) if isinstance(old_meta, dict) else {}
    repo.meta = {"schema_version": 1, "counters": counters}
    atomic_write(repo.path / meta_file, orjson.dumps({"meta": {"1": repo.meta}}))
    _keep_old_file(repo.path)
