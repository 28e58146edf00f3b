"""Connecting to a PostgreSQL database, with messages that never show the password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.errors import StoreError
from store.locations import location
from store.postgres.url import hide_password

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = 10
"""Seconds to wait for the server before saying it cannot be reached."""


def connect(url: str, **kwargs) -> psycopg.Connection:
    """A connection in UTC (audit times are UTC), or a StoreError naming the safe URL.

    Everything libpq reads is honoured: the URL's parameters (`sslmode`, ...), PGPASSFILE and
    the PG* variables.
    """
    import psycopg

    try:
        return psycopg.connect(
            url, connect_timeout=CONNECT_TIMEOUT, options="-c TimeZone=UTC", **kwargs
        )
    except psycopg.Error as error:
        detail = hide_password(" ".join(str(error).split()), url)
        raise StoreError(f"{location(url)}: cannot connect: {detail}") from None
