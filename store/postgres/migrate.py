"""`kapabel migrate` on PostgreSQL: bring a database's schema up to this program's."""

from __future__ import annotations

from i18n import _
from store.locations import location
from store.postgres.connect import connect
from store.postgres.schema import apply_migrations
from store.postgres.url import hide_password

NEW_DATABASE = "new database with DigComp 2.2"


def migrate(url: str, user: str) -> tuple[int, int]:
    """Apply the missing migrations; (schema before, schema after). NewerSchemaError when the
    database is newer than this program (nothing changes then).

    A database made here (schema 0 before) gets what a new database folder gets: the DigComp
    2.2 framework, audited as one summary entry.
    """
    import psycopg

    from store.errors import StoreError

    with connect(url) as conn:
        try:
            before, after = apply_migrations(conn, location(url), user)
        except psycopg.Error as error:
            detail = hide_password(" ".join(str(error).split()), url)
            raise StoreError(
                _("{location}: migration failed: {reason}").format(
                    location=location(url), reason=detail
                )
            ) from None
    if before == 0:
        _first_content(url, user)
    return before, after


def _first_content(url: str, user: str) -> None:
    from store.digcomp import digcomp_records
    from store.postgres import open_database

    repo = open_database(url, user=user)
    try:
        if not repo.ds.frameworks:
            with repo.transaction(summary=NEW_DATABASE) as tx:
                for record in digcomp_records():
                    tx.put(record)
    finally:
        repo.storage.close()
