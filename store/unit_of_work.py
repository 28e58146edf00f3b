"""The backend-neutral repository: validation, ids, conflicts and audit, over any storage.

A `Repository` reads an immutable `store.storage.Version` (`repo.ds` is its data) and changes the
database only in a `Transaction`: under the backend's write lock, on the newest version, the
transaction checks every change (references, levels, keys, what the user saw when they opened a
record) against a working copy of that version, collects it with its audit rows, and has the
backend commit it whole; the result is a new Version. Nothing a reader holds is ever changed:
an analysis running in another thread keeps the figures of the version it started on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import operator
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from i18n import N_
from store.dataset import (
    AssessmentRow,
    Dataset,
    HistoryAppender,
    HistoryView,
    published,
    row_from_model,
)
from store.errors import (
    ConflictError,
    InUseError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    ValidationProblem,
)
from store.gcpause import collector_paused
from store.integrity import (
    dataset_problems,
    highest_id,
    key_taken_problems,
    record_problems,
    usages,
)
from store.models import (
    GENERATED_ID_PREFIX,
    REGISTER_MODELS,
    Assessment,
    AuditAction,
    AuditEntry,
    Entity,
    RobotBenefit,
)
from store.problems import Problem
from store.scope import Scope, ScopeError
from store.storage import (
    Change,
    ErasureSession,
    Storage,
    Version,
    WriteSession,
    current_user,
)
from store.text import KEY_SEPARATOR

REGISTER_TABLES = frozenset(model.table for model in REGISTER_MODELS)


def changes_between(old: Entity | None, new: Entity | None) -> dict[str, list]:
    """Field -> [old, new] for every field that differs (JSON values)."""
    before = old.model_dump(mode="json") if old is not None else {}
    after = new.model_dump(mode="json") if new is not None else {}
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _history_lines(rows: Sequence[AssessmentRow]) -> list[dict]:
    """Assessments' history lines, each as `Assessment.model_dump(mode="json")` makes it (the
    fields in the model's order), straight from the rows' values (a million: one pass)."""
    iso = {day: day.isoformat() for day in {*map(_DATE, rows), *map(_UNTIL, rows)} if day}
    iso[None] = None
    return [
        {
            "staff": staff,
            "competency": competency,
            "level": level,
            "date": iso[day],
            "source": source,
            "assessor": assessor,
            "valid_until": iso[until],
            "note": note,
        }
        for staff, competency, level, day, source, assessor, until, note, _seq in rows
    ]


_DATE, _UNTIL, _SEQ = operator.itemgetter(3), operator.itemgetter(6), operator.itemgetter(8)


class _LevelOnly(dict):
    """Level -> the audit changes of an assessment that records only its level."""

    def __missing__(self, level: int) -> dict:
        changes = self[level] = {"level": [None, level]}
        return changes


_HISTORY_TYPES = {Assessment, AssessmentRow, RobotBenefit}
"""What `Transaction.record_all` takes (exactly these, else each is looked at)."""


def _recorded(line: dict) -> dict[str, list]:
    """An assessment's audit changes: the key names person, competency, date and source; the
    audit adds what was recorded. A correction is a new record with the same key (the later
    one counts)."""
    return {
        name: [None, line[name]]
        for name in ("level", "assessor", "valid_until", "note")
        if line[name] not in (None, "")
    }


class Repository:
    """A database as the rest of Kapabel uses it, whichever backend keeps it."""

    def __init__(
        self, storage: Storage, *, user: str | None = None, version: Version | None = None
    ) -> None:
        self.storage = storage
        self.user = user or current_user()
        self._open: Transaction | None = None
        self._turn = threading.RLock()
        """Refreshing and saving take turns in one process, so a refresh that finishes after
        another thread's save never puts back the older version it read."""
        self._version = version if version is not None else storage.load()
        self.scope: Scope | None = None
        """One department and all below it, the only part shown and changed (`limit_to`)."""
        self.opened_read_only = False
        """Opened read-only on purpose (`open_store(read_only=True)`): every save is refused."""

    def limit_to(self, department: str) -> None:
        """Show and change only `department` and all below it (`store.scope`); ScopeError for
        a department this database does not hold."""
        self.scope = Scope.of(self._version.data, department)

    def refuse_writes(self) -> None:
        """Refuse every save from now on, whatever the backend could do."""
        self.opened_read_only = True
        self.storage.read_only = True

    @property
    def version(self) -> Version:
        """The newest version this repository has seen (immutable: keep it to read steadily)."""
        return self._version

    @property
    def ds(self) -> Dataset:
        """The data of `version`; inside a transaction, on its thread, the transaction's own
        working copy (so code in a transaction sees what it changed)."""
        open_tx = self._open
        if open_tx is not None and open_tx.thread == threading.get_ident():
            return open_tx.ds
        data = self._version.data
        return data if self.scope is None else self.scope.view(data)

    @property
    def finished_erasure(self) -> dict | None:
        """An erasure a crash had interrupted, finished when the database was opened (what it
        erased: `employee_no`, `pseudonym`, `counts`), else None."""
        return getattr(self.storage, "finished_erasure", None)

    @property
    def read_only(self) -> bool:
        return self.opened_read_only or self.storage.read_only

    def _refuse_if_opened_read_only(self) -> None:
        if self.opened_read_only:
            raise ReadOnlyError(Problem("", "opened_read_only", {"location": self.location}))

    @property
    def location(self) -> str:
        return self.storage.location

    def refresh(self) -> bool:
        """Pick up what others committed; True when anything changed."""
        with self._turn:
            newer = self.storage.refresh(self._version)
            if newer is None:
                return False
            self._version = newer
            return True

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to `timeout` seconds until another program commits; True if one did (then
        `refresh`). Safe in a thread of its own beside saves and reads: the app waits here."""
        return self.storage.wait_for_change(timeout)

    @contextlib.contextmanager
    def transaction(self, summary: str | None = None) -> Iterator[Transaction]:
        """All changes inside are written together, or not at all.

        With `summary`, the audit log gets one entry counting the changes instead of one per
        record (for generated data; imports audit every record).
        """
        self._refuse_if_opened_read_only()
        with self._turn, self.storage.writing() as session:
            self._version = session.version
            tx = Transaction(self, session.version, summary)
            self._open = tx
            try:
                yield tx
                self._version = tx.commit(session)
            finally:
                self._open = None

    @contextlib.contextmanager
    def erasure(self) -> Iterator[ErasureSession]:
        """The storage's erasure session (`store.erasure.erase_person`), taking turns with
        refreshes and saves; afterwards the repository shows the database without the person."""
        self._refuse_if_opened_read_only()
        self._refuse_in_scope(N_("an erasure"))
        with self._turn:
            with self.storage.erasure() as session:
                yield session
            self._version = session.version

    def put(self, record: Entity, expected: Entity | None = None) -> Entity:
        with self.transaction() as tx:
            return tx.put(record, expected=expected)

    def create(self, record: Entity) -> Entity:
        with self.transaction() as tx:
            return tx.create(record)

    def delete(self, table: str, key: str, expected: Entity | None = None) -> None:
        with self.transaction() as tx:
            tx.delete(table, key, expected=expected)

    def record(self, record: Assessment | RobotBenefit) -> None:
        with self.transaction() as tx:
            tx.record(record)

    def _refuse_in_scope(self, what: str) -> None:
        """An operation on the whole database (an erasure, a backup) is not for a scope."""
        if self.scope is not None:
            raise ScopeError(Problem("", "scope_whole_database", {"what": what}))

    def audit_records(self) -> list[dict]:
        """Every complete audit entry, oldest first, as stored; in a scope only those about
        what the scope shows (`Scope.shows_audit`)."""
        records = self.storage.history_records("audit")
        if self.scope is None:
            return list(records)
        view = self.ds
        return [entry for entry in records if self.scope.shows_audit(view, entry)]

    def backup(self, into: Path | None = None) -> Path:
        """A backup: a folder database anyone can open (`store.backup.make_backup` keeps the
        last N of them); at `into`, a new folder, instead of among the backups."""
        self._refuse_in_scope(N_("a backup"))
        return self.storage.backup(into)

    def save_snapshot(self, **options) -> bool:
        """Save what makes the next open fast (the folder's history snapshot), if the backend
        keeps such a thing; True if something was saved. Only ever a speed-up."""
        save = getattr(self.storage, "save_snapshot", None)
        return bool(save is not None and save(**options))

    def audit_entries(self) -> list[AuditEntry]:
        return [AuditEntry.model_validate(r) for r in self.audit_records()]

    def problems(self) -> list[str]:
        """What `kapabel check` reports: the backend's (damaged history, counters behind their
        tables), then broken references and bad levels."""
        return [*self.storage.problems(), *dataset_problems(self.ds)]


class Transaction:
    """Changes collected on a working copy of one version; see `Repository.transaction`."""

    def __init__(self, repo: Repository, version: Version, summary: str | None) -> None:
        self.repo = repo
        self.version = version
        """The version the transaction began on (its changes are made on a copy of it)."""
        self.thread = threading.get_ident()
        self.ds = dataclasses.replace(version.data)
        """The version's data with this transaction's changes: a table is copied when it is
        first changed, so the version itself is never touched."""
        self.copied: set[str] = set()
        self.summary = summary
        self.counts: Counter[str] = Counter()
        self.upserts: dict[str, dict[str, Entity]] = defaultdict(dict)
        self.deletes: dict[str, set[str]] = defaultdict(set)
        self.lines: dict[str, list[dict]] = defaultdict(list)
        self.counters = dict(version.counters)
        self.moved: dict[str, int] = {}
        """The counters this transaction moved (committed with it)."""
        self.ids_checked: set[str] = set()
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        """When the changes were made (one time for the whole transaction, as audit text)."""

    # -- reading inside the transaction sees its own changes
    def get(self, table: str, key: str) -> Entity | None:
        return self.ds.table(table).get(key)

    # -- changes
    def put(self, record: Entity, expected: Entity | None = None) -> Entity:
        """Create or update by key; an identical record is left alone."""
        table = record.table
        if table not in REGISTER_TABLES:
            raise StoreError(f"{table} is history: use record()")  # i18n: not shown
        prefix = GENERATED_ID_PREFIX.get(table)
        if prefix and not getattr(record, "id", ""):
            record = record.model_copy(update={"id": self._next_id(table, prefix)})
        problems = record_problems(self.ds, record)
        key = record.key()
        if problems:
            raise ValidationProblem(table, key, problems)
        current = self.ds.table(table).get(key)
        self._check_scope(table, current, record)
        if expected is not None and current != expected:
            raise ConflictError(Problem("", "changed_since_read", {"table": table, "key": key}))
        if current == record:
            return current
        self._writable(table)[key] = record
        self.upserts[table][key] = record
        self.deletes[table].discard(key)
        action = AuditAction.CREATE if current is None else AuditAction.UPDATE
        self._audit(action, table, key, changes_between(current, record))
        return record

    def create(self, record: Entity) -> Entity:
        if record.table in REGISTER_TABLES:
            taken = key_taken_problems(self.ds, record.table, record.key())
            if taken:
                raise ValidationProblem(record.table, record.key(), taken)
        return self.put(record)

    def update(self, record: Entity, expected: Entity | None = None) -> Entity:
        if self.get(record.table, record.key()) is None:
            raise NotFoundError(record.table, record.key())
        return self.put(record, expected=expected)

    def delete(self, table: str, key: str, expected: Entity | None = None) -> None:
        """Delete a register record nothing refers to (staff are deactivated instead)."""
        if table not in REGISTER_TABLES:
            raise StoreError(  # i18n: not shown
                f"{table} is not a register table: history is corrected by new records"  # i18n: not shown
            )
        current = self.get(table, key)
        if current is None:
            raise NotFoundError(table, key)
        self._check_scope(table, current)
        if expected is not None and current != expected:
            raise ConflictError(Problem("", "changed_not_deleted", {"table": table, "key": key}))
        in_use = usages(self.ds, table, key)
        if in_use:
            raise InUseError(table, key, in_use)
        del self._writable(table)[key]
        self.upserts[table].pop(key, None)
        self.deletes[table].add(key)
        self._audit(AuditAction.DELETE, table, key, changes_between(current, None))

    def record(self, record: Assessment | RobotBenefit) -> None:
        """Append to the history (an assessment or a month's robot benefit)."""
        if not isinstance(record, Assessment | RobotBenefit):
            raise StoreError(f"{record.table} is not history: use put()")  # i18n: not shown
        self._check_scope(record.table, record)
        problems = record_problems(self.ds, record)
        if problems:
            raise ValidationProblem(record.table, record.key(), problems)
        if isinstance(record, Assessment):
            line = record.model_dump(mode="json", exclude_defaults=False)
            self.lines[record.table].append(line)
            rows = self._writable("assessments")
            rows.append(row_from_model(record, len(rows)))
            self._audit(AuditAction.CREATE, record.table, record.key(), _recorded(line))
        else:
            self._record_benefit(record)

    def record_all(
        self,
        records: Sequence[Assessment | AssessmentRow | RobotBenefit],
        checked_on: object = None,
    ) -> None:
        """`record` each of `records`, in order, in bulk (an import of a million assessments).

        An assessment may come as the model or as the row the history holds (`AssessmentRow`:
        what an import's plan holds, a million models would cost seconds); the row is renumbered
        (`seq`) to where it is appended unless it is numbered so already.
        `checked_on`: the stamp of the version on which every record was already checked with
        `record_problems` (an import's plan). When it is this transaction's version and the
        transaction has changed no register table yet, the records are not checked again:
        appending to the history changes nothing another history record is checked against.
        Otherwise each is checked here, as `record` does. The scope is checked either way.
        """
        records = list(records)
        kinds = set(map(type, records))
        if self.repo.scope is not None or not kinds <= _HISTORY_TYPES:
            for record in records:
                if isinstance(record, AssessmentRow):
                    self._check_scope(Assessment.table, record)
                    continue
                if not isinstance(record, Assessment | RobotBenefit):
                    raise StoreError(f"{record.table} is not history: use put()")  # i18n: not shown
                self._check_scope(record.table, record)
        checked = (
            checked_on is not None
            and checked_on == self.version.stamp
            and not any(self.upserts.values())
            and not any(self.deletes.values())
        )
        if not checked:
            for record in records:
                model = record.to_model() if isinstance(record, AssessmentRow) else record
                problems = record_problems(self.ds, model)
                if problems:
                    raise ValidationProblem(model.table, model.key(), problems)
        # Millions of new dicts and no cycle among them: with the collector running, appending
        # 200,000 assessments took 2.4 s of CPU, paused 0.8 s (benchmarks/bench_import.py).
        with collector_paused():
            if kinds == {AssessmentRow}:  # an import's plan
                self._record_assessments(records)
                return
            batch: list[AssessmentRow] = []
            for record in records:
                if type(record) is AssessmentRow:
                    batch.append(record)
                elif type(record) is Assessment:
                    batch.append(row_from_model(record, 0))
                else:
                    self._record_assessments(batch)
                    batch = []
                    self._record_benefit(record)
            self._record_assessments(batch)

    def _record_assessments(self, records: list[AssessmentRow]) -> None:
        """Append checked assessments: their rows, their lines (`_history_lines`) and their
        audit entries (one each, as `record` makes them), without a call per row."""
        if not records:
            return
        rows = self._writable("assessments")
        start, new = len(rows), tuple.__new__  # NamedTuple's own way to make one from values
        if all(map(operator.eq, map(_SEQ, records), range(start, start + len(records)))):
            rows.extend(records)  # numbered as they come (an import's plan numbers them so)
        else:
            rows.extend([new(AssessmentRow, (*r[:8], seq)) for seq, r in enumerate(records, start)])
        lines = _history_lines(records)
        self.lines["assessments"].extend(lines)
        action, table = str(AuditAction.CREATE), Assessment.table
        self.counts[f"{action}:{table}"] += len(records)
        if self.summary is not None:
            return
        at, user, join = self.now, self.repo.user, KEY_SEPARATOR.join
        level_only = _LevelOnly()  # one (never changed) dict per level, not one per entry
        self.lines["audit"].extend(
            [
                {
                    "at": at,
                    "user": user,
                    "action": action,
                    "entity": table,
                    "key": join((line["staff"], line["competency"], line["date"], line["source"])),
                    "changes": (
                        level_only[line["level"]]
                        if row.note == "" and not row.assessor and row.valid_until is None
                        else _recorded(line)
                    ),
                }
                for row, line in zip(records, lines, strict=True)
            ]
        )

    def _record_benefit(self, record: RobotBenefit) -> None:
        self.lines[record.table].append(record.model_dump(mode="json", exclude_defaults=False))
        old = self.ds.robot_benefits.get(record.key())
        self._writable("robot_benefits")[record.key()] = record
        action = AuditAction.CREATE if old is None else AuditAction.UPDATE
        self._audit(action, record.table, record.key(), changes_between(old, record))

    # -- internals
    def _check_scope(self, table: str, *records: Entity | None) -> None:
        """ScopeError when the repository is limited to a department and a record (as stored
        or as it would become) is outside it (`store.scope`)."""
        scope = self.repo.scope
        if scope is not None:
            refused = scope.refusal(self.ds, table, records)
            if refused is not None:
                raise ScopeError(refused)

    def _writable(self, name: str):
        """This transaction's own copy of table `name`, made on first use; for the assessments,
        a view that appends past the version's end (`store.dataset.HistoryView`), no copy."""
        if name not in self.copied:
            self.copied.add(name)
            if name == "assessments":
                rows = self.ds.assessments  # a plain list is copied once, then shared
                view = rows if isinstance(rows, HistoryView) else HistoryView(list(rows))
                self.ds.assessments = view.appender()
            else:
                setattr(self.ds, name, getattr(self.ds, name).copy())
        return getattr(self.ds, name)

    def _next_id(self, table: str, prefix: str) -> str:
        """A new key: after the stored counter, and after every key the table already holds
        (a counter reset or restored on its own must never reuse someone's key)."""
        counters = self.counters
        if prefix not in self.ids_checked:  # once per transaction: its own ids follow on
            self.ids_checked.add(prefix)
            counters[prefix] = max(
                int(counters.get(prefix, 0)), highest_id(self.ds.table(table), prefix)
            )
        counters[prefix] = int(counters.get(prefix, 0)) + 1
        self.moved[prefix] = counters[prefix]
        return f"{prefix}-{counters[prefix]:06d}"

    def _audit(self, action: AuditAction, entity: str, key: str, changes: dict) -> None:
        self.counts[f"{action}:{entity}"] += 1
        if self.summary is None:
            self.lines["audit"].append(
                {
                    "at": self.now,
                    "user": self.repo.user,
                    "action": str(action),
                    "entity": entity,
                    "key": key,
                    "changes": changes,
                }
            )

    def change(self) -> Change:
        """What this transaction changed, with its audit rows, for the backend to commit."""
        if self.summary is not None and self.counts:
            self.lines["audit"].append(
                {
                    "at": self.now,
                    "user": self.repo.user,
                    "action": str(AuditAction.IMPORT),
                    "entity": "*",
                    "key": self.summary,
                    "changes": {"counts": [None, dict(sorted(self.counts.items()))]},
                }
            )
        return Change(
            upserts={name: rows for name, rows in self.upserts.items() if rows},
            deletes={name: frozenset(keys) for name, keys in self.deletes.items() if keys},
            appends={name: lines for name, lines in self.lines.items() if lines},
            counters=dict(self.moved),
        )

    def commit(self, session: WriteSession) -> Version:
        change = self.change()
        if isinstance(self.ds.assessments, HistoryAppender):
            self.ds.assessments = self.ds.assessments.frozen()
        version = session.commit(change, self.ds)
        published(version.data.assessments)
        return version
