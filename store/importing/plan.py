"""Turning a file's rows into a plan of changes, listing every problem; nothing is written here.

A plan says, for each row, whether it adds, updates or leaves a record alone. Validation covers
everything the database will check on writing (types, scales, references), against the database
as it will be after the import -- so a sub-department may come before its parent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from i18n import _
from store.dataset import AssessmentRow, Dataset, row_from_model
from store.errors import OUT_OF_RANGE
from store.gcpause import collector_paused
from store.importing.csvfile import CsvRow, FileProblem
from store.importing.kinds import Column, Kind, LinkKind, header_map, normalise_header
from store.integrity import level_problems, record_problems
from store.lookup import AmbiguousReference, UnknownReference, lookup
from store.models import Assessment, Department, Entity, Staff
from store.problems import (
    RECORD,
    LocatedProblem,
    Problem,
    from_pydantic,
    from_refusal,
    render,
    render_located,
)


@dataclass
class Plan:
    """What an import would do. `problems` non-empty means it must not be applied."""

    kind: Kind
    source: str
    added: list[Entity] = field(default_factory=list)
    updated: list[Entity] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[Entity] = field(default_factory=list)
    in_file_order: list[Entity] = field(default_factory=list)
    """The added and updated records, in the order of the file's rows. Assessments are held as
    the history's rows (`AssessmentRow`, numbered where they will be appended): a million
    models would cost seconds."""
    extra_records: list[Entity] = field(default_factory=list)
    """Records of another kind that come with the file (a framework with its competencies)."""
    found: list[LocatedProblem] = field(default_factory=list)
    """Every problem, as data (where, and what: `store.problems`)."""
    notes: list[str] = field(default_factory=list)

    _rendered: tuple[int, list[str]] = field(default=(0, []), repr=False, compare=False)

    @property
    def problems(self) -> list[str]:
        """The problems as `file:line: column: message` lines, in the file's order; rendered
        once (callers read this several times, and a bad file can hold 100,000 problems)."""
        if self._rendered[0] != len(self.found):
            ordered = sorted(self.found, key=lambda f: f.line)
            self._rendered = (len(self.found), [render_located(found) for found in ordered])
        return self._rendered[1]

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated) + len(self.deactivated) + len(self.extra_records)

    def problem(self, line: int, column: str, found: Problem) -> None:
        """A problem at `line` (0: the file as a whole) in `column`."""
        self.found.append(LocatedProblem(self.source, line, column, found))

    def refuse(self, found: Problem) -> None:
        """A problem with the file as a whole (it cannot be read, the database refused...)."""
        self.problem(0, "", found)

    def summary(self) -> str:
        """ "staff: 3 added, 1 updated, 40 unchanged", in the current language (the kind's name
        stays: it is the word the import command takes)."""
        parts = [
            _("{n} added").format(n=len(self.added)),
            _("{n} updated").format(n=len(self.updated)),
            _("{n} unchanged").format(n=self.unchanged),
        ]
        if self.kind.name == "staff":
            parts.append(_("{n} deactivated").format(n=len(self.deactivated)))
        if self.extra_records:
            parts.append(_("{n} framework(s) added or updated").format(n=len(self.extra_records)))
        return f"{self.kind.name}: " + ", ".join(parts)


READING_SHARE = 0.35
"""The part of a whole import's progress that reading and checking the rows stands for."""


RowReader = Callable[[dict[str, Column]], Iterator[CsvRow]]
"""Gives a file's rows, header first, given the kind's header names; raises FileProblem (or
another ValueError with a `problem`) when the file cannot be read."""


def plan_rows(plan: Plan, read: RowReader, ds: Dataset, sync: bool = False) -> Plan:
    """Check rows of cell text (a CSV file's, a sheet's) as `plan.kind` and plan the changes:
    the one validator every file format goes through."""
    kind = plan.kind
    try:
        names = header_map(kind)
        rows = read(names)
        header = next(rows, None)
        if header is None:
            raise FileProblem(1, "file_empty")
        columns = header_columns(plan, header, kind, names)
        if plan.found:
            return plan
        # A million rows and their dicts, no cycle among them: with the collector running,
        # parsing 200,000 rows took 0.72 s of CPU, paused 0.47 s (benchmarks/bench_import.py).
        with collector_paused():
            parsed = list(parse_rows(plan, rows, columns, kind))
    except FileProblem as problem:
        plan.problem(problem.line, problem.column, problem.problem)
        return plan
    except ValueError as error:
        found = getattr(error, "problem", None)
        if not isinstance(found, Problem):
            raise
        plan.refuse(found)
        return plan
    _plan_records(plan, parsed, ds, sync)
    return plan


def header_columns(
    plan: Plan, header: CsvRow, kind: Kind, names: dict[str, Column]
) -> list[Column | None]:
    """The column of each header cell (None: ignored); missing or repeated columns are problems."""
    columns: list[Column | None] = []
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for cell in header.cells:
        column = names.get(normalise_header(cell))
        if column is None:
            columns.append(None)
            if cell:
                ignored.append(cell)
            continue
        if column.name in seen:
            plan.problem(
                header.line, cell, Problem("", "column_twice", {"first": seen[column.name]})
            )
        seen[column.name] = cell
        columns.append(column)
    for column in kind.columns:
        if column.required and column.name not in seen:
            also = f" (or {', '.join(column.aliases)})" if column.aliases else ""
            missing = Problem(
                "",
                "missing_column",
                {"column": column.name, "also": also, "aliases": column.aliases},
            )
            plan.problem(header.line, "header", missing)
    if plan.found:
        expected = ", ".join(c.name for c in kind.columns)
        plan.problem(header.line, "header", Problem("", "columns_are", {"columns": expected}))
    elif ignored:
        plan.notes.append(_("ignored columns: {columns}").format(columns=", ".join(ignored)))
    return columns


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]
    unread: dict[str, Problem] | None = None
    """Field -> why its cell cannot be used (None when every cell reads: the usual case, and
    no dict per row for a million rows). Such a field is left out of `values`."""

    def cannot_read(self, field_name: str, found: Problem, drop: bool = True) -> None:
        """Note what is wrong with a field's cell (and, with `drop`, leave its value out)."""
        if self.unread is None:
            self.unread = {}
        self.unread.setdefault(field_name, found)
        if drop:
            self.values.pop(field_name, None)


def parse_rows(
    plan: Plan, rows: Iterable[CsvRow], columns: list[Column | None], kind: Kind
) -> Iterator[ParsedRow]:
    """Each row's cells parsed into field values; a cell that cannot be read is noted in the
    row (`unread`) and the rest of the row is still checked, so every problem shows at once."""
    width = len(columns)
    for row in rows:
        if len(row.cells) > width and any(row.cells[width:]):
            too_many = Problem("", "too_many_cells", {"cells": len(row.cells), "width": width})
            plan.problem(row.line, "row", too_many)
            continue
        parsed = ParsedRow(row.line, {})
        values = parsed.values
        for column, cell in zip(columns, row.cells, strict=False):
            if column is None:
                continue
            if cell == "":
                if column.required:
                    parsed.cannot_read(column.field, Problem(column.field, "required_empty"))
                elif column.field not in kind.keep_when_empty:
                    values[column.field] = kind.default(column.field)
                continue
            try:
                values[column.field] = column.parse(cell)
            except ValueError as error:
                parsed.cannot_read(column.field, _cell_problem(column.field, error))
        for column in columns[len(row.cells) :]:
            if column is not None and column.required:
                parsed.cannot_read(column.field, Problem(column.field, "required_empty"))
            elif column is not None and column.field not in kind.keep_when_empty:
                values[column.field] = kind.default(column.field)
        yield parsed


def _cell_problem(field_name: str, error: ValueError) -> Problem:
    """Why a cell's parser refused it (a parser's coded refusal, else its words)."""
    if isinstance(error, PydanticCustomError):
        return dataclasses.replace(from_refusal(error), field=field_name)
    return Problem(field_name, "text", {"text": str(error)})


def _plan_records(plan: Plan, rows: list[ParsedRow], ds: Dataset, sync: bool) -> None:
    """Match rows on their key, build the new records and check them against the database."""
    kind = plan.kind
    if isinstance(kind, LinkKind):
        _plan_links(plan, kind, rows, ds)
        return
    # The row path's records, as many as its parsed rows (above: 0.72 -> 0.47 s CPU for 200,000
    # rows paused); an import of staff or plans is at most some 50,000 rows.
    with collector_paused():
        matcher = Matcher(plan, ds, sync)
        for row in rows:
            matcher.take(row)
        matcher.finish()


class Matcher:
    """Matches a file's rows, in order, to the records they add or update (`take`), then
    checks the records against the database and fills the plan (`finish`).

    A row the column check (`store.importing.columnar`) found clean comes in as a checked
    record (`take_checked`): it is matched like the others but not checked again.
    """

    def __init__(self, plan: Plan, ds: Dataset, sync: bool) -> None:
        self.plan, self.ds, self.sync = plan, ds, sync
        self.kind = kind = plan.kind
        self.index = kind.index(ds)
        self.first_line: dict[str, int] = {}
        self.built: list[tuple[int, Any, bool, bool]] = []
        """(line, record, is new, already checked) of each row to write, in file order."""
        self.resolve = _reference_resolver(kind, ds)
        self.unreadable: list[tuple[ParsedRow, dict | None]] = []
        self.all_checked: list[Any] = []
        """What `take_all_checked` took (then nothing else is taken)."""

    def take(self, row: ParsedRow) -> None:
        kind = self.kind
        self.resolve(row)
        key = _match_key(kind, row)
        first_line = self.first_line
        if key is not None and key in first_line:
            columns = "/".join(kind.column_name(f) for f in kind.match_fields)
            duplicate = {"key": key, "first": first_line[key]}
            row.cannot_read(columns, Problem(columns, "duplicate_key", duplicate), drop=False)
            key = None
        elif key is not None:
            first_line[key] = row.line
        if self.sync and kind.model is Staff and "active" not in row.values:
            row.values["active"] = True  # --sync: the file lists everyone employed now
        stored = None if key is None else self.index.get(key)
        if stored is None and key is not None and key.startswith("#"):
            no_such = Problem(kind.id_field, "no_such_id", {"key": key[1:]})
            row.cannot_read(kind.id_field, no_such)
        current = None if stored is None else kind.values_of(stored)
        record = None if row.unread else _build(kind, row, current)
        if record is None:
            self.unreadable.append((row, current))
        elif current is not None and vars(record) == current:
            self.plan.unchanged += 1
        else:
            self.built.append((row.line, record, current is None, False))

    def is_new(self, key: str) -> bool:
        """Whether a row with match key `key` adds a record no earlier row has matched."""
        return key not in self.first_line and key not in self.index

    def stored_unmatched(self, key: str) -> Any:
        """The stored record with match key `key` if no earlier row matched it, else None."""
        return None if key in self.first_line else self.index.get(key)

    def take_unchanged(self, line: int, key: str) -> None:
        """A row that leaves the stored record `key` (`stored_unmatched`) as it is."""
        self.first_line[key] = line
        self.plan.unchanged += 1

    def take_checked(self, line: int, key: str, record: Any) -> None:
        """A row that adds `record` (`is_new(key)`), checked already."""
        self.first_line[key] = line
        self.built.append((line, record, True, True))

    def take_all_checked(self, records: list[Any]) -> None:
        """Rows that each add a checked record, their keys all new and different, when no
        other row came or will come (a file of assessments without a problem)."""
        if self.built or self.unreadable or self.first_line or self.sync:
            raise ValueError("take_all_checked takes the whole file")  # i18n: not shown
        self.all_checked = records  # no row follows: `first_line` is not needed

    def finish(self) -> None:
        plan, kind, ds = self.plan, self.kind, self.ds
        if self.all_checked:
            plan.added.extend(self.all_checked)
            plan.in_file_order.extend(self.all_checked)
        view = _view_after(ds, kind, [record for _, record, _, _ in self.built])
        history = len(ds.assessments) if kind.model is Assessment else None
        for line, record, is_new, checked in self.built:
            if not checked:
                for found in record_problems(view, record):
                    plan.problem(line, kind.column_name(found.top_field), found)
            if history is not None:
                record = _numbered(record, history + len(plan.in_file_order))
            (plan.added if is_new else plan.updated).append(record)
            plan.in_file_order.append(record)
        if kind.file_check is not None:
            built = [(line, r) for line, r, _, _ in self.built]
            for line, found in kind.file_check(view, built):
                plan.problem(line, kind.column_name(found.top_field), found)
        for row, current in self.unreadable:
            for found in row_problems(kind, view, row, current):
                plan.problem(row.line, kind.column_name(found.top_field), found)
        if self.sync and kind.model is Staff:
            plan.deactivated = [
                s.model_copy(update={"active": False})
                for s in ds.staff.values()
                if s.active and s.employee_no not in self.first_line
            ]


def _numbered(record: Assessment | AssessmentRow, seq: int) -> AssessmentRow:
    """An assessment as a plan holds it: the history's row, numbered where it will be appended
    (`Transaction.record_all` then keeps the row as it is)."""
    if isinstance(record, Assessment):
        return row_from_model(record, seq)
    return record if record.seq == seq else tuple.__new__(AssessmentRow, (*record[:8], seq))


def _plan_links(plan: Plan, kind: LinkKind, rows: list[ParsedRow], ds: Dataset) -> None:
    """Each robot the file names gets exactly its rows' links (operators, or required
    competencies with their levels); every row is checked (an unknown robot, person or
    competency, a level outside the competency's scale, a link given twice) and named."""
    given: dict[str, list[Any]] = {}
    first_line: dict[str, int] = {}
    for row in rows:
        found = [dataclasses.replace(p, field=name) for name, p in (row.unread or {}).items()]
        item = None
        if not found:
            try:
                item = kind.model.model_validate(row.values)
            except ValidationError as error:
                found += from_pydantic(error)
        if item is not None:
            found += _link_problems(ds, item)
            key = "|".join(str(getattr(item, name)) for name in kind.match_fields)
            if key in first_line:
                columns = "/".join(kind.column_name(f) for f in kind.match_fields)
                found.append(
                    Problem(columns, "duplicate_key", {"key": key, "first": first_line[key]})
                )
            first_line.setdefault(key, row.line)
        for problem in found:
            plan.problem(row.line, kind.column_name(problem.top_field), problem)
        if item is not None and not found:
            given.setdefault(item.robot, []).append(item)
    if plan.found:
        return
    for code, items in given.items():
        robot = ds.robots[code]
        linked = kind.linked(items)
        stored = getattr(robot, kind.link)
        same = sorted(linked) == sorted(stored) if isinstance(linked, list) else linked == stored
        if same:
            plan.unchanged += len(items)  # rows, as every kind counts them
            continue
        changed = robot.model_copy(update={kind.link: linked})
        plan.updated.append(changed)
        plan.in_file_order.append(changed)


def _link_problems(ds: Dataset, item: Any) -> list[Problem]:
    """What the database says about one link row: its robot, its person or its competency
    and level."""
    found = []
    if item.robot not in ds.robots:
        found.append(Problem("robot", "unknown_reference", {"what": "robot", "key": item.robot}))
    if hasattr(item, "staff"):
        if item.staff not in ds.staff:
            found.append(
                Problem("staff", "unknown_reference", {"what": "employee", "key": item.staff})
            )
    elif item.competency not in ds.competencies:
        unknown = {"what": "competency", "key": item.competency}
        found.append(Problem("competency", "unknown_reference", unknown))
    else:
        found += level_problems(ds, item.competency, item.level, "level")
    return found


def _reference_resolver(kind: Kind, ds: Dataset) -> Callable[[ParsedRow], None]:
    """Turns names typed for the kind's named references into codes, as the forms do.

    A name that fits several records makes the cell unreadable (noted in the row); an unknown
    one is left for `record_problems`, which names it like every other unknown reference.
    """
    lookups = {name: lookup(ds, name) for name in kind.named_references}

    def resolve(row: ParsedRow) -> None:
        for name, found in lookups.items():
            text = row.values.get(name)
            if not text or text in found.by_key:
                continue
            try:
                row.values[name] = found.resolve(text)
            except UnknownReference:
                continue
            except AmbiguousReference as problem:
                row.cannot_read(name, dataclasses.replace(problem.problem, field=name))

    return resolve


def _build(kind: Kind, row: ParsedRow, current: dict | None) -> Entity | None:
    """The record a row stands for: the stored one with the file's columns laid over it
    (None when it breaks a rule of the model: `row_problems` then says which)."""
    values = row.values
    if kind.adjust is not None:
        values = kind.adjust(dict(values), current)
    elif current is not None:
        given = {k: v for k, v in values.items() if v or k != kind.id_field}
        values = {**current, **given}  # an empty id cell keeps the matched record's id
    try:
        return kind.model.model_validate(values)
    except ValidationError:
        return None


def _match_key(kind: Kind, row: ParsedRow) -> str | None:
    """The row's match key; None when a cell it is made of cannot be read."""
    by_id = kind.id_field and row.values.get(kind.id_field)
    if row.unread and not by_id and any(name in row.unread for name in kind.match_fields):
        return None
    return kind.match_key(row.values)


class _Unread:
    """Stands in for a cell that cannot be read while a rule between fields is tried: any
    comparison with it stops the rule, which then says nothing (the cell's own problem does)."""

    def _stop(self, *_: object) -> bool:
        raise _CannotTell

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = _stop
    __hash__ = object.__hash__


class _CannotTell(Exception):
    """A rule needed a cell that cannot be read."""


def row_problems(kind: Kind, ds: Dataset, row: ParsedRow, current: dict | None) -> list[Problem]:
    """Every problem of a row that cannot become a record, in column order:
    the cells that cannot be read, then what the model and the database say about the rest.
    For a number beyond the model's general bound the database's words replace the model's:
    "99 is above DIGCOMP's highest level, 8" says more than "above the highest allowed, 20"."""
    unread = dict(row.unread or {})
    if kind.adjust is not None:
        values = kind.adjust(dict(row.values), current)
    else:
        values = {**current, **row.values} if current is not None else dict(row.values)
    found: dict[str, list[Problem]] = {}
    out_of_range: set[str] = set()
    try:
        kind.model.model_validate(values)
    except ValidationError as error:
        _collect(found, from_pydantic(error), unread)
        out_of_range = {str(e["loc"][0]) for e in error.errors() if e["type"] in OUT_OF_RANGE}
    fields = [name for name in unread if name in kind.model.model_fields]
    rules = _cross_field_problems(kind, {**values, **{name: _Unread() for name in fields}})
    _collect(found, rules, unread)
    partial = kind.model.model_construct(**{**values, **dict.fromkeys(fields)})
    for name, problems in _collect({}, record_problems(ds, partial), unread).items():
        if name in out_of_range or name not in found:  # a value the model refused is not
            found[name] = problems  # looked up, but a scale says more than a general bound
    order = {column.field: rank for rank, column in enumerate(kind.columns)}
    problems = [dataclasses.replace(p, field=name) for name, p in unread.items()]
    problems += [problem for problems in found.values() for problem in problems]
    return sorted(problems, key=lambda problem: order.get(problem.top_field, -1))


def _collect(found: dict[str, list[Problem]], problems: list[Problem], unread: dict) -> dict:
    """Adds `problems` to `found` (field -> problems, each said once), except at unread fields."""
    for problem in problems:
        if problem.top_field in unread:
            continue
        same_field = found.setdefault(problem.top_field, [])
        if render(problem) not in map(render, same_field):
            same_field.append(problem)
    return found


def _cross_field_problems(kind: Kind, values: dict[str, Any]) -> list[Problem]:
    """The model's rules between fields ("failed_runs: cannot exceed runs"), tried even when
    another field is wrong (pydantic runs them only on an otherwise valid record)."""
    record = kind.model.model_construct(**values)
    problems = []
    for rule in kind.model.__pydantic_decorators__.model_validators.values():
        if rule.info.mode != "after":
            continue
        try:
            rule.func(record)
        except PydanticCustomError as error:
            problems.append(from_refusal(error))
        except ValueError as error:
            problems.append(Problem(RECORD, "text", {"text": str(error)}))
        except _CannotTell:
            continue
    return problems


def _view_after(ds: Dataset, kind: Kind, records: list[Entity]) -> Dataset:
    """The database as references will see it after the import (departments from the file)."""
    if kind.model is not Department:
        return ds
    departments = {**ds.departments, **{r.key(): r for r in records}}
    return dataclasses.replace(ds, departments=departments)
