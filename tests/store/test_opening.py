"""`store.open_store`: the one way into a database, for a folder or a server URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import StoreError, location, open_store, resolve_target, store_exists, target_name
from store.models import Department

URL = "postgresql://hr:s3cret-pw@db.example.org:5432/kapabel?sslmode=require&password=s3cret-pw"


def test_open_store_makes_and_reopens_a_folder_database(tmp_path: Path) -> None:
    target = tmp_path / "db"
    assert not store_exists(target)
    with pytest.raises(StoreError, match="no database at"):
        open_store(target)
    made = open_store(target, create=True, user="tester")
    assert store_exists(target)
    with made.transaction() as tx:
        tx.put(Department(code="HR", name="HR office"))
    again = open_store(str(target))
    assert again.ds.departments["HR"].name == "HR office"


def test_without_a_target_kapabel_db_names_the_database(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KAPABEL_DB", str(tmp_path / "from-env"))
    open_store(None, create=True)
    assert store_exists(tmp_path / "from-env")
    assert resolve_target(None) == tmp_path / "from-env"
    assert resolve_target(str(tmp_path / "given")) == tmp_path / "given"  # --db wins


def test_a_url_stays_a_url_and_kapabel_db_may_hold_one(monkeypatch) -> None:
    assert resolve_target(URL) == URL
    monkeypatch.setenv("KAPABEL_DB", URL)
    assert resolve_target(None) == URL
    assert target_name(URL) == "kapabel"


def test_a_url_is_never_shown_with_its_password() -> None:
    shown = location(URL)
    assert "s3cret" not in shown
    assert shown.startswith("postgresql://hr@db.example.org:5432/kapabel?")
    assert "sslmode=require" in shown


def test_a_url_without_the_postgresql_backend_is_one_readable_refusal(monkeypatch) -> None:
    monkeypatch.setattr("store.opening.POSTGRES_MODULE", "store.no_such_backend")
    with pytest.raises(StoreError) as refused:
        open_store(URL)
    assert "s3cret" not in str(refused.value)
    assert "PostgreSQL" in str(refused.value)


def test_no_secret_parameter_of_a_url_is_shown() -> None:
    shown = location("postgresql://hr@db/kapabel?sslpassword=k3y&PASSWORD=pw&sslmode=require")
    assert "k3y" not in shown and "pw" not in shown.replace("postgresql", "")
    assert shown == "postgresql://hr@db/kapabel?sslmode=require"


SOCKET_URLS = {
    # as written -> as every message shows it
    "postgresql://hr@/kapabel?host=/var/run/postgresql": (
        "postgresql://hr@/kapabel?host=/var/run/postgresql"
    ),
    "postgresql://hr@/kapabel?host=%2Fvar%2Frun%2Fpostgresql&sslmode=disable": (
        "postgresql://hr@/kapabel?host=/var/run/postgresql&sslmode=disable"
    ),
    "postgresql://hr:s3cret-pw@%2Fvar%2Frun%2Fpostgresql/kapabel?sslpassword=k3y": (
        "postgresql://hr@/kapabel?host=/var/run/postgresql"
    ),
    "postgresql://hr@%2Fvar%2Frun%2Fpostgresql:5433/kapabel": (
        "postgresql://hr@:5433/kapabel?host=/var/run/postgresql"
    ),
    "postgres://%2Ftmp%2Fpg/kapabel?application_name=HR%20office": (
        "postgres:///kapabel?host=/tmp/pg&application_name=HR%20office"
    ),
}


@pytest.mark.parametrize("url", SOCKET_URLS)
def test_a_unix_socket_url_is_shown_readably_and_means_the_same(url: str) -> None:
    """A socket directory reads as a path (`host=/var/run/postgresql`, also when the URL gave
    it %-encoded in the host part), never as `host=%2Fvar%2F...`; the form shown is a URL libpq
    reads as the same connection, less its secrets."""
    from psycopg.conninfo import conninfo_to_dict

    shown = location(url)
    assert shown == SOCKET_URLS[url]
    assert "s3cret" not in shown and "k3y" not in shown
    secrets = {"password", "sslpassword"}
    meant = {k: v for k, v in conninfo_to_dict(url).items() if k not in secrets}
    assert conninfo_to_dict(shown) == meant


def test_a_message_about_a_socket_url_names_the_socket_folder(capsys) -> None:
    from tui.cli import main

    url = "postgresql://hr:s3cret-pw@/kapabel?host=%2Fnonexistent-kapabel-socket-dir"
    assert main(["check", "--db", url]) == 1
    out = capsys.readouterr().out
    assert "postgresql://hr@/kapabel?host=/nonexistent-kapabel-socket-dir:" in out
    assert "%2F" not in out and "s3cret" not in out
