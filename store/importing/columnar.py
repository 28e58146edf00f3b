"""Checking an assessments file column by column: a million rows without a Python loop per cell.

A history file repeats a few values in each column (some thousand people, some dozen
competencies, a few dates, levels and sources), so each column's distinct cells are read and
checked once -- parsed as the row path parses them (`plan.parse_rows`), then validated as the
model and `store.integrity.record_problems` validate that field -- and every row looks its
cells up. A row whose cells all pass, whose level fits its competency's scale and whose key is
new is planned as checked (`Matcher.take_checked`), as an `AssessmentRow`.

Every other row -- a cell that fails any check, a row of another width, a blank row, a key met
before or already stored -- goes through the row path, which names its problems and plans it:
a row is only ever sped up, never judged here. So the problems, their order and the records
are the row path's own (`tests/store/test_import_columns.py` compares the two on random files).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Annotated, Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from i18n import _
from store.dataset import AssessmentRow, Dataset
from store.gcpause import collector_paused
from store.importing.cells import unescape_cell
from store.importing.csvfile import CsvRow, csv_row
from store.importing.kinds import Column, Kind, header_map
from store.importing.plan import READING_SHARE, Matcher, Plan, header_columns, parse_rows
from store.integrity import level_problems
from store.models import Assessment
from store.progress import Progress
from store.text import FORBIDDEN
from store.text_rules import plain_text_rule

BAD = object()
"""A cell the column check cannot vouch for: its row goes through the row path."""

_FIELDS = tuple(Assessment.model_fields)
"""An `AssessmentRow`'s values, in its order (its `seq` follows)."""


def fits(kind: Kind, sync: bool) -> bool:
    """Whether a file of `kind` is planned here (assessments: the history that runs to millions)."""
    return kind.model is Assessment and not sync and not kind.keep_when_empty


def plan_columns(
    plan: Plan,
    text: str,
    delimiter: str,
    ds: Dataset,
    progress: Progress | None,
    row_path: Callable[[], Plan],
) -> Plan:
    """Plan `text` (a decoded CSV of assessments) into `plan`; `row_path()` plans it row by row
    instead when the file cannot be read as a whole (a broken quote, no header)."""
    told = _teller(progress)
    told(0.0)
    # Pays: planning 1,000,000 rows took 2.4-2.5 s CPU paused, 4.8-5.3 s with the collector
    # running (a million lists and tuples, no cycle among them; docs/performance.md).
    with collector_paused():
        table = _plain_table(text, delimiter) or _table(text, delimiter)
        if table is None:
            return row_path()
        columns = header_columns(plan, table.header, plan.kind, header_map(plan.kind))
        if plan.found:
            return plan
        told(0.1)
        checked = _checked_columns(plan.kind, columns, table, ds)
        told(0.25)
        _plan(plan, ds, columns, table, checked, told)
    return plan


def _teller(progress: Progress | None) -> Callable[[float], None]:
    """Tells `progress` a fraction of the reading and checking."""

    def told(done: float) -> None:
        if progress is not None:
            progress(_("Reading and checking the file"), READING_SHARE * done)

    return told


@dataclass
class _Table:
    """A CSV file's rows after its header, as columns of cells as read (not yet trimmed)."""

    header: CsvRow
    lines: Sequence[int]
    """The line each row starts on."""
    columns: list[Sequence[str]]
    """A header cell's column: each row's cell ("" in a row of another width)."""
    regular: list[bool] | None
    """Whether each row is as wide as the header (None: every row is)."""
    cells: Callable[[int], list[str]]
    """A row's cells, as read."""

    def __len__(self) -> int:
        return len(self.lines)


_LINE_BREAK = re.compile("\r\n|\r|\n")  # as io.StringIO(newline="") and so csv break lines


def _split_lines(text: str) -> list[str]:
    """`text` split where `_LINE_BREAK` breaks it (by one break alone when it uses one: faster)."""
    if "\r" not in text:
        return text.split("\n")
    if text.count("\r") == text.count("\n") == text.count("\r\n"):
        return text.split("\r\n")
    return _LINE_BREAK.split(text)


def _plain_table(text: str, delimiter: str) -> _Table | None:
    """The usual export, read without a list per row: no quote anywhere, the header on the
    first line and every later line as wide as it (so a line is a row and its cells are what
    splitting it gives, as the csv module would read them); None for any other file."""
    if '"' in text:
        return None
    lines = _split_lines(text)
    if lines and lines[-1] == "":
        lines.pop()  # the break that ends the last line
    header = csv_row(1, lines[0].split(delimiter)) if lines else None
    if header is None:
        return None
    width, body = len(header.cells), lines[1:]
    if set(map(methodcaller("count", delimiter), body)) - {width - 1}:
        return None  # a blank line, a short or a long row: read as the csv module reads it
    flat = delimiter.join(body).split(delimiter) if body else []
    columns = [flat[at::width] for at in range(width)]
    return _Table(
        header,
        range(2, len(body) + 2),
        columns,
        None,
        lambda at: [column[at] for column in columns],
    )


def _table(text: str, delimiter: str) -> _Table | None:
    """Any file as the csv module reads it; None when it holds no header or a quote breaks it
    (the row path says so)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        if '"' not in text:  # no quoted cell: each line is one row (blank ones too)
            rows = list(reader)
            starts: Sequence[int] = range(1, len(rows) + 2)
        else:
            ends: list[int] = []
            note_end = ends.append
            rows = [cells for cells in reader if note_end(reader.line_num) is None]
            starts = [1, *(end + 1 for end in ends)]
    except csv.Error:
        return None
    for at, cells in enumerate(rows):
        header = csv_row(starts[at], cells)
        if header is not None:
            return _rows_table(header, list(starts[at + 1 : len(rows)]), rows[at + 1 :])
    return None


def _rows_table(header: CsvRow, lines: list[int], rows: list[list[str]]) -> _Table:
    width = len(header.cells)
    regular = None
    padded = rows
    if set(map(len, rows)) - {width}:
        regular = [len(cells) == width for cells in rows]
        blank = [""] * width
        padded = [cells if fine else blank for cells, fine in zip(rows, regular, strict=True)]
    columns = list(zip(*padded, strict=True)) if rows else [()] * width
    return _Table(header, lines, columns, regular, rows.__getitem__)


def _checked_columns(
    kind: Kind, columns: list[Column | None], table: _Table, ds: Dataset
) -> dict[str, list[Any]]:
    """Field -> each row's value, or BAD; `_width`: whether each row is as wide as the header."""
    by_field: dict[str, list[Any]] = {
        "_width": [True] * len(table) if table.regular is None else table.regular
    }
    for column, cells in zip(columns, table.columns, strict=True):
        if column is not None:
            by_field[column.field] = _checked_cells(kind, column, cells, ds)
    return by_field


def _checked_cells(kind: Kind, column: Column, cells: Sequence[str], ds: Dataset) -> list[Any]:
    """Each cell's value as the row path reads it and the model keeps it, or BAD."""
    known = {cell: _cell_value(kind, column, cell, ds) for cell in set(cells)}
    return list(map(known.__getitem__, cells))


def _cell_value(kind: Kind, column: Column, raw: str, ds: Dataset) -> Any:
    """One distinct cell: trimmed and unescaped as `csvfile` reads it, parsed as
    `plan.parse_rows` parses it, and kept only when the model's field takes it unchanged,
    without a refused character, and a reference it makes is to a record that exists."""
    cell = unescape_cell(raw.strip())
    if cell == "":
        if column.required:
            return BAD
        value = kind.default(column.field)
    else:
        try:
            value = column.parse(cell)
        except ValueError:
            return BAD
    name = column.field
    try:
        if _field_adapter(name).validate_python(value) != value:
            return BAD
    except ValidationError:
        return BAD
    refused = _refused(name)
    if refused is not None and isinstance(value, str) and refused.search(value):
        return BAD
    known = {"staff": ds.staff, "competency": ds.competencies}.get(name)
    if known is not None and value not in known:
        return BAD
    return _as_held(name, value)


@cache
def _refused(name: str) -> re.Pattern | None:
    """The characters an assessment's text field may not hold (`store.text_rules`: its
    `TextRule`, also inside `| None`); None for a field that is not text."""
    info = Assessment.model_fields[name]
    rule = plain_text_rule(info.annotation, tuple(info.metadata))
    return None if rule is None else FORBIDDEN[rule.kind]


@cache
def _field_adapter(name: str) -> TypeAdapter:
    """Validates one field of an assessment as the model does."""
    info = Assessment.model_fields[name]
    kind = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    config = ConfigDict(str_strip_whitespace=bool(Assessment.model_config["str_strip_whitespace"]))
    return TypeAdapter(kind, config=config)


def _defaults(n: int) -> dict[str, list[Any]]:
    """The values of fields without a column: the model's defaults (as a row holds them)."""
    return {
        name: [_as_held(name, info.get_default(call_default_factory=True))] * n
        for name, info in Assessment.model_fields.items()
        if not info.is_required()
    }


def _as_held(name: str, value: Any) -> Any:
    """A field's value as an `AssessmentRow` holds it (the source as plain text)."""
    return str(value) if name == "source" and value is not None else value


def _plan(
    plan: Plan,
    ds: Dataset,
    columns: list[Column | None],
    table: _Table,
    checked: dict[str, list[Any]],
    told: Callable[[float], None],
) -> None:
    """Every row into the plan, in file order: the clean ones as checked, the rest by the row
    path."""
    n, lines = len(table), table.lines
    clean = _clean_rows(ds, checked)
    values = {**_defaults(n), **{k: v for k, v in checked.items() if k in _FIELDS}}
    dates = {d: d.isoformat() for d in set(checked["date"]) if d is not BAD}
    dates[BAD] = ""  # a row with a bad date is not clean: its key is not used
    key_parts = [
        _text(values["staff"]),
        _text(values["competency"]),
        list(map(dates.__getitem__, values["date"])),
        _text(values["source"]),
    ]
    keys = list(map("|".join, zip(*key_parts, strict=False)))
    first = len(ds.assessments)  # numbered where they will be appended if all are added
    numbers = range(first, first + n)
    fields = zip(*(values[name] for name in _FIELDS), numbers, strict=False)
    records = list(map(tuple.__new__, repeat(AssessmentRow), fields))  # as NamedTuple makes one
    matcher = Matcher(plan, ds, sync=False)
    if all(clean) and len(set(keys)) == n and matcher.index.keys().isdisjoint(keys):
        matcher.take_all_checked(records)  # the usual file: every row adds one
        matcher.finish()
        told(1.0)
        return
    kind = plan.kind
    given = itemgetter(*(at for at, name in enumerate(_FIELDS) if name in checked))
    as_stored = _AsStored()
    step = max(1, n // 10)
    for at in range(n):
        if at % step == 0:
            told(0.25 + 0.75 * at / n)
        if clean[at]:
            key = keys[at]
            if matcher.is_new(key):
                matcher.take_checked(lines[at], key, records[at])
                continue
            stored = matcher.stored_unmatched(key)
            if stored is not None and given(stored) == given(records[at]) and as_stored(stored):
                matcher.take_unchanged(lines[at], key)  # the same file imported again
                continue
        row = csv_row(lines[at], table.cells(at))
        if row is not None:
            for parsed in parse_rows(plan, [row], columns, kind):
                matcher.take(parsed)
    matcher.finish()
    told(1.0)


class _AsStored:
    """Whether a stored row is what validating its values gives back (as every row Kapabel
    wrote is; one edited by hand may not be): only then does a file row with its values leave
    it unchanged, as the row path finds (`Matcher.take` compares the record made from the
    stored values with them). Each distinct value is validated once."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, Any], bool] = {}

    def __call__(self, row: AssessmentRow) -> bool:
        if row.valid_until is not None and row.valid_until < row.date:
            return False
        return all(self._kept(name, value) for name, value in zip(_FIELDS, row, strict=False))

    def _kept(self, name: str, value: Any) -> bool:
        known = self.kept.get((name, value))
        if known is None:
            try:
                known = _field_adapter(name).validate_python(value) == value
            except ValidationError:
                known = False
            self.kept[(name, value)] = known
        return known


def _text(cells: list[Any]) -> list[Any]:
    """A column's values with BAD as "" (a clean row's key holds none)."""
    return [("" if cell is BAD else cell) for cell in cells] if BAD in cells else cells


def _clean_rows(ds: Dataset, checked: dict[str, list[Any]]) -> list[bool]:
    """Whether each row may be planned as checked: as wide as the header, every cell good, the
    level within its competency's scale, valid until no earlier than the date."""
    clean = list(checked["_width"])
    for name, cells in checked.items():
        if name != "_width" and BAD in cells:
            clean = [fine and cell is not BAD for fine, cell in zip(clean, cells, strict=True)]
    competencies, levels = checked["competency"], checked["level"]
    wrong = {
        pair
        for pair in set(zip(competencies, levels, strict=True))
        if BAD not in pair and level_problems(ds, pair[0], pair[1], "level", low=0)
    }
    if wrong:
        pairs = zip(competencies, levels, strict=True)
        clean = [fine and pair not in wrong for fine, pair in zip(clean, pairs, strict=True)]
    if "valid_until" in checked:
        clean = [
            fine and (until is None or until is BAD or date is BAD or until >= date)
            for fine, until, date in zip(
                clean, checked["valid_until"], checked["date"], strict=True
            )
        ]
    return clean
