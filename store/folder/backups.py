"""Backups: folder databases named by their UTC time under one folder, made whole or not at all.

A database folder keeps them in `<db>/backups/`; a PostgreSQL database's `kapabel backup` writes
them under the user's data folder (`store.postgres.backups`). Either way they are folder
databases, and `FolderBackups` is everything done to them: list, prune, find one by name, check
one before it is put back (the one place a backup's files are validated), and reach them when a
person is erased (`store.storage.Backups`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from i18n import _
from store.errors import CorruptFileError, StoreError
from store.files import ensure_private_dir
from store.folder.layout import (
    BACKUP_DIR,
    BACKUP_STAMP,
    HISTORY_FILES,
    META_FILE,
    PARTIAL_SUFFIX,
    without_table_hashes,
)
from store.models import REGISTER_MODELS

BACKUP_FILES = frozenset(
    {META_FILE, *HISTORY_FILES.values(), *(f"{m.table}.json" for m in REGISTER_MODELS)}
)
"""The files a backup may hold (a database folder's data files)."""


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


def backup_time(path: Path) -> dt.datetime | None:
    """When a backup was made, from its name; None for a folder that is no backup."""
    try:
        return dt.datetime.strptime(path.name, BACKUP_STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def list_backups(db: Path) -> list[Path]:
    """A database folder's backups, oldest first (the names sort by time)."""
    folder = Path(db) / BACKUP_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and backup_time(p))


class FolderBackups:
    """The backups of one database, in `home` (`store.storage.Backups`).

    `live` is the database folder they belong to (None for a server's): it is never taken for
    one of its backups. `automatic` says whether the app makes one a day when it opens (a
    server database is left to its server's own backups)."""

    def __init__(
        self,
        home: Path,
        opener: Callable[[Path], object],
        *,
        live: Path | None = None,
        automatic: bool = True,
    ):
        self.home = home
        self.opener = opener
        """Opens a folder database (`FolderStorage.open`): a backup is checked by opening it."""
        self.live = live
        self.automatic = automatic

    # -- the backups there
    def stamped(self) -> list[Path]:
        """Every backup, oldest first (the names sort by time)."""
        return list_backups(self.home.parent)

    def newest_time(self) -> dt.datetime | None:
        stamped = self.stamped()
        return backup_time(stamped[-1]) if stamped else None

    def prune(self, keep: int) -> list[Path]:
        """Delete all but the newest `keep` backups; those deleted."""
        old = self.stamped()[:-keep]
        for path in old:
            shutil.rmtree(path)
        return old

    def new_target(self) -> Path:
        """Where a backup made now goes (made private, half-made ones removed first)."""
        ensure_private_dir(self.home)
        self.remove_partial()
        return self.home / dt.datetime.now(dt.UTC).strftime(BACKUP_STAMP)

    def folders(self) -> list[Path]:
        """Every folder under `home` (a backup, a restore's scratch copy) but half-made ones."""
        from store.folder import erasure

        return list(erasure.backup_folders(self.home))

    def remove_partial(self) -> int:
        """Delete the backups a crash left half-made; how many."""
        return remove_partial_backups(self.home.parent)

    # -- putting one back
    def find(self, path: Path | str) -> Path:
        """The backup `path` names: a path, or a folder name as `ls <home>` shows it. The
        database itself is refused: restoring it onto itself would pass every check and then
        present the live files as a backup that was put back."""
        path = Path(path).expanduser()
        if not path.exists() and len(path.parts) == 1:
            path = self.home / path
        live = self.live
        if live is not None and path.is_dir() and os.path.samefile(path, live):
            raise StoreError(
                _("{path}: is the database itself, not a backup (see {home}/)").format(
                    path=path, home=self.home
                )
            )
        return path

    @contextlib.contextmanager
    def checked(self, path: Path) -> Iterator:
        """The backup at `path`, copied into a scratch folder and opened there as a database
        (a `FolderStorage`) when it is whole and sound; StoreError naming what is wrong with
        it otherwise. The scratch copy is deleted when the block ends."""
        contents = read_backup(path)
        scratch = self.home / f".check-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            ensure_private_dir(scratch)
            for name, data in contents.items():
                # Every table validated: the backup's meta.json vouches for nothing.
                (scratch / name).write_bytes(
                    without_table_hashes(data) if name == META_FILE else data
                )
            try:
                source = self.opener(scratch)
            except CorruptFileError as error:
                raise StoreError(
                    _("{path}: not restored: {file}: {problem}").format(
                        path=path, file=error.path.name, problem=_(error.problem)
                    )
                ) from None
            from store.integrity import dataset_problems

            problems = [*source.problems(), *dataset_problems(source.version.data)]
            if problems:
                raise StoreError(
                    _("{path}: not restored, it has problems: {problems}").format(
                        path=path, problems="; ".join(problems[:10])
                    )
                )
            yield source
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    # -- erasing a person from them (`store.erasure`)
    def holding(self, employee_no: str) -> int:
        """How many backups hold the person as a person (not merely the text)."""
        from store.folder import erasure

        return sum(erasure.backup_holds(folder, employee_no) for folder in self.folders())

    def names_of(self, employee_no: str) -> set[str]:
        """Every name and e-mail the backups hold for the person."""
        from store.folder import erasure

        return set().union(*(erasure.names_in_backup(f, employee_no) for f in self.folders()))

    def erase(self, identity) -> int:
        """Erase the person from every backup; how many held them."""
        from store.folder import erasure

        return sum(erasure.erase_in_folder(folder, identity) for folder in self.folders())


def read_backup(path: Path) -> dict[str, bytes]:
    """The data files of a backup folder; StoreError naming what is wrong with it."""
    path = Path(path)
    if not path.is_dir():
        raise StoreError(
            _("{path}: not a backup (a backup is a folder in <db>/{folder}/)").format(
                path=path, folder=BACKUP_DIR
            )
        )
    names = {p.name for p in path.iterdir() if p.is_file() and not p.name.startswith(".")}
    names -= {n for n in names if n.endswith(".torn")}  # lines set aside, not data
    unknown = sorted(names - BACKUP_FILES)
    if unknown:
        raise StoreError(
            _("{path}: not a Kapabel backup (holds {files})").format(
                path=path, files=", ".join(unknown)
            )
        )
    if META_FILE not in names:
        raise StoreError(
            _("{path}: not a Kapabel backup (no {file})").format(path=path, file=META_FILE)
        )
    try:
        return {name: (path / name).read_bytes() for name in sorted(names)}
    except OSError as error:
        raise StoreError(
            _("{path}: cannot be read ({reason})").format(path=path, reason=error.strerror or error)
        ) from None
