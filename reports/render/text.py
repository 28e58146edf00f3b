"""Plain text: a title line, summary lines, then each table laid out within a width (default 100).

A text report is what a department lead forwards, so nothing is cut: a table that fits is laid
out as tabulate's "simple" format lays it out; one that does not wraps its longest text cells
within their column, and when even that leaves too little room, its last columns move to a line
of `Header: value` fields under each record, aligned from record to record. A record never
leaves its table; when records take several lines, a blank line separates them.

Tables are set by our own fixed-width formatter, a column at a time (each column's values made
into text by kind, its width by one `max`, each line by one `%` format): byte for byte what
tabulate makes of them (`tests/reports/test_text_layout_property.py`), in a small fraction of
its time, and without importing it (see docs/performance.md).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from i18n import _
from reports.base import Report, Table
from reports.render.cells import MISSING, cell_text, plain
from store.gcpause import collector_paused

WIDTH = 100
MIN_WIDTH = 40
"""Narrower than this, a table with a few number columns has no room for its text."""
MIN_PADDING = 2
"""tabulate's "simple" format: a column is at least its header plus two wide."""
GAP = 2
"""Spaces between columns."""
MIN_TEXT = 24
"""A wrapped text column is not made narrower than this (or its header, or its longest word)..."""
TIGHT_TEXT = 16
"""...unless going down to this keeps every column in the table."""
DETAIL_INDENT = "    "
DETAIL_GAP = "   "
_NUMBERS = (int, float)


def text_column(values: Sequence[Any]) -> tuple[list[str], bool]:
    """`cell_text` of each value, and whether the column is numbers (or missing) to be aligned
    right; a column of text, whole numbers or yes/no in one step (a gaps report has 700,000
    cells at 50,000 staff)."""
    kinds = set(map(type, values))
    numeric = all(
        kind is type(None) or (kind is not bool and issubclass(kind, _NUMBERS)) for kind in kinds
    )
    if kinds == {str}:
        joined = "".join(values)
        texts = list(values) if plain(joined) == joined else [plain(value) for value in values]
    elif kinds == {int}:
        texts = list(map(str, values))
    elif kinds <= {int, type(None)}:
        texts = [MISSING if value is None else str(value) for value in values]
    elif kinds <= {bool, type(None)}:
        words = {True: _("yes"), False: _("no"), None: MISSING}
        texts = [words[value] for value in values]
    else:
        texts = [cell_text(value) for value in values]
    return texts, numeric


def simple_table(headers: list[str], rows: list[list[str]], numeric: list[bool]) -> str:
    """tabulate(rows, headers, tablefmt="simple", disable_numparse=True,
    preserve_whitespace=True, colalign=...) for cells that are already text."""
    return laid_out(headers, columns_of(headers, rows), numeric)


def columns_of(headers: list[Any], rows: list[list[Any]]) -> list[Sequence[Any]]:
    return list(zip(*rows, strict=True)) if rows else [() for _header in headers]


def laid_out(headers: list[str], columns: list[Sequence[str]], numeric: list[bool]) -> str:
    """Columns of text in the "simple" layout: each as wide as its longest cell or its header
    plus two, numbers to the right, two spaces between columns, no trailing spaces."""
    widths = column_widths(headers, columns)
    line = (" " * GAP).join(
        f"%{w}s" if right else f"%-{w}s" for w, right in zip(widths, numeric, strict=True)
    )
    lines = [(line % tuple(headers)).rstrip(), rule(widths)]
    lines.extend(map(str.rstrip, map(line.__mod__, zip(*columns, strict=True))))
    return "\n".join(lines)


def column_widths(
    headers: list[str], columns: list[Sequence[str]], padding: int = MIN_PADDING
) -> list[int]:
    return [
        max(len(header) + padding, max(map(len, column), default=0))
        for header, column in zip(headers, columns, strict=True)
    ]


def rule(widths: list[int]) -> str:
    return (" " * GAP).join("-" * w for w in widths)


def _line(cells: list[str], widths: list[int], numeric: list[bool]) -> str:
    return (
        (" " * GAP)
        .join(
            c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True)
        )
        .rstrip()
    )


def table_width(widths: list[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1)


def narrowest(
    header: str, cells: list[str], natural: int, numeric: bool, width: int, floor: int
) -> int:
    """How narrow a column may wrap: numbers never; text down to its longest word (a word is
    broken only when longer than half the width), its header or `floor`."""
    if numeric or natural <= floor:
        return natural
    long_cells = (cell for cell in cells if len(cell) > floor)
    longest_word = max((len(word) for cell in long_cells for word in cell.split()), default=0)
    return min(natural, max(len(header), floor, min(longest_word, width // 2)))


def least_widths(
    headers: list[str], rows: list[list[str]], numeric: list[bool], natural: list[int], width: int
) -> list[int]:
    """Each column's narrowest width: text not below MIN_TEXT, or TIGHT_TEXT when that keeps
    every column in the table (rather than one or two fields under each record)."""

    def at(floor: int) -> list[int]:
        return [
            narrowest(h, [row[i] for row in rows], natural[i], numeric[i], width, floor)
            for i, h in enumerate(headers)
        ]

    comfortable = at(MIN_TEXT)
    if table_width(comfortable) <= width:
        return comfortable
    tight = at(TIGHT_TEXT)
    return tight if table_width(tight) <= width else comfortable


def shrink(natural: list[int], least: list[int], room: int) -> list[int]:
    """Column widths that fit `room`: the widest columns narrowed to a common cap first."""
    if sum(natural) <= room:
        return natural
    low, high = 0, max(natural)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(max(m, min(n, cap)) for n, m in zip(natural, least, strict=True)) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [max(m, min(n, low)) for n, m in zip(natural, least, strict=True)]
    spare = room - sum(widths)
    for i, n in enumerate(natural):  # what the cap left over, to the first capped columns
        if spare <= 0:
            break
        if widths[i] < n:
            extra = min(spare, n - widths[i])
            widths[i] += extra
            spare -= extra
    return widths


def columns_that_fit(least: list[int], width: int) -> int:
    """How many leading columns fit `width` at their narrowest (at least one)."""
    used = -GAP
    for count, w in enumerate(least):
        used += w + GAP
        if used > width:
            return max(count, 1)
    return len(least)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width`; a leading indent (a department's depth in the tree) is kept on
    every line."""
    if len(text) <= width:
        return [text]
    indent = text[: len(text) - len(text.lstrip(" "))]
    if len(indent) > width // 2:
        indent = ""
    return textwrap.wrap(
        text.lstrip(" "), width, initial_indent=indent, subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [""]  # fmt: skip


def detail_layout(
    labels: list[str], rows: list[list[str]], width: int
) -> tuple[list[list[int]], list[int]]:
    """Which of the moved columns share a line, and each field's width: the same for every
    record, so that the fields line up from one record to the next."""
    room = width - len(DETAIL_INDENT)
    sizes = [
        min(room, max(len(label) + 2 + len(row[i]) for row in rows))
        for i, label in enumerate(labels)
    ]
    lines: list[list[int]] = []
    used = room + 1
    for i, size in enumerate(sizes):
        if lines and used + len(DETAIL_GAP) + size <= room:
            lines[-1].append(i)
            used += len(DETAIL_GAP) + size
        else:
            lines.append([i])
            used = size
    return lines, sizes


def detail_lines(
    labels: list[str], cells: list[str], layout: list[list[int]], sizes: list[int], width: int
) -> list[str]:
    """A record's moved columns as `Header: value` fields, wrapped when one is too long."""
    out = []
    for line in layout:
        fields = [f"{labels[i]}: {cells[i]}" for i in line]
        if len(line) == 1:
            hang = DETAIL_INDENT + " " * (len(labels[line[0]]) + 2)
            out.extend(
                textwrap.wrap(
                    fields[0],
                    width,
                    initial_indent=DETAIL_INDENT,
                    subsequent_indent=hang,
                    break_on_hyphens=False,
                )
            )
        else:
            padded = [f.ljust(sizes[i]) for f, i in zip(fields, line, strict=True)]
            out.append((DETAIL_INDENT + DETAIL_GAP.join(padded)).rstrip())
    return out


def wrapped_table(
    headers: list[str], rows: list[list[str]], numeric: list[bool], width: int
) -> str:
    """A table too wide for `width`: long text wraps in its column, and the columns that still
    do not fit become `Header: value` lines under each record. Columns are as wide as their
    header (not two more, as tabulate makes them): every column counts here."""
    natural = column_widths(headers, columns_of(headers, rows), padding=0)
    least = least_widths(headers, rows, numeric, natural, width)
    shown = columns_that_fit(least, width)
    widths = shrink(natural[:shown], least[:shown], width - GAP * (shown - 1))
    labels = headers[shown:]
    layout, sizes = (
        detail_layout(labels, [row[shown:] for row in rows], width) if labels else ([], [])
    )
    kept = numeric[:shown]
    lines = [_line(headers[:shown], widths, kept), rule(widths)]
    several = bool(labels)
    records = []
    for row in rows:
        parts = [wrap(cell, w) for cell, w in zip(row, widths, strict=False)]
        height = max(len(p) for p in parts)
        several = several or height > 1
        record = [
            _line([p[k] if k < len(p) else "" for p in parts], widths, kept) for k in range(height)
        ]
        if labels:
            record += detail_lines(labels, row[shown:], layout, sizes, width)
        records.append("\n".join(record))
    lines.append(("\n\n" if several else "\n").join(records))
    return "\n".join(lines)


def render_table(headers: list[str], rows: list[list[Any]], width: int = WIDTH) -> str:
    return render_columns(headers, columns_of(headers, rows), width)


def render_columns(headers: list[Any], columns: list[Sequence[Any]], width: int) -> str:
    """A table given by its columns of values: laid out whole when it fits `width`, else
    wrapped (`wrapped_table`)."""
    made = [text_column(column) for column in columns]
    texts = [text for text, _numeric in made]
    numeric = [numeric for _text, numeric in made]
    text_headers = [cell_text(h) for h in headers]
    if table_width(column_widths(text_headers, texts)) <= width:
        return laid_out(text_headers, texts, numeric)
    rows = [list(row) for row in zip(*texts, strict=True)]
    return wrapped_table(text_headers, rows, numeric, width)


def runs(keys: Sequence[Any]) -> list[tuple[Any, int, int]]:
    """(key, start, end) of each run of equal consecutive keys (as `cells.group_rows` cuts)."""
    found: list[tuple[Any, int, int]] = []
    start = 0
    for key, run in groupby(keys):
        end = start + len(list(run))
        found.append((key, start, end))
        start = end
    return found


def paragraph(text: str, width: int) -> str:
    """Prose (a note, a group's heading) wrapped within the width."""
    return "\n".join(wrap(plain(text), width))


def heading(text: str, underline: str, width: int = WIDTH) -> str:
    lines = wrap(plain(text), width)
    return "\n".join(lines) + "\n" + underline * max(len(line) for line in lines)


def summary_lines(summary: list[tuple[str, str]], width: int) -> str:
    """`Label: value` lines, values aligned; a long value wraps under itself."""
    labels = [cell_text(key) for key, _value in summary]
    label_width = max(len(label) for label in labels) + 1
    hang = " " * (label_width + 1)
    lines = []
    for label, (_key, value) in zip(labels, summary, strict=True):
        first = f"{label + ':':<{label_width}} "
        lines.extend(
            textwrap.wrap(cell_text(value), width, initial_indent=first, subsequent_indent=hang)
            or [first.rstrip()]
        )
    return "\n".join(lines)


def render_section(table: Table, width: int = WIDTH) -> str:
    parts = [heading(cell_text(table.title), "-", width)]
    if table.note:
        parts.append(paragraph(cell_text(table.note), width))
    if not table.rows:
        parts.append(_("(none)"))
    elif table.group_by is None:
        parts.append(render_table(table.headers, table.rows, width))
    else:
        index = table.group_by
        headers = table.headers[:index] + table.headers[index + 1 :]
        columns = list(zip(*table.rows, strict=True))
        keys = columns.pop(index)
        label = cell_text(table.headers[index])
        for key, start, end in runs(keys):
            parts.append(paragraph(f"{label}: {cell_text(key)}", width))
            parts.append(render_columns(headers, [c[start:end] for c in columns], width))
    return "\n\n".join(parts)


def render(report: Report, width: int = WIDTH) -> str:
    width = max(width, MIN_WIDTH)
    parts = [heading(cell_text(report.title()), "=", width)]
    if report.summary:
        parts.append(summary_lines(report.summary, width))
    with collector_paused():  # 0.21 s CPU against 0.46-0.77 s at 50,000 staff (docs/performance.md)
        parts.extend(render_section(table, width) for table in report.tables())
    return "\n\n".join(parts) + "\n"
