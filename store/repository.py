"""The repository on a database folder: the neutral repository (`store.unit_of_work`) over the
folder backend (`store.folder.storage`).

`FolderRepository.open(path)` is what `store.open_store` uses for a folder. Everything else is
the neutral repository's, asked in backend-neutral words (backups, restore and erasure go
through the storage contract); the folder's own operations are its storage's
(`repo.storage`). The folder's names are importable from here too.
"""

from __future__ import annotations

from pathlib import Path

from store.folder.backups import newest_backup, remove_partial_backups
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
from store.folder.storage import FolderStorage
from store.storage import Version, current_user
from store.unit_of_work import Repository, Transaction, changes_between

__all__ = [
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
    "FolderStorage",
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


class FolderRepository(Repository):
    """A database folder on a local or shared disk, as a repository."""

    storage: FolderStorage

    def __init__(self, storage: FolderStorage) -> None:
        super().__init__(storage, user=storage.user, version=storage.version)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = False,
        user: str | None = None,
        read_only: bool = False,
        validate_everything: bool = False,
        records_on_demand: bool = False,
    ) -> FolderRepository:
        """Open (and with `create`, make) a database; CorruptFileError if a file is damaged.
        `read_only` opens it as a folder that cannot be written (nothing is written at all);
        `validate_everything` validates every table, whatever hashes are recorded;
        `records_on_demand` builds the register's records when first asked for, and refuses
        every save (`store.on_demand`: for one read)."""
        from store.folder.erasure import finish_erasure

        storage = FolderStorage.open(
            path,
            create=create,
            user=user,
            initialise=write_digcomp,
            finish_erasure=finish_erasure,
            read_only=read_only,
            validate_everything=validate_everything,
            records_on_demand=records_on_demand,
        )
        repo = cls(storage)
        if records_on_demand:
            repo.refuse_writes()
        return repo

    @property
    def _version(self) -> Version:
        """The folder's newest Version: the folder's own operations (an erasure, a restore)
        publish versions too, and the repository shows them."""
        return self.storage.version

    @_version.setter
    def _version(self, version: Version) -> None:
        """Nothing to do: the folder publishes every version it makes itself."""

    @property
    def path(self) -> Path:
        """The database folder."""
        return self.storage.path


def write_digcomp(storage: FolderStorage) -> None:
    """A new database's first content: the DigComp 2.2 framework, audited as one summary."""
    from store.digcomp import digcomp_records

    with FolderRepository(storage).transaction(summary="new database with DigComp 2.2") as tx:
        for record in digcomp_records():
            tx.put(record)
