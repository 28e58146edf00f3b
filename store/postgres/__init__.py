"""The PostgreSQL backend: a municipality's shared server (issue 11).

`schema` holds the versioned migrations (`kapabel migrate` applies them), `connect` opens a
connection whose errors never show the password. psycopg is imported only when a PostgreSQL
database is used, so the folder backend does not pay for it.
"""

from __future__ import annotations


def open_database(url: str, *, create: bool = False, user: str | None = None):
    """Open the Kapabel database at `url` (`store.open_store` calls this for a URL): the
    backend-neutral repository over the PostgreSQL storage.

    The schema must be this program's: an empty database or an older one is refused with a
    pointer to `kapabel migrate` (a server database is made by it, never on the fly, so
    `create` changes nothing here); a newer one with `NewerSchemaError`.
    """
    from store.postgres.erasure import finish_erasures
    from store.postgres.repository import PostgresRepository
    from store.postgres.storage import PostgresStorage

    storage = PostgresStorage(url)
    try:
        repo = PostgresRepository(storage, user=user)
        repo.finished_erasure = finish_erasures(repo)  # one a crash stopped before the backups
        return repo
    except BaseException:
        storage.close()
        raise
