"""The PostgreSQL backend: a municipality's shared server (issue 11).

`schema` holds the versioned migrations (`kapabel migrate` applies them), `connect` opens a
connection whose errors never show the password. psycopg is imported only when a PostgreSQL
database is used, so the folder backend does not pay for it.
"""

from __future__ import annotations

from store.errors import StoreError


def open_database(url: str, *, create: bool = False, user: str | None = None):
    """Open the Kapabel database at `url` (`store.open_store` calls this for a URL).

    The schema must be this program's: an empty database or an older one is refused with a
    pointer to `kapabel migrate` (a server database is never made on the fly); a newer one
    with `NewerSchemaError`.
    """
    from store.opening import location
    from store.postgres.connect import connect
    from store.postgres.schema import SCHEMA_VERSION, database_version, refuse_newer

    with connect(url) as conn:
        version = database_version(conn)
    refuse_newer(version, location(url))
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{location(url)}: schema {version}, this Kapabel needs {SCHEMA_VERSION}: "
            f"run `kapabel migrate --db URL` first"
        )
    raise StoreError(
        f"{location(url)}: this Kapabel can migrate a PostgreSQL database but cannot open one "
        "yet (the PostgreSQL storage is still being built)"
    )
