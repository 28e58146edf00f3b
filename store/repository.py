"""The one way in and out of a database folder.

Layout of a database folder (created 0700, every file 0600):

    meta.json                 schema version, key counters, history lengths and checksums
    <table>.json              one TinyDB file per register table (departments.json, staff.json...)
    assessments.jsonl         history, append-only
    robot_benefits.jsonl      history, append-only
    audit.jsonl               who changed what, append-only
    journal.json              only while a multi-file commit is being applied
    erasure.json              only while a person is being erased (see store.erasure)
    .lock                     the write lock

Every write happens in a `Transaction` under an exclusive file lock, after picking up what other
processes changed. A commit that touches more than one file first writes a journal (the new
table files as fsynced temporaries, the lines to append); a crash at any point is rolled forward
by the next process that takes the lock, so a database always opens whole. A commit that fails
(a full disk) is taken back at once, so a save reported as failed never appears later.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import orjson
from filelock import FileLock, Timeout
from pydantic import ValidationError

from store import snapshot
from store.dataset import (
    AssessmentRow,
    Dataset,
    row_from_model,
    row_from_record,
    rows_from_records,
)
from store.errors import (
    ConflictError,
    CorruptFileError,
    DiskError,
    InUseError,
    LockTimeoutError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    ValidationProblem,
    format_pydantic_error,
)
from store.files import (
    DIR_MODE,
    FILE_MODE,
    Pin,
    append_durably,
    atomic_write,
    can_write,
    copy_private,
    ensure_private_dir,
    file_signature,
    fsync_dir,
    temp_target,
    write_temp,
)
from store.folder.backups import newest_backup, remove_partial_backups
from store.folder.journal import check_journal
from store.folder.layout import (
    BACKUP_DIR,
    ERASURE_FILE,
    HISTORY_FILES,
    HISTORY_MODELS,
    JOURNAL_FILE,
    LOCK_FILE,
    META_FILE,
    PARTIAL_SUFFIX,
    SCHEMA_VERSION,
    meta_document,
    recorded,
    with_history_recorded,
)
from store.gcpause import collector_paused
from store.history import Convert, HistoryLog, encode_lines, invalid_record, records_of
from store.integrity import (
    counter_problems,
    dataset_problems,
    highest_id,
    key_taken_problems,
    record_problems,
    usages,
)
from store.migrations import V0_FILE
from store.models import (
    GENERATED_ID_PREFIX,
    REGISTER_MODELS,
    STORED_CONTEXT,
    Assessment,
    AuditAction,
    AuditEntry,
    Entity,
    RobotBenefit,
)
from store.register import RegisterTable, read_json_object, read_pinned

__all__ = [  # the folder's names, kept importable from here while callers move to store.folder
    "BACKUP_DIR",
    "ERASURE_FILE",
    "HISTORY_FILES",
    "HISTORY_MODELS",
    "JOURNAL_FILE",
    "LOCK_FILE",
    "META_FILE",
    "PARTIAL_SUFFIX",
    "SCHEMA_VERSION",
    "FolderRepository",
    "Repository",
    "Transaction",
    "changes_between",
    "current_user",
    "meta_document",
    "newest_backup",
    "recorded",
    "remove_partial_backups",
    "with_history_recorded",
]


def current_user() -> str:
    """The OS user, recorded in every audit entry."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def changes_between(old: Entity | None, new: Entity | None) -> dict[str, list]:
    """Field -> [old, new] for every field that differs (JSON values)."""
    before = old.model_dump(mode="json") if old is not None else {}
    after = new.model_dump(mode="json") if new is not None else {}
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def why_invalid(record: object, error: Exception) -> str:
    """The field-by-field reason a stored assessment is unreadable (pydantic says it best)."""
    try:
        Assessment.model_validate(record, context=STORED_CONTEXT)
    except ValidationError as invalid:
        return "; ".join(format_pydantic_error(invalid))
    return f"{type(error).__name__}: {error}"


class Repository(Protocol):
    """What the rest of Kapabel may use; a server database would implement the same."""

    ds: Dataset

    def refresh(self) -> bool: ...
    def transaction(self, summary: str | None = None) -> contextlib.AbstractContextManager: ...
    def put(self, record: Entity, expected: Entity | None = None) -> Entity: ...
    def delete(self, table: str, key: str, expected: Entity | None = None) -> None: ...
    def record(self, record: Assessment | RobotBenefit) -> None: ...
    def audit_entries(self) -> list[AuditEntry]: ...
    def problems(self) -> list[str]: ...


class FolderRepository:
    """A database folder on a local or shared disk."""

    def __init__(self, path: Path, *, user: str | None = None, lock_timeout: float = 60.0):
        self.path = Path(path)
        self.user = user or current_user()
        self.ds = Dataset()
        self.tables = {
            m.table: RegisterTable(m, self.path / f"{m.table}.json") for m in REGISTER_MODELS
        }
        self.logs = {name: HistoryLog(self.path / file) for name, file in HISTORY_FILES.items()}
        self.meta: dict = {"schema_version": SCHEMA_VERSION, "counters": {}, "history": {}}
        self.meta_signature: tuple[int, int, int] | None = None
        self.meta_pin = Pin()
        self._lock = FileLock(str(self.path / LOCK_FILE), timeout=lock_timeout, mode=FILE_MODE)
        # Threads of one process (a Textual worker and the UI) take turns; the file lock
        # does the same between processes.
        self._mutex = threading.RLock()
        self._transaction_thread: int | None = None
        self.snapshot_rows = 0
        """How many history rows came from the snapshot (the rest from the JSON lines)."""
        self.erasing = False
        """True while this repository erases a person (see `store.erasure`)."""
        self.finished_erasure: dict | None = None
        """An erasure a crash had interrupted, finished by this repository (what it erased)."""
        self.read_only = False
        """The folder cannot be written here (read-only file system, or no write permission):
        the database is read without the lock, without finishing an interrupted save, and
        every write is refused with ReadOnlyError."""

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls, path: Path | str, *, create: bool = False, user: str | None = None
    ) -> FolderRepository:
        """Open (and with `create`, make) a database; CorruptFileError if a file is damaged."""
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not a database folder")
        no_database = StoreError(
            f"no database at {path} (make one with `kapabel demo --db {path}` or import your data)"
        )
        if not path.exists():
            if not create:
                raise no_database
            try:
                ensure_private_dir(path)
            except OSError as error:
                raise DiskError(error, path) from error
        repo = cls(path, user=user)
        repo.read_only = not can_write(path)
        if not any((path / name).exists() for name in (META_FILE, JOURNAL_FILE, V0_FILE)):
            repo._check_empty_folder()  # before the lock file is made among someone's files
        with repo._locked():
            repo._recover()
            fresh = repo._prepare_schema()
            if fresh and not create:
                raise no_database
            if fresh:
                repo._refuse_if_read_only()
                os.chmod(path, DIR_MODE)
            repo._load_all()
            if fresh:
                repo._initialise()
            if not repo.read_only:  # else `_recover` refused a pending erasure
                remove_partial_backups(path)
                repo._finish_erasure()
        return repo

    def _prepare_schema(self) -> bool:
        """Read meta, migrate an older database; True when the folder is a brand-new database."""
        from store import migrations

        meta_path = self.path / META_FILE
        data, signature = read_pinned(meta_path, self.meta_pin)
        if data is None:
            if migrations.needs_migration(self.path):
                migrations.migrate(self)
                data, signature = read_pinned(meta_path, self.meta_pin)
            elif any(t.path.exists() for t in self.tables.values()):
                raise CorruptFileError(meta_path, "missing, but table files exist")
            else:
                self._check_empty_folder()  # again, now under the lock
                return True
        self._set_meta(data, meta_path, signature)
        version = self.meta.get("schema_version")
        if not isinstance(version, int):
            raise CorruptFileError(meta_path, "no schema_version")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer Kapabel (schema {version}; "
                f"this one reads up to {SCHEMA_VERSION}): upgrade Kapabel"
            )
        if version < SCHEMA_VERSION:
            migrations.migrate(self)
            data, signature = read_pinned(meta_path, self.meta_pin)
            self._set_meta(data, meta_path, signature)
        migrations.tidy_after_migration(self.path)
        return False

    def _set_meta(
        self, data: dict, meta_path: Path, signature: tuple[int, int, int] | None
    ) -> None:
        self.meta = meta_document(data, meta_path)
        self.meta_signature = signature
        for log in self.logs.values():
            committed = self.meta["history"].get(log.path.name)
            log.expect(tuple(committed) if committed else None)

    def _check_empty_folder(self) -> None:
        """A new database goes only into an empty folder, never among someone's other files."""
        ours = self.data_files() | {LOCK_FILE, BACKUP_DIR, snapshot.CACHE_DIR}
        strangers = sorted(
            p.name
            for p in self.path.iterdir()
            if p.name not in ours and temp_target(p.name) not in ours
        )
        if strangers:
            shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
            raise StoreError(
                f"{self.path} holds other files ({shown}) and no Kapabel database: "
                "choose an empty or new folder"
            )

    def meta_bytes(self) -> bytes:
        """meta.json as a save writes it: this schema (whatever was read), what it records."""
        return orjson.dumps({"meta": {"1": {**self.meta, "schema_version": SCHEMA_VERSION}}})

    def _initialise(self) -> None:
        from store.digcomp import digcomp_records

        self.meta = {"schema_version": SCHEMA_VERSION, "counters": {}, "history": {}}
        with self.transaction(summary="new database with DigComp 2.2") as tx:
            tx.meta_dirty = True
            for record in digcomp_records():
                tx.put(record)

    def _load_all(self) -> None:
        with collector_paused():  # a million new objects: the collector cost a third of the open
            self._load_all_unpaused()

    def _load_all_unpaused(self) -> None:
        ds = Dataset()
        for name, table in self.tables.items():
            setattr(ds, name, table.load())
        for log in self.logs.values():
            log.reset()
        ds.assessments = self._read_assessments()
        ds.robot_benefits = self.logs["robot_benefits"].read_new(self._benefits)[0]
        if self.logs["audit"].committed is not None:
            self._check_audit_log()  # without a recorded length: checked before the next save
        self.ds = ds

    def _read_assessments(self) -> list[AssessmentRow]:
        """The history: from the snapshot as far as it goes, then the JSON lines after it."""
        log = self.logs["assessments"]
        rows: list[AssessmentRow] = []
        saved = snapshot.load(self.path, log.path, discard_stale=False)
        if saved is not None and (log.committed is None or saved[1].offset <= log.committed[0]):
            rows, position = saved
            position.resume(log)  # the history starts with the bytes these rows came from
        new, rewritten = log.read_new(self._rows_after(len(rows)))
        if rewritten or not rows:
            rows = []
            if snapshot.snapshot_path(self.path).exists():
                snapshot.remove(self.path)  # it could not be used: stale, damaged or foreign
        self.snapshot_rows = len(rows)
        rows.extend(new)
        return rows

    def _rows_after(self, count: int) -> Convert:
        """Converts new history records to rows that follow `count` rows (all when rewritten)."""

        def convert(records: list[dict], first: int, rewritten: bool) -> list[AssessmentRow]:
            return self._assessment_rows(records, 0 if rewritten else count)

        return convert

    def _check_audit_log(self) -> None:
        """Check what was added to the audit log (its recorded part by checksum only)."""
        self.logs["audit"].read_new(self._audit_entries_valid, parse_committed=False)

    def _audit_entries_valid(self, records: list[dict], first: int, rewritten: bool) -> None:
        problem = invalid_record(records, AuditEntry, first, "an audit entry")
        if problem:
            raise CorruptFileError(self.logs["audit"].path, problem)

    def save_snapshot(
        self,
        *,
        min_new_rows: int | None = None,
        encode: Callable[[list[AssessmentRow], snapshot.Position], bytes] = snapshot.encode,
    ) -> bool:
        """Save a snapshot of the history for faster opening, when at least `min_new_rows`
        (default `snapshot.WORTH_SAVING_ROWS`) rows had to be read from the JSON lines; True
        if one was saved.

        The rows are taken under the lock, encoded without it (other writers need not wait;
        the app passes an `encode` that runs in another process) and written under the lock
        again only if the history is still the file they came from.
        """
        if self.read_only:
            return False
        try:
            if min_new_rows is None:
                min_new_rows = snapshot.WORTH_SAVING_ROWS
            return self._save_snapshot(min_new_rows, encode)
        except (StoreError, OSError):
            return False  # only ever a speed-up: the next open reads the JSON lines instead

    def _save_snapshot(self, min_new_rows: int, encode: Callable) -> bool:
        log = self.logs["assessments"]
        with self._locked():
            if (self.path / ERASURE_FILE).exists():
                return False  # the rows may hold the person being erased
            position = snapshot.Position.of(log)
            rows = self.ds.assessments
            if position is None or len(rows) - self.snapshot_rows < min_new_rows:
                return False
            rows = rows[:]
        with collector_paused():
            data = encode(rows, position)
        with self._locked():
            if not position.still_holds(log.path):
                return False
            snapshot.write(self.path, data)
            self.snapshot_rows = len(rows)
        return True

    def _assessment_rows(self, records: list[dict], first_seq: int) -> list[AssessmentRow]:
        try:
            with collector_paused():
                return rows_from_records(records, first_seq)
        except (KeyError, ValueError, TypeError) as error:
            for i, record in enumerate(records):
                try:
                    row_from_record(record, 0)
                except (KeyError, ValueError, TypeError) as bad:
                    raise CorruptFileError(
                        self.logs["assessments"].path,
                        f"record {first_seq + i + 1} is not an assessment: {why_invalid(record, bad)}",
                    ) from error
            raise

    def _benefits(self, records: list[dict], first: int, rewritten: bool) -> dict:
        """The benefit records by key (a later record for a month replaces an earlier one)."""
        try:
            benefits = records_of(RobotBenefit).validate_python(records, context=STORED_CONTEXT)
        except ValidationError:
            problem = invalid_record(records, RobotBenefit, first, "a robot benefit")
            raise CorruptFileError(self.logs["robot_benefits"].path, str(problem)) from None
        return {benefit.key(): benefit for benefit in benefits}

    # ----------------------------------------------------------------- locking and recovery
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the write lock (this thread against other threads, and against processes).

        A damaged file found meanwhile is reported with the newest backup to restore from, and
        a refusal by the system (permissions, a full disk) as a StoreError a user can read.
        """
        with self._mutex:
            if not self.read_only:  # a read-only folder cannot hold the lock file: read as is
                self._acquire_file_lock()
            try:
                yield
            except CorruptFileError as error:
                if error.backup is not None:
                    raise
                raise CorruptFileError(
                    error.path, error.problem, newest_backup(self.path)
                ) from None
            except OSError as error:
                raise DiskError(error, self.path) from error
            finally:
                if not self.read_only:
                    self._lock.release()

    def _acquire_file_lock(self) -> None:
        try:
            self._lock.acquire()
        except Timeout as error:
            raise LockTimeoutError(
                f"{self.path} is busy: another Kapabel has held its lock for "
                f"{self._lock.timeout:.0f} s"
            ) from error
        except OSError as error:
            raise DiskError(error, self.path) from error

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyError(
                f"{self.path} is read-only here (a read-only file system, or a folder you may "
                "read but not write): nothing was saved"
            )

    def _recover_read_only(self) -> None:
        """What `_recover` may do without writing: nothing, unless a save or an erasure was
        interrupted (the files are then half-way, or still hold the person): refused."""
        for name, what in ((JOURNAL_FILE, "a save"), (ERASURE_FILE, "an erasure")):
            if (self.path / name).exists():
                raise ReadOnlyError(
                    f"{self.path / name}: {what} was interrupted and must be finished before "
                    "the database can be read, which cannot be done here because the folder is "
                    "read-only: open it once where it can be written"
                )

    def _recover(self) -> None:
        """Roll forward a commit a crash interrupted, and sweep away abandoned temporaries.

        The journal is checked whole first (`store.folder.journal`): one that does not describe a
        commit of this database is refused, naming it, before any of it is replayed.
        """
        if self.read_only:
            self._recover_read_only()
            return
        journal_path = self.path / JOURNAL_FILE
        journal = read_json_object(journal_path)
        if journal is not None:
            check_journal(self, journal, journal_path)
            self._apply_journal(journal, journal_path)
            journal_path.unlink()
            fsync_dir(self.path)
        ours = self.data_files()
        for leftover in self.path.glob(".*"):
            # Only our own temporaries: the lock's helper files must be left alone.
            if temp_target(leftover.name) in ours and leftover.is_file():
                leftover.unlink()

    def data_files(self) -> set[str]:
        """The names of every file a database keeps (what a temporary may be written for)."""
        names = {t.path.name for t in self.tables.values()}
        names |= {log.path.name for log in self.logs.values()}
        return names | {META_FILE, JOURNAL_FILE, ERASURE_FILE}

    def _finish_erasure(self) -> bool:
        """Finish an erasure a crash interrupted, before anyone reads or copies the database
        (under the lock, after loading it); True if there was one."""
        if self.erasing or self.read_only or not (self.path / ERASURE_FILE).exists():
            return False
        from store.erasure import finish_erasure

        self.finished_erasure = finish_erasure(self)
        return True

    def _apply_journal(self, journal: dict, journal_path: Path | None = None) -> None:
        """Finish a commit; safe to run again after a crash part-way (each step is idempotent).

        Appends come first and replacements last, so that until a file is replaced a failed
        commit can still be taken back (`_undo`).
        """
        for name, size_before, text in journal["append"]:
            target = self.path / name
            data = text.encode("utf-8")
            size = target.stat().st_size if target.exists() else 0
            if size == size_before + len(data):
                continue
            if size != size_before:  # part of it got there (`check_journal` saw it is ours)
                with open(target, "rb+") as handle:
                    handle.truncate(size_before)
                    os.fsync(handle.fileno())
            append_durably(target, data)
        for temp_name, final_name in journal["replace"]:
            temp = self.path / temp_name
            if temp.exists():
                os.replace(temp, self.path / final_name)
        fsync_dir(self.path)

    def _commit_files(
        self,
        replacements: list[tuple[Path, bytes]],
        appends: dict[str, bytes],
        *,
        meta_dirty: bool = False,
    ) -> None:
        """Write new files and append history lines, all or nothing.

        Appending to the history also records its new lengths and checksums in `meta.json`,
        in the same journaled commit. A commit that fails is taken back (and raises) unless a
        file was already replaced: it is then complete in the durable journal, so the save
        counts (the next process to take the lock finishes it). A save reported as failed
        never appears later.
        """
        appends = {name: data for name, data in appends.items() if data}
        starts = {name: self.logs[name].prepare_append() for name in appends}
        if appends:
            self.meta["history"] = self._history_record(appends, starts)
            meta_dirty = True
        if meta_dirty:
            replacements = [*replacements, (self.path / META_FILE, self.meta_bytes())]
        if not replacements:
            return
        if len(replacements) == 1 and not appends:
            atomic_write(*replacements[0])
            return
        journal: dict = {"replace": [], "append": []}
        for path, data in replacements:
            temp = write_temp(path, data, suffix=".txn")
            journal["replace"].append([temp.name, path.name])
        for name, data in appends.items():
            journal["append"].append([self.logs[name].path.name, starts[name], data.decode()])
        journal_path = self.path / JOURNAL_FILE
        atomic_write(journal_path, orjson.dumps(journal))  # the commit point
        try:
            self._apply_journal(journal)
        except BaseException as error:
            if any(not (self.path / temp).exists() for temp, _ in journal["replace"]):
                if isinstance(error, OSError):
                    return  # a file was replaced: committed; the journal holds the rest
                raise
            self._undo(journal, journal_path, error)
            raise
        journal_path.unlink()
        fsync_dir(self.path)

    def _history_record(self, appends: dict[str, bytes], starts: dict[str, int]) -> dict:
        """Each history file's [length, CRC-32] once `appends` are made (for `meta.json`)."""
        record = dict(self.meta.get("history", {}))
        for name, log in self.logs.items():
            if name in appends and starts[name] != log.offset:
                raise StoreError(f"{log.path}: not read to its end before a save; nothing saved")
            if log.read_whole:
                record[log.path.name] = list(log.after_append(appends.get(name, b"")))
        return record

    def _undo(self, journal: dict, journal_path: Path, error: BaseException) -> None:
        """Take back a commit that replaced no file yet: the journal goes first (then nothing
        can finish it), then the lines appended (past the recorded length they are not read
        anyway) and the temporaries."""
        try:
            journal_path.unlink()
        except OSError as failed:
            raise StoreError(
                f"{journal_path}: a save failed ({getattr(error, 'strerror', None) or error}) "
                f"and could not be taken back ({failed.strerror}); it will be completed when "
                "the database is next opened"
            ) from error
        fsync_dir(self.path)
        for name, size_before, _ in journal["append"]:
            with contextlib.suppress(OSError):
                if size_before == 0:
                    (self.path / name).unlink()  # the append made it: as if never written
                    continue
                with open(self.path / name, "rb+") as handle:
                    handle.truncate(size_before)
                    os.fsync(handle.fileno())
        for temp, _ in journal["replace"]:
            with contextlib.suppress(OSError):
                (self.path / temp).unlink()

    # ----------------------------------------------------------------- reading
    def refresh(self) -> bool:
        """Pick up what other processes wrote; True when anything changed."""
        with self._locked():
            return self._refresh_locked()

    def _refresh_locked(self) -> bool:
        self._recover()
        changed = False
        meta_path = self.path / META_FILE
        if file_signature(meta_path) != self.meta_signature:
            data, signature = read_pinned(meta_path, self.meta_pin)
            if data is not None:
                self._set_meta(data, meta_path, signature)
        for name, table in self.tables.items():
            if table.changed_on_disk():
                setattr(self.ds, name, table.load())
                changed = True
        changed = self._refresh_history() or changed
        return self._finish_erasure() or changed

    def _refresh_history(self) -> bool:
        """Take in what was appended to the history (the audit log is checked, not kept); a
        damaged record is read again next time."""
        ds = self.ds
        rows, rewritten = self.logs["assessments"].read_new(self._rows_after(len(ds.assessments)))
        if rewritten:
            ds.assessments = rows
            self.snapshot_rows = 0
        else:
            ds.assessments.extend(rows)
        changed = bool(rows) or rewritten
        benefits, rewritten = self.logs["robot_benefits"].read_new(self._benefits)
        if rewritten:
            ds.robot_benefits = benefits
        else:
            ds.robot_benefits.update(benefits)
        self._check_audit_log()
        return changed or bool(benefits) or rewritten

    def audit_entries(self) -> list[AuditEntry]:
        return [AuditEntry.model_validate(r) for r in self.logs["audit"].read_all()]

    def problems(self) -> list[str]:
        """What `kapabel check` reports: history that does not read whole (each audit line an
        audit entry), bytes past the last save, key counters behind their tables, broken
        references, bad levels."""
        found: list[str] = []
        for name, log in self.logs.items():
            log_now = HistoryLog(log.path)
            log_now.expect(log.committed)
            try:
                log_now.read_new(self._audit_entries_valid if name == "audit" else None)
            except CorruptFileError as error:
                found.append(f"{log.path.name}: {error.problem}")
                continue
            tail = log_now.read_past_end()
            if b"\n" in tail:
                found.append(
                    f"{log.path.name}: {len(tail)} bytes past the last save (left by an "
                    "interrupted save) are ignored"
                )
            elif tail:
                found.append(
                    f"{log.path.name}: torn last line ({len(tail)} bytes, left by an "
                    "interrupted save) is ignored"
                )
            if log.torn_path.exists():
                count = log.torn_path.read_bytes().count(b"\n")
                found.append(
                    f"{log.torn_path.name}: {count} torn line(s) from interrupted saves were set "
                    "aside here; delete the file once you have looked at it"
                )
        found += [f"{META_FILE}: {p}" for p in counter_problems(self.ds, self.meta["counters"])]
        found += dataset_problems(self.ds)
        return found

    # ----------------------------------------------------------------- whole files
    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the write lock, having picked up others' changes: for copying the files whole."""
        self._refuse_if_read_only()
        if self._transaction_thread == threading.get_ident():
            raise StoreError("cannot take the lock inside a transaction")
        with self._locked():
            self._refresh_locked()
            yield

    def rewrite_history(self, name: str, transform: Callable[[list[dict]], list[dict]]) -> None:
        """Replace history file `name` with `transform(records)`, all or nothing, under the lock,
        recording its new length and checksum with it.

        For erasing a person only: history is otherwise append-only.
        """
        with self.exclusive():
            log = self.logs[name]
            if name == "assessments":
                snapshot.remove(self.path)  # it may hold what is being erased
            log.prepare_append()
            data = encode_lines(transform(log.read_all()))
            before = self.meta
            history = {**self._history_record({}, {}), log.path.name: [len(data), zlib.crc32(data)]}
            self.meta = {**before, "history": history}
            try:
                self._commit_files([(log.path, data)], {}, meta_dirty=True)
            except BaseException:
                self.meta = before
                raise
            self._refresh_locked()

    def replace_files(self, contents: dict[str, bytes], *, whole: bool = True) -> None:
        """Make the database exactly `contents` (file name -> bytes), all or nothing (restore).

        A data file missing from `contents` is emptied (with `whole=False`: left as it is, for
        an erasure). Goes through the journal, so a crash midway is completed by the next
        process that opens the database.
        """
        with self.exclusive():
            wanted = {META_FILE, *(t.path.name for t in self.tables.values())}
            wanted |= {log.path.name for log in self.logs.values()}
            unknown = sorted(set(contents) - wanted)
            if unknown:
                raise StoreError(f"not database files: {', '.join(unknown)}")
            replacements = []
            for file_name in sorted(wanted):
                data = contents.get(file_name)
                if data is None and (not whole or not (self.path / file_name).exists()):
                    continue
                if data is None:
                    data = b"" if file_name.endswith(".jsonl") else b"{}"
                replacements.append((self.path / file_name, data))
            before = self.meta
            if META_FILE not in contents:  # record the new history with it (an erasure)
                history = self._history_record({}, {})
                history |= {p.name: recorded(d) for p, d in replacements if p.suffix == ".jsonl"}
                self.meta = {**before, "history": history}
            snapshot.remove(self.path)
            try:
                self._commit_files(replacements, {}, meta_dirty=self.meta is not before)
            except BaseException:
                self.meta = before
                raise
            self._recover()  # only if a file system error left part of it to the journal
            self._prepare_schema()
            self._load_all()

    def backup(self) -> Path:
        """Copy every data file to `backups/<UTC time>/` (owner-only); the new folder.

        Made under the lock, so it is a consistent picture; the folder gets its final name only
        when complete, so `newest_backup` never points to half a backup.
        """
        self._refuse_if_read_only()
        with self._locked():
            self._recover()
            self._finish_erasure()
            folder = self.path / BACKUP_DIR
            ensure_private_dir(folder)
            remove_partial_backups(self.path)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            partial = folder / f".{stamp}{PARTIAL_SUFFIX}"
            ensure_private_dir(partial)
            skipped = {JOURNAL_FILE, ERASURE_FILE}
            for file in sorted(self.path.iterdir()):
                if file.is_file() and not file.name.startswith(".") and file.name not in skipped:
                    copy_private(file, partial / file.name)
            fsync_dir(partial)
            target = folder / stamp
            os.replace(partial, target)
            fsync_dir(folder)
            return target

    # ----------------------------------------------------------------- writing
    @contextlib.contextmanager
    def transaction(self, summary: str | None = None) -> Iterator[Transaction]:
        """All changes inside are written together, or not at all.

        With `summary`, the audit log gets one entry counting the changes instead of one per
        record (for generated data; imports audit every record).
        """
        self._refuse_if_read_only()
        if self._transaction_thread == threading.get_ident():
            raise StoreError("transactions do not nest")
        with self._locked():
            self._refresh_locked()
            tx = Transaction(self, summary)
            self._transaction_thread = threading.get_ident()
            try:
                yield tx
                tx.commit()
            except BaseException:
                tx.rollback()
                raise
            finally:
                self._transaction_thread = None

    def put(self, record: Entity, expected: Entity | None = None) -> Entity:
        with self.transaction() as tx:
            return tx.put(record, expected=expected)

    def create(self, record: Entity) -> Entity:
        with self.transaction() as tx:
            return tx.create(record)

    def delete(self, table: str, key: str, expected: Entity | None = None) -> None:
        with self.transaction() as tx:
            tx.delete(table, key, expected=expected)

    def record(self, record: Assessment | RobotBenefit) -> None:
        with self.transaction() as tx:
            tx.record(record)


class Transaction:
    """Changes collected under the lock; see `FolderRepository.transaction`."""

    def __init__(self, repo: FolderRepository, summary: str | None) -> None:
        self.repo = repo
        self.ds = repo.ds
        self.summary = summary
        self.counts: Counter[str] = Counter()
        self.upserts: dict[str, dict[str, Entity]] = defaultdict(dict)
        self.deletes: dict[str, set[str]] = defaultdict(set)
        self.lines: dict[str, list[dict]] = defaultdict(list)
        self.snapshots: dict[str, dict] = {}
        self.assessments_before = len(repo.ds.assessments)
        self.meta_before = orjson.loads(orjson.dumps(repo.meta))
        self.meta_dirty = False
        self.ids_checked: set[str] = set()
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        """When the changes were made (one time for the whole transaction, as audit text)."""

    # -- reading inside the transaction sees its own changes
    def get(self, table: str, key: str) -> Entity | None:
        return self.ds.table(table).get(key)

    # -- changes
    def put(self, record: Entity, expected: Entity | None = None) -> Entity:
        """Create or update by key; an identical record is left alone."""
        table = record.table
        if table not in self.repo.tables:
            raise StoreError(f"{table} is history: use record()")
        prefix = GENERATED_ID_PREFIX.get(table)
        if prefix and not getattr(record, "id", ""):
            record = record.model_copy(update={"id": self._next_id(table, prefix)})
        problems = record_problems(self.ds, record)
        key = record.key()
        if problems:
            raise ValidationProblem(table, key, problems)
        current = self.ds.table(table).get(key)
        if expected is not None and current != expected:
            raise ConflictError(
                f"{table} {key!r} was changed by someone else since you opened it; "
                "nothing was saved: reopen it to see the current values"
            )
        if current == record:
            return current
        self._snapshot(table)
        self.ds.table(table)[key] = record
        self.upserts[table][key] = record
        self.deletes[table].discard(key)
        action = AuditAction.CREATE if current is None else AuditAction.UPDATE
        self._audit(action, table, key, changes_between(current, record))
        return record

    def create(self, record: Entity) -> Entity:
        if record.table in self.repo.tables:
            taken = key_taken_problems(self.ds, record.table, record.key())
            if taken:
                raise ValidationProblem(record.table, record.key(), taken)
        return self.put(record)

    def update(self, record: Entity, expected: Entity | None = None) -> Entity:
        if self.get(record.table, record.key()) is None:
            raise NotFoundError(record.table, record.key())
        return self.put(record, expected=expected)

    def delete(self, table: str, key: str, expected: Entity | None = None) -> None:
        """Delete a register record nothing refers to (staff are deactivated instead)."""
        if table not in self.repo.tables:
            raise StoreError(
                f"{table} is not a register table: history is corrected by new records"
            )
        current = self.get(table, key)
        if current is None:
            raise NotFoundError(table, key)
        if expected is not None and current != expected:
            raise ConflictError(f"{table} {key!r} was changed by someone else; nothing deleted")
        in_use = usages(self.ds, table, key)
        if in_use:
            raise InUseError(table, key, in_use)
        self._snapshot(table)
        del self.ds.table(table)[key]
        self.upserts[table].pop(key, None)
        self.deletes[table].add(key)
        self._audit(AuditAction.DELETE, table, key, changes_between(current, None))

    def record(self, record: Assessment | RobotBenefit) -> None:
        """Append to the history (an assessment or a month's robot benefit)."""
        if not isinstance(record, Assessment | RobotBenefit):
            raise StoreError(f"{record.table} is not history: use put()")
        problems = record_problems(self.ds, record)
        if problems:
            raise ValidationProblem(record.table, record.key(), problems)
        line = record.model_dump(mode="json", exclude_defaults=False)
        self.lines[record.table].append(line)
        if isinstance(record, Assessment):
            self.ds.assessments.append(row_from_model(record, len(self.ds.assessments)))
            # The key names person, competency, date and source; the audit adds what was
            # recorded. A correction is a new record with the same key (the later one counts).
            recorded = {
                name: [None, line[name]]
                for name in ("level", "assessor", "valid_until", "note")
                if line[name] not in (None, "")
            }
            self._audit(AuditAction.CREATE, record.table, record.key(), recorded)
        else:
            self._snapshot("robot_benefits")
            old = self.ds.robot_benefits.get(record.key())
            self.ds.robot_benefits[record.key()] = record
            action = AuditAction.CREATE if old is None else AuditAction.UPDATE
            self._audit(action, record.table, record.key(), changes_between(old, record))

    # -- internals
    def _next_id(self, table: str, prefix: str) -> str:
        """A new key: after the counter in `meta.json`, and after every key the table already
        holds (a counter reset or restored on its own must never reuse someone's key)."""
        counters = self.repo.meta.setdefault("counters", {})
        if prefix not in self.ids_checked:  # once per transaction: its own ids follow on
            self.ids_checked.add(prefix)
            counters[prefix] = max(
                int(counters.get(prefix, 0)), highest_id(self.ds.table(table), prefix)
            )
        counters[prefix] = int(counters.get(prefix, 0)) + 1
        self.meta_dirty = True
        return f"{prefix}-{counters[prefix]:06d}"

    def _snapshot(self, table: str) -> None:
        if table not in self.snapshots:
            self.snapshots[table] = dict(self.ds.table(table))

    def _audit(self, action: AuditAction, entity: str, key: str, changes: dict) -> None:
        self.counts[f"{action}:{entity}"] += 1
        if self.summary is None:
            self.lines["audit"].append(
                {
                    "at": self.now,
                    "user": self.repo.user,
                    "action": str(action),
                    "entity": entity,
                    "key": key,
                    "changes": changes,
                }
            )

    def commit(self) -> None:
        repo = self.repo
        if self.summary is not None and self.counts:
            self.lines["audit"].append(
                {
                    "at": self.now,
                    "user": repo.user,
                    "action": str(AuditAction.IMPORT),
                    "entity": "*",
                    "key": self.summary,
                    "changes": {"counts": [None, dict(sorted(self.counts.items()))]},
                }
            )
        touched = [name for name in repo.tables if self.upserts.get(name) or self.deletes.get(name)]
        replacements: list[tuple[Path, bytes]] = []
        try:
            for name in touched:
                table = repo.tables[name]
                table.apply(self.upserts.get(name, {}), self.deletes.get(name, set()))
                replacements.append((table.path, table.storage.dump()))
            appends = {name: encode_lines(lines) for name, lines in self.lines.items()}
            repo._commit_files(replacements, appends, meta_dirty=self.meta_dirty)
        except BaseException:
            for name in touched:
                repo.tables[name].mark_stale()  # memory no longer matches disk: reload
            repo.meta_signature = None  # memory's meta is put back: read the file's again
            raise
        for name in touched:
            repo.tables[name].mark_written()
        if self.meta_dirty or any(appends.values()):
            repo.meta_signature = repo.meta_pin.hold_current(repo.path / META_FILE)
        for name, data in appends.items():
            if data:
                repo.logs[name].appended(data)

    def rollback(self) -> None:
        for table, before in self.snapshots.items():
            setattr(self.ds, table, before)
        del self.ds.assessments[self.assessments_before :]
        self.repo.meta = self.meta_before
