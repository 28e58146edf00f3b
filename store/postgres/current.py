"""Current levels chosen by the server: for a report that needs only the levels that count on
one date (gaps, heatmap, training, robots), reading every assessment to pick the current ones
in Python costs more than letting PostgreSQL pick them (docs/performance.md has the method; the
figures come from benchmarks/bench_postgres.py).

The query is docs/rules.md's *current level on a date D* (`reports.rules.current_assessment`)
in SQL: of a person's assessments of a competency, those dated on or before D and not expired
before D count; the latest date wins, then the source's precedence (`SOURCE_PRECEDENCE`; in SQL
`store.postgres.schema.PRECEDENCE_SQL`, which migration 6's index is ordered by, so the server
reads the current rows from that index instead of sorting), then the one recorded last. A test compares it with the rule on hand-made rows
(tests/postgres/test_current_levels.py): change one, change the other.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from store.dataset import AssessmentRow, Dataset, HistoryView
from store.gcpause import collector_paused
from store.postgres.schema import PRECEDENCE_SQL

if TYPE_CHECKING:
    import psycopg

    from store.postgres.storage import PostgresStorage

SORT_MEMORY = "256MB"
"""Memory for a sort of the history, should the server choose one over the index (fewer rows
than the planner thinks worth it): 845,000 assessments take about 100 MB; with less (the
default is 4 MB) the sort spills to disk, a third slower."""


def current_rows_sql() -> str:
    """The current assessment per (person, competency) on %(as_of)s, as AssessmentRows'
    columns. Their `seq` is the table's (in recording order, as a position is), not the
    position in the whole history a full read gives: numbering every row for the few that
    count cost the server a fifth more, and with one row per person and competency nothing
    reads it."""
    from store.postgres.storage import HISTORY_COLUMNS, _cols

    columns = _cols(HISTORY_COLUMNS["assessments"])
    return (
        f"SELECT DISTINCT ON (staff, competency) {columns}, seq FROM assessments"
        " WHERE date <= %(as_of)s AND (valid_until IS NULL OR valid_until >= %(as_of)s)"
        f" ORDER BY staff, competency, date DESC, {PRECEDENCE_SQL} DESC, seq DESC"
    )


def current_rows(conn: psycopg.Connection, as_of: dt.date) -> list[AssessmentRow]:
    """The assessments that give the current levels on `as_of` (one per person and competency
    assessed); call inside a transaction."""
    conn.execute(f"SET LOCAL work_mem = '{SORT_MEMORY}'")
    rows = conn.execute(current_rows_sql(), {"as_of": as_of}).fetchall()
    new, row_type = tuple.__new__, AssessmentRow
    return [new(row_type, row) for row in rows]


def current_dataset(storage: PostgresStorage, as_of: dt.date) -> Dataset | None:
    """Every register table and robot benefit, and of the history only the assessments that
    count on `as_of`, read at one state; None when no assessment counts then (the caller reads
    everything: a report then says why).

    The server picks the current rows on a second connection while this one reads the
    register (most of a second each at 50,000 staff): both in one REPEATABLE READ snapshot,
    the second importing the first's (`pg_export_snapshot`), so they read the same state.
    """
    from store.postgres.storage import read_beside, read_register_and_benefits

    with storage._read_lock, storage._errors("reading"):
        conn = storage._read
        # The register's records and ~300,000 current rows as tuples (a million rows cost 1.5 s
        # more CPU with the collector running: `benchmarks/bench_collector.py --only rows`).
        with conn.transaction(), collector_paused():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with read_beside(conn, storage.url, lambda c: current_rows(c, as_of)) as current:
                tables, benefits = read_register_and_benefits(conn)
                rows = current()
    if not rows:
        return None
    return Dataset(**tables, assessments=HistoryView(rows), robot_benefits=benefits)
