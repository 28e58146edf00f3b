"""The PostgreSQL schema: versioned migrations, keys and checks, insert-only history."""

from __future__ import annotations

import pytest

from store.models import HISTORY_MODELS, REGISTER_MODELS
from store.postgres.migrate import migrate
from store.postgres.schema import SCHEMA_VERSION, NewerSchemaError

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed: pip install -e '.[test]'"
)


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    return {name for (name,) in rows}


def test_migrate_makes_a_table_per_entity_and_records_the_version(pg_url: str) -> None:
    assert migrate(pg_url, user="hr") == (0, SCHEMA_VERSION)

    entities = {model.table for model in REGISTER_MODELS + HISTORY_MODELS}
    assert entities | {"audit", "kapabel_schema"} <= _tables(pg_url)
    with psycopg.connect(pg_url) as conn:
        versions = conn.execute("SELECT version FROM kapabel_schema").fetchall()
        audit = conn.execute('SELECT "user", action, key FROM audit').fetchall()
    assert versions == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    assert audit == [
        ("hr", "migrate", f"schema 0 -> {SCHEMA_VERSION}"),
        ("hr", "import", "new database with DigComp 2.2"),  # as a new database folder has
    ]
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT name FROM frameworks").fetchall() == [("DigComp 2.2",)]


def test_migrating_an_up_to_date_database_changes_nothing(pg_url: str) -> None:
    migrate(pg_url, user="hr")
    assert migrate(pg_url, user="hr") == (SCHEMA_VERSION, SCHEMA_VERSION)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM audit").fetchone() == (2,)


def test_a_database_newer_than_the_program_is_refused(pg_url: str) -> None:
    migrate(pg_url, user="hr")
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO kapabel_schema VALUES (%s, 'from the future')", (99,))
    with pytest.raises(NewerSchemaError, match="schema 99.*upgrade Kapabel"):
        migrate(pg_url, user="hr")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM audit").fetchone() == (2,)


@pytest.fixture
def db(pg_url: str):
    """A migrated database with one person who has one assessment."""
    migrate(pg_url, user="hr")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO frameworks VALUES ('DC', 'DigComp')")
        conn.execute("INSERT INTO scale_levels VALUES ('DC', 1, 'Basic', '', NULL)")
        conn.execute("INSERT INTO competencies VALUES ('1.1', 'DC', '', 'Browsing', '', true)")
        conn.execute("INSERT INTO departments VALUES ('ADM', 'Administration', NULL, NULL)")
        conn.execute("INSERT INTO staff (employee_no, name, department) VALUES ('E1', 'A', 'ADM')")
        conn.execute(
            "INSERT INTO assessments (staff, competency, level, date) "
            "VALUES ('E1', '1.1', 1, '2026-01-05')"
        )
        yield conn


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assessments SET level = 0",
        "DELETE FROM assessments",
        "TRUNCATE assessments CASCADE",
        "UPDATE audit SET \"user\" = 'someone else'",
        "DELETE FROM audit",
    ],
)
def test_history_is_insert_only(db: psycopg.Connection, statement: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="insert-only"):
        db.execute(statement)
    assert db.execute("SELECT count(*) FROM assessments").fetchone() == (1,)


def test_only_a_history_rewrite_may_change_history(db: psycopg.Connection) -> None:
    """Erasing a person takes their assessments out; the setting lasts one transaction."""
    with db.transaction():
        db.execute("SET LOCAL kapabel.rewrite_history = 'on'")
        db.execute("DELETE FROM assessments WHERE staff = 'E1'")
    assert db.execute("SELECT count(*) FROM assessments").fetchone() == (0,)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("DELETE FROM audit")


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        (
            "INSERT INTO assessments (staff, competency, level, date) "
            "VALUES ('E1', '1.1', 21, '2026-01-05')",
            psycopg.errors.CheckViolation,
        ),
        (
            "INSERT INTO assessments (staff, competency, level, date, valid_until) "
            "VALUES ('E1', '1.1', 1, '2026-01-05', '2025-12-31')",
            psycopg.errors.CheckViolation,
        ),
        (
            "INSERT INTO assessments (staff, competency, level, date) "
            "VALUES ('NOBODY', '1.1', 1, '2026-01-05')",
            psycopg.errors.ForeignKeyViolation,
        ),
        (
            "INSERT INTO requirements (competency, level, department) VALUES ('1.1', 0, 'ADM')",
            psycopg.errors.CheckViolation,
        ),
        (
            "INSERT INTO requirements (competency, level, department) "
            "VALUES ('1.1', 1, 'ADM'), ('1.1', 2, 'ADM')",
            psycopg.errors.UniqueViolation,
        ),
        (
            "INSERT INTO training_plans (id, staff, competency, target_level, completed) "
            "VALUES ('TP-000001', 'E1', '1.1', 1, '2026-02-01')",
            psycopg.errors.CheckViolation,
        ),
        (
            "INSERT INTO departments (code, name, parent_code) VALUES ('X', 'X', 'X')",
            psycopg.errors.CheckViolation,
        ),
        (
            "INSERT INTO staff (employee_no, name, department) VALUES ('E1', 'Twin', 'ADM')",
            psycopg.errors.UniqueViolation,
        ),
        (
            "INSERT INTO robot_benefits (robot, month, hours_saved) VALUES ('R', '2026-13', 1)",
            psycopg.errors.CheckViolation,
        ),
    ],
)
def test_the_schema_refuses_what_no_record_may_say(
    db: psycopg.Connection, statement: str, error: type[Exception]
) -> None:
    with pytest.raises(error):  # noqa: SIM117 - the foreign key is checked at commit
        with db.transaction():
            db.execute(statement)
