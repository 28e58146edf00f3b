"""What a storage backend must do: the contract below the repository.

The repository (backend-neutral: validation, ids, conflicts, audit, every business operation)
works on two things a backend gives it: an immutable `Version` of the whole database to read,
and a `WriteSession` -- the backend's write lock, held with the current version -- in which it
commits one validated `Change` all or nothing. Two backends implement it: the database folder
(`store.folder`, the embedded default) and PostgreSQL (a municipality's shared server).

The rules every backend keeps (the repository contract tests check them on each):

- Reading. `load()` and `refresh()` give a `Version` that is one consistent state: never half
  of a commit, never a mix of two. A published Version is never changed afterwards: a commit or
  a refresh gives a new one, so a reader (an analysis in a worker thread) that holds a Version
  sees the same figures to its end while others save.
- Writing. Writers are serialised: `writing()` waits for the backend's exclusive write lock
  (between threads and between processes; `LockTimeoutError` after the backend's timeout) and
  then yields a session whose `version` is the newest committed state. The repository checks
  its changes against that version (so a conflicting change made by anyone since a form was
  opened is refused with `ConflictError`, the same on every backend) and calls `commit` at most
  once. A commit is atomic and durable: after it returns, every process sees all of it; when it
  raises, nothing of it is ever seen (not even after a crash or a restart); a crash during it
  leaves the database as before it or as after it, never between.
- History is append-only. Assessments, robot benefits and the audit log only grow; the
  exceptions are erasing a person (GDPR: `Storage.erasure`, by `store.erasure`'s rules) and
  `WriteSession.rewrite_history`.
- Audit. The audit rows of a change are in `Change.appends["audit"]` and are committed in the
  same atomic step as the change they describe: never a change without its audit, nor an audit
  of a change that did not happen.
- Ids. Generated keys (`TP-000042`) come from counters: the repository computes them from
  `Version.counters` (and the highest key a table holds) inside the write session, and commits
  the new counter values in `Change.counters`. Since sessions are serialised and a commit is
  atomic, two processes never issue the same id; a counter never goes down.
- Errors. A backend raises only `store.errors` exceptions a user can read: `CorruptFileError`
  (damaged stored data, naming where), `DiskError` (the system refused), `ReadOnlyError` (a
  write where writing is impossible; `read_only` says so beforehand), `LockTimeoutError`,
  `ConflictError` (a commit found the stored state is not the session's version: only a backend
  that does not serialise writers completely needs it), `StoreError` for anything else.
- Secrets. `location` and every message name the database without a password.

Opening (making a new database, checking and migrating the schema, refusing a database newer
than the program) is each backend's own `open` function; `store.open_store` chooses by target.
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, runtime_checkable

from store.dataset import Dataset
from store.models import Entity

HISTORY_NAMES = ("assessments", "robot_benefits", "audit")
"""The append-only history streams, as `Change.appends` and `history_records` name them."""


def current_user() -> str:
    """The OS user, recorded in every audit entry (by the repository, and by a backend's own
    operations such as finishing an interrupted erasure)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Version:
    """One consistent state of a whole database, never changed once published.

    `data` holds the register and the history as readers use it (`store.dataset.Dataset`; the
    audit log is not in it: see `Storage.history_records`). Treat it as read-only: the
    repository and the backends make a new Dataset for a new version (copying only the tables
    a change touches), they never change one a reader may hold.

    `counters` is the highest number issued per id prefix (`{"TP": 42}`). `stamp` identifies
    the state to its backend (the folder: what it read of each file; PostgreSQL: a change
    number); only the backend that made it looks inside, and two versions with equal stamps
    hold the same data.
    """

    data: Dataset
    counters: Mapping[str, int] = field(default_factory=_frozen)
    stamp: object = None


@dataclass(frozen=True)
class Change:
    """One unit of work as the repository validated it, for a backend to commit whole.

    - `upserts`: register table name -> key -> the record as it is to be stored (created or
      replaced). `deletes`: register table name -> keys to delete. A key is never in both.
    - `appends`: history name (`HISTORY_NAMES`) -> JSON records (`model_dump(mode="json")`,
      audit entries as dicts) to append, in this order, after everything already there.
    - `counters`: id prefix -> its new value, for the counters the change moved.

    A Change may be empty (nothing to write): a backend then writes nothing.
    """

    upserts: Mapping[str, Mapping[str, Entity]] = field(default_factory=_frozen)
    deletes: Mapping[str, frozenset[str]] = field(default_factory=_frozen)
    appends: Mapping[str, Sequence[dict]] = field(default_factory=_frozen)
    counters: Mapping[str, int] = field(default_factory=_frozen)

    def is_empty(self) -> bool:
        return not (
            any(self.upserts.values())
            or any(self.deletes.values())
            or any(self.appends.values())
            or self.counters
        )


class WriteSession(Protocol):
    """The backend's write lock, held, with the newest committed state (see `Storage.writing`)."""

    version: Version
    """The newest committed state when the lock was taken (the repository validates against it)."""

    def commit(self, change: Change, data: Dataset) -> Version:
        """Write `change` all or nothing, with its audit rows and counters; the new Version.

        `data` is `version.data` with the change applied (the repository made it, a new Dataset
        sharing the untouched tables); the returned Version holds it with the new counters and
        stamp. At most one commit per session; after it, `version` is the new Version.
        Raises (having written nothing visible) on failure: DiskError, ConflictError, ...
        """
        ...

    def rewrite_history(self, name: str, transform: Callable[[list[dict]], list[dict]]) -> None:
        """Replace history `name` with `transform(every record of it)`, all or nothing: for
        erasing a person only (history is otherwise append-only). A later `refresh` or the
        session's end gives the Version without what was taken out."""
        ...

    def replace_everything(
        self,
        register: Mapping[str, Mapping[str, Entity]],
        history: Mapping[str, Sequence[dict]],
        counters: Mapping[str, int],
    ) -> Version:
        """Make the database exactly this (every register table, every history stream, the
        counters), all or nothing: for `restore` and `kapabel copy` into a database. The
        caller has checked the content; the backend checks only that it can store it."""
        ...


class Backups(Protocol):
    """A database's backups: folder databases (`kapabel backup`) kept where its backend keeps
    them (the folder: `<db>/backups/`; PostgreSQL: on the machine that made them). An erasure
    must reach them too (`store.erasure`)."""

    def holding(self, employee_no: str) -> int:
        """How many backups hold the person (a record of theirs or a field naming them)."""
        ...

    def names_of(self, employee_no: str) -> set[str]:
        """Every name and e-mail address the backups hold for the person."""
        ...

    def remove_partial(self) -> int:
        """Delete the backups a crash left half-made (they hold personal data); how many."""
        ...

    def erase(self, identity) -> int:
        """Take the person (`store.erasure.Identity`) out of every backup; how many held them."""
        ...


class ErasureSession(Protocol):
    """The write lock, held for erasing one person (see `Storage.erasure`)."""

    version: Version
    """The newest committed state (who the person is is found in it)."""

    counts: Mapping[str, int]
    """What the erasure removed (complete when the `erasure` block has ended)."""

    def erase(self, identity) -> None:
        """Write the erasure of `identity` (`store.erasure.Identity`) down, then take the person
        out of the database -- all or nothing, by `store.erasure`'s rules, with the erasure's
        one audit entry -- and out of the backups. A crash at any point leaves it written down,
        and whoever next takes the write lock (or opens the database) finishes it."""
        ...


@runtime_checkable
class Storage(Protocol):
    """A database as a backend keeps it: the folder (`store.folder`) or PostgreSQL."""

    location: str
    """Where the database is, for messages: a folder path, or a URL without its password."""

    read_only: bool
    """Reading works but every write raises ReadOnlyError (a read-only folder or role)."""

    def load(self) -> Version:
        """The whole database as one consistent Version (at opening, or to start afresh)."""
        ...

    def refresh(self, known: Version) -> Version | None:
        """A newer Version when anyone committed since `known`, else None (cheap: the app calls
        it whenever `wait_for_change` wakes it, and once a minute anyway). A backend may build it
        from `known` (only what changed)."""
        ...

    def writing(self) -> contextlib.AbstractContextManager[WriteSession]:
        """Hold the exclusive write lock (against other threads and processes) with the newest
        committed state; released when the block ends. Sessions do not nest (StoreError)."""
        ...

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to `timeout` seconds until another process commits; True if one did (the
        folder polls its files, PostgreSQL uses LISTEN/NOTIFY). Then call `refresh`.

        The app calls it in short slices from a thread of its own, beside the UI thread's saves
        and reads: it must not hold the write lock or a reader's lock while it waits, and a
        commit between two calls must still wake the next one (or leave `refresh` to find it).
        """
        ...

    def history_records(self, name: str) -> Iterator[dict]:
        """Every record of history `name` (`HISTORY_NAMES`), as stored, in recording order:
        the audit log for `kapabel audit`, everything for export, erasure and copying."""
        ...

    def problems(self) -> list[str]:
        """What is wrong with the stored data beyond what a Version shows (damaged or torn
        history, lines a crash left): for `kapabel check`. Empty when sound."""
        ...

    def backup(self, folder: Path | None = None) -> Path:
        """Write a consistent, complete copy as a folder database (files 0600, folders 0700)
        that any Kapabel can open; the folder it is in. Without `folder`, the backend's own
        place (the folder backend: `<db>/backups/<UTC time>/`); PostgreSQL needs `folder`."""
        ...

    backups: Backups
    """The database's backups (for an erasure, which reaches them too)."""

    def erasure(self) -> contextlib.AbstractContextManager[ErasureSession]:
        """Hold the write lock for erasing a person (an erasure a crash interrupted is
        finished first); the backend's part of the erasure is done when the block ends."""
        ...

    def close(self) -> None:
        """Let go of connections, locks and files (a Storage is not used after it)."""
        ...


def apply_change(data: Dataset, change: Change, new_rows: Sequence | None = None) -> Dataset:
    """`data` with `change` applied, as a new Dataset: the tables a change touches are copied,
    the others shared (a Version's Dataset is never changed). `new_rows` are the assessment rows
    of `change.appends["assessments"]` (`store.dataset.AssessmentRow`), already converted;
    robot benefits replace the record of their month."""
    from store.models import RobotBenefit

    replaced: dict = {}
    for table in set(change.upserts) | set(change.deletes):
        rows = dict(data.table(table))
        for key in change.deletes.get(table, ()):
            rows.pop(key, None)
        rows.update(change.upserts.get(table, {}))
        replaced[table] = rows
    if new_rows:
        replaced["assessments"] = [*data.assessments, *new_rows]
    benefits = change.appends.get("robot_benefits")
    if benefits:
        merged = dict(data.robot_benefits)
        for record in benefits:
            benefit = RobotBenefit.model_validate(record)
            merged[benefit.key()] = benefit
        replaced["robot_benefits"] = merged
    if not replaced:
        return data
    return Dataset(**{**vars(data), **replaced})
