"""Plain text: a title line, summary lines, then each table laid out by tabulate.

Only plain characters, readable at 100 columns: a table wider than that is split into column
blocks that repeat its key columns. Big tables (thousands of rows) go through a fixed-width
formatter that lays them out exactly as tabulate's "simple" format does, in a tenth of the time
(see PERFORMANCE.md).
"""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from reports.base import Report, Table
from reports.render.cells import cell_text, group_rows, is_numeric_column, plain
from store.gcpause import collector_paused

WIDTH = 100
MAX_CELL = 28
"""Longer text (DigComp's competence names run to 72 characters) is cut, marked with '...'."""
TABULATE_MAX_ROWS = 1000
MIN_PADDING = 2
"""tabulate's "simple" format: a column is at least its header plus two wide."""


def simple_table(
    headers: list[str], rows: list[list[str]], numeric: list[bool], fast: bool = False
) -> str:
    """tabulate(..., tablefmt="simple") for cells that are already text; `fast` or a big table:
    the same layout by hand."""
    if not fast and len(rows) <= TABULATE_MAX_ROWS:
        return tabulate(
            rows,
            headers=headers,
            tablefmt="simple",
            disable_numparse=True,
            preserve_whitespace=True,
            colalign=["right" if n else "left" for n in numeric],
        )
    widths = column_widths(headers, rows)
    lines = [_line(headers, widths, numeric), "  ".join("-" * w for w in widths)]
    lines.extend(_line(row, widths, numeric) for row in rows)
    return "\n".join(lines)


def column_widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    widths = [len(h) + MIN_PADDING for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                widths[i] = len(cell)
    return widths


def _line(cells: list[str], widths: list[int], numeric: list[bool]) -> str:
    return "  ".join(
        c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True)
    ).rstrip()


def column_blocks(widths: list[int], key_columns: int, width: int = WIDTH) -> list[list[int]]:
    """Column indexes per block, each block fitting `width` with the key columns repeated."""
    keys = list(range(min(key_columns, len(widths))))
    base = sum(widths[i] + 2 for i in keys)
    blocks: list[list[int]] = []
    current: list[int] = []
    used = base
    for i in range(len(keys), len(widths)):
        if current and used + widths[i] + 2 > width + 2:
            blocks.append(keys + current)
            current, used = [], base
        current.append(i)
        used += widths[i] + 2
    if current or not blocks:
        blocks.append(keys + current)
    return blocks


def render_table(
    headers: list[str],
    rows: list[list[Any]],
    key_columns: int = 1,
    max_cell: int = MAX_CELL,
    fast: bool = False,
) -> str:
    numeric = [is_numeric_column(rows, i) for i in range(len(headers))]
    text_rows = [[fit(cell_text(v), max_cell) for v in row] for row in rows]
    text_headers = [plain(h) for h in headers]
    widths = column_widths(text_headers, text_rows)
    if sum(widths) + 2 * (len(widths) - 1) <= WIDTH:
        return simple_table(text_headers, text_rows, numeric, fast)
    parts = []
    for block in column_blocks(widths, key_columns):
        parts.append(
            simple_table(
                [text_headers[i] for i in block],
                [[row[i] for i in block] for row in text_rows],
                [numeric[i] for i in block],
                fast,
            )
        )
    return "\n\n".join(parts)


def fit(text: str, limit: int = MAX_CELL) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def heading(text: str, underline: str) -> str:
    text = plain(text)
    return f"{text}\n{underline * min(len(text), WIDTH)}"


def render_section(table: Table) -> str:
    parts = [heading(table.title, "-")]
    if table.note:
        parts.append(plain(table.note))
    if not table.rows:
        parts.append("(none)")
    elif table.group_by is None:
        parts.append(render_table(table.headers, table.rows, table.key_columns, table.max_cell))
    else:
        fast = len(table.rows) > TABULATE_MAX_ROWS  # big however it is cut up
        index = table.group_by
        headers = table.headers[:index] + table.headers[index + 1 :]
        for key, rows in group_rows(table.rows, index):
            parts.append(f"{plain(table.headers[index])}: {cell_text(key)}")
            parts.append(render_table(headers, rows, table.key_columns, table.max_cell, fast))
    return "\n\n".join(parts)


def render(report: Report) -> str:
    parts = [heading(report.title(), "=")]
    if report.summary:
        label_width = max(len(k) for k, _ in report.summary)
        parts.append(
            "\n".join(f"{plain(k) + ':':<{label_width + 1}} {plain(v)}" for k, v in report.summary)
        )
    with collector_paused():
        parts.extend(render_section(table) for table in report.tables())
    return "\n\n".join(parts) + "\n"
