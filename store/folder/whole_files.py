"""Operations on the files whole, under the lock: backups, restore, rewriting a history file
(erasure), writing a whole database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from i18n import _
from store import snapshot
from store.errors import StoreError
from store.files import copy_private, ensure_private_dir, fsync_dir
from store.folder.backups import remove_partial_backups
from store.folder.erasure import FolderErasure
from store.folder.layout import (
    BACKUP_DIR,
    BACKUP_STAMP,
    ERASURE_FILE,
    JOURNAL_FILE,
    META_FILE,
    PARTIAL_SUFFIX,
    recorded,
)
from store.history import encode_lines


class FolderWholeFiles:
    """Backups, restore, and history rewritten for an erasure. (A part of `FolderStorage`.)"""

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the write lock, having picked up others' changes: for copying the files whole."""
        self._refuse_if_read_only()
        if self._transaction_thread == threading.get_ident():
            raise StoreError("cannot take the lock inside a transaction")  # i18n: not shown
        with self._locked():
            self._refresh_locked()
            yield

    @contextlib.contextmanager
    def erasure(self) -> Iterator[FolderErasure]:
        """The write lock, held for erasing a person (`store.erasure.erase_person`)."""
        session = FolderErasure(self)
        with self.exclusive():  # finishes an erasure a crash interrupted, first
            yield session
        self.save_snapshot()  # the erasure deleted the history snapshot: the next open stays fast

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
            raise StoreError(_("not database files: {files}").format(files=", ".join(unknown)))
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
            self._forget_tables_in_meta({p.stem for p, _data in replacements})
        snapshot.remove(self.path)
        try:
            self._commit_files(replacements, {}, meta_dirty=self.meta is not before)
        except BaseException:
            self.meta = before
            raise
        self._recover()  # only if a file system error left part of it to the journal
        self._prepare_schema()
        self._load_all()

    def _forget_tables_in_meta(self, replaced: set[str]) -> None:
        """meta.json (about to be written with the files) no longer records the hashes of the
        table files `replaced` (rewritten here as bytes, not from validated records: read with
        validation, then recorded by the next save)."""
        entry = self.meta.get("tables")
        if entry is not None and replaced & set(entry["hashes"]):
            hashes = {n: h for n, h in entry["hashes"].items() if n not in replaced}
            self.meta = {**self.meta, "tables": {**entry, "hashes": hashes}}

    def backup(self, into: Path | None = None) -> Path:
        """Copy every data file to `backups/<UTC time>/` (owner-only); the new folder. With
        `into`, to that new folder instead (a folder database anyone can open).

        Made under the lock, so it is a consistent picture; the folder gets its final name only
        when complete (it is made beside it), so `newest_backup` never points to half a backup.
        """
        self._refuse_if_read_only()
        with self._locked():
            self._recover()
            self._finish_erasure()
            if into is None:
                folder = self.path / BACKUP_DIR
                ensure_private_dir(folder)
                remove_partial_backups(self.path)
                target = folder / dt.datetime.now(dt.UTC).strftime(BACKUP_STAMP)
            else:
                target = Path(into)
                folder = target.parent
                if target.exists():
                    raise StoreError(
                        _("{path} exists already: a backup goes into a new folder").format(
                            path=target
                        )
                    )
                folder.mkdir(parents=True, exist_ok=True)  # not made private: it is the user's
            partial = folder / f".{target.name}{PARTIAL_SUFFIX}"
            ensure_private_dir(partial)
            skipped = {JOURNAL_FILE, ERASURE_FILE}
            for file in sorted(self.path.iterdir()):
                if file.is_file() and not file.name.startswith(".") and file.name not in skipped:
                    copy_private(file, partial / file.name)
            fsync_dir(partial)
            os.replace(partial, target)
            fsync_dir(folder)
            return target
