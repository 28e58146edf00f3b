"""The loaded database in memory: what `reports/` analyses and the TUI shows.

Register entities are pydantic models keyed by their domain key. Assessments can run to a million
records, so they are held as light `AssessmentRow` tuples (validated when they were written, read
back without pydantic's per-record cost -- see docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple, overload

from store.models import (
    Assessment,
    Competency,
    Course,
    CoverageRule,
    Department,
    Entity,
    Framework,
    GovernanceDecision,
    Milestone,
    Requirement,
    Robot,
    RobotBenefit,
    Role,
    Setting,
    Source,
    Staff,
    Theme,
    TrainingPlan,
)


class AssessmentRow(NamedTuple):
    """One assessment as held in memory; `seq` is its position in the history (recording order)."""

    staff: str
    competency: str
    level: int
    date: dt.date
    source: str
    assessor: str | None
    valid_until: dt.date | None
    note: str
    seq: int

    def key(self) -> str:
        return f"{self.staff}|{self.competency}|{self.date.isoformat()}|{self.source}"

    def to_model(self) -> Assessment:
        return Assessment(
            staff=self.staff,
            competency=self.competency,
            level=self.level,
            date=self.date,
            source=Source(self.source),
            assessor=self.assessor,
            valid_until=self.valid_until,
            note=self.note,
        )


_DATE_CACHE: dict[str, dt.date] = {}


def parse_iso_date(text: str | None) -> dt.date | None:
    """ISO date from text, memoised: a history repeats the same few thousand dates."""
    if text is None:
        return None
    value = _DATE_CACHE.get(text)
    if value is None:
        value = dt.date.fromisoformat(text)
        _DATE_CACHE[text] = value
    return value


def row_from_record(record: dict, seq: int) -> AssessmentRow:
    """An AssessmentRow from one stored JSON line (already validated when written)."""
    return AssessmentRow(
        record["staff"],
        record["competency"],
        int(record["level"]),
        parse_iso_date(record["date"]),
        record.get("source", "self"),
        record.get("assessor"),
        parse_iso_date(record.get("valid_until")),
        record.get("note", ""),
        seq,
    )


class _Dates(dict):
    """ISO text -> date, parsing each distinct text once (None stays None)."""

    def __missing__(self, text: str | None) -> dt.date | None:
        value = parse_iso_date(text)
        self[text] = value
        return value


def rows_from_records(records: list[dict], first_seq: int) -> list[AssessmentRow]:
    """`row_from_record` for a whole history at once (the bulk of opening a big database).

    Same rows, faster: each row is one tuple built without a call per field, and each of the
    few thousand distinct dates is parsed once. Bad input raises as there.
    """
    new, row, dates = tuple.__new__, AssessmentRow, _Dates()
    return [
        new(
            row,
            (
                r["staff"],
                r["competency"],
                int(r["level"]),
                dates[r["date"]],
                r.get("source", "self"),
                r.get("assessor"),
                dates[r.get("valid_until")],
                r.get("note", ""),
                seq,
            ),
        )
        for seq, r in enumerate(records, first_seq)
    ]


def row_from_model(model: Assessment, seq: int) -> AssessmentRow:
    return AssessmentRow(
        model.staff,
        model.competency,
        model.level,
        model.date,
        str(model.source),
        model.assessor,
        model.valid_until,
        model.note,
        seq,
    )


class _History:
    """The list versions share, and how far of it a published version reaches.

    Its first `head` rows may be held only as columns (a snapshot's, `store.columns`): one row
    is read from them when asked for, and the list is made whole the first time something needs
    every row (iterating, slicing), so opening a large database does not build a million rows
    that the figures (computed from the columns) never read. Appending goes on past them.
    """

    __slots__ = ("_state", "published", "columns")

    _lock = threading.Lock()
    """Making the list whole and appending to it (both rare, and short but for the former)."""

    def __init__(self, rows: list[AssessmentRow], columns=None) -> None:
        head = 0 if columns is None else len(columns)
        self._state: tuple[int, list[AssessmentRow]] = (head, rows)
        """(head, the rows from position `head` on): replaced whole, so a reader never sees
        one half of a change."""
        self.published = head + len(rows)
        self.columns = columns
        """The rows as numpy columns (`store.columns.columns_of`), made on first use."""

    def __len__(self) -> int:
        head, rows = self._state
        return head + len(rows)

    @property
    def rows(self) -> list[AssessmentRow]:
        """Every row, as one list (made from the columns the first time)."""
        head, rows = self._state
        if not head:
            return rows
        from store.gcpause import collector_paused

        with self._lock:
            head, rows = self._state
            if head:
                # Pays: 1,000,000 rows made with the collector running cost 1.5 s more CPU
                # (`benchmarks/bench_collector.py --only rows`, 50,000 staff; docs/performance.md).
                with collector_paused():
                    whole = self.columns.rows(0, head)
                whole.extend(rows)
                self._state = (0, whole)
            return self._state[1]

    def row(self, index: int) -> AssessmentRow:
        head, rows = self._state
        return self.columns.row(index) if index < head else rows[index - head]

    def rows_between(self, start: int, stop: int) -> list[AssessmentRow]:
        head, rows = self._state
        if start >= head:
            return rows[start - head : stop - head]
        return self.rows[start:stop]

    def extend(self, new: Iterable[AssessmentRow]) -> None:
        with self._lock:
            self._state[1].extend(new)

    def append(self, row: AssessmentRow) -> None:
        with self._lock:
            self._state[1].append(row)

    def cut(self, count: int) -> None:
        """Drop the rows from position `count` on (and their columns)."""
        if count >= len(self):
            return
        head, _ = self._state
        if count < head:
            self.rows  # noqa: B018 (made whole: the cut reaches into the columns' rows)
        with self._lock:
            head, rows = self._state
            del rows[count - head :]
        if self.columns is not None:
            self.columns.truncate(count)


class HistoryView(Sequence[AssessmentRow]):
    """The first `count` rows of a history list that only grows: one version's assessments.

    Versions share the list: a save appends its rows past the newest version's end (under the
    write lock), and the new version sees them, while a reader of an older version keeps seeing
    exactly its own rows. This spares every save a copy of a million-row list. Read-only.
    """

    __slots__ = ("_history", "_count")

    def __init__(self, rows: list[AssessmentRow] | None = None) -> None:
        self._history = _History([] if rows is None else rows)
        self._count = len(self._history)

    @classmethod
    def over_columns(cls, columns, rows: list[AssessmentRow]) -> HistoryView:
        """The history whose first rows are `columns` (`store.columns.Columns`, a snapshot's)
        and then `rows`; the columns' rows are made only when every row is needed."""
        history = _History(rows, columns)
        return cls._of(history, len(history))

    @classmethod
    def _of(cls, history: _History, count: int) -> HistoryView:
        view = object.__new__(cls)
        view._history, view._count = history, count
        return view

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[AssessmentRow]:
        return islice(self._history.rows, self._count)

    @overload
    def __getitem__(self, index: int) -> AssessmentRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[AssessmentRow]: ...
    def __getitem__(self, index):
        history = self._history
        if isinstance(index, slice):
            picked = range(self._count)[index]
            if picked.step == 1:
                return history.rows_between(picked.start, picked.stop)
            return [history.row(i) for i in picked]
        return history.row(range(self._count)[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, HistoryView | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"HistoryView({self._count} rows)"

    def _shared_end(self) -> _History:
        """The shared list, cut back to this view's end when this view is the newest version
        (rows past it were left by a save that failed); a copy of this view's rows when it is
        an older version (never cut what a newer version holds)."""
        history = self._history
        if self._count == history.published:
            history.cut(self._count)
            return history
        return _History(history.rows_between(0, self._count))

    def extended(self, rows: Iterable[AssessmentRow]) -> HistoryView:
        """A new, published version's view: these rows and then `rows` (under the write lock)."""
        history = self._shared_end()
        history.extend(rows)
        history.published = len(history)
        return HistoryView._of(history, history.published)

    def appender(self) -> HistoryAppender:
        """A transaction's view, to append its rows to (under the write lock)."""
        history = self._shared_end()
        return HistoryAppender._of(history, len(history))


class HistoryAppender(HistoryView):
    """A transaction's view of the history: its rows go past every published version's end,
    so no reader sees them until `published` says the save was committed."""

    __slots__ = ()

    def append(self, row: AssessmentRow) -> None:
        history = self._history
        history.cut(self._count)  # (never: only one transaction writes at a time)
        history.append(row)
        self._count += 1

    def extend(self, rows: Iterable[AssessmentRow]) -> None:
        rows = list(rows)
        history = self._history
        history.cut(self._count)
        history.extend(rows)
        self._count += len(rows)

    def frozen(self) -> HistoryView:
        """The view the committed version holds (not yet published: see `published`)."""
        return HistoryView._of(self._history, self._count)


def published(rows: Sequence[AssessmentRow]) -> None:
    """Mark a committed version's history view as the newest (after its commit succeeded)."""
    if isinstance(rows, HistoryView):
        rows._history.published = len(rows)


def as_history(rows: Sequence[AssessmentRow]) -> HistoryView:
    """`rows` as a HistoryView (a list is taken over: the caller must not change it after)."""
    if isinstance(rows, HistoryView):
        return rows
    return HistoryView(rows if isinstance(rows, list) else list(rows))


@dataclass
class Dataset:
    """Everything in one database, as plain dicts keyed by domain key."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    competencies: dict[str, Competency] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)
    requirements: dict[str, Requirement] = field(default_factory=dict)
    coverage_rules: dict[str, CoverageRule] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    training_plans: dict[str, TrainingPlan] = field(default_factory=dict)
    robots: dict[str, Robot] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    governance: dict[str, GovernanceDecision] = field(default_factory=dict)
    settings: dict[str, Setting] = field(default_factory=dict)
    assessments: Sequence[AssessmentRow] = field(default_factory=list)
    """A list, or in a Version a HistoryView (see there): iterate, index, take len()."""
    robot_benefits: dict[str, RobotBenefit] = field(default_factory=dict)
    """Latest record per robot and month (a later record for the same month corrects it)."""

    def table(self, name: str) -> dict[str, Entity]:
        """The dict holding register table `name` (or robot_benefits)."""
        value = getattr(self, name)
        if not isinstance(value, dict):
            raise KeyError(name)
        return value

    def framework_of(self, competency_code: str) -> Framework | None:
        competency = self.competencies.get(competency_code)
        return self.frameworks.get(competency.framework) if competency else None

    def counts(self) -> dict[str, int]:
        """How many records each table holds (for the start screen and `check`)."""
        names = [
            "departments",
            "roles",
            "staff",
            "frameworks",
            "competencies",
            "requirements",
            "coverage_rules",
            "courses",
            "training_plans",
            "robots",
            "themes",
            "milestones",
            "governance",
            "settings",
            "assessments",
            "robot_benefits",
        ]
        return {name: len(getattr(self, name)) for name in names}
