"""`kapabel migrate --db URL`: what a user sees, never with the password."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest

from store.opening import location
from store.postgres.schema import SCHEMA_VERSION
from tui.cli import main

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed: pip install -e '.[test]'"
)

PASSWORD = "s3cret-Pw0rd"


def _with_password(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{PASSWORD}@{parts.hostname or ''}"))


def test_migrate_creates_the_schema_then_says_it_is_up_to_date(pg_url: str, capsys) -> None:
    assert main(["migrate", "--db", pg_url]) == 0
    where = location(pg_url)
    assert capsys.readouterr().out == f"{where}: schema 0 -> {SCHEMA_VERSION}\n"
    assert main(["migrate", "--db", pg_url]) == 0
    assert capsys.readouterr().out == f"{where}: schema {SCHEMA_VERSION}, up to date\n"


def test_migrate_takes_the_url_from_kapabel_db(pg_url: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KAPABEL_DB", pg_url)
    assert main(["migrate"]) == 0
    assert "schema 0 ->" in capsys.readouterr().out


def test_the_password_never_appears_in_output_or_audit(pg_url: str, capsys) -> None:
    """The test server trusts its socket, so the password is accepted and ignored."""
    assert main(["migrate", "--db", _with_password(pg_url)]) == 0
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err and "schema 0 ->" in out
    with psycopg.connect(pg_url) as conn:
        audit = conn.execute("SELECT * FROM audit").fetchall()
    assert audit and PASSWORD not in repr(audit)


def test_an_unreachable_server_is_one_line_without_the_password(capsys) -> None:
    url = f"postgresql://hr:{PASSWORD}@/kapabel?host=/nonexistent-kapabel-socket-dir"
    assert main(["migrate", "--db", url]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "cannot connect" in err and "postgresql://hr@/kapabel" in err
    assert PASSWORD not in err


def test_a_newer_database_is_refused(pg_url: str, capsys) -> None:
    main(["migrate", "--db", pg_url])
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO kapabel_schema VALUES (%s, 'newer')", (SCHEMA_VERSION + 1,))
    capsys.readouterr()
    assert main(["migrate", "--db", pg_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kapabel: ") and "upgrade Kapabel" in err and err.count("\n") == 1


@pytest.mark.parametrize("db", [None, "some/folder"])
def test_migrate_needs_a_postgresql_url(db, capsys, monkeypatch) -> None:
    monkeypatch.delenv("KAPABEL_DB", raising=False)
    assert main(["migrate"] + (["--db", db] if db else [])) == 2
    assert "must be a postgresql:// URL" in capsys.readouterr().err


def test_opening_an_unmigrated_database_points_to_migrate(pg_url: str, capsys) -> None:
    assert main(["audit", "--db", pg_url]) == 1
    err = capsys.readouterr().err
    assert "kapabel migrate" in err and err.count("\n") == 1
