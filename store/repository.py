"""The one way in and out of a database folder.

Layout of a database folder (created 0700, every file 0600):

    meta.json                 schema version and key counters (TinyDB)
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
by the next process that takes the lock, so a database always opens whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import shutil
import threading
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
    copy_private,
    ensure_private_dir,
    file_signature,
    fsync_dir,
    temp_target,
    write_temp,
)
from store.gcpause import collector_paused
from store.history import HistoryLog, encode_lines
from store.integrity import dataset_problems, key_taken_problems, record_problems, usages
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

SCHEMA_VERSION = 1
META_FILE = "meta.json"
JOURNAL_FILE = "journal.json"
ERASURE_FILE = "erasure.json"
"""An erasure under way: who is being erased (see `store.erasure`); never copied to a backup."""
LOCK_FILE = ".lock"
BACKUP_DIR = "backups"
PARTIAL_SUFFIX = ".partial"
"""`backups/.<stamp>.partial/`: a backup being made (under the lock); one found later was left by
a crash."""
HISTORY_FILES = {
    "assessments": "assessments.jsonl",
    "robot_benefits": "robot_benefits.jsonl",
    "audit": "audit.jsonl",
}


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


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup of a database, to point to when a file is damaged."""
    folder = db_path / BACKUP_DIR
    if not folder.is_dir():
        return None
    backups = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    return backups[-1] if backups else None


def remove_partial_backups(db_path: Path) -> int:
    """Delete the backups a crash left half-made (call under the write lock, which every backup
    is made under); they hold personal data and are never restored. How many were deleted."""
    try:
        entries = list((db_path / BACKUP_DIR).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return 0
    partial = [
        e
        for e in entries
        if e.name.startswith(".") and e.name.endswith(PARTIAL_SUFFIX) and not e.is_symlink()
    ]
    for entry in partial:
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return len(partial)


def why_invalid(record: object, error: Exception) -> str:
    """The field-by-field reason a stored assessment is unreadable (pydantic says it best)."""
    try:
        Assessment.model_validate(record, context=STORED_CONTEXT)
    except ValidationError as invalid:
        return "; ".join(format_pydantic_error(invalid))
    return f"{type(error).__name__}: {error}"


def check_journal(journal: dict, path: Path) -> None:
    """Refuse a journal that is not what `_commit_files` writes (names inside the folder only)."""

    def plain(name: object) -> bool:
        return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name

    try:
        replaces_ok = all(
            len(step) == 2 and plain(step[0]) and plain(step[1]) for step in journal["replace"]
        )
        appends_ok = all(
            len(step) == 3
            and plain(step[0])
            and isinstance(step[1], int)
            and step[1] >= 0
            and isinstance(step[2], str)
            for step in journal["append"]
        )
    except (KeyError, TypeError):
        replaces_ok = appends_ok = False
    if not (replaces_ok and appends_ok):
        raise CorruptFileError(
            path, "not a Kapabel journal (an interrupted save cannot be finished from it)"
        )


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
        self.meta: dict = {"schema_version": SCHEMA_VERSION, "counters": {}}
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
        if not any((path / name).exists() for name in (META_FILE, JOURNAL_FILE, V0_FILE)):
            repo._check_empty_folder()  # before the lock file is made among someone's files
        with repo._locked():
            repo._recover()
            fresh = repo._prepare_schema()
            if fresh and not create:
                raise no_database
            if fresh:
                os.chmod(path, DIR_MODE)
            repo._load_all()
            if fresh:
                repo._initialise()
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
        migrations.tidy_after_migration(self.path)
        return False

    def _set_meta(
        self, data: dict, meta_path: Path, signature: tuple[int, int, int] | None
    ) -> None:
        meta = data.get("meta")
        doc = meta.get("1") if isinstance(meta, dict) else None
        if not isinstance(doc, dict):
            raise CorruptFileError(meta_path, "no meta document")
        counters = doc.get("counters", {})
        if not isinstance(counters, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in counters.values()
        ):
            raise CorruptFileError(meta_path, "counters: not a table of whole numbers")
        self.meta = {"schema_version": doc.get("schema_version"), "counters": counters}
        self.meta_signature = signature

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
        return orjson.dumps({"meta": {"1": self.meta}})

    def _initialise(self) -> None:
        from store.digcomp import digcomp_records

        self.meta = {"schema_version": SCHEMA_VERSION, "counters": {}}
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
        ds.robot_benefits = self._benefits(self.logs["robot_benefits"].read_new()[0], {})
        self.ds = ds

    def _read_assessments(self) -> list[AssessmentRow]:
        """The history: from the snapshot as far as it goes, then the JSON lines after it."""
        log = self.logs["assessments"]
        rows: list[AssessmentRow] = []
        saved = snapshot.load(self.path, log.path)
        if saved is not None:
            rows, position = saved
            position.resume(log)  # the history starts with the bytes these rows came from
        records, rewritten = log.read_new()
        if rewritten:
            rows = []
        self.snapshot_rows = len(rows)
        rows.extend(self._assessment_rows(records, len(rows)))
        return rows

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

    def _benefits(self, records: list[dict], into: dict) -> dict:
        for i, record in enumerate(records):
            try:
                benefit = RobotBenefit.model_validate(record, context=STORED_CONTEXT)
            except ValidationError as error:
                raise CorruptFileError(
                    self.logs["robot_benefits"].path,
                    f"record {i + 1}: " + "; ".join(format_pydantic_error(error)),
                ) from error
            into[benefit.key()] = benefit
        return into

    # ----------------------------------------------------------------- locking and recovery
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the write lock (this thread against other threads, and against processes).

        A damaged file found meanwhile is reported with the newest backup to restore from, and
        a refusal by the system (permissions, a full disk) as a StoreError a user can read.
        """
        with self._mutex:
            try:
                self._lock.acquire()
            except Timeout as error:
                raise LockTimeoutError(
                    f"{self.path} is busy: another Kapabel has held its lock for "
                    f"{self._lock.timeout:.0f} s"
                ) from error
            except OSError as error:
                raise DiskError(error, self.path) from error
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
                self._lock.release()

    def _recover(self) -> None:
        """Roll forward a commit a crash interrupted, and sweep away abandoned temporaries."""
        journal_path = self.path / JOURNAL_FILE
        journal = read_json_object(journal_path)
        if journal is not None:
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
        if self.erasing or not (self.path / ERASURE_FILE).exists():
            return False
        from store.erasure import finish_erasure

        self.finished_erasure = finish_erasure(self)
        return True

    def _apply_journal(self, journal: dict, journal_path: Path | None = None) -> None:
        """Finish a commit; safe to run again after a crash part-way (each step is idempotent)."""
        if journal_path is not None:
            check_journal(journal, journal_path)
        for temp_name, final_name in journal.get("replace", []):
            temp = self.path / temp_name
            if temp.exists():
                os.replace(temp, self.path / final_name)
        fsync_dir(self.path)
        for name, size_before, text in journal.get("append", []):
            target = self.path / name
            data = text.encode("utf-8")
            size = target.stat().st_size if target.exists() else 0
            if size == size_before + len(data):
                continue
            if size != size_before:
                if size < size_before:
                    raise CorruptFileError(target, "shorter than a pending commit expects")
                with open(target, "rb+") as handle:
                    handle.truncate(size_before)
                    os.fsync(handle.fileno())
            append_durably(target, data)

    def _commit_files(
        self, replacements: list[tuple[Path, bytes]], appends: dict[str, bytes]
    ) -> None:
        """Write new table files and append history lines, all or nothing."""
        appends = {name: data for name, data in appends.items() if data}
        if len(replacements) + len(appends) == 0:
            return
        if len(replacements) == 1 and not appends:
            atomic_write(*replacements[0])
            return
        if not replacements and len(appends) == 1:
            ((name, data),) = appends.items()
            self.logs[name].prepare_append()
            append_durably(self.logs[name].path, data)
            return
        journal = {"replace": [], "append": []}
        for path, data in replacements:
            temp = write_temp(path, data, suffix=".txn")
            journal["replace"].append([temp.name, path.name])
        for name, data in appends.items():
            log = self.logs[name]
            journal["append"].append([log.path.name, log.prepare_append(), data.decode("utf-8")])
        journal_path = self.path / JOURNAL_FILE
        atomic_write(journal_path, orjson.dumps(journal))  # the commit point
        self._apply_journal(journal)
        journal_path.unlink()
        fsync_dir(self.path)

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
        """Take in what was appended to the history; a damaged record is read again next time."""
        changed = False
        log = self.logs["assessments"]
        try:
            records, rewritten = log.read_new()
            if rewritten:
                self.ds.assessments = self._assessment_rows(records, 0)
                self.snapshot_rows = 0
            elif records:
                self.ds.assessments.extend(self._assessment_rows(records, len(self.ds.assessments)))
            changed = bool(records) or rewritten
            log = self.logs["robot_benefits"]
            records, rewritten = log.read_new()
            if rewritten:
                self.ds.robot_benefits = self._benefits(records, {})
            elif records:
                self._benefits(records, self.ds.robot_benefits)
        except CorruptFileError:
            log.invalidate()
            raise
        return changed or bool(records) or rewritten

    def audit_entries(self) -> list[AuditEntry]:
        return [AuditEntry.model_validate(r) for r in self.logs["audit"].read_all()]

    def problems(self) -> list[str]:
        """What `kapabel check` reports: torn lines, broken references, bad levels."""
        found: list[str] = []
        for log in self.logs.values():
            log_now = HistoryLog(log.path)
            try:
                log_now.read_new()
            except CorruptFileError as error:
                found.append(f"{log.path.name}: {error.problem}")
                continue
            if log_now.torn_tail:
                found.append(
                    f"{log.path.name}: torn last line ({len(log_now.torn_tail)} bytes, "
                    "left by an interrupted save) is ignored"
                )
            if log.torn_path.exists():
                count = log.torn_path.read_bytes().count(b"\n")
                found.append(
                    f"{log.torn_path.name}: {count} torn line(s) from interrupted saves were set "
                    "aside here; delete the file once you have looked at it"
                )
        found += dataset_problems(self.ds)
        return found

    # ----------------------------------------------------------------- whole files
    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the write lock, having picked up others' changes: for copying the files whole."""
        if self._transaction_thread == threading.get_ident():
            raise StoreError("cannot take the lock inside a transaction")
        with self._locked():
            self._refresh_locked()
            yield

    def rewrite_history(self, name: str, transform: Callable[[list[dict]], list[dict]]) -> None:
        """Replace history file `name` with `transform(records)`, atomically, under the lock.

        For erasing a person only: history is otherwise append-only.
        """
        with self.exclusive():
            log = self.logs[name]
            if name == "assessments":
                snapshot.remove(self.path)  # it may hold what is being erased
            log.prepare_append()
            atomic_write(log.path, encode_lines(transform(log.read_all())))
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
            journal: dict = {"replace": [], "append": []}
            for file_name in sorted(wanted):
                data = contents.get(file_name)
                if data is None and (not whole or not (self.path / file_name).exists()):
                    continue
                if data is None:
                    data = b"" if file_name.endswith(".jsonl") else b"{}"
                temp = write_temp(self.path / file_name, data, suffix=".txn")
                journal["replace"].append([temp.name, file_name])
            journal_path = self.path / JOURNAL_FILE
            atomic_write(journal_path, orjson.dumps(journal))
            snapshot.remove(self.path)
            self._apply_journal(journal)
            journal_path.unlink()
            fsync_dir(self.path)
            self._prepare_schema()
            self._load_all()

    def backup(self) -> Path:
        """Copy every data file to `backups/<UTC time>/` (owner-only); the new folder.

        Made under the lock, so it is a consistent picture; the folder gets its final name only
        when complete, so `newest_backup` never points to half a backup.
        """
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
            record = record.model_copy(update={"id": self._next_id(prefix)})
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
    def _next_id(self, prefix: str) -> str:
        counters = self.repo.meta.setdefault("counters", {})
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
            if self.meta_dirty:
                replacements.append((repo.path / META_FILE, repo.meta_bytes()))
            appends = {name: encode_lines(lines) for name, lines in self.lines.items()}
            repo._commit_files(replacements, appends)
        except BaseException:
            for name in touched:
                repo.tables[name].mark_stale()  # memory no longer matches disk: reload
            repo.meta_signature = None if self.meta_dirty else repo.meta_signature
            raise
        for name in touched:
            repo.tables[name].mark_written()
        if self.meta_dirty:
            repo.meta_signature = repo.meta_pin.hold_current(repo.path / META_FILE)
        for name, data in appends.items():
            if data:
                repo.logs[name].appended(data)

    def rollback(self) -> None:
        for table, before in self.snapshots.items():
            setattr(self.ds, table, before)
        del self.ds.assessments[self.assessments_before :]
        self.repo.meta = self.meta_before
