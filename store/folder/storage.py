"""The database folder as a storage backend (`store.storage`): the embedded default.

Every write happens in a write session under an exclusive file lock, after picking up what other
processes changed. A commit that touches more than one file first writes a journal (the new
table files as fsynced temporaries, the lines to append); a crash at any point is rolled forward
by the next process that takes the lock, so a database always opens whole. A commit that fails
(a full disk) is taken back at once, so a save reported as failed never appears later. The
files are listed in `store.folder.layout`.

Each load, refresh and commit publishes a new `Version`; the Dataset of a published Version is
never changed (a refresh copies what it extends), so readers in other threads read steadily.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import orjson
from filelock import FileLock, Timeout
from pydantic import ValidationError

from store import snapshot
from store.dataset import (
    AssessmentRow,
    Dataset,
    row_from_record,
    rows_from_records,
)
from store.errors import (
    CorruptFileError,
    DiskError,
    LockTimeoutError,
    ReadOnlyError,
    StoreError,
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
    JOURNAL_FILE,
    LOCK_FILE,
    META_FILE,
    PARTIAL_SUFFIX,
    SCHEMA_VERSION,
    meta_document,
    recorded,
)
from store.gcpause import collector_paused
from store.history import Convert, HistoryLog, encode_lines, invalid_record, records_of
from store.integrity import (
    counter_problems,
)
from store.migrations import V0_FILE
from store.models import (
    REGISTER_MODELS,
    STORED_CONTEXT,
    Assessment,
    AuditEntry,
    Entity,
    RobotBenefit,
)
from store.register import RegisterTable, read_json_object, read_pinned
from store.storage import Change, Version, current_user


def why_invalid(record: object, error: Exception) -> str:
    """The field-by-field reason a stored assessment is unreadable (pydantic says it best)."""
    try:
        Assessment.model_validate(record, context=STORED_CONTEXT)
    except ValidationError as invalid:
        return "; ".join(format_pydantic_error(invalid))
    return f"{type(error).__name__}: {error}"


class FolderStorage:
    """A database folder on a local or shared disk."""

    def __init__(self, path: Path, *, user: str | None = None, lock_timeout: float = 60.0):
        self.path = Path(path)
        self.location = str(self.path)
        self.user = user or current_user()
        self.version = Version(Dataset())
        """The newest Version this folder published (see `_publish`)."""
        self._stamp = 0
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
        cls,
        path: Path | str,
        *,
        create: bool = False,
        user: str | None = None,
        initialise: Callable[[FolderStorage], None] | None = None,
    ) -> FolderStorage:
        """Open (and with `create`, make) a database; CorruptFileError if a file is damaged.

        A new database is given its first content by `initialise` (under the lock, before
        anyone else can open it): the repository writes DigComp there.
        """
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
            if fresh and initialise is not None:
                initialise(repo)
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
        self._publish(ds)

    def _publish(self, data: Dataset) -> Version:
        """Make `data` (never changed after this) the newest Version, with the counters that
        meta.json records."""
        self._stamp += 1
        counters = MappingProxyType(dict(self.meta.get("counters", {})))
        self.version = Version(data, counters, (id(self), self._stamp))
        return self.version

    @property
    def ds(self) -> Dataset:
        """The newest Version's data (for the folder's own whole-file operations)."""
        return self.version.data

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
    def load(self) -> Version:
        with self._locked():
            self._recover()
            self._prepare_schema()
            self._load_all()
            return self.version

    def refresh(self, known: Version | None = None) -> Version | None:
        """A newer Version when anyone wrote since `known` (default: the newest this folder
        published), else None."""
        known = self.version if known is None else known
        with self._locked():
            self._refresh_locked()
        return self.version if self.version is not known else None

    def _refresh_locked(self) -> bool:
        """Take in what others wrote, publishing a new Version if anything changed; True when
        the data changed (not only meta.json)."""
        self._recover()
        ds = self.version.data
        counters = self.version.counters
        meta_path = self.path / META_FILE
        if file_signature(meta_path) != self.meta_signature:
            data, signature = read_pinned(meta_path, self.meta_pin)
            if data is not None:
                self._set_meta(data, meta_path, signature)
        replaced = {
            name: table.load() for name, table in self.tables.items() if table.changed_on_disk()
        }
        replaced |= self._refresh_history(ds)
        if replaced or dict(counters) != self.meta.get("counters", {}):
            self._publish(dataclasses.replace(ds, **replaced))
        return self._finish_erasure() or bool(replaced)

    def _refresh_history(self, ds: Dataset) -> dict:
        """What was appended to the history, as new lists and dicts for a new Version (the
        audit log is checked, not kept); a damaged record is read again next time."""
        replaced: dict = {}
        rows, rewritten = self.logs["assessments"].read_new(self._rows_after(len(ds.assessments)))
        if rewritten:
            replaced["assessments"] = rows
            self.snapshot_rows = 0
        elif rows:
            replaced["assessments"] = [*ds.assessments, *rows]
        benefits, rewritten = self.logs["robot_benefits"].read_new(self._benefits)
        if rewritten:
            replaced["robot_benefits"] = benefits
        elif benefits:
            replaced["robot_benefits"] = {**ds.robot_benefits, **benefits}
        self._check_audit_log()
        return replaced

    def wait_for_change(self, timeout: float) -> bool:
        """Poll the files (twice a second) until another process writes, at most `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            if self._changed_on_disk():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    def _changed_on_disk(self) -> bool:
        if file_signature(self.path / META_FILE) != self.meta_signature:
            return True
        return any(table.changed_on_disk() for table in self.tables.values())

    def history_records(self, name: str) -> Iterator[dict]:
        return iter(self.logs[name].read_all())

    def close(self) -> None:
        """Nothing is held between calls (the lock is taken per operation)."""

    def problems(self) -> list[str]:
        """The folder's part of what `kapabel check` reports: history that does not read whole
        (each audit line an audit entry), bytes past the last save, key counters behind their
        tables."""
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
            self._rewrite_history_locked(name, transform)

    def _rewrite_history_locked(
        self, name: str, transform: Callable[[list[dict]], list[dict]]
    ) -> None:
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
            self._replace_files_locked(contents, whole=whole)

    def _replace_files_locked(self, contents: dict[str, bytes], *, whole: bool = True) -> None:
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

    def backup(self, into: Path | None = None) -> Path:
        """Copy every data file to `backups/<UTC time>/` (owner-only); the new folder. With
        `into`, to that folder instead (made; it must not exist yet): a folder database.

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
            target = folder / stamp if into is None else Path(into)
            if into is not None:
                ensure_private_dir(target.parent)
            os.replace(partial, target)
            fsync_dir(folder)
            return target

    # ----------------------------------------------------------------- writing

    @contextlib.contextmanager
    def writing(self) -> Iterator[FolderSession]:
        """The write lock, held, with what others wrote taken in (see `store.storage`)."""
        self._refuse_if_read_only()
        if self._transaction_thread == threading.get_ident():
            raise StoreError("transactions do not nest")
        with self._locked():
            self._refresh_locked()
            self._transaction_thread = threading.get_ident()
            try:
                yield FolderSession(self)
            finally:
                self._transaction_thread = None

    def commit(self, change: Change, data: Dataset) -> Version:
        """Write `change` (under the lock, on the newest Version) in one journaled commit."""
        meta_before = orjson.loads(orjson.dumps(self.meta))
        meta_dirty = not (self.path / META_FILE).exists()  # a new database: its first save
        if change.counters:
            self.meta["counters"] = {**self.meta.get("counters", {}), **change.counters}
            meta_dirty = True
        touched = [
            name for name in self.tables if change.upserts.get(name) or change.deletes.get(name)
        ]
        replacements: list[tuple[Path, bytes]] = []
        appends: dict[str, bytes] = {}
        try:
            for name in touched:
                table = self.tables[name]
                table.apply(change.upserts.get(name, {}), set(change.deletes.get(name, ())))
                replacements.append((table.path, table.storage.dump()))
            appends = {name: encode_lines(list(lines)) for name, lines in change.appends.items()}
            self._commit_files(replacements, appends, meta_dirty=meta_dirty)
        except BaseException:
            for name in touched:
                self.tables[name].mark_stale()  # memory no longer matches disk: reload
            self.meta = meta_before
            self.meta_signature = None  # memory's meta is put back: read the file's again
            raise
        for name in touched:
            self.tables[name].mark_written()
        if meta_dirty or any(appends.values()):
            self.meta_signature = self.meta_pin.hold_current(self.path / META_FILE)
        for name, encoded in appends.items():
            if encoded:
                self.logs[name].appended(encoded)
        return self._publish(data)


class FolderSession:
    """A write session on a folder (`store.storage.WriteSession`): the lock is held."""

    def __init__(self, storage: FolderStorage) -> None:
        self.storage = storage
        self.committed = False

    @property
    def version(self) -> Version:
        return self.storage.version

    def commit(self, change: Change, data: Dataset) -> Version:
        if self.committed:
            raise StoreError("a write session commits once")
        self.committed = True
        return self.storage.commit(change, data)

    def rewrite_history(self, name: str, transform: Callable[[list[dict]], list[dict]]) -> None:
        self.storage._rewrite_history_locked(name, transform)

    def replace_everything(
        self,
        register: Mapping[str, Mapping[str, Entity]],
        history: Mapping[str, Sequence[dict]],
        counters: Mapping[str, int],
    ) -> Version:
        """Write every table, history file and meta.json anew in one journaled commit."""
        contents = folder_files(self.storage.tables, register, history, counters)
        self.storage._replace_files_locked(contents)
        return self.storage.version


def folder_files(
    tables: Mapping[str, RegisterTable],
    register: Mapping[str, Mapping[str, Entity]],
    history: Mapping[str, Sequence[dict]],
    counters: Mapping[str, int],
) -> dict[str, bytes]:
    """The files of a folder database holding exactly this (file name -> bytes)."""
    contents: dict[str, bytes] = {}
    for name, table in tables.items():
        rows = register.get(name, {})
        if rows:
            raw = {str(i): r.model_dump(mode="json") for i, r in enumerate(rows.values(), 1)}
            contents[table.path.name] = orjson.dumps({name: raw})
    recorded_history = {}
    for name, file_name in HISTORY_FILES.items():
        data = encode_lines(list(history.get(name, ())))
        if data:
            contents[file_name] = data
            recorded_history[file_name] = recorded(data)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "counters": dict(counters),
        "history": recorded_history,
    }
    contents[META_FILE] = orjson.dumps({"meta": {"1": meta}})
    return contents
