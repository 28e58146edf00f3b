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
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import orjson
from filelock import FileLock

from i18n import _
from store.dataset import Dataset
from store.errors import CorruptFileError, DiskError, StoreError
from store.files import DIR_MODE, FILE_MODE, can_write, ensure_private_dir
from store.folder.backups import FolderBackups, remove_partial_backups
from store.folder.layout import (
    BACKUP_DIR,
    HISTORY_FILES,
    JOURNAL_FILE,
    LOCK_FILE,
    META_FILE,
    SCHEMA_VERSION,
    recorded,
)
from store.folder.locking import FolderLocking
from store.folder.migrations import V0_FILE
from store.folder.reading import BENEFITS_LOG, FolderReading, appended_as_written
from store.folder.schema import FolderSchema
from store.folder.snapshots import FolderSnapshots
from store.folder.whole_files import FolderWholeFiles
from store.history import HistoryLog, encode_lines
from store.models import REGISTER_MODELS, Entity
from store.register import RegisterTable, parse_json_object, read_raw
from store.storage import Change, Version, current_user
from store.trusted import TrustRecord, content_hash, written_entry

T = TypeVar("T")
READ_ONLY_TRIES = 3


class FolderStorage(FolderSchema, FolderLocking, FolderReading, FolderSnapshots, FolderWholeFiles):
    """A database folder on a local or shared disk (`store.storage.Storage`).

    Its jobs live in their own modules, sharing the state set up here: opening and the schema
    (`schema`), the lock and the journal (`locking`), reading the files into a Version
    (`reading`), the history snapshot (`snapshots`), backups and whole-file operations
    (`whole_files`); this module opens, publishes versions and commits.
    """

    def __init__(self, path: Path, *, user: str | None = None, lock_timeout: float = 60.0):
        self.path = Path(path)
        self.location = str(self.path)
        self.user = user or current_user()
        self.version = Version(Dataset())
        """The newest Version this folder published (see `_publish`)."""
        self._stamp = 0
        self.trust = TrustRecord(self.path)
        """The hashes of the table files known valid, read without validation (`store.trusted`)."""
        self.tables = {
            m.table: RegisterTable(m, self.path / f"{m.table}.json", self.trust)
            for m in REGISTER_MODELS
        }
        self.logs = {name: HistoryLog(self.path / file) for name, file in HISTORY_FILES.items()}
        self.backups = FolderBackups(self.path / BACKUP_DIR, FolderStorage.open, live=self.path)
        """Its backups, `backups/<UTC time>/` (an erasure reaches them too)."""
        self.meta: dict = {"schema_version": SCHEMA_VERSION, "counters": {}, "history": {}}
        self.meta_raw: bytes | None = None
        """meta.json's bytes as last read or written: a save writes it in place (same file,
        perhaps the same size and time stamp), so its content tells whether it changed."""
        self._meta_started = False
        self._meta_written: bytes | None = None
        self._lock = FileLock(str(self.path / LOCK_FILE), timeout=lock_timeout, mode=FILE_MODE)
        # Threads of one process (a Textual worker and the UI) take turns; the file lock
        # does the same between processes.
        self._mutex = threading.RLock()
        self._transaction_thread: int | None = None
        self.snapshot_rows = 0
        """How many history rows came from the snapshot (the rest from the JSON lines)."""
        self.benefits_hash = None
        """The hash (hashlib's, to append to) of the robot benefits log's bytes, while all of
        them are known valid (`FolderReading._benefits`); else None."""
        self._benefits_seen = None
        self.erasing = False
        """True while this repository erases a person (see `store.erasure`)."""
        self.finish_erasure: Callable[[FolderStorage], dict] | None = None
        """What finishes an erasure a crash interrupted (given by whoever opens the folder)."""
        self.finished_erasure: dict | None = None
        """An erasure a crash had interrupted, finished by this repository (what it erased)."""
        self.records_on_demand = False
        """Register records are built when first asked for (`store.on_demand`): for a
        repository opened for one read, which refuses every save."""
        self.read_only = False
        """The folder cannot be written here (read-only file system, or no write permission):
        the database is read without the lock, without finishing an interrupted save, and
        every write is refused with ReadOnlyError."""

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = False,
        user: str | None = None,
        initialise: Callable[[FolderStorage], None] | None = None,
        finish_erasure: Callable[[FolderStorage], dict] | None = None,
        read_only: bool = False,
        validate_everything: bool = False,
        records_on_demand: bool = False,
    ) -> FolderStorage:
        """Open (and with `create`, make) a database; CorruptFileError if a file is damaged.

        A new database is given its first content by `initialise` (under the lock, before
        anyone else can open it): the repository writes DigComp there. An erasure a crash
        interrupted is finished by `finish_erasure` (`store.folder.erasure.finish_erasure`; without
        it, such a database is refused), whenever the lock is taken. With `validate_everything`,
        no table is read unvalidated on the strength of a recorded hash (`store.trusted`). With
        `records_on_demand`, the register's records are built when first asked for
        (`store.on_demand`); the caller must refuse saves (`Repository.refuse_writes`).
        """
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise StoreError(_("{path} is a file, not a database folder").format(path=path))
        no_database = StoreError(
            _(
                "no database at {path} (make one with `kapabel demo --db {path}` or import "
                "your data)"
            ).format(path=path)
        )
        if not path.exists():
            if not create:
                raise no_database
            try:
                ensure_private_dir(path)
            except OSError as error:
                raise DiskError(error, path) from error
        repo = cls(path, user=user)
        repo.trust.trusting = not validate_everything
        repo.records_on_demand = records_on_demand
        repo.finish_erasure = finish_erasure
        repo.read_only = read_only or not can_write(path)
        if not any((path / name).exists() for name in (META_FILE, JOURNAL_FILE, V0_FILE)):
            repo._check_empty_folder()  # before the lock file is made among someone's files

        def prepare_and_load() -> bool:
            fresh = repo._prepare_schema()
            if fresh and not create:
                raise no_database
            if fresh:
                repo._refuse_if_read_only()
                os.chmod(path, DIR_MODE)
            repo._load_all()
            return fresh

        with repo._locked():
            repo._recover()
            fresh = repo._read(prepare_and_load)
            if fresh and initialise is not None:
                initialise(repo)
            if not repo.read_only:  # else `_recover` refused a pending erasure
                remove_partial_backups(path)
                repo._finish_erasure()
        return repo

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

    def load(self) -> Version:
        with self._locked():
            self._recover()
            self._read(lambda: (self._prepare_schema(), self._load_all()))
            return self.version

    def _read(self, action: Callable[[], T]) -> T:
        """`action`, reading the files. Read-only here, the lock is not taken, and a writer
        elsewhere may be writing meta.json over in place while it is read: what is then found
        damaged is read again after a moment before it counts."""
        for attempt in range(READ_ONLY_TRIES):
            try:
                return action()
            except CorruptFileError:
                if not self.read_only or attempt == READ_ONLY_TRIES - 1:
                    raise
                time.sleep(0.05)
        raise AssertionError("unreachable")  # pragma: no cover

    def refresh(self, known: Version | None = None) -> Version | None:
        """A newer Version when anyone wrote since `known` (default: the newest this folder
        published), else None."""
        known = self.version if known is None else known
        with self._locked():
            self._read(self._refresh_locked)
        return self.version if self.version is not known else None

    def _refresh_locked(self) -> bool:
        """Take in what others wrote, publishing a new Version if anything changed; True when
        the data changed (not only meta.json)."""
        self._recover()
        ds = self.version.data
        counters = self.version.counters
        meta_path = self.path / META_FILE
        raw = read_raw(meta_path)
        if raw is not None and raw != self.meta_raw:
            self._set_meta(parse_json_object(meta_path, raw), meta_path, raw)
        changed = [table for table in self.tables.values() if table.changed_on_disk()]
        if changed:
            self.trust.read()
        replaced = {table.name: table.load() for table in changed}
        replaced |= self._refresh_history(ds)
        if changed:
            self._record_valid_tables()
        if replaced or dict(counters) != self.meta.get("counters", {}):
            self._publish(dataclasses.replace(ds, **replaced))
        return self._finish_erasure() or bool(replaced)

    def _record_valid_tables(self) -> None:
        """Record the hashes of the table files now known valid, when any is neither in the
        record nor in meta.json (under the lock), so the next open reads them without
        validating them again."""
        known = self._known_valid_hashes()
        if not self.read_only and not all(self.trust.holds(n, h) for n, h in known.items()):
            self.trust.save(known)

    def _benefits_after(self, records: list[dict] | None, appended: bytes | None):
        """The hash of the robot benefits log once `appended` (the lines of `records`) is
        appended, while it is known valid and they validate as written; else None."""
        if self.benefits_hash is None or (records and not appended_as_written(records)):
            return None
        after = self.benefits_hash.copy()
        after.update(appended or b"")
        return after

    def _known_valid_hashes(self) -> dict[str, str]:
        """Table -> hash of its file's bytes, for the tables whose bytes are known valid (and
        the robot benefits log's, under its file name: `FolderReading._benefits`)."""
        known = {n: t.known_valid for n, t in self.tables.items() if t.known_valid is not None}
        if self.benefits_valid is not None:
            known[BENEFITS_LOG] = self.benefits_valid
        return known

    def _record_tables_in_meta(self, written: Mapping[str, str]) -> bool:
        """Have the commit's meta.json record the hashes of the table files it writes
        (`written`: table -> hash) and of the others whose bytes are known valid (`store.trusted`:
        a first start without `cache/` then reads them without validation); True when that
        changes meta.json."""
        entry = written_entry({**self._known_valid_hashes(), **written})
        if entry is None or entry == self.meta.get("tables"):
            return False
        self.meta["tables"] = entry
        return True

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
        """Whether what is on disk differs from what this folder last read or wrote (meta.json
        by its bytes, as it is written in place; the tables by their signatures); a folder that
        cannot be looked into any more is a DiskError, as every read's."""
        try:
            if read_raw(self.path / META_FILE) != self.meta_raw:
                return True
        except CorruptFileError:
            return True  # unreadable now: the refresh (under the lock) tells
        try:
            return any(table.changed_on_disk() for table in self.tables.values())
        except OSError as error:
            raise DiskError(error, self.path) from None

    def history_records(self, name: str) -> Iterator[dict]:
        return iter(self.logs[name].read_all())

    def close(self) -> None:
        """Nothing is held between calls (the lock is taken per operation)."""

    @contextlib.contextmanager
    def writing(self) -> Iterator[FolderSession]:
        """The write lock, held, with what others wrote taken in (see `store.storage`)."""
        self._refuse_if_read_only()
        if self._transaction_thread == threading.get_ident():
            raise StoreError("transactions do not nest")  # i18n: not shown
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
        written: dict[str, str] = {}
        try:
            for name in touched:
                table = self.tables[name]
                table.apply(change.upserts.get(name, {}), set(change.deletes.get(name, ())))
                content = table.storage.dump()
                replacements.append((table.path, content))
                written[name] = content_hash(content)
            appends = {name: encode_lines(list(lines)) for name, lines in change.appends.items()}
            benefits = self._benefits_after(
                change.appends.get("robot_benefits"), appends.get("robot_benefits")
            )
            if benefits is None and appends.get("robot_benefits"):
                self.benefits_hash = None  # nor is the log before them recorded with them
            if touched or meta_dirty or any(appends.values()):  # else the commit writes nothing
                also = {} if benefits is None else {BENEFITS_LOG: benefits.hexdigest()}
                meta_dirty |= self._record_tables_in_meta({**written, **also})
            self._commit_files(replacements, appends, meta_dirty=meta_dirty)
        except BaseException:
            for name in touched:
                self.tables[name].mark_stale()  # memory no longer matches disk: reload
            self.meta = meta_before
            self.meta_raw = None  # memory's meta is put back: read the file's again
            raise
        for name, digest in written.items():
            self.tables[name].mark_written(digest)
        if appends.get("robot_benefits"):
            self.benefits_hash = benefits
        self.trust.take_written(self.meta.get("tables"))
        self._record_valid_tables()
        if self._meta_written is not None:  # what memory now holds too: no need to read it
            self.meta_raw = self._meta_written
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
            raise StoreError("a write session commits once")  # i18n: not shown
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
