"""The change log (schema 3): after another program's commits, a refresh or a write session
reads only what they touched, and builds a version equal to a fresh load. Whether it read
everything is counted by the storage (`whole_reads`); that the versions are equal is checked
on both backends in tests/store/test_storage_contract.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store import open_store
from store.copying import copy_database
from store.erasure import erase_person
from store.models import Assessment, Department, Staff
from store.postgres import storage as pg_storage
from store.postgres.migrate import migrate
from store.postgres.schema import MIGRATIONS, SCHEMA_VERSION
from tests.store.test_storage_contract import SAVES_BY_OTHERS, staffed

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed: pip install -e '.[test]'"
)


@pytest.fixture
def url(pg_url: str, monkeypatch, tmp_path: Path) -> str:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # erasure's backup home
    migrate(pg_url, user="hr")
    return pg_url


def _rows_read(monkeypatch) -> list[int]:
    """How many assessment rows each history read fetched (appended to as they are read)."""
    counts: list[int] = []
    read = pg_storage._assessment_rows

    def counting(conn, after, first):
        rows = read(conn, after, first)
        counts.append(len(rows))
        return rows

    monkeypatch.setattr(pg_storage, "_assessment_rows", counting)
    return counts


def test_a_refresh_after_others_saves_reads_only_what_they_changed(url: str, monkeypatch) -> None:
    reader, writer = open_store(url, user="hr"), open_store(url, user="hr")
    staffed(writer)
    for day in range(1, 21):
        writer.record(
            Assessment(staff="E1", competency="DC1.1", level=1, date=dt.date(2026, 1, day))
        )
    reader.refresh()
    assert reader.storage.whole_reads == 1  # opening
    rows_read = _rows_read(monkeypatch)
    for what, save in SAVES_BY_OTHERS[:-1]:  # all but the erasure
        save(writer)
        assert reader.refresh() is True, what
        assert reader.storage.whole_reads == 1, what
    assert sum(rows_read) == 2  # the two assessments recorded since, not the 22 held
    assert reader.ds == open_store(url, user="hr").ds


def test_a_save_after_others_saves_reads_only_what_they_changed(url: str) -> None:
    one, two = open_store(url, user="hr"), open_store(url, user="hr")
    staffed(one)
    for _, save in SAVES_BY_OTHERS[:6]:
        save(one)
    two.put(Department(code="D2", name="Teknik"))
    assert two.storage.whole_reads == 1
    assert two.ds == open_store(url, user="hr").ds


@pytest.mark.parametrize("whole_change", ["erasure", "replace"])
def test_an_erasure_or_a_whole_replace_is_read_again_whole(
    url: str, pg_url_2: str, whole_change: str
) -> None:
    """They rewrite history, so the log says "everything" and a reader reads it all again."""
    reader, writer = open_store(url, user="hr"), open_store(url, user="hr")
    staffed(writer)
    writer.put(Staff(employee_no="E2", name="Al", department="D1"))
    reader.refresh()
    if whole_change == "erasure":
        erase_person(writer, "E2")
    else:
        migrate(pg_url_2, user="hr")
        copy_database(open_store(pg_url_2, user="hr"), writer, replace=True)
    with psycopg.connect(url) as conn:  # the log keeps no key of an erased person
        logged = conn.execute("SELECT coalesce(register::text, '') FROM kapabel_changes")
        assert not any("E2" in text for (text,) in logged)
    assert reader.refresh() is True
    assert reader.storage.whole_reads == 2
    assert reader.ds == open_store(url, user="hr").ds
    writer.put(Department(code="D3", name="Kultur"))
    assert reader.refresh() is True and reader.storage.whole_reads == 2  # incremental again


def test_a_reader_further_behind_than_the_log_keeps_reads_everything(url: str, monkeypatch) -> None:
    monkeypatch.setattr(pg_storage, "KEEP_CHANGES", 3)
    reader, writer = open_store(url, user="hr"), open_store(url, user="hr")
    staffed(writer)
    reader.refresh()
    for n in range(3):
        writer.put(Department(code=f"X{n}", name="Ny"))
    assert reader.refresh() is True and reader.storage.whole_reads == 1  # three: still logged
    for n in range(4):
        writer.put(Department(code=f"Y{n}", name="Ny"))
    assert reader.refresh() is True and reader.storage.whole_reads == 2
    assert reader.ds == open_store(url, user="hr").ds
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM kapabel_changes").fetchone() == (3,)


def test_a_schema_2_database_is_refused_until_migrated_then_read_by_its_log(
    pg_url: str,
) -> None:
    from store.errors import StoreError
    from store.postgres.schema import apply_migrations

    with psycopg.connect(pg_url) as conn, conn.transaction():
        for migration in MIGRATIONS[:2]:  # a database an older Kapabel made
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO kapabel_schema (version, description) VALUES (%s, %s)",
                (migration.version, migration.description),
            )
        conn.execute("INSERT INTO departments VALUES ('D1', 'Borgerservice', NULL, NULL)")
        conn.execute("UPDATE kapabel_state SET change_no = 5")
    with pytest.raises(
        StoreError, match=f"schema 2, this Kapabel needs {SCHEMA_VERSION}.*kapabel migrate"
    ):
        open_store(pg_url, user="hr")
    with psycopg.connect(pg_url) as conn:
        assert apply_migrations(conn, "db", "hr") == (2, SCHEMA_VERSION)
    reader, writer = open_store(pg_url, user="hr"), open_store(pg_url, user="hr")
    assert set(reader.ds.departments) == {"D1"}
    writer.put(Department(code="D2", name="Teknik"))
    assert reader.refresh() is True and set(reader.ds.departments) == {"D1", "D2"}
    assert reader.storage.whole_reads == 1  # the first change after migrating is logged


def test_a_programs_own_whole_replace_is_not_read_again(url: str, pg_url_2: str) -> None:
    """`kapabel copy` into an open database: the version the replace made is the newest, so
    the refresh after it reads nothing more (at 50,000 staff that was 4 s of the copy)."""
    migrate(pg_url_2, user="hr")
    source = open_store(pg_url_2, user="hr")
    staffed(source)
    target = open_store(url, user="hr")
    copy_database(source, target, replace=True)
    assert target.storage.whole_reads == 1  # opening only
    assert target.ds == open_store(url, user="hr").ds and "E1" in target.ds.staff
