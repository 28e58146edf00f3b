"""The PostgreSQL test server: each test gets a database of its own, empty and writable."""

from __future__ import annotations

import pytest

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed: pip install -e '.[test]'"
)


def test_each_test_gets_an_empty_database_of_its_own(pg_url: str, pg_server: str) -> None:
    with psycopg.connect(pg_url) as conn:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]
    assert name.startswith("kapabel_test_") and name != "postgres"
    assert tables == 0
