"""The PostgreSQL storage: `store.storage.Storage` on a server database (schema: `schema.py`).

- A Version is read in one REPEATABLE READ transaction (one snapshot of every table); its stamp
  (`Stamp`) is `kapabel_state.change_no`, which every commit raises by one, and the last
  history rows it holds.
- Every commit writes down in `kapabel_changes` what it touched (schema 3), so a refresh, or a
  write session that starts after another program's commit, reads only the register rows
  those commits wrote or deleted and the history rows they appended, and builds the new Version
  from the one it knows (`read_since`). An erasure or a whole replace logs "everything": the
  next reader reads it all again, as it does when it is further behind than the log keeps.
- Writers are serialised by a transaction-level advisory lock (between processes; a thread lock
  between the threads of one process). A session is one transaction: `commit` writes the change,
  its audit rows and counters, raises the change number and notifies `kapabel_changes`, then
  commits; a history rewrite (erasure) in the same session is part of that transaction. A client
  killed half-way leaves nothing: the server rolls the transaction back.
- Conflicts: the commit raises the change number only from the session's own (`WHERE
  change_no = stamp`); a writer that bypassed the lock makes it a ConflictError, not a lost
  update.
- Other processes learn of a commit by LISTEN/NOTIFY (`wait_for_change`).

Records go in and out as their models' JSON form (`model_dump(mode="json")`): enums as values,
dates as ISO text, which PostgreSQL casts to the columns' types.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from i18n import N_, _
from store.dataset import AssessmentRow, Dataset, HistoryView
from store.errors import ConflictError, LockTimeoutError, ReadOnlyError, StoreError
from store.gcpause import collector_paused
from store.locations import location
from store.models import (
    MODELS_BY_TABLE,
    REGISTER_MODELS,
    Assessment,
    AuditEntry,
    Entity,
    RobotBenefit,
)
from store.postgres.connect import connect
from store.postgres.schema import REWRITE_SETTING
from store.postgres.url import hide_password
from store.storage import HISTORY_NAMES, Change, Version
from store.text import KEY_SEPARATOR

if TYPE_CHECKING:
    import psycopg

    from store.folder.erasure import FolderBackups

CHANNEL = "kapabel_changes"
WRITE_LOCK = 0x4B415057  # "KAPW": the advisory lock key every writer takes
KEEP_CHANGES = 1000
"""How many of the latest commits the change log keeps (a reader further behind reads all)."""
KEYS_PER_TABLE = 1000
"""A commit touching more keys of a table than this logs the whole table (read again whole)."""


DOING = (
    N_("opening"),
    N_("reading"),
    N_("saving"),
    N_("listening"),
    N_("erasing"),
    N_("replacing the database"),
    N_("rewriting the history"),
)
"""What the server was asked to do, as a refusal names it (`_errors`' `doing`)."""


class Stamp(NamedTuple):
    """A PostgreSQL Version's stamp: its change number, and the highest `seq` of the
    assessments and of the robot benefits it holds (where reading the history on starts)."""

    change: int
    assessments: int
    benefits: int


STAMP_SQL = (
    "SELECT change_no, (SELECT coalesce(max(seq), 0) FROM assessments),"
    " (SELECT coalesce(max(seq), 0) FROM robot_benefits) FROM kapabel_state"
)

CHILDREN: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "frameworks": {"scale": ("scale_levels", ("level", "label", "descriptor", "group"))},
    "courses": {"raises": ("course_raises", ("position", "competency", "level"))},
    "robots": {
        "operators": ("robot_operators", ("position", "staff")),
        "required_competencies": ("robot_competencies", ("position", "competency", "level")),
    },
}
"""A register field kept in a table of its own: field -> (table, its columns after the owner's
key). A dict's items and a list's entries keep their order by `position`."""

JSON_FIELDS = {"themes": ("stakeholders",), "robots": ("phase_history",)}

HISTORY_COLUMNS: dict[str, tuple[str, ...]] = {
    "assessments": tuple(Assessment.model_fields),
    "robot_benefits": tuple(RobotBenefit.model_fields),
    "audit": tuple(AuditEntry.model_fields),
}


def _q(name: str) -> str:
    return f'"{name}"'


def _cols(names: Sequence[str]) -> str:
    return ", ".join(_q(n) for n in names)


def main_columns(table: str) -> tuple[str, ...]:
    model = MODELS_BY_TABLE[table]
    children = CHILDREN.get(table, {})
    return tuple(name for name in model.model_fields if name not in children)


def _key_values(table: str, key: str) -> list[str | None]:
    fields = MODELS_BY_TABLE[table].key_fields
    parts = key.split(KEY_SEPARATOR, len(fields) - 1) if len(fields) > 1 else [key]
    return [part or None for part in parts] if table == "requirements" else parts


def _key_where(table: str) -> str:
    """`=` uses the primary key's index; only a requirement's role (empty: every role) may be
    NULL, and `IS NOT DISTINCT FROM` scans the whole table, so it is kept for that table only."""
    fields = MODELS_BY_TABLE[table].key_fields
    compare = "IS NOT DISTINCT FROM" if table == "requirements" else "="
    return " AND ".join(f"{_q(f)} {compare} %s" for f in fields)


def _child_rows(table: str, field: str, value: object) -> list[tuple]:
    if table == "frameworks":
        return [tuple(level.get(c) for c in CHILDREN[table][field][1]) for level in value]
    if isinstance(value, dict):
        return [(i, code, level) for i, (code, level) in enumerate(value.items())]
    return [(i, item) for i, item in enumerate(value)]


def entity_rows(record: Entity) -> tuple[tuple, dict[str, list[tuple]]]:
    """(the main row, child table -> rows after the owner's key) of one register record."""
    from psycopg.types.json import Json

    table = record.table
    data = record.model_dump(mode="json")
    json_fields = JSON_FIELDS.get(table, ())
    main = tuple(Json(data[c]) if c in json_fields else data[c] for c in main_columns(table))
    children = {
        child: _child_rows(table, field, data[field])
        for field, (child, _) in CHILDREN.get(table, {}).items()
    }
    return main, children


def _register_record(table: str, row: dict, children: dict[str, dict[str, list[tuple]]]) -> Entity:
    model = MODELS_BY_TABLE[table]
    owner = row[model.key_fields[0]]
    for field, (child, columns) in CHILDREN.get(table, {}).items():
        rows = children[child].get(owner, [])
        if table == "frameworks":
            row[field] = [dict(zip(columns, r, strict=True)) for r in rows]
        elif len(columns) == 3:
            row[field] = {code: level for _, code, level in rows}
        else:
            row[field] = [item for _, item in rows]
    return model.model_validate(row)


class PostgresStorage:
    """A Kapabel database on a PostgreSQL server (see the module's docstring)."""

    def __init__(self, url: str, *, lock_timeout: float = 60.0) -> None:
        self.url = url
        self.location = location(url)
        self.lock_timeout = lock_timeout
        self._read = connect(url, autocommit=True)
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer: psycopg.Connection | None = None
        self._listener: psycopg.Connection | None = None
        self._session_thread: int | None = None
        self.erasure: Callable[[], contextlib.AbstractContextManager] | None = None
        """The write lock held for erasing a person (`store.storage.Storage.erasure`): given by
        whoever opens the database (`store.postgres.open_database`: `store.postgres.erasure`)."""
        self._latest: Version | None = None
        """The newest Version this storage read or committed: a session starting at the same
        change number reuses it, one starting later reads only what changed since."""
        self.whole_reads = 0
        """How many times this storage read the whole database (opening, a refresh after an
        erasure or a replace, or one further behind than the change log keeps)."""
        try:
            self._check_schema()
            self.read_only = self._cannot_write()
        except BaseException:
            self._read.close()
            raise

    def _check_schema(self) -> None:
        from store.postgres.schema import SCHEMA_VERSION, database_version, refuse_newer

        with self._read_lock, self._errors("opening"), self._read.transaction():
            version = database_version(self._read)
        refuse_newer(version, self.location)
        if version < SCHEMA_VERSION:
            raise StoreError(
                _(
                    "{location}: schema {version}, this Kapabel needs {needed}: run `kapabel "
                    "migrate --db URL` first"
                ).format(location=self.location, version=version, needed=SCHEMA_VERSION)
            )

    # -- errors -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """A driver error as one StoreError naming the database (never its password)."""
        import psycopg

        try:
            yield
        except psycopg.errors.LockNotAvailable:
            raise LockTimeoutError(
                _("{location}: another program has been saving for {seconds} s; try again").format(
                    location=self.location, seconds=f"{self.lock_timeout:g}"
                )
            ) from None
        except psycopg.errors.InsufficientPrivilege as error:
            raise ReadOnlyError(
                _("{location}: {doing} refused: {reason}").format(
                    location=self.location, doing=_(doing), reason=self._hide(error)
                )
            ) from None
        except psycopg.Error as error:
            raise StoreError(
                _("{location}: {doing} failed: {reason}").format(
                    location=self.location, doing=_(doing), reason=self._hide(error)
                )
            ) from None

    def _hide(self, error: Exception) -> str:
        return hide_password(" ".join(str(error).split()), self.url)

    def _cannot_write(self) -> bool:
        with self._read_lock, self._errors("opening"), self._read.transaction():
            row = self._read.execute(
                "SELECT pg_is_in_recovery() OR current_setting('default_transaction_read_only')"
                " = 'on' OR NOT has_table_privilege('audit', 'INSERT')"
            ).fetchone()
        return bool(row[0])

    # -- reading ------------------------------------------------------------------------------

    def load(self) -> Version:
        with self._read_lock, self._errors("reading"):
            conn = self._reader()
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                version = read_version(conn, self.url)
        self.whole_reads += 1
        self._remember(version)
        return version

    def _reader(self) -> psycopg.Connection:
        """The reading connection (hold `_read_lock`), made again when the server ended it (a
        restart, an administrator): the app reads again once the server is back."""
        if self._read.closed:
            self._read = connect(self.url, autocommit=True)
        return self._read

    def _remember(self, version: Version) -> None:
        latest = self._latest
        if latest is None or version.stamp.change >= latest.stamp.change:
            self._latest = version

    def refresh(self, known: Version) -> Version | None:
        """Only what others committed since `known` (or since a newer version this storage
        has, such as its own last commit) is read (see `read_since`)."""
        latest = self._latest
        base = latest if latest is not None and latest.stamp.change > known.stamp.change else known
        with self._read_lock, self._errors("reading"):
            conn = self._reader()
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                version, whole = read_since(conn, base, self.url)
        if version.stamp.change == known.stamp.change:
            return None
        self.whole_reads += whole
        self._remember(version)
        return version

    def read_value(self, query: str) -> object:
        """The first column of the first row of a read-only query (a quick look, no lock)."""
        with self._read_lock, self._errors("reading"), self._reader().transaction():
            row = self._read.execute(query).fetchone()
        return None if row is None else row[0]

    def history_records(self, name: str) -> Iterator[dict]:
        if name not in HISTORY_NAMES:
            raise StoreError(f"no history called {name!r}")  # i18n: not shown
        with self._read_lock, self._errors("reading"), self._reader().transaction():
            rows = self._read.execute(
                f"SELECT {_cols(HISTORY_COLUMNS[name])} FROM {name} ORDER BY seq"
            ).fetchall()
        columns = HISTORY_COLUMNS[name]
        for row in rows:
            yield history_record(name, dict(zip(columns, row, strict=True)))

    def problems(self) -> list[str]:
        """The server keeps keys, references and checks itself; nothing is torn by a crash."""
        return []

    # -- waiting for others -------------------------------------------------------------------

    def wait_for_change(self, timeout: float) -> bool:
        """True when another connection commits within `timeout` seconds (LISTEN/NOTIFY).

        A commit wakes the wait at once (the server sends the notification with the commit),
        so calling this in short slices costs no query: notifications that arrive between two
        calls wait in the connection. Only when the listening connection is (re)made is the
        change number read, for a commit made before it listened. The listener is a
        connection of its own: waiting never holds up a save or a read. A lost connection is
        a StoreError, and the next call connects afresh.
        """
        try:
            with self._errors("listening"):
                if self._listener is None:
                    return self._listen()
                deadline = time.monotonic() + timeout
                while (left := deadline - time.monotonic()) > 0:
                    for notice in self._listener.notifies(timeout=left):
                        writer = self._writer
                        if writer is None or notice.pid != writer.info.backend_pid:
                            return True
        except StoreError:
            self._drop_listener()
            raise
        return False

    def _listen(self) -> bool:
        """Start listening; True when a commit came since this storage last read or wrote."""
        self._listener = connect(self.url, autocommit=True)
        self._listener.execute(f"LISTEN {CHANNEL}")
        latest = self._latest
        now = self._listener.execute("SELECT change_no FROM kapabel_state").fetchone()[0]
        return latest is not None and now != latest.stamp.change

    def _drop_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(Exception):
                listener.close()

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[PostgresSession]:
        if self._session_thread == threading.get_ident():
            raise StoreError("a write session is already open in this thread")  # i18n: not shown
        if self.read_only:
            raise ReadOnlyError(
                _("{location}: this database can only be read").format(location=self.location)
            )
        if not self._write_lock.acquire(timeout=self.lock_timeout):
            raise LockTimeoutError(
                _("{location}: another save has been running too long").format(
                    location=self.location
                )
            )
        self._session_thread = threading.get_ident()
        try:
            with self._errors("saving"):
                if self._writer is None or self._writer.closed:
                    self._writer = connect(self.url)
                conn = self._writer
                try:
                    conn.execute(
                        "SELECT set_config('lock_timeout', %s, true)",
                        (f"{int(self.lock_timeout * 1000)}ms",),
                    )
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    session = PostgresSession(self, conn, self._newest(conn))
                    yield session
                except BaseException:
                    conn.rollback()
                    raise
                session.closed = True
                conn.commit()  # a rewrite without a commit; else only ends the lock's transaction
                self._remember(session.version)
                if session.rewritten:
                    analyse_tables(conn)
        finally:
            self._session_thread = None
            self._write_lock.release()

    def _newest(self, conn: psycopg.Connection) -> Version:
        """The newest committed state, holding the write lock: what this storage knows, with
        what others committed since (`read_since`)."""
        latest = self._latest
        if latest is None:
            version, whole = read_version(conn), True
        else:
            version, whole = read_since(conn, latest)
        self.whole_reads += whole
        return version

    def backup(self, folder: Path | None = None) -> Path:
        """A folder database holding exactly this one (`store.postgres.backups`)."""
        from store.postgres.backups import backup_to_folder

        return backup_to_folder(self, folder)

    @cached_property
    def backups(self) -> FolderBackups:
        """The folder backups `kapabel backup` wrote of this database (`store.postgres.backups`)."""
        from store.postgres.backups import backups_of

        return backups_of(self.url)

    def close(self) -> None:
        for conn in (self._read, self._writer, self._listener):
            if conn is not None:
                conn.close()


class PostgresSession:
    """One write transaction holding the write lock (see `PostgresStorage.writing`)."""

    def __init__(self, storage: PostgresStorage, conn: psycopg.Connection, version: Version):
        self.storage = storage
        self.conn = conn
        self.version = version
        self.committed = False
        self.closed = False
        self.rewritten = False
        """A history was rewritten in this session (an erasure, or everything replaced): its
        commit logs everything, and the tables' statistics are gathered again after it."""

    def _check_open(self) -> None:
        if self.committed or self.closed:
            raise StoreError("this write session has committed already")  # i18n: not shown

    def commit(self, change: Change, data: Dataset) -> Version:
        self._check_open()
        if change.is_empty():
            return self.version
        try:
            with self.storage._errors("saving"):
                change_no = self._next_change_no()
                write_change(self.conn, change)
                stamp = self._log(change_no, None if self.rewritten else touched(change))
                self.conn.commit()
        except BaseException:
            self.closed = True
            self.conn.rollback()
            raise
        self.committed = True
        counters = {**self.version.counters, **change.counters}
        self.version = Version(data, counters, stamp)
        return self.version

    def _next_change_no(self) -> int:
        """Raise the change number from this session's own (else ConflictError) and tell
        the listeners (they hear of it when the transaction commits)."""
        row = self.conn.execute(
            "UPDATE kapabel_state SET change_no = change_no + 1 WHERE change_no = %s"
            " RETURNING change_no",
            (self.version.stamp.change,),
        ).fetchone()
        if row is None:
            raise ConflictError(
                _(
                    "{location}: someone else changed the database meanwhile; nothing was saved"
                ).format(location=self.storage.location)
            )
        self.conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(row[0])))
        return row[0]

    def _log(self, change_no: int, register: dict[str, list[str] | None] | None) -> Stamp:
        """Write down what change `change_no` touched (`register`; None: everything), after
        its rows are written (the history's highest seq then ends what it appended); its
        stamp. Forgets changes older than KEEP_CHANGES, and after "everything" all earlier
        ones: nobody needs them then, and an erasure must leave no key of the person behind."""
        from psycopg.types.json import Json

        if register is None:
            self.conn.execute("DELETE FROM kapabel_changes")
        row = self.conn.execute(
            "INSERT INTO kapabel_changes (change_no, register, assessments_seq, benefits_seq)"
            " VALUES (%s, %s, (SELECT coalesce(max(seq), 0) FROM assessments),"
            " (SELECT coalesce(max(seq), 0) FROM robot_benefits))"
            " RETURNING assessments_seq, benefits_seq",
            (change_no, None if register is None else Json(register)),
        ).fetchone()
        self.conn.execute(
            "DELETE FROM kapabel_changes WHERE change_no <= %s", (change_no - KEEP_CHANGES,)
        )
        return Stamp(change_no, *row)

    def rewrite_history(self, name: str, transform: Callable[[list[dict]], list[dict]]) -> None:
        """Replace a history in this session's transaction (it commits with the session)."""
        self._check_open()
        if name not in HISTORY_NAMES:
            raise StoreError(f"no history called {name!r}")  # i18n: not shown
        with self.storage._errors("rewriting the history"):
            self.conn.execute("SELECT set_config(%s, 'on', true)", (REWRITE_SETTING,))
            records = transform(list(_history(self.conn, name)))
            self.conn.execute(f"DELETE FROM {name}")
            _copy_history(self.conn, name, records)
            self.rewritten = True
            self._log(self._next_change_no(), None)  # others read everything again
            self.version = read_version(self.conn)

    def replace_everything(
        self,
        register: Mapping[str, Mapping[str, Entity]],
        history: Mapping[str, Sequence[dict]],
        counters: Mapping[str, int],
    ) -> Version:
        self._check_open()
        try:
            version = self._replace_everything(register, history, counters)
        except BaseException:
            self.closed = True
            self.conn.rollback()
            raise
        self.committed = True
        self.version = version
        return version

    def _replace_everything(self, register, history, counters) -> Version:
        with self.storage._errors("replacing the database"):
            conn = self.conn
            conn.execute("SELECT set_config(%s, 'on', true)", (REWRITE_SETTING,))
            for name in HISTORY_NAMES:
                conn.execute(f"DELETE FROM {name}")
            for model in reversed(REGISTER_MODELS):
                conn.execute(f"DELETE FROM {model.table}")
            conn.execute("DELETE FROM kapabel_counters")
            for model in REGISTER_MODELS:
                _copy_register(conn, model.table, list(register.get(model.table, {}).values()))
            for name in HISTORY_NAMES:
                _copy_history(conn, name, history.get(name, ()))
            _write_counters(conn, counters)
            self._log(self._next_change_no(), None)  # others read everything again
            self.rewritten = True
            version = read_version(conn)
            conn.commit()
        return version


# -- SQL, shared by the storage and its sessions ------------------------------------------------


def analyse_tables(conn: psycopg.Connection) -> None:
    """Gather the planner's statistics of every table after a bulk write (a copy, a restore,
    an erasure's rewrite), instead of when autovacuum gets round to it: until then the server
    plans reading a million fresh rows with no idea of them (one run of the 50,000-staff
    benchmark just after a copy: reading the history took twice as long). Only ever a
    speed-up: a failure is left to autovacuum."""
    import psycopg

    tables = [model.table for model in REGISTER_MODELS] + list(HISTORY_NAMES)
    tables += [child for fields in CHILDREN.values() for child, _ in fields.values()]
    try:
        conn.execute(f"ANALYZE {', '.join(tables)}")
        conn.commit()
    except psycopg.Error:
        conn.rollback()


def read_version(conn: psycopg.Connection, url: str | None = None) -> Version:
    """Everything, as one Version; call inside one transaction (REPEATABLE READ, or holding the
    write lock) so that every table is read at the same state.

    With `url` (in a REPEATABLE READ transaction that wrote nothing), the history is read on a
    second connection in the same snapshot while this one reads the register: the server
    sends the history while Python builds the register's records (at 50,000 staff each takes
    about a second).
    """
    # The register's records and a tuple per history row: making 1,000,000 rows costs 1.5 s more
    # CPU with the collector running (`benchmarks/bench_collector.py --only rows`; not measured
    # on a server separately).
    with collector_paused():
        if url is None:
            return _read_version(conn, lambda: _assessment_rows(conn, 0, 0))
        with read_beside(conn, url, lambda c: _assessment_rows(c, 0, 0)) as history:
            return _read_version(conn, history)


@contextlib.contextmanager
def read_beside(
    conn: psycopg.Connection, url: str, read: Callable[[psycopg.Connection], object]
) -> Iterator[Callable[[], object]]:
    """Start `read(connection)` on a second connection in `conn`'s snapshot (`conn` in a
    REPEATABLE READ transaction that wrote nothing) and give a function that waits for its
    result: the server sends one part while Python builds the records of another. It is
    waited for on leaving too, before the snapshot's transaction can end."""
    from concurrent.futures import ThreadPoolExecutor

    snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
    with ThreadPoolExecutor(1) as pool:
        other = pool.submit(in_snapshot, url, snapshot, read)
        try:
            yield other.result
        finally:
            other.result()


def in_snapshot(url: str, snapshot: str, read: Callable[[psycopg.Connection], object]) -> object:
    """`read(connection)` on a new connection, in the exported REPEATABLE READ `snapshot`
    (`pg_export_snapshot()` of a transaction still open): the same state, read in parallel."""
    from psycopg import sql

    with connect(url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
        return read(conn)


def _read_version(conn: psycopg.Connection, history: Callable[[], list[AssessmentRow]]) -> Version:
    stamp = Stamp(*conn.execute(STAMP_SQL).fetchone())
    tables, benefits = read_register_and_benefits(conn)
    counters = _counters(conn)
    data = Dataset(**tables, assessments=HistoryView(history()), robot_benefits=benefits)
    return Version(data, counters, stamp)


def read_register_and_benefits(conn: psycopg.Connection) -> tuple[dict, dict]:
    """Every register table (name -> records) and the robot benefits: a Dataset but for the
    assessments."""
    tables = {model.table: _read_register(conn, model.table) for model in REGISTER_MODELS}
    return tables, _benefits(conn, 0)


def read_since(
    conn: psycopg.Connection, known: Version, url: str | None = None
) -> tuple[Version, bool]:
    """The newest Version, built from `known` with only what the commits since it touched
    (their change log); `known` itself when nothing was committed. Call inside one
    transaction (REPEATABLE READ, or holding the write lock). The second value is True when
    everything had to be read: the log does not reach back to `known`, or one of the commits
    logged "everything" (an erasure or a whole replace: they are rare, and rewrite history).
    `url` as for `read_version`.
    """
    now = Stamp(*conn.execute(STAMP_SQL).fetchone())
    before = known.stamp
    if not isinstance(before, Stamp) or now.change < before.change:
        return read_version(conn, url), True
    if now.change == before.change:
        return known, False
    log = conn.execute(
        "SELECT change_no, register FROM kapabel_changes WHERE change_no > %s ORDER BY change_no",
        (before.change,),
    ).fetchall()
    numbers = [number for number, _ in log]
    if numbers != list(range(before.change + 1, now.change + 1)) or any(
        register is None for _, register in log
    ):
        return read_version(conn, url), True
    # Another client's changes, as records and rows: an import of theirs can be a million rows
    # (making them: 1.5 s more CPU with the collector running, `bench_collector.py --only rows`).
    with collector_paused():
        return _read_changes(conn, known, now, [register for _, register in log]), False


def _read_changes(conn: psycopg.Connection, known: Version, now: Stamp, log: list[dict]) -> Version:
    whole: set[str] = set()
    keys: dict[str, set[str]] = {}
    for register in log:
        for table, touched_keys in register.items():
            if touched_keys is None or len(MODELS_BY_TABLE[table].key_fields) > 1:
                whole.add(table)  # a requirement's key has an optional part: read them all
            else:
                keys.setdefault(table, set()).update(touched_keys)
    data = known.data
    tables: dict[str, dict] = {table: _read_register(conn, table) for table in whole}
    for table, changed in keys.items():
        if table in whole:
            continue
        rows = dict(data.table(table))
        for key in changed:
            rows.pop(key, None)
        rows.update(_read_register(conn, table, sorted(changed)))
        tables[table] = rows
    history = data.assessments
    if now.assessments > known.stamp.assessments:
        new = _assessment_rows(conn, known.stamp.assessments, len(history))
        history = (
            history.extended(new)
            if isinstance(history, HistoryView)
            else HistoryView([*history, *new])
        )
    benefits = data.robot_benefits
    if now.benefits > known.stamp.benefits:
        benefits = {**benefits, **_benefits(conn, known.stamp.benefits)}
    replaced = {**vars(data), **tables, "assessments": history, "robot_benefits": benefits}
    return Version(Dataset(**replaced), _counters(conn), now)


def touched(change: Change) -> dict[str, list[str] | None]:
    """What a change writes or deletes, for the change log: table -> keys (None: so many
    that reading the whole table is as quick)."""
    logged: dict[str, list[str] | None] = {}
    for table in {*change.upserts, *change.deletes}:
        keys = sorted({*change.upserts.get(table, ()), *change.deletes.get(table, ())})
        if keys:
            logged[table] = keys if len(keys) <= KEYS_PER_TABLE else None
    return logged


def _counters(conn: psycopg.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT prefix, value FROM kapabel_counters").fetchall())


def _assessment_rows(conn: psycopg.Connection, after: int, first: int) -> list[AssessmentRow]:
    """The assessments after `seq` `after`, as rows numbered from `first` (the position in the
    history): one query, the positions numbered by the server, no row by row."""
    rows = conn.execute(
        f"SELECT {_cols(HISTORY_COLUMNS['assessments'])}, "
        "(row_number() OVER (ORDER BY seq) - 1 + %s)::int FROM assessments"
        " WHERE seq > %s ORDER BY seq",
        (first, after),
    ).fetchall()
    new, row_type = tuple.__new__, AssessmentRow
    return [new(row_type, row) for row in rows]


def _benefits(conn: psycopg.Connection, after: int) -> dict[str, RobotBenefit]:
    """The robot benefits recorded after `seq` `after`, the latest per robot and month."""
    benefits: dict[str, RobotBenefit] = {}
    for record in _history(conn, "robot_benefits", after):
        benefit = RobotBenefit.model_validate(record)
        benefits[benefit.key()] = benefit
    return benefits


def _read_register(
    conn: psycopg.Connection, table: str, keys: Sequence[str] | None = None
) -> dict[str, Entity]:
    """A register table's records (with their child rows), or only those with `keys` (a
    table whose key is one column)."""
    from psycopg.rows import dict_row

    where, params = "", ()
    if keys is not None:
        where, params = " WHERE {} = ANY(%s)", (list(keys),)
    children: dict[str, dict[str, list[tuple]]] = {}
    for child, columns in CHILDREN.get(table, {}).values():
        owner = _child_owner(child)
        order = "level" if child == "scale_levels" else "position"
        grouped: dict[str, list[tuple]] = {}
        for row in conn.execute(
            f"SELECT {_q(owner)}, {_cols(columns)} FROM {child}{where.format(_q(owner))}"
            f" ORDER BY {_q(owner)}, {order}",
            params,
        ):
            grouped.setdefault(row[0], []).append(row[1:])
        children[child] = grouped
    columns = main_columns(table)
    key_fields = MODELS_BY_TABLE[table].key_fields
    order = "id" if table == "requirements" else _cols(key_fields)
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            f"SELECT {_cols(columns)} FROM {table}{where.format(_q(key_fields[0]))}"
            f" ORDER BY {order}",
            params,
        ).fetchall()
    records = (_register_record(table, row, children) for row in rows)
    return {record.key(): record for record in records}


def _child_owner(child: str) -> str:
    return {"scale_levels": "framework", "course_raises": "course"}.get(child, "robot")


def _history(conn: psycopg.Connection, name: str, after: int = 0) -> Iterator[dict]:
    columns = HISTORY_COLUMNS[name]
    query = f"SELECT {_cols(columns)} FROM {name} WHERE seq > %s ORDER BY seq"
    for row in conn.execute(query, (after,)):
        yield history_record(name, dict(zip(columns, row, strict=True)))


def history_record(name: str, row: dict) -> dict:
    """A history row as the record it was given as (JSON values)."""
    for field, value in row.items():
        if isinstance(value, dt.datetime):
            row[field] = value.astimezone(dt.UTC).isoformat()
        elif isinstance(value, dt.date):
            row[field] = value.isoformat()
    return row


def write_change(conn: psycopg.Connection, change: Change) -> None:
    """The change's rows (in any order: foreign keys are checked at commit), its history
    appends (the audit rows among them) and counters."""
    for table, keys in change.deletes.items():
        for key in keys:
            conn.execute(f"DELETE FROM {table} WHERE {_key_where(table)}", _key_values(table, key))
    for table, records in change.upserts.items():
        for key in records:
            conn.execute(f"DELETE FROM {table} WHERE {_key_where(table)}", _key_values(table, key))
        _copy_register(conn, table, list(records.values()))
    for name, records in change.appends.items():
        _copy_history(conn, name, records)
    _write_counters(conn, change.counters)


def _copy_register(conn: psycopg.Connection, table: str, records: Sequence[Entity]) -> None:
    if not records:
        return
    owner_field = MODELS_BY_TABLE[table].key_fields[0]
    child_rows: dict[str, list[tuple]] = {}
    with conn.cursor().copy(f"COPY {table} ({_cols(main_columns(table))}) FROM STDIN") as copy:
        for record in records:
            main, children = entity_rows(record)
            copy.write_row(main)
            owner = getattr(record, owner_field)
            for child, rows in children.items():
                child_rows.setdefault(child, []).extend((owner, *row) for row in rows)
    for child, rows in child_rows.items():
        if not rows:
            continue
        field_columns = next(c for t, c in CHILDREN[table].values() if t == child)
        columns = (_child_owner(child), *field_columns)
        with conn.cursor().copy(f"COPY {child} ({_cols(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _copy_history(conn: psycopg.Connection, name: str, records: Sequence[dict]) -> None:
    if not records:
        return
    from psycopg.types.json import Json

    columns = HISTORY_COLUMNS[name]
    with conn.cursor().copy(f"COPY {name} ({_cols(columns)}) FROM STDIN") as copy:
        for record in records:
            copy.write_row(history_values(name, record, Json))


def history_values(name: str, record: dict, json: Callable) -> list:
    """A history record's column values (`HISTORY_COLUMNS[name]`), `json` wrapping a JSON one."""
    values = [record.get(c) for c in HISTORY_COLUMNS[name]]
    if name == "audit":
        values[-1] = json(values[-1] if values[-1] is not None else {})
    elif name == "assessments":
        values[4] = values[4] or "self"
        values[7] = values[7] if values[7] is not None else ""
    else:
        values[3:] = [v or 0 for v in values[3:]]
    return values


def _write_counters(conn: psycopg.Connection, counters: Mapping[str, int]) -> None:
    for prefix, value in counters.items():
        conn.execute(
            "INSERT INTO kapabel_counters (prefix, value) VALUES (%s, %s) ON CONFLICT (prefix)"
            " DO UPDATE SET value = greatest(kapabel_counters.value, excluded.value)",
            (prefix, int(value)),
        )
