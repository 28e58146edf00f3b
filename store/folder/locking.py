"""The write lock and the journal: a commit of several files all or nothing, rolled forward after a
crash, taken back after a failure.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import orjson
from filelock import Timeout

from i18n import N_, _, format_integer
from store.errors import CorruptFileError, DiskError, LockTimeoutError, ReadOnlyError, StoreError
from store.files import (
    append_durably,
    atomic_write,
    fsync_dir,
    overwrite_durably,
    temp_target,
    write_temp,
)
from store.folder.backups import newest_backup
from store.folder.journal import check_journal
from store.folder.layout import ERASURE_FILE, JOURNAL_FILE, META_FILE
from store.register import read_json_object


class FolderLocking:
    """The lock, recovery from a crash, and journaled commits. (A part of `FolderStorage`.)"""

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
                _("{path} is busy: another Kapabel has held its lock for {seconds} s").format(
                    path=self.path, seconds=format_integer(round(self._lock.timeout))
                )
            ) from error
        except OSError as error:
            raise DiskError(error, self.path) from error

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyError(
                _(
                    "{path} is read-only here (a read-only file system, or a folder you may "
                    "read but not write): nothing was saved"
                ).format(path=self.path)
            )

    def _recover_read_only(self) -> None:
        """What `_recover` may do without writing: nothing, unless a save or an erasure was
        interrupted (the files are then half-way, or still hold the person): refused."""
        for name, what in ((JOURNAL_FILE, N_("a save")), (ERASURE_FILE, N_("an erasure"))):
            if (self.path / name).exists():
                raise ReadOnlyError(
                    _(
                        "{path}: {what} was interrupted and must be finished before the "
                        "database can be read, which cannot be done here because the folder is "
                        "read-only: open it once where it can be written"
                    ).format(path=self.path / name, what=_(what))
                )

    def _refuse_special_files(self) -> list[os.DirEntry]:
        """A named pipe or a device (or a link to one) in place of a database file would make
        reading it wait for ever or never end: refused, naming it, before anything is read.
        The folder's entries, as listed for it (one listing instead of a look at each file)."""
        entries = sorted(os.scandir(self.path), key=lambda entry: entry.name)
        ours = self.data_files()
        for entry in entries:
            if entry.name not in ours or entry.is_file() or entry.is_dir():
                continue  # a folder: reading says so
            try:
                mode = entry.stat().st_mode
            except OSError:
                continue  # missing (or unreadable: reading it says so)
            kind = _("a named pipe") if stat.S_ISFIFO(mode) else _("a device or other special file")
            raise CorruptFileError(
                self.path / entry.name, _("not a regular file ({what})").format(what=kind)
            )
        return entries

    def _recover(self) -> None:
        """Roll forward a commit a crash interrupted, and sweep away abandoned temporaries.

        The journal is checked whole first (`store.folder.journal`): one that does not describe a
        commit of this database is refused, naming it, before any of it is replayed.
        """
        entries = self._refuse_special_files()
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
        for leftover in entries:
            # Only our own temporaries: the lock's helper files must be left alone.
            name = leftover.name
            if name.startswith(".") and temp_target(name) in ours and leftover.is_file():
                with contextlib.suppress(FileNotFoundError):  # the journal renamed it
                    os.unlink(leftover.path)

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
        if self.finish_erasure is None:
            raise StoreError(
                _(
                    "{path}: an erasure was interrupted; open the database with Kapabel to "
                    "finish it"
                ).format(path=self.path / ERASURE_FILE)
            )
        self.finished_erasure = self.finish_erasure(self)
        return True

    def _apply_journal(self, journal: dict, journal_path: Path | None = None) -> None:
        """Finish a commit; safe to run again after a crash part-way (each step is idempotent).

        Appends come first and replacements last, so that until a file is replaced a failed
        commit can still be taken back (`_undo`). The new meta.json the journal holds is written
        last: in place during a save (`_commit_files`), whole when finishing a crashed one.
        """
        new_entries = bool(journal["replace"])
        for name, size_before, text in journal["append"]:
            target = self.path / name
            data = text.encode("utf-8")
            exists = target.exists()
            new_entries |= not exists  # the append makes the file: its name must be durable
            size = target.stat().st_size if exists else 0
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
        if new_entries:
            fsync_dir(self.path)  # renamed or new files are durable before the journal can go
        if "meta" in journal:
            self._write_meta(orjson.dumps(journal["meta"]), whole=journal_path is not None)

    def _write_meta(self, data: bytes, *, whole: bool) -> None:
        """meta.json as the journal holds it. A save writes over the file in place (fsynced; no
        new file and no rename to wait for): if a crash tears it, the journal, still there,
        writes it again -- whole, as then, or when it is missing or not a plain file."""
        path = self.path / META_FILE
        if whole:
            atomic_write(path, data)  # finishing a crashed save: memory is read again after
            return
        self._meta_started = True
        try:
            self._meta_written = overwrite_durably(path, data)
            return
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass
        except OSError as error:
            if error.errno != errno.ELOOP:  # a link: replaced by a file, never written through
                raise
        atomic_write(path, data)
        self._meta_written = data

    def _commit_files(
        self,
        replacements: list[tuple[Path, bytes]],
        appends: dict[str, bytes],
        *,
        meta_dirty: bool = False,
    ) -> None:
        """Write new files and append history lines, all or nothing.

        Appending to the history also records its new lengths and checksums in `meta.json`,
        in the same journaled commit: the journal holds the new meta.json itself, so it needs
        no temporary of its own. A commit that fails is taken back (and raises) unless a
        file was already replaced (or meta.json written): it is then complete in the durable
        journal, so the save counts (the next process to take the lock finishes it). A save
        reported as failed never appears later.
        """
        appends = {name: data for name, data in appends.items() if data}
        starts = {name: self.logs[name].prepare_append() for name in appends}
        if appends:
            self.meta["history"] = self._history_record(appends, starts)
            meta_dirty = True
        meta = orjson.loads(self.meta_bytes()) if meta_dirty else None
        self._meta_written = None  # its bytes once written (`commit`'s memory agrees with them)
        if meta is not None:
            self.meta_raw = None  # read again, unless `commit` knows what it wrote
        if meta is not None and not (self.path / META_FILE).exists():
            replacements = [*replacements, (self.path / META_FILE, orjson.dumps(meta))]
            meta = None  # a new database: its first meta.json is a file like the others
        if not replacements and meta is None:
            return
        if meta is None and len(replacements) == 1 and not appends:
            atomic_write(*replacements[0])
            return
        if meta is not None and not replacements and not appends:
            data = orjson.dumps(meta)
            atomic_write(self.path / META_FILE, data)  # the counters alone
            self._meta_written = data
            return
        journal: dict = {"replace": [], "append": []}
        journal_path = self.path / JOURNAL_FILE
        try:
            for path, data in replacements:
                temp = write_temp(path, data, suffix=".txn")
                journal["replace"].append([temp.name, path.name])
            for name, data in appends.items():
                journal["append"].append([self.logs[name].path.name, starts[name], data.decode()])
            if meta is not None:
                journal["meta"] = meta
            atomic_write(journal_path, orjson.dumps(journal))  # the commit point
        except BaseException:
            if not journal_path.exists():  # not committed: the temporaries (names) go now
                for temp, _final in journal["replace"]:
                    with contextlib.suppress(OSError):
                        (self.path / temp).unlink()
            raise
        self._meta_started = False
        try:
            self._apply_journal(journal)
        except BaseException as error:
            if self._meta_started or any(
                not (self.path / temp).exists() for temp, _ in journal["replace"]
            ):
                if isinstance(error, OSError):
                    return  # a file was replaced: committed; the journal holds the rest
                raise
            self._undo(journal, journal_path, error)
            raise
        # Not fsynced: should the unlink be lost, the journal is found again and finishing it
        # changes nothing (every step is done); any later change makes the unlink durable first,
        # as the next commit point fsyncs this folder.
        journal_path.unlink()

    def _history_record(self, appends: dict[str, bytes], starts: dict[str, int]) -> dict:
        """Each history file's [length, CRC-32] once `appends` are made (for `meta.json`)."""
        record = dict(self.meta.get("history", {}))
        for name, log in self.logs.items():
            if name in appends and starts[name] != log.offset:
                raise StoreError(
                    _("{path}: not read to its end before a save; nothing saved").format(
                        path=log.path
                    )
                )
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
                _(
                    "{path}: a save failed ({reason}) and could not be taken back ({undo}); it "
                    "will be completed when the database is next opened"
                ).format(
                    path=journal_path,
                    reason=getattr(error, "strerror", None) or error,
                    undo=failed.strerror,
                )
            ) from error
        fsync_dir(self.path)
        for name, size_before, _lines in journal["append"]:
            with contextlib.suppress(OSError):
                if size_before == 0:
                    (self.path / name).unlink()  # the append made it: as if never written
                    continue
                with open(self.path / name, "rb+") as handle:
                    handle.truncate(size_before)
                    os.fsync(handle.fileno())
        for temp, _final in journal["replace"]:
            with contextlib.suppress(OSError):
                (self.path / temp).unlink()
