"""The repository on a PostgreSQL database: the neutral one (backups, restore and erasure go
through the storage contract), plus where its folder backups are kept."""

from __future__ import annotations

from pathlib import Path

from i18n import _
from store.errors import StoreError
from store.unit_of_work import Repository


class NotOnServerError(StoreError, AttributeError):
    """Something asked of the repository that only a database folder has (a path, its files).
    A StoreError, so a command says so in one line; an AttributeError, so `getattr(repo,
    name, default)` still works."""


class PostgresRepository(Repository):
    """`store.unit_of_work.Repository` over `PostgresStorage`."""

    @property
    def backup_home(self) -> Path:
        """Where `kapabel backup` keeps this server database's folder backups:
        `<user data dir>/servers/<host>_<database>/backups/<UTC time>/`."""
        from store.postgres.backups import backup_home

        return backup_home(self.storage.url)

    def __getattr__(self, name: str):
        """What callers ask only of a folder's repository: one readable refusal."""
        if name.startswith("_") or name == "storage":
            raise AttributeError(name)
        raise NotOnServerError(
            _(
                "{location}: this is not possible on a PostgreSQL database yet (it needs the "
                "folder's {name!r}); use a database folder, `kapabel copy` moves the data"
            ).format(location=self.location, name=name)
        )
