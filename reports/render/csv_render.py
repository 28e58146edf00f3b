"""CSV: one section per table (a title row, the header, the rows, a blank line).

A spreadsheet runs a cell that starts with = + - @ as a formula, so such cells (also after
leading spaces or tabs) get a leading apostrophe. Numbers are written in full.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from reports.base import Report
from reports.render.cells import machine_text

FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(text: str) -> str:
    """Defuse a cell a spreadsheet would read as a formula."""
    if text.lstrip(" \t\r\n").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return safe_cell(machine_text(value))


def render(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(report.title())])
    if report.summary:
        writer.writerow([])
        writer.writerow(["# Summary"])
        writer.writerows([safe_cell(k), safe_cell(v)] for k, v in report.summary)
    for table in report.tables():
        writer.writerow([])
        writer.writerow([safe_cell(f"# {table.title}")])
        writer.writerow([safe_cell(h) for h in table.headers])
        writer.writerows([csv_value(v) for v in row] for row in table.rows)
    return out.getvalue()
