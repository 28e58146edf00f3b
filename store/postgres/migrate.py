"""`kapabel migrate` on PostgreSQL: bring a database's schema up to this program's."""

from __future__ import annotations

from store.opening import location
from store.postgres.connect import connect
from store.postgres.schema import apply_migrations
from store.postgres.url import hide_password


def migrate(url: str, user: str) -> tuple[int, int]:
    """Apply the missing migrations; (schema before, schema after). NewerSchemaError when the
    database is newer than this program (nothing changes then)."""
    import psycopg

    from store.errors import StoreError

    with connect(url) as conn:
        try:
            return apply_migrations(conn, location(url), user)
        except psycopg.Error as error:
            detail = hide_password(" ".join(str(error).split()), url)
            raise StoreError(f"{location(url)}: migration failed: {detail}") from None
