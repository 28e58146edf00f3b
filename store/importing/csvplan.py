"""Planning a CSV file: assessments column by column (`columnar`), every other kind row by row
(`plan.plan_rows`); both find the same problems and plan the same records."""

from __future__ import annotations

from collections.abc import Iterator

from i18n import _
from store.dataset import Dataset
from store.importing import columnar
from store.importing.csvfile import CsvRow, FileProblem, choose_delimiter, decode, read_rows
from store.importing.kinds import Column, Kind, header_map, normalise_header
from store.importing.plan import READING_SHARE, Plan, plan_rows
from store.progress import Progress


def plan_csv(
    kind: Kind,
    data: bytes,
    source: str,
    ds: Dataset,
    sync: bool = False,
    progress: Progress | None = None,
) -> Plan:
    """Read `data` (the file's bytes) as a CSV of `kind` and plan the changes against `ds`;
    `progress` is told how many of the lines are read and checked. Assessments are checked
    column by column (`store.importing.columnar`), everything else row by row."""
    plan = Plan(kind, source)
    names = header_map(kind)
    try:
        text = decode(data)
    except FileProblem as problem:
        plan.problem(problem.line, problem.column, problem.problem)
        return plan
    delimiter = choose_delimiter(text, lambda cells: _known(cells, names))

    def rows(_names: dict[str, Column]) -> Iterator[CsvRow]:
        found = read_rows(text, delimiter)
        if progress is None:
            return found
        return _telling(found, progress, text.count("\n") + 1)

    def row_by_row() -> Plan:
        return plan_rows(Plan(kind, source), rows, ds, sync)

    if columnar.fits(kind, sync):
        return columnar.plan_columns(plan, text, delimiter, ds, progress, row_by_row)
    return row_by_row()


def _telling(rows: Iterator[CsvRow], progress: Progress, lines: int) -> Iterator[CsvRow]:
    """The rows, telling `progress` how far through the file's `lines` they are (every
    hundredth part of them)."""
    step = max(1, lines // 100)
    for number, row in enumerate(rows):
        if number % step == 0:
            progress(_("Reading and checking the file"), READING_SHARE * min(number / lines, 1.0))
        yield row


def _known(cells: list[str], names: dict[str, Column]) -> int:
    return sum(normalise_header(cell) in names for cell in cells)
