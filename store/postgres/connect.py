"""Connecting to a PostgreSQL database, with messages that never show the password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from i18n import _
from store.errors import StoreError
from store.locations import location
from store.postgres.url import hide_password

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = 10
"""Seconds to wait for the server before saying it cannot be reached."""


ENCRYPTED_MODES = frozenset({"require", "verify-ca", "verify-full"})
"""`sslmode`s that ask for an encrypted connection: Kapabel connects encrypted or not at all."""


def connect(url: str, **kwargs) -> psycopg.Connection:
    """A connection in UTC (audit times are UTC), or a StoreError naming the safe URL.

    Everything libpq reads is honoured: the URL's parameters (`sslmode`, ...), PGPASSFILE and
    the PG* variables (`PGSSLMODE`...).
    """
    import psycopg

    try:
        conn = psycopg.connect(
            url, connect_timeout=CONNECT_TIMEOUT, options="-c TimeZone=UTC", **kwargs
        )
    except psycopg.Error as error:
        detail = hide_password(" ".join(str(error).split()), url)
        raise StoreError(
            _("{location}: cannot connect: {reason}").format(location=location(url), reason=detail)
        ) from None
    _refuse_unencrypted(conn, url)
    return conn


def _refuse_unencrypted(conn: psycopg.Connection, url: str) -> None:
    """An `sslmode` that asks for encryption is kept on a Unix socket too, where libpq
    connects unencrypted whatever the mode says: whoever wrote `require` is told, not
    silently given a connection without it. (Over TCP, libpq refuses by itself.)"""
    mode = conn.info.get_parameters().get("sslmode", "")
    if mode in ENCRYPTED_MODES and not conn.pgconn.ssl_in_use:
        conn.close()
        raise StoreError(
            _(
                "{location}: cannot connect: sslmode={mode} asks for an encrypted connection, "
                "and this one is not encrypted (a Unix socket never is): give sslmode=disable "
                "for a socket on this machine, or connect over TCP to a server with SSL"
            ).format(location=location(url), mode=mode)
        )
