"""One pass over a loaded dataset, as of one date: what every report and screen reads.

`analyse(ds, as_of)` works over arrays -- the current level of every (person, competency) from
the history's columns (`store.columns`), requirements resolved once per (department, role) pair
into a person x competency grid, per-department counters for active staff summed at once -- so
a report or a screen asks questions that are lookups and small sums. The rules themselves live
in `reports.rules`; property tests hold the arrays to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

import numpy as np

from i18n import N_, _
from reports import rules
from reports.tree import DepartmentTree, natural_key
from reports.words import Phrase, phrase, term
from store.columns import HistoryColumns, Numbering, columns_of
from store.dataset import AssessmentRow, Dataset, HistoryView
from store.models import SOURCE_PRECEDENCE, PlanStatus, Requirement, Staff, TrainingPlan
from store.on_demand import record_fields

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CompetencyFigures:
    """One competency over a department's subtree (active staff only)."""

    competency: str
    staff_required: int = 0
    staff_meeting: int = 0
    not_assessed: int = 0
    gaps_with_open_training: int = 0
    total_gap: int = 0

    @property
    def pct_meeting(self) -> float | None:
        return rules.pct(self.staff_meeting, self.staff_required)

    @property
    def mean_gap(self) -> float | None:
        """Mean gap over the staff required (those meeting count as 0)."""
        return None if not self.staff_required else self.total_gap / self.staff_required

    @property
    def staff_short(self) -> int:
        return self.staff_required - self.staff_meeting


@dataclass(frozen=True)
class DepartmentFigures:
    """Figures for a department and everything below it (code None: the whole organisation)."""

    code: str | None
    staff_count: int
    competencies: dict[str, CompetencyFigures] = field(default_factory=dict)

    @property
    def pairs_required(self) -> int:
        return sum(c.staff_required for c in self.competencies.values())

    @property
    def pairs_met(self) -> int:
        return sum(c.staff_meeting for c in self.competencies.values())

    @property
    def readiness_pct(self) -> float | None:
        return rules.readiness_pct(self.pairs_met, self.pairs_required)


class PersonRow(NamedTuple):
    """One required competency of one person."""

    competency: str
    required: int
    current: int | None
    date: dt.date | None
    source: str | None
    gap: int
    open_plan: TrainingPlan | None
    """An open plan for this competency (one that covers the gap first), or None."""
    training_covered: bool
    """An open plan with target >= required exists."""

    @property
    def meets(self) -> bool:
        return self.gap == 0


class GapRow(NamedTuple):
    """A person short of a requirement (gap > 0)."""

    employee_no: str
    department: str
    competency: str
    required: int
    current: int | None
    gap: int
    training_planned: bool


class GapColumns(NamedTuple):
    """`Analysis.gap_rows` as arrays, one element per gap row in the same order: the grid row
    and column, the required and current level (-1: not assessed), the gap, whether an open
    plan covers it."""

    rows: np.ndarray
    columns: np.ndarray
    required: np.ndarray
    current: np.ndarray
    gap: np.ndarray
    covered: np.ndarray


# --------------------------------------------------------------------------- indexes


CurrentIndex = dict[str, dict[str, AssessmentRow]]
"""employee_no -> competency -> the assessment giving the current level."""

_NONE: dict[str, AssessmentRow] = {}


def current_index(rows: Iterable[AssessmentRow], as_of: dt.date) -> CurrentIndex:
    """`rules.current_assessment` for every (person, competency) at once, in one pass.

    No figure is made with it any more (`store/columns.py` works the rule out over arrays): it is
    the row-at-a-time reading the tests hold the columns and the server's current rows to, and a
    property test pins it to `rules.current_assessment`.
    """
    precedence = SOURCE_PRECEDENCE
    best: CurrentIndex = {}
    for row in rows:
        date = row[3]
        if date > as_of:
            continue
        valid_until = row[6]
        if valid_until is not None and valid_until < as_of:
            continue
        mine = best.get(row[0])
        if mine is None:
            best[row[0]] = {row[1]: row}
            continue
        old = mine.get(row[1])
        if old is None or date > old[3]:
            mine[row[1]] = row
        elif date == old[3]:
            rank, old_rank = precedence.get(row[4], -1), precedence.get(old[4], -1)
            if rank > old_rank or (rank == old_rank and row[8] > old[8]):
                mine[row[1]] = row
    return best


class _PlanStatus(NamedTuple):
    """A training plan's status alone: `rules.is_open_plan` asked of each status once, not of
    each plan (a rule that read more of a plan would fail here, not give other figures)."""

    status: PlanStatus


_PLAN_FIELDS = ("staff", "competency", "target_level", "due")
"""What the figures read of an open plan (read without building the plans where the register
allows: `store.on_demand`)."""


_REQUIREMENT_FIELDS = attrgetter("department", "role", "competency", "level")


class Structure:
    """What does not depend on the as-of date: tree, requirements, staff and plan indexes.

    Build it once to analyse the same dataset at several dates (the trend report).
    """

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.tree = DepartmentTree(ds.departments)
        self.requirements_by_department: dict[str, list[Requirement]] = {}
        for requirement in ds.requirements.values():
            self.requirements_by_department.setdefault(requirement.department, []).append(
                requirement
            )
        self._required: dict[tuple[str, str | None], dict[str, int]] = {}
        self._theme_required: dict[tuple[str, str | None], dict[str, dict[str, int]]] = {}
        self.register = _RegisterColumns(ds.staff)
        self.open_target: dict[tuple[str, str], int] = {}
        """Highest target among open plans per (person, competency): a gap is covered
        (`rules.plan_covers`) exactly when this reaches the required level."""
        statuses = record_fields(ds.training_plans, ("status",))
        is_open = {status: rules.is_open_plan(_PlanStatus(status)) for status in set(statuses)}
        self.open_plans: list[tuple[str, str, int, dt.date | None]] = list(
            compress(record_fields(ds.training_plans, _PLAN_FIELDS), map(is_open.get, statuses))
        )
        """(staff, competency, target level, due) of each open plan, in the register's order:
        read in one pass, while each plan is at hand (the overdue ones are among them)."""
        targets = self.open_target
        for staff, competency, target, _due in self.open_plans:
            if targets.get((staff, competency), -1) < target:
                targets[staff, competency] = target
        self._grid: Grid | None = None

    @cached_property
    def staff_by_department(self) -> dict[str, list[Staff]]:
        """Department -> its people by employee number, departments in the grid's order (made
        on first use: a report of gaps needs only the grid's arrays)."""
        return self.register.by_department()

    @cached_property
    def plans_by_pair(self) -> dict[tuple[str, str], list[TrainingPlan]]:
        """(employee_no, competency) -> its plans, in the register's order (made on first use)."""
        found: dict[tuple[str, str], list[TrainingPlan]] = {}
        for plan in self.ds.training_plans.values():
            found.setdefault((plan.staff, plan.competency), []).append(plan)
        return found

    @cached_property
    def plans_by_staff(self) -> dict[str, list[TrainingPlan]]:
        """employee_no -> their plans, in the register's order (made on first use: a person's
        page reads one person's; ~4 ms at 17,679 plans, where the index by pair took ~12)."""
        plans = list(self.ds.training_plans.values())
        found: dict[str, list[TrainingPlan]] = {}
        for staff, plan in zip(map(attrgetter("staff"), plans), plans, strict=True):
            found.setdefault(staff, []).append(plan)
        return found

    def chain(self, department: str) -> tuple[str, ...]:
        """The department and those above it (just itself when it is not in the register)."""
        if department in self.tree.departments:
            return self.tree.chain(department)
        return (department,)

    def required_for_pair(self, department: str, role: str | None) -> dict[str, int]:
        """Competency -> required level for anyone in `department` with `role` (shared: read only)."""
        key = (department, role)
        found = self._required.get(key)
        if found is None:
            chain = self.chain(department)
            candidates = [r for d in chain for r in self.requirements_by_department.get(d, ())]
            levels = rules.required_levels(candidates, chain, role)
            found = {c: levels[c] for c in self.sort_competencies(levels)}
            self._required[key] = found
        return found

    def required_of_kinds(
        self, kinds: list[tuple[str, str | None]]
    ) -> tuple[list[str], np.ndarray]:
        """`required_for_pair` of every (department, role) at once: the competencies required
        of any (in `sort_competencies` order) and a matrix kind x competency of the levels (0:
        not required). `rules.required_levels` over arrays: a requirement applies where its
        department is in the kind's chain and its role is none or the kind's, the highest
        level applying counts (a competency none applies to is not listed). Asking each of the 1,401 kinds
        at 50,000 staff in turn took ~10 ms; property tests hold the two together."""
        requirements = list(map(_REQUIREMENT_FIELDS, self.ds.requirements.values()))
        if not kinds or not requirements:
            return [], np.zeros((len(kinds), 0), np.int16)
        departments, roles, competencies = Numbering(), Numbering(), Numbering()
        roles[None] = -1  # (Numbering numbers from its length: None takes -1, the rest 1, 2 ...)
        of_requirement = np.array(
            [(departments[d], roles[r], competencies[c], level) for d, r, c, level in requirements],
            np.int64,
        ).reshape(-1, 4)
        by_competency = np.argsort(of_requirement[:, 2], kind="stable")
        department, role, competency, level = of_requirement[by_competency].T
        places = Numbering()  # each kind's department: its chain's requirement departments
        place = np.array([places[code] for code, _role in kinds], np.intp)
        in_chain = np.zeros((len(places), len(departments)), bool)
        for i, code in enumerate(places):
            in_chain[i, [n for d in self.chain(code) if (n := departments.get(d)) is not None]] = 1
        kind_role = np.array([roles.get(r, -2) for _code, r in kinds], np.int64)
        # requirement x kind (summed down the rows: ~10 times quicker than across)
        applies = (
            in_chain[:, department].T[:, place] & ((role < 0) | (role == kind_role[:, None])).T
        )
        firsts = np.flatnonzero(np.diff(competency, prepend=-1))
        levels = np.maximum.reduceat(
            np.where(applies, level.astype(np.int16)[:, None], np.int16(0)), firsts, axis=0
        ).T  # kind x competency, in the order of their numbers
        codes = list(competencies)
        numbers = competency[firsts].tolist()
        tops = levels.max(axis=0).tolist()
        required = [n for n, top in zip(numbers, tops, strict=True) if top > 0]
        names = self.sort_competencies(codes[n] for n in required)
        column = {n: i for i, n in enumerate(numbers)}
        chosen = [column[competencies[c]] for c in names]
        return names, levels[:, chosen].astype(np.int16)

    def theme_required_for_pair(
        self, department: str, role: str | None
    ) -> dict[str, dict[str, int]]:
        """Theme -> competency -> level, from the requirements tied to each theme only."""
        key = (department, role)
        found = self._theme_required.get(key)
        if found is None:
            chain = self.chain(department)
            by_theme: dict[str, list[Requirement]] = {}
            for d in chain:
                for r in self.requirements_by_department.get(d, ()):
                    if r.theme is not None:
                        by_theme.setdefault(r.theme, []).append(r)
            found = {t: rules.required_levels(reqs, chain, role) for t, reqs in by_theme.items()}
            self._theme_required[key] = found
        return found

    def sort_competencies(self, codes: Iterable[str]) -> list[str]:
        return sorted(codes, key=natural_key)

    @property
    def grid(self) -> Grid:
        """Every person and required competency as arrays (made on first use)."""
        if self._grid is None:
            self._grid = Grid(self)
        return self._grid


class Grid:
    """The register as arrays: a row per person (by department as `staff_by_department` lists
    them, so each department's people are one slice), a column per competency required of
    anyone (in `sort_competencies` order).

    `required` holds each person's required level (0: not required; inactive people: 0, since
    figures count active staff only) by `reports.rules.required_levels`, resolved once per
    (department, role); `open_target` the highest target of an open plan.
    """

    def __init__(self, structure: Structure) -> None:
        register = structure.register
        self._register = register
        self.departments = register.departments
        self._numbers = register.number_index()
        self.starts = register.starts
        """Department `i`'s people are rows `starts[i]` to `starts[i + 1]`."""
        self.department_index = {d: i for i, d in enumerate(self.departments)}
        self.active = register.active
        kind, kinds = register.kinds()
        self.competencies, by_kind = structure.required_of_kinds(kinds)
        self.column_of = {c: k for k, c in enumerate(self.competencies)}
        self.required = by_kind[kind] if len(self.active) else by_kind[:0]
        self.required[~self.active] = 0
        self.open_target = np.zeros_like(self.required)
        pairs = structure.open_target
        rows = self.rows_of(list(map(itemgetter(0), pairs)))
        columns = self._columns_of(list(map(itemgetter(1), pairs)))
        known = (rows >= 0) & (columns >= 0)
        self.open_target[rows[known], columns[known]] = np.array(list(pairs.values()))[known]
        self._places = (np.empty(0, np.intp), np.empty(0, np.intp))

    @cached_property
    def row_of(self) -> dict[str, int]:
        """Employee number -> row (made on first use: `rows_of` looks many up without it)."""
        return self._register.row_of()

    def rows_of(self, employee_nos: list[str]) -> np.ndarray:
        """The rows of these employee numbers (-1: not in the register). Numbers of one shape
        are looked up as integers (`_packed`) in the register's sorted numbers: ~3 ms for the
        45,000 people of a history at 50,000 staff, where `row_of` took ~9 ms to make and
        ~15-20 ms to ask (each lookup compares two strings from all over memory)."""
        index = self._numbers
        packed = None if index is None else _packed(employee_nos, index[0])
        if packed is None:
            return np.array(list(map(self.row_of.get, employee_nos, repeat(-1))), np.intp)
        _, numbers, rows = index
        if not len(numbers):
            return np.full(len(packed), -1, np.intp)
        at = np.searchsorted(numbers, packed)
        at[at == len(numbers)] = 0
        return np.where(numbers[at] == packed, rows[at], -1)

    @cached_property
    def people(self) -> list[Staff]:
        """Each row's person (made on first use: reading 50,000 records takes ~25 ms)."""
        return self._register.people()

    @cached_property
    def employee_nos(self) -> list[str]:
        """Each row's employee number."""
        return self._register.employee_nos()

    def employee_nos_of(self, rows: np.ndarray) -> list[str]:
        """The employee numbers of these rows (without listing everyone's)."""
        return self._register.employee_nos(rows)

    @cached_property
    def without_agent(self) -> frozenset[str]:
        """The departments whose own active people are at least one and none a digital agent
        (`rules.without_digital_agent`), counted over arrays: asking it of each of 300
        departments in turn read their people's records one by one (~35 ms at 50,000 staff)."""
        if not len(self.active):
            return frozenset()
        agents = self._register.digital_agent & self.active
        starts = self.starts[:-1]
        active = np.add.reduceat(self.active.astype(np.int64), starts)
        with_agent = np.add.reduceat(agents.astype(np.int64), starts)
        lacking = np.flatnonzero((active > 0) & (with_agent == 0))
        return frozenset(self.departments[i] for i in lacking.tolist())

    def numbers_and_names(self, rows: np.ndarray) -> tuple[list[str], list[str]]:
        """The employee numbers and names of the people of these rows."""
        return self._register.numbers_and_names(rows)

    def numbers_and_names_as_read(
        self, rows: np.ndarray
    ) -> tuple[np.ndarray, list[str], list[str]]:
        """`numbers_and_names` in the order the records are read: the i-th are those of
        `rows[by_place[i]]` (putting them back in the order of `rows` costs two passes)."""
        return self._register.numbers_and_names_as_read(rows)

    def places_of(self, columns: HistoryColumns) -> tuple[np.ndarray, np.ndarray]:
        """For a history's columns: each staff code's row (-1: not in the register) and each
        competency code's column (-1: required of nobody). Kept: the codes only grow."""
        found = []
        for codes, places_of, kept in (
            (columns.staff_list(), self.rows_of, self._places[0]),
            (columns.competency_list(), self._columns_of, self._places[1]),
        ):
            if len(kept) < len(codes):
                kept = np.concatenate([kept, places_of(codes[len(kept) :])])
            found.append(kept[: len(codes)])
        self._places = (
            (found[0], found[1]) if len(found[0]) >= len(self._places[0]) else self._places
        )
        return found[0], found[1]

    def _columns_of(self, competencies: list[str]) -> np.ndarray:
        return np.array(list(map(self.column_of.get, competencies, repeat(-1))), np.intp)

    def rows_of_departments(self, departments: Iterable[str]) -> np.ndarray:
        """The rows of the people of these departments, in the order given."""
        index, starts = self.department_index, self.starts
        spans = [
            np.arange(starts[i], starts[i + 1])
            for d in departments
            if (i := index.get(d)) is not None
        ]
        return np.concatenate(spans) if spans else np.empty(0, np.intp)


def _natural_order(texts: list[str]) -> np.ndarray:
    """The positions of `texts` sorted by `natural_key` (stable: equal keys keep their order).

    Employee numbers usually share one shape (ASCII, the same length, digits in the same
    places: 'E000123'); their natural order is then the order of the lower-cased texts, which
    numpy sorts in ~4 ms at 50,000 (read as one block of bytes) against ~60 ms for making each
    `natural_key` (issue 14)."""
    width = len(texts[0]) if texts else 0
    raw = "\n".join(texts).encode("utf-8", "surrogatepass") + b"\n"
    if width and len(raw) == len(texts) * (width + 1):  # one line of `width` bytes each?
        lines = np.frombuffer(raw, np.uint8).reshape(len(texts), width + 1)
        codes = lines[:, :width]
        digit = (codes >= 48) & (codes <= 57)
        if (
            (lines[:, width] == 10).all()
            and ((codes > 10) & (codes < 128)).all()  # ASCII, no line break, no NUL
            and (digit == digit[0]).all()
        ):
            upper = (codes >= 65) & (codes <= 90)
            lowered = (codes + upper * np.uint8(32)).view(f"S{width}").ravel()
            return np.argsort(lowered, kind="stable")
    keys = list(map(natural_key, texts))
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), np.intp)


_KIND = ("department", "role", "active", "digital_agent")
"""The fields of a person the grid reads, besides the employee number (the register's key)."""


def _packed(texts: list[str], width: int | None = None) -> np.ndarray | None:
    """Each text as one uint64 (its bytes, big-endian, zeros after), equal exactly when the
    texts are, when every text is ASCII without a control character and of one length of 1 to
    8 (`width` when given): employee numbers usually are ('E000123'). None otherwise."""
    if not texts:
        return np.empty(0, np.uint64)
    width = len(texts[0]) if width is None else width
    if not 0 < width <= 8 or len(texts[0]) != width:
        return None
    raw = "\n".join(texts).encode("utf-8", "surrogatepass") + b"\n"
    if len(raw) != len(texts) * (width + 1):
        return None
    lines = np.frombuffer(raw, np.uint8).reshape(len(texts), width + 1)
    codes = lines[:, :width]
    # each line one text when no text holds a line break: every byte before it above 31
    if not ((lines[:, width] == 10).all() and ((codes > 31) & (codes < 128)).all()):
        return None
    padded = np.zeros((len(texts), 8), np.uint8)
    padded[:, :width] = codes
    return padded.view(">u8").ravel().astype(np.uint64)


class _RegisterColumns:
    """The staff register as the grid orders it: by department (in the order of each one's
    first person by employee number), then by employee number (`natural_key`; ties in the
    register's order).

    Each person's fields are read in one pass in the register's own order and then put in
    order as arrays: reading them in grid order, person after person from all over memory,
    took ~0.1 s at 50,000 staff (cache misses), against ~15 ms (issue 14). The pass reads the
    four fields (`_KIND`) at once and numbers each distinct combination (a few thousand at
    50,000 staff) in C: a pass per field, numbering departments and roles apart, took ~20 ms
    where this takes ~12 ms."""

    def __init__(self, staff: Mapping[str, Staff]) -> None:
        employee_nos = list(staff)  # the register is keyed by employee number
        numbering = Numbering()
        kind_of = np.fromiter(
            map(numbering.__getitem__, record_fields(staff, _KIND)), np.intp, len(employee_nos)
        )
        kinds = list(numbering)
        department_ids, pair_ids = Numbering(), Numbering()  # (department, role): `kinds()`
        department_of, pair_of = (
            np.array([ids[key(kind)] for kind in kinds], np.intp)[kind_of]
            for key, ids in ((itemgetter(0), department_ids), (itemgetter(0, 1), pair_ids))
        )
        active, agent = (
            np.array([bool(kind[field]) for kind in kinds], bool)[kind_of] for field in (2, 3)
        )
        by_number = _natural_order(employee_nos)
        # departments in the order their first person comes, each one's people kept in order
        # (every numbered department has people; `np.minimum.at` and a stable sort of 16-bit
        # ranks, a radix sort, instead of `np.unique` and a sort of intp: ~5 -> ~0.5 ms)
        ranked = department_of[by_number]
        first = np.full(len(department_ids), len(ranked), np.intp)
        np.minimum.at(first, ranked, np.arange(len(ranked)))
        in_order = np.argsort(first)
        rank = np.empty(len(department_ids), np.int16 if len(in_order) < 1 << 15 else np.intp)
        rank[in_order] = np.arange(len(in_order))
        order = by_number[np.argsort(rank[ranked], kind="stable")]
        names = list(department_ids)
        self.departments = [names[i] for i in in_order.tolist()]
        sizes = np.bincount(department_of, minlength=len(department_ids))[in_order]
        self.starts = np.cumsum([0, *sizes.tolist()])
        self.active = active[order]
        self.digital_agent = agent[order]
        self._pair_of, self._pairs = pair_of[order], list(pair_ids)
        self._order, self._staff, self._employee_nos = order, staff, employee_nos

    def _rows(self) -> np.ndarray:
        """Each person's row, in the register's order."""
        rows = np.empty(len(self._order), np.intp)
        rows[self._order] = np.arange(len(self._order))
        return rows

    def row_of(self) -> dict[str, int]:
        """Employee number -> row (made in the register's order, for the same reason)."""
        return dict(zip(self._employee_nos, self._rows().tolist(), strict=True))

    def number_index(self) -> tuple[int, np.ndarray, np.ndarray] | None:
        """The employee numbers as `_packed` integers, sorted, and each one's row, with the
        numbers' length; None when they are not of one shape."""
        packed = _packed(self._employee_nos)
        if packed is None:
            return None
        by_number = np.argsort(packed)
        width = len(self._employee_nos[0]) if self._employee_nos else 0
        return width, packed[by_number], self._rows()[by_number]

    def people(self) -> list[Staff]:
        records = list(self._staff.values())
        return [records[i] for i in self._order.tolist()]

    def numbers_and_names(self, rows: np.ndarray) -> tuple[list[str], list[str]]:
        """The employee numbers and names of these rows."""
        by_place, numbers, names = self.numbers_and_names_as_read(rows)
        back = np.empty_like(by_place)
        back[by_place] = np.arange(len(by_place))
        back = back.tolist()
        return [numbers[i] for i in back], [names[i] for i in back]

    def numbers_and_names_as_read(
        self, rows: np.ndarray
    ) -> tuple[np.ndarray, list[str], list[str]]:
        """The employee numbers and names of these rows in the order they are read (the
        register's: memory order), and where each comes from (`rows[by_place[i]]`)."""
        at = self._order[rows]
        by_place = np.argsort(at)
        at = at[by_place].tolist()
        numbers = list(map(self._employee_nos.__getitem__, at))
        names = list(map(self._names.__getitem__, at))
        return by_place, numbers, names

    @cached_property
    def _names(self) -> list[str]:
        """Each person's name, in the register's order."""
        return record_fields(self._staff, ("name",))

    def employee_nos(self, rows: np.ndarray | None = None) -> list[str]:
        """Each row's employee number (or these rows')."""
        at = self._order if rows is None else self._order[rows]
        return [self._employee_nos[i] for i in at.tolist()]

    def by_department(self) -> dict[str, list[Staff]]:
        people, starts = self.people(), self.starts.tolist()
        return {d: people[starts[i] : starts[i + 1]] for i, d in enumerate(self.departments)}

    def kinds(self) -> tuple[np.ndarray, list[tuple[str, str | None]]]:
        """Each row's (department, role) as an index into the list of distinct pairs."""
        return self._pair_of, self._pairs


# --------------------------------------------------------------------------- analysis

_REQUIRED, _MEETING, _NOT_ASSESSED, _COVERED, _TOTAL_GAP = range(5)

_STRUCTURE_TABLES = ("departments", "staff", "requirements", "training_plans")
"""The tables `Structure` (and so the grid) is made of: while they stay the same objects, a
save changed assessments only (`Analysis.after_assessments`)."""


def _pair_counters(
    required: np.ndarray, open_target: np.ndarray, levels: np.ndarray, stacked: bool = True
):
    """For grid rows (required levels, open plans' targets, current levels, -1: not assessed):
    each pair's gap, whether an open plan covers it, and its counters (`_REQUIRED` ...: on a
    last axis of int64, or unless `stacked` a list of the five arrays as they are)."""
    level = np.maximum(levels, 0)  # `rules.level_or_zero`
    is_required = required > 0
    gaps = np.where(is_required, np.maximum(required - level, 0), 0)  # `rules.gap`
    short = gaps > 0
    covered = short & (open_target >= required)  # `rules.plan_covers`
    counters = [
        is_required,
        is_required & ~short,  # `rules.meets`
        is_required & (levels < 0),
        covered,
        gaps,
    ]
    if stacked:
        return gaps, covered, np.stack(counters, axis=-1).astype(np.int64)
    return gaps, covered, counters


class Analysis:
    """Everything the reports need about one dataset as of one date.

    Computed over arrays (`store.columns` for the history, `Grid` for the register): the current
    assessment of every (person, competency) by the columns' form of the current-level rule, and
    the department counters from the grid, so a figure is a small sum; `reports.rules` stays the
    readable definition, and property tests hold the two together.
    """

    def __init__(self, ds: Dataset, as_of: dt.date, structure: Structure | None = None) -> None:
        self.ds = ds
        self.as_of = as_of
        self.structure = structure or Structure(ds)
        self.tree = self.structure.tree
        self.grid = self.structure.grid
        self.columns = columns_of(ds.assessments)
        arrays = self.columns.arrays()
        self._level_column, self._staff_column = arrays["level"], arrays["staff"]
        self._competency_column = arrays["competency"]
        self._row_of_staff, self._column_of_competency = self.grid.places_of(self.columns)
        self._positions = self.columns.current(as_of)
        """The positions of the current assessments, sorted by (staff, competency) index."""
        self._keys: np.ndarray | None = None  # `_pair_keys`, made when asked
        self._position_grid: np.ndarray | None = None  # `_current_position`, made when asked
        self.levels = self._place(
            self._positions, self._level_column[self._positions], -1, np.int16
        )
        """Person row x grid column -> current level, -1: not assessed."""
        self._current: CurrentIndex | None = None
        self._count_departments()
        self._own_gaps: dict[str, list[GapRow]] = {}
        self._figures: dict[str | None, DepartmentFigures] = {}

    # ------------------------------------------------------------- current levels
    @property
    def _pair_keys(self) -> np.ndarray:
        """(staff index << 32) | competency index of each current position, sorted as the
        positions are (made on first use: only a pair off the grid is looked up in them;
        ~4 ms at 50,000 staff)."""
        found = self._keys
        if found is None:
            found = self._keys = _pair_keys(self._positions, self.columns.arrays())
        return found

    def _place(self, positions: np.ndarray, values: np.ndarray, empty: int, dtype) -> np.ndarray:
        """`values` of the current positions (`Columns.current`) on the grid: person row x
        column (`empty` where a person has no current assessment of the competency)."""
        grid = self.grid
        placed = np.full((len(grid.active), len(grid.competencies)), empty, dtype)
        rows = self._row_of_staff[self._staff_column[positions]]
        columns = self._column_of_competency[self._competency_column[positions]]
        on_grid = (rows >= 0) & (columns >= 0)
        placed[rows[on_grid], columns[on_grid]] = values[on_grid]
        return placed

    @property
    def _current_position(self) -> np.ndarray:
        """Person row x grid column -> position of the current assessment, -1: not assessed
        (made on first use: a person's page and the ratings report read it, the figures
        do not; ~10-20 ms at 50,000 staff)."""
        found = self._position_grid
        if found is None:
            found = self._position_grid = self._place(
                self._positions, self._positions, -1, np.int64
            )
        return found

    def levels_on(self, day: dt.date) -> np.ndarray:
        """Person row x grid column -> level on `day` (-1: not assessed), by the same rule."""
        if day == self.as_of:
            return self.levels
        positions = self.columns.current(day)
        return self._place(positions, self._level_column[positions], -1, np.int16)

    @property
    def current(self) -> CurrentIndex:
        """employee_no -> competency -> current assessment (made on first use: the figures
        themselves are read from the arrays; see `current_for`)."""
        if self._current is None:
            rows, staff = self.ds.assessments, self._staff_column
            staff_codes = self.columns.staff_list()
            competencies = self.columns.competency_list()
            found: CurrentIndex = {}
            competency_column = self._competency_column
            for position in self._positions.tolist():
                found.setdefault(staff_codes[staff[position]], {})[
                    competencies[competency_column[position]]
                ] = rows[position]
            self._current = found
        return self._current

    def assessments_note(self) -> str | None:
        """Why everyone reads as 'not assessed' when no assessment counts on the as-of date
        (a date before the first one, say), so that 0 % is not taken for a finding; in the
        current language."""
        note = self.assessments_phrase()
        return None if note is None else note.local()

    def assessments_phrase(self) -> Phrase | None:
        """`assessments_note` as a report holds it (English for JSON, `local()` for text)."""
        if len(self._positions) or not len(self.ds.assessments):
            return None
        first = dt.date.fromordinal(int(self.columns.arrays()["date"].min()))
        if first > self.as_of:
            return phrase(
                N_(
                    "no assessments existed on {date} (the first is dated {first}): "
                    "everyone counts as not assessed"
                ),
                date=self.as_of,
                first=first,
            )
        return phrase(
            N_("no assessment was valid on {date}: everyone counts as not assessed"),
            date=self.as_of,
        )

    # ------------------------------------------------------------- the counters
    def _count_departments(self) -> None:
        """Per department (own staff only), per grid column: the counters figures are built
        of, for every department at once."""
        grid = self.grid
        self._gaps, self._covered, per_person = _pair_counters(
            grid.required, grid.open_target, self.levels, stacked=False
        )
        starts = grid.starts[:-1]
        if len(grid.active):
            # each counter summed on its own: stacking them first made a person x competency
            # x 5 array of int64 (24 MB at 50,000 staff) only to be summed
            self._counters = np.stack(
                [np.add.reduceat(c, starts, axis=0, dtype=np.int64) for c in per_person], -1
            )
            self._active = np.add.reduceat(grid.active.astype(np.int64), starts)
        else:
            self._counters = np.zeros((0, len(grid.competencies), 5), np.int64)
            self._active = np.zeros(0, np.int64)

    # ------------------------------------------------------------- after a save
    def after_assessments(self, ds: Dataset) -> Analysis:
        """The analysis of `ds` as of the same date: a later version of this analysis's data.

        When that version only added assessments (the common save: the register tables the
        figures read are the same objects, the history the same list, grown), only the saved
        people's pairs are worked out again and only their departments' counters change; the
        other arrays and the figures already asked for elsewhere are shared. Anything else
        (a register change, plans, requirements, another history) is analysed from scratch.
        This analysis stays as it was (readers in other threads keep their figures).
        """
        if not self.updates_to(ds):
            return Analysis(ds, self.as_of)
        updated = object.__new__(Analysis)
        updated.__dict__.update(self.__dict__)
        updated._update(ds, len(self.ds.assessments))
        return updated

    def updates_to(self, ds: Dataset) -> bool:
        """Whether `after_assessments(ds)` is an update (milliseconds), not a whole analysis."""
        old, new = self.ds.assessments, ds.assessments
        return (
            all(getattr(ds, t) is getattr(self.ds, t) for t in _STRUCTURE_TABLES)
            and isinstance(old, HistoryView)
            and isinstance(new, HistoryView)
            and new._history is old._history
            and len(new) >= len(old)
        )

    def _update(self, ds: Dataset, saved_from: int) -> None:
        """Bring a copy of an analysis up to `ds`, whose rows from `saved_from` on are new: new
        arrays where they change (the previous analysis keeps its own)."""
        self.ds = ds
        self.columns = columns_of(ds.assessments)
        arrays = self.columns.arrays()
        self._level_column, self._staff_column = arrays["level"], arrays["staff"]
        self._competency_column = arrays["competency"]
        self._row_of_staff, self._column_of_competency = self.grid.places_of(self.columns)
        staff = _distinct(arrays["staff"][saved_from:])
        fresh = self.columns.current(self.as_of, staff)  # the saved people's current pairs
        # the saved people's pairs replaced whole: found and put back by their staff alone (the
        # positions are sorted by staff, then competency, and so are the fresh ones)
        staff_of = self._staff_column[self._positions]
        kept = np.ones(len(staff_of), bool)
        for start, end in zip(
            np.searchsorted(staff_of, staff).tolist(),
            np.searchsorted(staff_of, staff, side="right").tolist(),
            strict=True,
        ):
            kept[start:end] = False
        at = np.searchsorted(staff_of[kept], self._staff_column[fresh])
        self._positions = np.insert(self._positions[kept], at, fresh)
        self._keys = None  # made again when asked
        if self._current is not None:
            self._current = dict(self._current)
            names, competencies, rows = (
                self.columns.staff_list(),
                self.columns.competency_list(),
                ds.assessments,
            )
            for index in staff.tolist():
                self._current.pop(names[index], None)
            for position in fresh.tolist():
                self._current.setdefault(names[self._staff_column[position]], {})[
                    competencies[self._competency_column[position]]
                ] = rows[position]
        rows = self._row_of_staff[staff]
        rows = rows[rows >= 0]
        if not len(rows):
            return
        self.levels = self.levels.copy()
        previous = self.levels[rows]
        self.levels[rows] = -1
        on_rows = self._row_of_staff[self._staff_column[fresh]]
        columns = self._column_of_competency[self._competency_column[fresh]]
        on_grid = (on_rows >= 0) & (columns >= 0)
        self.levels[on_rows[on_grid], columns[on_grid]] = self._level_column[fresh[on_grid]]
        if self._position_grid is not None:  # else made from the new positions when asked
            positions = self._position_grid.copy()
            positions[rows] = -1
            positions[on_rows[on_grid], columns[on_grid]] = fresh[on_grid]
            self._position_grid = positions
        self._recount(rows, previous)

    def _recount(self, rows: np.ndarray, previous: np.ndarray) -> None:
        """The counters again for these grid rows, whose levels were `previous`: each department's
        counters move by its rows' difference; the figures of their departments, those above
        and the whole organisation are worked out anew when asked, the others are kept."""
        grid = self.grid
        required, open_target = grid.required[rows], grid.open_target[rows]
        _, _, before = _pair_counters(required, open_target, previous)
        gaps, covered, after = _pair_counters(required, open_target, self.levels[rows])
        self._gaps, self._covered = self._gaps.copy(), self._covered.copy()
        self._gaps[rows], self._covered[rows] = gaps, covered
        departments = np.searchsorted(grid.starts, rows, side="right") - 1
        self._counters = self._counters.copy()
        np.add.at(self._counters, departments, after - before)
        touched = {grid.departments[d] for d in departments.tolist()}
        # copied first (one step in C): a reader of the previous analysis may be adding to them
        self._own_gaps = {d: g for d, g in dict(self._own_gaps).items() if d not in touched}
        stale: set[str | None] = {None}
        for department in touched:
            stale.update(self.structure.chain(department))
        self._figures = {c: f for c, f in dict(self._figures).items() if c not in stale}

    # ------------------------------------------------------------- tree
    def children(self, code: str | None) -> list[str]:
        return self.tree.children(code)

    def subtree(self, code: str | None) -> frozenset[str]:
        return self.tree.subtree(code)

    def ancestors(self, code: str) -> tuple[str, ...]:
        return self.tree.ancestors(code)

    def depth(self, code: str) -> int:
        return self.tree.depth(code)

    def top_level(self) -> list[str]:
        return self.tree.top_level()

    def department_name(self, code: str | None) -> str:
        """A department's name; the whole organisation's (code None) in the current language."""
        return _("Whole organisation") if code is None else self.tree.name(code)

    def department_label(self, code: str | None) -> Phrase | str:
        """`department_name` as a report holds it: the whole organisation's as a `Phrase`
        (English in JSON and CSV, the current language in text)."""
        return term(N_("Whole organisation")) if code is None else self.tree.name(code)

    # ------------------------------------------------------------- people
    def _departments_with_staff(self, code: str | None) -> list[str]:
        """Departments in scope that have staff, in display order (incl. unknown codes at root)."""
        with_staff = self.grid.department_index
        if code is None:
            known = [d for d in self.tree.walk() if d in with_staff]
            unknown = sorted(
                (d for d in with_staff if d not in self.tree.departments), key=natural_key
            )
            return known + unknown
        return [d for d in self.tree.walk(code) if d in with_staff]

    def _grid_departments(self, code: str | None) -> list[int]:
        """The grid's indexes of the departments in `code` and below that have staff."""
        index = self.grid.department_index
        return [index[d] for d in self._departments_with_staff(code)]

    def staff_in_scope(self, code: str | None) -> list[Staff]:
        """Active staff in `code` and below (None: everyone), by department then employee no."""
        result: list[Staff] = []
        for department in self._departments_with_staff(code):
            result.extend(p for p in self.structure.staff_by_department[department] if p.active)
        return result

    def active_in_scope(self, employee_nos: list[str], code: str | None) -> int:
        """How many of these employee numbers (each time it comes) are of active staff in
        `code` and below, as `staff_in_scope` lists them, read from the grid's arrays."""
        grid = self.grid
        rows = grid.rows_of(employee_nos)
        rows = rows[rows >= 0]
        in_scope = np.zeros(len(grid.departments), bool)
        in_scope[self._grid_departments(code)] = True
        departments = np.searchsorted(grid.starts, rows, side="right") - 1
        return int(np.count_nonzero(grid.active[rows] & in_scope[departments]))

    def required_for(self, employee_no: str) -> dict[str, int]:
        """Competency -> required level for one person (a fresh dict: safe to change)."""
        person = self.ds.staff[employee_no]
        return dict(self.structure.required_for_pair(person.department, person.role))

    def _cell_of(self, employee_no: str, competency: str) -> tuple[int, int, int] | None:
        """The pair's staff and competency codes in the history and its grid cell (-1, -1:
        off the grid); None when it has no assessment at all. Found through the history's
        own index of codes: the Overview's robots ask this of their operators before anything
        has needed the register's dict of rows (`Grid.row_of`, ~9 ms to make)."""
        staff = self.columns.staff_index(employee_no)
        code = self.columns.competency_index(competency)
        if staff is None or code is None:
            return None
        rows, columns = self._row_of_staff, self._column_of_competency
        if staff >= len(rows) or code >= len(columns):  # a code saved after this analysis
            return staff, code, -1
        row, column = int(rows[staff]), int(columns[code])
        if row < 0 or column < 0:
            return staff, code, -1
        return staff, code, row * len(self.grid.competencies) + column

    def _position_of(self, employee_no: str, competency: str) -> int:
        """The position of the pair's current assessment in the history; -1: none."""
        found = self._cell_of(employee_no, competency)
        if found is None:
            return -1
        staff, code, cell = found
        if cell >= 0:
            return int(self._current_position.flat[cell])
        key = (staff << 32) | code
        found = int(np.searchsorted(self._pair_keys, key))
        if found < len(self._pair_keys) and self._pair_keys[found] == key:
            return int(self._positions[found])
        return -1

    def current_of(self, employee_no: str) -> dict[str, AssessmentRow]:
        """Competency -> one person's current assessment (of those they have one of), worked
        out for them alone from the history's kept sort: a person's page asks a dozen pairs,
        for which making everyone's grid of positions (`current_for`'s) took ~10 ms."""
        staff = self.columns.staff_index(employee_no)
        if staff is None:
            return {}
        positions = self.columns.current(self.as_of, np.array([staff], np.int64))
        competencies, rows = self.columns.competency_list(), self.ds.assessments
        return {
            competencies[code]: rows[position]
            for position, code in zip(
                positions.tolist(), self._competency_column[positions].tolist(), strict=True
            )
        }

    def current_for(self, employee_no: str, competency: str) -> AssessmentRow | None:
        position = self._position_of(employee_no, competency)
        return None if position < 0 else self.ds.assessments[position]

    def current_level(self, employee_no: str, competency: str) -> int | None:
        found = self._cell_of(employee_no, competency)
        if found is not None and found[2] >= 0:
            level = int(self.levels.flat[found[2]])
            return None if level < 0 else level
        position = self._position_of(employee_no, competency)
        return None if position < 0 else int(self._level_column[position])

    def levels_of(self, competency: str) -> np.ndarray:
        """Grid row -> current level in `competency` (-1: not assessed), whether or not it is
        required of anyone (a column of the grid, else placed from the current positions)."""
        column = self.grid.column_of.get(competency)
        if column is not None:
            return self.levels[:, column]
        levels = np.full(len(self.grid.active), -1, np.int16)
        code = self.columns.competency_index(competency)
        if code is None:
            return levels
        positions = self._positions[self._competency_column[self._positions] == code]
        rows = self._row_of_staff[self._staff_column[positions]]
        on_grid = rows >= 0
        levels[rows[on_grid]] = self._level_column[positions[on_grid]]
        return levels

    def meeting_counts(self, competency: str, level: int, departments: Iterable[str]) -> list[int]:
        """For each department: its active staff and those below it whose current level in
        `competency` meets `level` (`reports.coverage.people_meeting`, the readable form), from
        the arrays: a coverage rule with `each` near the top asked ~13,000 people one by one at
        50,000 staff, most of the Overview's figures (~35 of ~50 ms)."""
        grid = self.grid
        meeting = grid.active & (np.maximum(self.levels_of(competency), 0) >= level)
        running = np.concatenate([[0], np.cumsum(meeting, dtype=np.int64)])
        own = running[grid.starts[1:]] - running[grid.starts[:-1]]
        return [int(own[self._grid_departments(code)].sum()) for code in departments]

    def open_plan_for(
        self, employee_no: str, competency: str, required: int
    ) -> TrainingPlan | None:
        """An open plan for the pair: one that covers `required` if any, else the highest target."""
        plans = [
            p
            for p in self.structure.plans_by_staff.get(employee_no, ())
            if p.competency == competency and rules.is_open_plan(p)
        ]
        if not plans:
            return None
        return max(plans, key=lambda p: (rules.plan_covers(p, required), p.target_level, p.id))

    def person_rows(self, employee_no: str) -> list[PersonRow]:
        """Each competency required of the person: required, current, date, source, gap, plan."""
        result = []
        required_levels = self.required_for(employee_no)
        current = self.current_of(employee_no)
        for competency in self.structure.sort_competencies(required_levels):
            required = required_levels[competency]
            row = current.get(competency)
            level = None if row is None else row.level
            plan = self.open_plan_for(employee_no, competency, required)
            result.append(
                PersonRow(
                    competency,
                    required,
                    level,
                    None if row is None else row.date,
                    None if row is None else row.source,
                    rules.gap(required, level),
                    plan,
                    plan is not None and rules.plan_covers(plan, required),
                )
            )
        return result

    def history_for(self, employee_no: str) -> list[AssessmentRow]:
        """Every assessment of one person in recording order (from the columns: no index)."""
        rows = self.ds.assessments
        return [rows[p] for p in self.columns.rows_of(employee_no).tolist()]

    def plans_for(self, employee_no: str) -> list[TrainingPlan]:
        return list(self.structure.plans_by_staff.get(employee_no, ()))

    # ------------------------------------------------------------- departments
    def department_figures(self, code: str | None) -> DepartmentFigures:
        """Figures over the department's whole subtree (None: whole organisation), active staff."""
        found = self._figures.get(code)
        if found is not None:
            return found
        departments = self._grid_departments(code)
        found = DepartmentFigures(
            code,
            int(self._active[departments].sum()),
            self._figures_of(self._counters[departments].sum(axis=0)),
        )
        self._figures[code] = found
        return found

    def _figures_of(self, counters: np.ndarray) -> dict[str, CompetencyFigures]:
        """CompetencyFigures of each grid column someone is required (grid column x counter)."""
        competencies = self.grid.competencies
        return {
            competencies[k]: CompetencyFigures(
                competencies[k],
                staff_required=t[_REQUIRED],
                staff_meeting=t[_MEETING],
                not_assessed=t[_NOT_ASSESSED],
                gaps_with_open_training=t[_COVERED],
                total_gap=t[_TOTAL_GAP],
            )
            for k, t in enumerate(counters.tolist())
            if t[_REQUIRED]
        }

    def own_figures(self, code: str) -> DepartmentFigures:
        """Figures for a department's own staff only (not the departments below it)."""
        index = self.grid.department_index.get(code)
        if index is None:
            return DepartmentFigures(code, 0, {})
        return DepartmentFigures(
            code, int(self._active[index]), self._figures_of(self._counters[index])
        )

    def own_shortfalls(self, departments: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Department (of these, each one with staff) x grid column: how many of its own active
        staff the competency is required of, and how many of them fall short: `own_figures`'
        `staff_required` and `staff_short`, for many departments without making their figures."""
        index = self.grid.department_index
        counters = self._counters[[index[d] for d in departments]]
        required = counters[..., _REQUIRED]
        return required, required - counters[..., _MEETING]

    def _gaps_of(self, department: str) -> list[GapRow]:
        """The gap rows of a department's own people, by person then competency."""
        found = self._own_gaps.get(department)
        if found is None:
            grid = self.grid
            index = grid.department_index.get(department)
            if index is None:
                return []
            start, end = grid.starts[index], grid.starts[index + 1]
            rows, columns = np.nonzero(self._gaps[start:end])
            rows += start
            competencies, numbers = grid.competencies, grid.employee_nos
            levels = self.levels[rows, columns].tolist()
            found = [
                GapRow(
                    numbers[row],
                    department,
                    competencies[column],
                    required,
                    None if level < 0 else level,
                    short,
                    covered,
                )
                for row, column, required, level, short, covered in zip(
                    rows.tolist(),
                    columns.tolist(),
                    grid.required[rows, columns].tolist(),
                    levels,
                    self._gaps[rows, columns].tolist(),
                    self._covered[rows, columns].tolist(),
                    strict=True,
                )
            ]
            self._own_gaps[department] = found
        return found

    def current_valid_until(
        self, code: str | None, first: dt.date, last: dt.date
    ) -> list[tuple[str, str, dt.date]]:
        """(employee_no, competency, valid_until) of the required pairs of active staff in scope
        whose current assessment is valid until a day from `first` to `last` (both included),
        by department (display order), person, competency."""
        grid = self.grid
        positions = self._positions
        until = self.columns.arrays()["valid_until"][positions]
        window = (until >= first.toordinal()) & (until <= last.toordinal())
        positions, until = positions[window], until[window]  # few: no grid of them is made
        rows = self._row_of_staff[self._staff_column[positions]]
        columns = self._column_of_competency[self._competency_column[positions]]
        on_grid = (rows >= 0) & (columns >= 0)
        rows, columns, until = rows[on_grid], columns[on_grid], until[on_grid]
        rank = np.full(len(grid.active), -1, np.intp)  # each row's place in scope, -1: outside
        in_scope = grid.rows_of_departments(self._departments_with_staff(code))
        rank[in_scope] = np.arange(len(in_scope))
        hit = (grid.required[rows, columns] > 0) & (rank[rows] >= 0)
        rows, columns, until = rows[hit], columns[hit], until[hit]
        order = np.lexsort((columns, rank[rows]))
        rows, columns, until = rows[order], columns[order], until[order]
        return [
            (number, grid.competencies[k], dt.date.fromordinal(day))
            for number, k, day in zip(
                grid.employee_nos_of(rows), columns.tolist(), until.tolist(), strict=True
            )
        ]

    def gap_columns(self, code: str | None) -> GapColumns:
        """`gap_rows` as arrays (for output written column-wise: a row of Python objects per
        gap is most of the time of a report at 50,000 staff)."""
        grid = self.grid
        rows = grid.rows_of_departments(self._departments_with_staff(code))
        people, columns = np.nonzero(self._gaps[rows])
        rows = rows[people]
        return GapColumns(
            rows,
            columns,
            grid.required[rows, columns],
            self.levels[rows, columns],
            self._gaps[rows, columns],
            self._covered[rows, columns],
        )

    def gap_rows(self, code: str | None) -> list[GapRow]:
        """People short of a requirement in scope: by department (display order), person, competency."""
        result: list[GapRow] = []
        for department in self._departments_with_staff(code):
            result.extend(self._gaps_of(department))
        return result


def _pair_keys(positions: np.ndarray, arrays: dict[str, np.ndarray]) -> np.ndarray:
    """(staff index << 32) | competency index of each position: sorted, as `current` sorts."""
    return (arrays["staff"][positions].astype(np.int64) << 32) | arrays["competency"][positions]


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values: `np.unique` without its first call's import of numpy.ma
    (~10 ms CPU, paid by the first save in the app)."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def analyse(ds: Dataset, as_of: dt.date, structure: Structure | None = None) -> Analysis:
    """The analysis of `ds` as of `as_of` (pass `structure` to reuse it across dates)."""
    return Analysis(ds, as_of, structure)
