"""Exporting a table as CSV, or as an .xlsx workbook, in exactly the format its import reads back.

CSV: comma-separated UTF-8 with the import's column names. Cells that a spreadsheet would run as a
formula (starting with = + - @) get a leading apostrophe, which the importer removes again
(see `store.importing.cells.escape_cell`), so export -> import changes nothing. Assessments are
exported as their current record per key (the latest correction), one row each. A workbook
holds one sheet named after the kind: the same columns, values typed (numbers, dates, yes/no as
booleans; text as text, so no escape is needed), the header frozen with an autofilter.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from store.dataset import Dataset
from store.importing.cells import escape_cell, format_value
from store.importing.kinds import KINDS, Kind


def export_rows(kind: Kind, ds: Dataset) -> Iterator[list[str]]:
    """The header, then one row per current record, sorted by key for stable diffs."""
    yield [column.name for column in kind.columns]
    for values in _sorted_values(kind, ds):
        yield [escape_cell(format_value(values.get(c.field))) for c in kind.columns]


def _sorted_values(kind: Kind, ds: Dataset) -> Iterator[dict]:
    rows = sorted(kind.records(ds), key=lambda pair: kind.match_key(pair[0]))
    return (values for values, _ in rows)


def export_xlsx(kind_name: str, ds: Dataset) -> tuple[bytes, int]:
    """The table as a workbook, and how many rows it holds."""
    from store.spreadsheet import Book

    kind = KINDS[kind_name]
    book = Book()
    sheet = book.sheet(kind.name)
    rows = [
        [_typed(values.get(c.field)) for c in kind.columns] for values in _sorted_values(kind, ds)
    ]
    sheet.table([column.name for column in kind.columns], rows)
    sheet.finish()
    return book.finish(), len(rows)


def _typed(value: object) -> object:
    """A value as a spreadsheet cell holds it: numbers, dates and booleans as themselves, the
    rest as the text the import reads (a list joined as `format_value` joins it)."""
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    return format_value(value)


def export_csv(kind_name: str, ds: Dataset) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(export_rows(KINDS[kind_name], ds))
    return buffer.getvalue()
