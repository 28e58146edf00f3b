"""The repository on a PostgreSQL database: the neutral one, plus the answers to what callers
still ask of a folder's repository, in the server's terms."""

from __future__ import annotations

from store.unit_of_work import Repository


class PostgresRepository(Repository):
    """`store.unit_of_work.Repository` over `PostgresStorage`."""

    def save_snapshot(self, **_options) -> bool:
        """The folder keeps a snapshot of its history so that it opens fast; a server reads
        its tables directly, so there is nothing to save (False: nothing written)."""
        return False
