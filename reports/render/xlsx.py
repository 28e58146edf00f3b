"""A report as an .xlsx workbook a department lead can open, filter and forward.

A Summary sheet (when the report has summary lines), then one sheet per table. Each sheet starts
with the report's title, its as-of date (a real date) and its scope, then the table's title and
note; the table's header row stays in view and has an autofilter, numbers and dates are real
ones, percentages are shown as percentages (`Table.percent_columns`), and a heatmap's cells are
coloured and keep their numbers (`Table.heat`). Text is always written as text, never a formula
(`store.spreadsheet`).
"""

from __future__ import annotations

from reports.base import Report, Table, scope_label
from store.spreadsheet import Book, Sheet

NOT_THERE = "-"
"""What a heatmap cell without a figure holds (as in the text report): not only a blank."""


def render(report: Report) -> bytes:
    book = Book()
    if report.summary:
        sheet = _start(book, report, "Summary")
        sheet.table(["Figure", "Value"], [list(pair) for pair in report.summary])
        sheet.finish()
    for table in report.tables():
        sheet = _start(book, report, table.title, table.note)
        _table(sheet, table)
        sheet.finish()
    return book.finish()


def _start(book: Book, report: Report, heading: str, note: str = "") -> Sheet:
    """A sheet with the report's title, as-of date and scope, and the table's title above."""
    sheet = book.sheet(heading)
    sheet.line([f"{report.label} report"], "title")
    sheet.line(["As of", report.as_of])
    sheet.line(["Scope", scope_label(report.scope)])
    sheet.line([heading], "label")
    if note:
        sheet.line([note])
    sheet.skip()
    return sheet


def _table(sheet: Sheet, table: Table) -> None:
    percent = table.percent_columns()
    rows = table.rows
    if table.heat:
        rows = [
            [NOT_THERE if value is None and i in percent else value for i, value in enumerate(row)]
            for row in rows
        ]
    first, last = sheet.table(table.headers, rows, percent)
    if table.heat and percent and last >= first:
        sheet.ws.conditional_format(
            first,
            min(percent),
            last,
            max(percent),
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": 0,
                "min_color": "#F8696B",
                "mid_type": "num",
                "mid_value": 0.5,
                "mid_color": "#FFEB84",
                "max_type": "num",
                "max_value": 1,
                "max_color": "#63BE7B",
            },
        )
