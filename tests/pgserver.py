"""The PostgreSQL server the tests run against: `.ci/pg start` starts one and names it in
KAPABEL_TEST_PG. In CI (CI=true) a PostgreSQL test never skips; elsewhere, without a server,
it skips with one line saying how to start one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

SERVER_ENV = "KAPABEL_TEST_PG"
SKIP_REASON = f'no PostgreSQL server: set {SERVER_ENV} (eval "$(.ci/pg start)") to run this test'


def server_url() -> str:
    """The test server's URL; fails in CI and skips elsewhere when there is none."""
    url = os.environ.get(SERVER_ENV, "").strip()
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {SERVER_ENV} is not set: .ci/run starts the server")
    pytest.skip(SKIP_REASON)


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` (host, user and options kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def fresh_database(url: str) -> Iterator[str]:
    """A new, empty database on the server, dropped (with its connections) afterwards."""
    import psycopg
    from psycopg import sql

    name = f"kapabel_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
