"""Erasing one person from a PostgreSQL database: `store.erasure`'s rules (the same as a
folder's), written as rows in ONE transaction -- the register changed, the history rows that
hold a trace of the person changed or deleted (the only path the insert-only triggers allow),
the erasure's audit entry added -- so nobody ever sees it half done, and a crash leaves the
person wholly there or wholly erased. Then the folder backups `kapabel backup` made of this
database are erased as a folder's backups are (`store.folder.erasure.FolderBackups`).

Only the rows that hold a trace are touched: each history is fetched once as one text and
searched as the folder searches its files (`Identity.lines_with_traces`, which finds at least
what the erasure replaces); every other row keeps its place and bytes. The new Version is made
from the one read under the lock, without reading the database again (`person erase` of one
person at 20,000 staff, 335,000 assessments: 13.2 s before, 1.2 s; benchmarks/bench_erasure.py).

Always to the end, as on a folder (where `erasure.json` does it): the same transaction writes
the erasure down in `kapabel_pending_erasures` (the employee number and the pseudonym; not the
names, which the server must forget at once: the backups that still hold the person still hold
their names too, and are searched for them again), so a crash before the backups are erased
leaves it there, and the next program to open the database (or the next
`kapabel person erase`) finishes it under the write lock. The backups are on the machine that
made them (`store.postgres.backups`): the one that finishes is the one that opens.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Iterator

from store.dataset import AssessmentRow, Dataset, row_from_model
from store.erasure import (
    Identity,
    audit_eraser,
    history_eraser,
    own_plans,
    register_change,
)
from store.gcpause import collector_paused
from store.models import Assessment, RobotBenefit
from store.postgres.schema import REWRITE_SETTING
from store.postgres.storage import HISTORY_COLUMNS, _cols, history_record, history_values
from store.storage import HISTORY_NAMES, apply_change


class PostgresErasure:
    """An erasure under the write lock (`store.storage.ErasureSession`); the backups are
    erased when the lock's transaction has committed (see `erasure`)."""

    def __init__(self, storage, session) -> None:
        self.storage = storage
        self.session = session
        self.counts: Counter[str] = Counter()
        self.identity: Identity | None = None

    @property
    def version(self):
        """The newest committed state: the session's, the erasure's once it committed."""
        return self.session.version

    def erase(self, identity: Identity) -> None:
        """The person out of every table, written down as pending, in the session's one
        transaction (committed here)."""
        session, conn = self.session, self.session.conn
        data = session.version.data
        with self.storage._errors("erasing"):
            traced = {name: _traced(conn, name, identity) for name in HISTORY_NAMES}
            plans = own_plans(
                (p.model_dump(mode="json") for p in data.training_plans.values()),
                (record for _, _, record in traced["audit"]),
                identity.employee_no,
            )
            change = register_change(data, identity, self.counts)
            conn.execute("SELECT set_config(%s, 'on', true)", (REWRITE_SETTING,))
            erasers = {
                "assessments": history_eraser("assessments", identity, self.counts),
                "robot_benefits": history_eraser("robot_benefits", identity, self.counts),
                "audit": audit_eraser(identity, plans, self.counts),
            }
            erased = {name: _rewrite(conn, name, traced[name], erasers[name]) for name in traced}
            _write_down(conn, identity)  # commits with the erasure, or not at all
            data = _without(data, erased, conn)
        change = dataclasses.replace(change, appends={"audit": [identity.audit_entry()]})
        session.rewritten = True  # the commit logs "everything": no key of the person stays
        session.commit(change, apply_change(data, change))
        self.identity = identity


@contextlib.contextmanager
def erasure(storage) -> Iterator[PostgresErasure]:
    """The write lock for an erasure; when its transaction has committed, the backups."""
    with storage.writing() as session:
        eraser = PostgresErasure(storage, session)
        yield eraser
    if eraser.identity is not None:
        eraser.counts["partial backups removed"] = storage.backups.remove_partial()
        eraser.counts["backups rewritten"] = _erase_in_backups(storage, eraser.identity)


def finish_erasures(repo) -> dict | None:
    """Finish every erasure a crash stopped before its backups were erased (under the write
    lock); what the last one erased, None when there was none. A read-only connection cannot
    finish one, and leaves it to the next program that can."""
    storage = repo.storage
    if storage.read_only or not storage.read_value(
        "SELECT EXISTS (SELECT 1 FROM kapabel_pending_erasures)"
    ):
        return None  # the usual open: no write lock taken
    finished = None
    with storage.writing() as session:
        for identity in _pending(storage, session.conn):
            rewritten = _erase_in_backups(storage, identity, conn=session.conn)
            finished = {
                "employee_no": identity.employee_no,
                "pseudonym": identity.pseudonym,
                "counts": {"backups rewritten": rewritten},
            }
    return finished


# ------------------------------------------------------------------ the history's rows
Traced = list[tuple[int, int, dict]]
"""(position in the history, seq, record) of each row that holds a trace of the person."""


_AS_TEXT = {
    "changes": "CASE WHEN strpos(changes::text, '\\u0000') > 0 THEN changes::text"
    " ELSE changes::jsonb::text END"
}
"""A JSON column as searchable text: kept as it was written (`\\u00f8` for an 'ø'), it is
shown with its characters (jsonb's text), unless it holds the one escape jsonb refuses."""


def _traced(conn, name: str, identity: Identity) -> Traced:
    """The rows of history `name` with a trace of the person: the whole history fetched as one
    text, a line a row in order (so a line's number is the row's position; line breaks inside
    a value are blanks), searched for the number, names and e-mails as the stored text spells
    them, here rather than by the server, whose case rules depend on its locale; then only
    those rows read."""
    columns = HISTORY_COLUMNS[name]
    shown = ", ".join(
        f"translate(({_AS_TEXT.get(column, _cols([column]))})::text, E'\\n\\r', '  ')"
        for column in columns
    )
    text = conn.execute(
        f"SELECT string_agg(concat_ws(E'\\t', seq, {shown}), E'\\n' ORDER BY seq) FROM {name}"
    ).fetchone()[0]
    lines = (text or "").split("\n")
    searched = identity.escaped()
    hits: dict[int, int] = {}
    for number in searched.lines_with_traces(text or ""):
        seq, _, rest = lines[number].partition("\t")
        if searched.found_in(rest.encode("utf-8", "surrogateescape")):  # not only the seq
            hits[int(seq)] = number
    if not hits:
        return []
    rows = conn.execute(
        f"SELECT seq, {_cols(columns)} FROM {name} WHERE seq = ANY(%s) ORDER BY seq",
        (list(hits),),
    ).fetchall()
    return [
        (hits[row[0]], row[0], history_record(name, dict(zip(columns, row[1:], strict=True))))
        for row in rows
    ]


def _rewrite(conn, name: str, traced: Traced, eraser) -> dict[int, dict | None]:
    """Change or delete the traced rows as `eraser` says; position -> new record (None: gone)
    for each row that changed."""
    from psycopg.types.json import Json

    columns = HISTORY_COLUMNS[name]
    changed: dict[int, dict | None] = {}
    gone, updates = [], []
    for position, seq, record in traced:
        new = eraser(dict(record))
        if new is None:
            gone.append(seq)
        elif new != record:
            updates.append((*history_values(name, new, Json), seq))
        else:
            continue
        changed[position] = new
    if gone:
        conn.execute(f"DELETE FROM {name} WHERE seq = ANY(%s)", (gone,))
    if updates:
        marks = ", ".join(["%s"] * len(columns))
        with conn.cursor() as cur:
            cur.executemany(
                f"UPDATE {name} SET ({_cols(columns)}) = ROW({marks}) WHERE seq = %s", updates
            )
    return changed


def _without(data: Dataset, erased: dict[str, dict[int, dict | None]], conn) -> Dataset:
    """The version's data with the history rows the erasure changed: the assessments from the
    first one changed renumbered; robot benefits (which name no one today) read again if any
    changed."""
    from store.postgres.storage import _history

    replaced: dict = {}
    assessments = erased["assessments"]
    if assessments:
        rows = list(data.assessments)
        kept = rows[: min(assessments)]
        new, row_type = tuple.__new__, AssessmentRow
        # The rows after the first erased one made again: as many tuples as making every row
        # from the columns, where the pause saves 1.5 s CPU at 1,000,000 rows
        # (`benchmarks/bench_collector.py --only rows`; not measured on a server separately).
        with collector_paused():
            for position in range(len(kept), len(rows)):
                if position not in assessments:
                    kept.append(new(row_type, (*rows[position][:-1], len(kept))))
                elif (record := assessments[position]) is not None:
                    model = Assessment.model_validate(record)
                    kept.append(row_from_model(model, len(kept)))
        replaced["assessments"] = kept
    if erased["robot_benefits"]:
        benefits = (RobotBenefit.model_validate(r) for r in _history(conn, "robot_benefits"))
        replaced["robot_benefits"] = {b.key(): b for b in benefits}
    return dataclasses.replace(data, **replaced) if replaced else data


# ------------------------------------------------------------------ written down, backups
_COLUMNS = 'employee_no, pseudonym, at, "user"'


def _write_down(conn, identity: Identity) -> None:
    conn.execute(
        f"INSERT INTO kapabel_pending_erasures ({_COLUMNS}) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (employee_no) DO UPDATE SET pseudonym = EXCLUDED.pseudonym,"
        ' at = EXCLUDED.at, "user" = EXCLUDED."user"',
        (identity.employee_no, identity.pseudonym, identity.at, identity.user),
    )


def _pending(storage, conn) -> list[Identity]:
    """The erasures written down, each with the names the backups still hold for the person."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM kapabel_pending_erasures ORDER BY employee_no"
    ).fetchall()
    return [
        Identity(
            employee_no=no,
            pseudonym=alias,
            texts=frozenset(storage.backups.names_of(no) - {""}),
            at=at,
            user=user,
        )
        for no, alias, at, user in rows
    ]


def _erase_in_backups(storage, identity: Identity, conn=None) -> int:
    """Erase the person from every backup, then strike the erasure off as done (on `conn`, a
    write session's, or on a connection of its own); how many backups held them."""
    rewritten = storage.backups.erase(identity)
    delete = "DELETE FROM kapabel_pending_erasures WHERE employee_no = %s"
    if conn is not None:
        conn.execute(delete, (identity.employee_no,))
    else:
        with storage.writing() as session:
            session.conn.execute(delete, (identity.employee_no,))
    return rewritten
