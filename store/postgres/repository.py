"""The repository on a PostgreSQL database: the neutral one, plus the answers to what callers
still ask of a folder's repository, in the server's terms."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from store.errors import StoreError
from store.unit_of_work import Repository


class NotOnServerError(StoreError, AttributeError):
    """An operation that only the folder backend has so far (importing, backup and restore,
    erasing a person ask the folder's repository for its files). A StoreError, so a command
    says so in one line; an AttributeError, so `getattr(repo, name, default)` still works."""


class PostgresRepository(Repository):
    """`store.unit_of_work.Repository` over `PostgresStorage`."""

    def save_snapshot(self, **_options) -> bool:
        """The folder keeps a snapshot of its history so that it opens fast; a server reads
        its tables directly, so there is nothing to save (False: nothing written)."""
        return False

    @property
    def backup_home(self) -> Path:
        """Where `kapabel backup` keeps this server database's folder backups:
        `<user data dir>/servers/<host>_<database>/backups/<UTC time>/`."""
        from store.postgres.backups import backup_home

        return backup_home(self.storage.url)

    def backup(self, into: Path | None = None) -> Path:
        """A folder database holding exactly this one (a portable copy anyone can open), at
        `into` or in `backup_home`'s backups; the folder. It gets its name when complete."""
        from store.backup import STAMP
        from store.copying import copy_database
        from store.files import ensure_private_dir
        from store.repository import BACKUP_DIR, PARTIAL_SUFFIX, FolderRepository

        stamp = dt.datetime.now(dt.UTC).strftime(STAMP)
        target = Path(into) if into is not None else self.backup_home / BACKUP_DIR / stamp
        if target.exists():
            raise StoreError(f"{target} exists already: a backup goes to a new folder")
        ensure_private_dir(target.parent)
        partial = target.parent / f".{target.name}{PARTIAL_SUFFIX}"
        folder = FolderRepository.open(partial, create=True, user=self.user)
        try:
            copy_database(self, folder, replace=True)
        finally:
            folder.storage.close()
        os.replace(partial, target)
        return target

    def restore(self, path: Path | str) -> Path:
        """Put a folder backup back (a path, or a name in `backup_home`'s backups): checked
        first, the current state kept as a backup, then the whole database replaced in one
        transaction and the restore audited; the backup of the replaced state."""
        import shutil
        import tempfile

        from store.auditlog import new_entry
        from store.backup import check_backup, keep_count, make_backup, read_backup
        from store.copying import copy_database
        from store.models import REGISTER_MODELS, AuditAction
        from store.repository import BACKUP_DIR, HISTORY_FILES, META_FILE, FolderRepository
        from store.storage import Change

        path = Path(path).expanduser()
        if not path.exists() and len(path.parts) == 1:
            path = self.backup_home / BACKUP_DIR / path
        allowed = {
            META_FILE,
            *HISTORY_FILES.values(),
            *(f"{m.table}.json" for m in REGISTER_MODELS),
        }
        contents = read_backup(path, allowed)
        scratch = Path(tempfile.mkdtemp(prefix="kapabel-restore-")) / "db"
        try:
            problems = check_backup(contents, scratch)
            if problems:
                raise StoreError(
                    f"{path}: not restored, it has problems: " + "; ".join(problems[:10])
                )
            kept = make_backup(self, keep=keep_count() + 1)
            source = FolderRepository.open(scratch, user=self.user)
            copy_database(source, self, replace=True)
        finally:
            shutil.rmtree(scratch.parent, ignore_errors=True)
        note = new_entry(self, AuditAction.RESTORE, "*", path.name, {"kept": [None, kept.name]})
        with self.storage.writing() as session:
            session.commit(Change(appends={"audit": [note]}), session.version.data)
        self.refresh()
        return kept

    def __getattr__(self, name: str):
        """What callers ask only of a folder's repository: one readable refusal."""
        if name.startswith("_") or name == "storage":
            raise AttributeError(name)
        raise NotOnServerError(
            f"{self.location}: this is not possible on a PostgreSQL database yet (it needs "
            f"the folder's {name!r}); use a database folder, `kapabel copy` moves the data"
        )
