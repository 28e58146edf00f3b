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
    from functools import partial

    from store.postgres.erasure import erasure, finish_erasures
    from store.postgres.repository import PostgresRepository
    from store.postgres.storage import PostgresStorage

    storage = PostgresStorage(url)
    storage.erasure = partial(erasure, storage)
    try:
        repo = PostgresRepository(storage, user=user)
        storage.finished_erasure = finish_erasures(repo)  # one a crash stopped before backups
        return repo
    except BaseException:
        storage.close()
        raise


def read_current_levels(url: str, as_of, *, user: str | None = None):
    """The Dataset a report that needs only the current levels on `as_of` reads: the register,
    and of the history only the assessments that count then, chosen by the server
    (`current_levels_only`); the whole database when that gives nothing."""
    data = current_levels_only(url, as_of)
    if data is not None:
        return data
    repo = open_database(url, user=user)
    try:
        return repo.ds
    finally:
        repo.storage.close()


def current_levels_only(url: str, as_of):
    """The register, and of the history only the assessments that count on `as_of`, chosen by
    the server (`store.postgres.current`); None when the whole database is to be read instead:
    no assessment counts then (a report says why from the whole history), or an interrupted
    erasure is to be finished (opening does that)."""
    from store.postgres.current import current_dataset
    from store.postgres.storage import PostgresStorage

    storage = PostgresStorage(url)
    try:
        pending = storage.read_value("SELECT EXISTS (SELECT 1 FROM kapabel_pending_erasures)")
        return None if pending else current_dataset(storage, as_of)
    finally:
        storage.close()
