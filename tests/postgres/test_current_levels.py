"""Current levels picked by the server (`store.postgres.current`) are the rule's
(`reports.rules.current_assessment`, docs/rules.md), on hand-made rows where it is easy to get
wrong: same-date precedence by source, the one recorded last among equals, expiry on and before
the date, rows dated after it."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import rules
from reports.analysis import current_index
from store import open_store, read_current_levels
from store.models import Assessment, Department, Staff
from store.postgres.current import current_rows
from store.postgres.migrate import migrate

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed: pip install -e '.[test]'"
)

D = dt.date(2026, 3, 10)


def _a(staff: str, competency: str, level: int, date: dt.date, source: str = "self", **more):
    return Assessment(
        staff=staff, competency=competency, level=level, date=date, source=source, **more
    )


TRICKY = [
    # same date, every source, recorded in an order where the last is not the winner
    _a("E1", "DC1.1", 1, D, "test"),
    _a("E1", "DC1.1", 2, D, "self"),
    _a("E1", "DC1.1", 3, D, "manager"),
    _a("E1", "DC1.1", 4, D, "training"),
    # same date and source twice: the one recorded last wins
    _a("E1", "DC1.2", 2, D, "manager"),
    _a("E1", "DC1.2", 5, D, "manager", note="corrected"),
    # a later date beats a better source; a row dated after the as-of date does not count
    _a("E1", "DC1.3", 6, D - dt.timedelta(days=1), "test"),
    _a("E1", "DC1.3", 1, D, "self"),
    _a("E1", "DC1.3", 8, D + dt.timedelta(days=1), "test"),
    # expired the day before: not counted; expiring on the date: still counted
    _a("E2", "DC1.1", 7, D - dt.timedelta(days=30), "test", valid_until=D - dt.timedelta(days=1)),
    _a("E2", "DC1.1", 2, D - dt.timedelta(days=60), "self"),
    _a("E2", "DC1.2", 3, D - dt.timedelta(days=30), "manager", valid_until=D),
    _a("E2", "DC1.2", 1, D - dt.timedelta(days=40), "test"),
    # only expired or only future: not assessed
    _a("E2", "DC1.3", 4, D - dt.timedelta(days=9), "test", valid_until=D - dt.timedelta(days=2)),
    _a("E3", "DC1.1", 4, D + dt.timedelta(days=3), "test"),
    # dated on the as-of date counts
    _a("E3", "DC1.2", 2, D, "training", assessor="Ida"),
]
DATES = [D - dt.timedelta(days=61), D - dt.timedelta(days=31), D - dt.timedelta(days=1), D]
DATES += [D + dt.timedelta(days=1), D + dt.timedelta(days=3), D + dt.timedelta(days=400)]


@pytest.fixture
def url(pg_url: str) -> str:
    migrate(pg_url, user="hr")
    repo = open_store(pg_url, user="hr")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        for no in ("E1", "E2", "E3"):
            tx.put(Staff(employee_no=no, name=f"Person {no}", department="D1"))
        for assessment in TRICKY:
            tx.record(assessment)
    repo.storage.close()
    return pg_url


@pytest.mark.parametrize("as_of", DATES)
def test_the_server_picks_the_rules_current_assessment(url: str, as_of: dt.date) -> None:
    history = list(open_store(url, user="hr").ds.assessments)
    pairs = {(row.staff, row.competency) for row in history}
    expected = {
        pair: rules.current_assessment(
            [r for r in history if (r.staff, r.competency) == pair], as_of
        )
        for pair in pairs
    }
    with psycopg.connect(url) as conn:
        picked = current_rows(conn, as_of)
    assert len(picked) == len({(r.staff, r.competency) for r in picked})  # one per pair
    assert (
        {(r.staff, r.competency): r[:-1] for r in picked}
        == {  # all but the seq
            pair: row[:-1] for pair, row in expected.items() if row is not None
        }
    )


def _without_seq(index: dict) -> dict:
    return {no: {c: row[:-1] for c, row in rows.items()} for no, rows in index.items()}


def test_reading_current_levels_gives_the_register_and_those_rows(url: str) -> None:
    full = open_store(url, user="hr").ds
    data = read_current_levels(url, D)
    for name in ("staff", "departments", "competencies", "frameworks"):
        assert data.table(name) == full.table(name)
    assert _without_seq(current_index(data.assessments, D)) == _without_seq(
        current_index(full.assessments, D)
    )
    assert len(data.assessments) < len(full.assessments)
    early = read_current_levels(url, DATES[0] - dt.timedelta(days=1))  # nothing counts yet
    assert early.assessments == full.assessments  # the whole history: a report says why


def test_the_sql_precedence_is_the_models() -> None:
    """Migration 6's index is ordered by PRECEDENCE_SQL: a change of SOURCE_PRECEDENCE must
    come with a new migration (and this test changed with it)."""
    from store.models import SOURCE_PRECEDENCE
    from store.postgres.schema import PRECEDENCE_SQL

    cases = " ".join(f"WHEN '{source}' THEN {rank}" for source, rank in SOURCE_PRECEDENCE.items())
    assert f"CASE source {cases} ELSE -1 END" == PRECEDENCE_SQL


def test_the_server_reads_the_current_rows_from_the_index_without_sorting(url: str) -> None:
    """With the planner told to avoid sorting where it can, the query is answered by walking
    the index in its order: it fails when the query's ORDER BY stops matching the index."""
    from store.postgres.current import current_rows_sql

    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SET LOCAL enable_sort = off")
        conn.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(
            row[0] for row in conn.execute("EXPLAIN " + current_rows_sql(), {"as_of": D})
        )
    assert "assessments_current" in plan
    assert "Sort" not in plan
