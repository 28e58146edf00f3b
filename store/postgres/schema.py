"""The PostgreSQL schema, as numbered migrations recorded in the database itself.

One table per entity, with the domain key as primary key (a requirement, whose key has an
optional role, gets a generated id and a unique key treating "no role" as one value), foreign
keys for every reference (checked at commit, so a unit of work may write in any order), and
check constraints for what a record can say on its own: levels within 0..20 (1..20 for a
target), dates in order, the enums. That a level lies within its framework's scale, or that a
scale runs 1..n, needs other rows: the repository checks it, on every backend alike
(store.integrity).

The history -- assessments, robot benefits, the audit log -- is insert-only: a trigger refuses
UPDATE, DELETE and TRUNCATE unless the transaction has set `kapabel.rewrite_history` to `on`,
which only erasing a person and replacing a whole database (restore, copy) do. A trigger rather
than REVOKE, because the program's role usually owns the tables and an owner's rights cannot be
revoked from it.

`kapabel_schema` records each migration applied. A program refuses a database whose newest
migration it does not know (a newer Kapabel wrote it); `migrate` applies the missing ones in
one transaction, under an advisory lock, with an audit entry, as the folder's migration does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from i18n import _
from store.errors import StoreError

if TYPE_CHECKING:
    import psycopg

MIGRATE_LOCK = 0x4B415042  # "KAPB": the advisory lock key that serialises migrations
REWRITE_SETTING = "kapabel.rewrite_history"
HISTORY_TABLES = ("assessments", "robot_benefits", "audit")


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


_KEY = "text PRIMARY KEY CHECK ({0} <> '' AND {0} = btrim({0}))"
_REF = "DEFERRABLE INITIALLY DEFERRED"


def _ref(table: str, column: str = "code") -> str:
    return f"REFERENCES {table} ({column}) {_REF}"


def _enum(column: str, values: str) -> str:
    quoted = ", ".join(f"'{v}'" for v in values.split())
    return f"CHECK ({column} IN ({quoted}))"


SCHEMA_1 = f"""
CREATE TABLE kapabel_schema (
    version integer PRIMARY KEY CHECK (version > 0),
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE kapabel_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    change_no bigint NOT NULL DEFAULT 0 CHECK (change_no >= 0)
);
INSERT INTO kapabel_state DEFAULT VALUES;
CREATE TABLE kapabel_counters (
    prefix text PRIMARY KEY CHECK (prefix <> ''),
    value bigint NOT NULL CHECK (value >= 0)
);

CREATE TABLE frameworks (
    code {_KEY.format("code")},
    name text NOT NULL CHECK (name <> '')
);
CREATE TABLE scale_levels (
    framework text NOT NULL REFERENCES frameworks (code) ON DELETE CASCADE {_REF},
    level integer NOT NULL CHECK (level BETWEEN 1 AND 20),
    label text NOT NULL CHECK (label <> ''),
    descriptor text NOT NULL DEFAULT '',
    "group" text,
    PRIMARY KEY (framework, level)
);
CREATE TABLE competencies (
    code {_KEY.format("code")},
    framework text NOT NULL {_ref("frameworks")},
    area text NOT NULL DEFAULT '',
    name text NOT NULL CHECK (name <> ''),
    description text NOT NULL DEFAULT '',
    active boolean NOT NULL DEFAULT true
);
CREATE TABLE departments (
    code {_KEY.format("code")},
    name text NOT NULL CHECK (name <> ''),
    parent_code text {_ref("departments")} CHECK (parent_code <> code),
    lead text,
    active boolean NOT NULL DEFAULT true
);
CREATE TABLE roles (
    code {_KEY.format("code")},
    name text NOT NULL CHECK (name <> '')
);
CREATE TABLE staff (
    employee_no {_KEY.format("employee_no")},
    name text NOT NULL CHECK (name <> ''),
    email text CHECK (email LIKE '_%@_%' AND email NOT LIKE '% %'),
    department text NOT NULL {_ref("departments")},
    role text {_ref("roles")},
    digital_agent boolean NOT NULL DEFAULT false,
    active boolean NOT NULL DEFAULT true,
    start_date date
);
CREATE TABLE themes (
    code {_KEY.format("code")},
    rank integer NOT NULL CHECK (rank >= 1),
    title text NOT NULL CHECK (title <> ''),
    end_state text NOT NULL DEFAULT '',
    target_date date,
    owner text NOT NULL DEFAULT '',
    stakeholders json NOT NULL DEFAULT '[]' CHECK (json_typeof(stakeholders) = 'array')
);
CREATE TABLE requirements (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    competency text NOT NULL {_ref("competencies")},
    level integer NOT NULL CHECK (level BETWEEN 1 AND 20),
    department text NOT NULL {_ref("departments")},
    role text {_ref("roles")},
    priority text NOT NULL DEFAULT 'must' {_enum("priority", "must should")},
    due date,
    theme text {_ref("themes")},
    UNIQUE NULLS NOT DISTINCT (competency, department, role)
);
CREATE TABLE courses (
    code {_KEY.format("code")},
    name text NOT NULL CHECK (name <> ''),
    provider text NOT NULL DEFAULT '',
    hours double precision NOT NULL DEFAULT 0 CHECK (hours >= 0),
    cost double precision NOT NULL DEFAULT 0 CHECK (cost >= 0)
);
CREATE TABLE course_raises (
    course text NOT NULL REFERENCES courses (code) ON DELETE CASCADE {_REF},
    position integer NOT NULL CHECK (position >= 0),
    competency text NOT NULL {_ref("competencies")},
    level integer NOT NULL CHECK (level BETWEEN 1 AND 20),
    PRIMARY KEY (course, position),
    UNIQUE (course, competency)
);
CREATE TABLE training_plans (
    id {_KEY.format("id")},
    staff text NOT NULL {_ref("staff", "employee_no")},
    competency text NOT NULL {_ref("competencies")},
    target_level integer NOT NULL CHECK (target_level BETWEEN 1 AND 20),
    course text {_ref("courses")},
    due date,
    status text NOT NULL DEFAULT 'planned'
        {_enum("status", "planned in_progress completed cancelled")},
    completed date CHECK (completed IS NULL OR status = 'completed')
);
CREATE TABLE robots (
    code {_KEY.format("code")},
    name text NOT NULL CHECK (name <> ''),
    process text NOT NULL DEFAULT '',
    department text NOT NULL {_ref("departments")},
    platform text NOT NULL DEFAULT '',
    phase text NOT NULL DEFAULT 'idea'
        {_enum("phase", "idea analysis development test production retired")},
    go_live date,
    owner text {_ref("staff", "employee_no")},
    expected_hours_per_year double precision NOT NULL DEFAULT 0
        CHECK (expected_hours_per_year >= 0),
    yearly_cost double precision NOT NULL DEFAULT 0 CHECK (yearly_cost >= 0)
);
CREATE TABLE robot_operators (
    robot text NOT NULL REFERENCES robots (code) ON DELETE CASCADE {_REF},
    position integer NOT NULL CHECK (position >= 0),
    staff text NOT NULL {_ref("staff", "employee_no")},
    PRIMARY KEY (robot, position),
    UNIQUE (robot, staff)
);
CREATE TABLE robot_competencies (
    robot text NOT NULL REFERENCES robots (code) ON DELETE CASCADE {_REF},
    position integer NOT NULL CHECK (position >= 0),
    competency text NOT NULL {_ref("competencies")},
    level integer NOT NULL CHECK (level BETWEEN 1 AND 20),
    PRIMARY KEY (robot, position),
    UNIQUE (robot, competency)
);
CREATE TABLE milestones (
    id {_KEY.format("id")},
    theme text NOT NULL {_ref("themes")},
    title text NOT NULL CHECK (title <> ''),
    due date NOT NULL,
    owner text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'planned'
        {_enum("status", "planned in_progress done cancelled")}
);
CREATE TABLE governance (
    domain text PRIMARY KEY {_enum("domain", "it_principles it_architecture it_infrastructure business_application_needs it_investment")},
    input_rights text[] NOT NULL DEFAULT '{{}}' CHECK (input_rights <@ ARRAY[
        'business_monarchy', 'it_monarchy', 'feudal', 'federal', 'it_duopoly', 'anarchy']),
    decision_rights text NOT NULL {_enum("decision_rights", "business_monarchy it_monarchy feudal federal it_duopoly anarchy")},
    people text[] NOT NULL DEFAULT '{{}}'
);

CREATE TABLE assessments (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff text NOT NULL {_ref("staff", "employee_no")},
    competency text NOT NULL {_ref("competencies")},
    level integer NOT NULL CHECK (level BETWEEN 0 AND 20),
    date date NOT NULL,
    source text NOT NULL DEFAULT 'self' {_enum("source", "self manager test training")},
    assessor text,
    valid_until date CHECK (valid_until >= date),
    note text NOT NULL DEFAULT ''
);
CREATE INDEX assessments_by_person ON assessments (staff, competency, date);
CREATE TABLE robot_benefits (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    robot text NOT NULL {_ref("robots")},
    month text NOT NULL CHECK (month ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$'),
    hours_saved double precision NOT NULL CHECK (hours_saved >= 0),
    runs integer NOT NULL DEFAULT 0 CHECK (runs >= 0),
    failed_runs integer NOT NULL DEFAULT 0 CHECK (failed_runs >= 0 AND failed_runs <= runs)
);
CREATE TABLE audit (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    "user" text NOT NULL,
    action text NOT NULL
        {_enum("action", "create update delete deactivate erase import restore migrate")},
    entity text NOT NULL,
    key text NOT NULL,
    changes json NOT NULL DEFAULT '{{}}' CHECK (json_typeof(changes) = 'object')
);

CREATE FUNCTION kapabel_history_is_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('{REWRITE_SETTING}', true), '') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'history table % is insert-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION kapabel_history_is_insert_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION kapabel_history_is_insert_only();
"""
    for table in HISTORY_TABLES
)

SCHEMA_2 = """
CREATE TABLE kapabel_pending_erasures (
    employee_no text PRIMARY KEY CHECK (employee_no <> ''),
    pseudonym text NOT NULL CHECK (pseudonym <> ''),
    at text NOT NULL,
    "user" text NOT NULL
);
"""
"""An erasure the server committed whose folder backups are not yet erased (written in the
erasure's transaction, deleted once the backups are done): `store.postgres.erasure`."""

SCHEMA_3 = """
CREATE TABLE kapabel_changes (
    change_no bigint PRIMARY KEY CHECK (change_no > 0),
    register json CHECK (register IS NULL OR json_typeof(register) = 'object'),
    assessments_seq bigint NOT NULL CHECK (assessments_seq >= 0),
    benefits_seq bigint NOT NULL CHECK (benefits_seq >= 0)
);
"""
"""The change log: what each commit (`kapabel_state.change_no`) touched, so that another
program reads only that (`store.postgres.storage.read_since`). `register`: register table ->
the keys written or deleted, or null for the whole table; NULL for a commit after which
everything is read again (an erasure, a whole replace). The history rows a commit appended are
those up to its `assessments_seq` / `benefits_seq` (the highest `seq` after it). Only the
latest changes are kept: a program further behind reads everything."""

SCHEMA_4 = f"""
ALTER TABLE robots DROP CONSTRAINT robots_phase_check;
ALTER TABLE robots ADD CONSTRAINT robots_phase_check
    {_enum("phase", "idea analysis development test production paused retired")};
ALTER TABLE robots
    ADD COLUMN phase_since date,
    ADD COLUMN phase_history json NOT NULL DEFAULT '[]'
        CHECK (json_typeof(phase_history) = 'array'),
    ADD COLUMN kle text NOT NULL DEFAULT '',
    ADD COLUMN run_frequency text NOT NULL DEFAULT '';
CREATE TABLE settings (
    name {_KEY.format("name")},
    value text NOT NULL
);
"""
"""Robots: the phase `paused`, dated phases and their history, KLE number and run frequency;
database settings (the hourly rate)."""

SCHEMA_5 = f"""
CREATE TABLE coverage_rules (
    department text NOT NULL {_ref("departments")},
    competency text NOT NULL {_ref("competencies")},
    level integer NOT NULL CHECK (level BETWEEN 1 AND 20),
    min_people integer NOT NULL CHECK (min_people BETWEEN 1 AND 100000),
    each boolean NOT NULL DEFAULT false,
    PRIMARY KEY (department, competency, level)
);
"""
"""Coverage rules: at least N active people at a level in a department (and below)."""

PRECEDENCE_SQL = (
    "CASE source WHEN 'test' THEN 3 WHEN 'manager' THEN 2 WHEN 'training' THEN 1"
    " WHEN 'self' THEN 0 ELSE -1 END"
)
"""`store.models.SOURCE_PRECEDENCE` in SQL, as migration 6's index has it: the current-levels
query must order by this very expression for the server to read the index instead of sorting
(a test holds it to SOURCE_PRECEDENCE; a change of precedence needs a new migration)."""

SCHEMA_6 = f"""
CREATE INDEX assessments_current ON assessments
    (staff, competency, date DESC, ({PRECEDENCE_SQL}) DESC, seq DESC)
    INCLUDE (level, source, assessor, valid_until, note);
DROP INDEX assessments_by_person;
"""
"""The current levels in index order: the server picks them by reading this index instead of
sorting the history (0.70 -> 0.22 s at 845,000 assessments, `benchmarks/bench_postgres.py`);
it covers every column read, so no table row is fetched. It also serves what the index it
replaces did (a person's history, by staff and competency)."""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "one table per entity; insert-only history", SCHEMA_1),
    Migration(2, "erasures whose backups are not yet erased", SCHEMA_2),
    Migration(3, "a change log, so that a refresh reads only what changed", SCHEMA_3),
    Migration(4, "robots: paused, dated phases, KLE number, run frequency; settings", SCHEMA_4),
    Migration(5, "coverage rules", SCHEMA_5),
    Migration(6, "the current levels read from an index, not sorted", SCHEMA_6),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
"""The newest schema this program knows."""


class NewerSchemaError(StoreError):
    """The database was migrated by a newer Kapabel: this one must not read or write it."""


def database_version(conn: psycopg.Connection) -> int:
    """The newest migration recorded in the database; 0 for a database without Kapabel's."""
    exists = conn.execute("SELECT to_regclass('kapabel_schema') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM kapabel_schema").fetchone()[0]


def refuse_newer(version: int, location: str) -> None:
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            _(
                "{location} was migrated by a newer Kapabel (schema {version}; this one knows "
                "up to {known}): upgrade Kapabel"
            ).format(location=location, version=version, known=SCHEMA_VERSION)
        )


def apply_migrations(conn: psycopg.Connection, location: str, user: str) -> tuple[int, int]:
    """Bring the database up to SCHEMA_VERSION in one transaction; (version before, after).

    Concurrent calls wait for each other (an advisory lock) and the later one finds nothing to
    do. The applied migrations are recorded and audited in the same transaction, so a crash
    leaves the database as before or as after, never between.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        before = database_version(conn)
        refuse_newer(before, location)
        for migration in MIGRATIONS:
            if migration.version <= before:
                continue
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO kapabel_schema (version, description) VALUES (%s, %s)",
                (migration.version, migration.description),
            )
        if before < SCHEMA_VERSION:
            _audit_migration(conn, user, before)
    return before, SCHEMA_VERSION


def _audit_migration(conn: psycopg.Connection, user: str, before: int) -> None:
    from psycopg.types.json import Json

    conn.execute(
        'INSERT INTO audit (at, "user", action, entity, key, changes)'
        " VALUES (%s, %s, 'migrate', '*', %s, %s)",
        (
            dt.datetime.now(dt.UTC).replace(microsecond=0),
            user,
            f"schema {before} -> {SCHEMA_VERSION}",
            Json({"schema_version": [before, SCHEMA_VERSION]}),
        ),
    )
