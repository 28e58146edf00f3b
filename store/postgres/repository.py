"""The repository on a PostgreSQL database: the neutral one, plus the answers to what callers
still ask of a folder's repository, in the server's terms."""

from __future__ import annotations

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

    def __getattr__(self, name: str):
        """What callers ask only of a folder's repository: one readable refusal."""
        if name.startswith("_") or name == "storage":
            raise AttributeError(name)
        raise NotOnServerError(
            f"{self.location}: this is not possible on a PostgreSQL database yet (it needs "
            f"the folder's {name!r}); use a database folder, `kapabel copy` moves the data"
        )
