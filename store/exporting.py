"""Exporting a table as CSV in exactly the format its import reads back.

Comma-separated UTF-8 with the import's column names. Cells that a spreadsheet would run as a
formula (starting with = + - @) get a leading apostrophe, which the importer removes again
(see `store.importing.cells.escape_cell`), so export -> import changes nothing. Assessments are
exported as their current record per key (the latest correction), one row each.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from store.dataset import Dataset
from store.importing.cells import escape_cell, format_value
from store.importing.kinds import KINDS, Kind


def export_rows(kind: Kind, ds: Dataset) -> Iterator[list[str]]:
    """The header, then one row per current record, sorted by key for stable diffs."""
    yield [column.name for column in kind.columns]
    rows = sorted(kind.records(ds), key=lambda pair: kind.match_key(pair[0]))
    for values, _ in rows:
        yield [escape_cell(format_value(values.get(c.field))) for c in kind.columns]


def export_csv(kind_name: str, ds: Dataset) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(export_rows(KINDS[kind_name], ds))
    return buffer.getvalue()
