"""Markdown: GitHub tables under headings; pipes and markup in user text are escaped."""

from __future__ import annotations

import re
from typing import Any

from i18n import _
from reports.base import Report, Table
from reports.render.cells import cell_text, group_rows, is_numeric_column

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_text(value: Any) -> str:
    """Cell or heading text with Markdown's special characters escaped."""
    return _SPECIAL.sub(r"\\\1", cell_text(value))


def md_table(headers: list[str], rows: list[list[Any]]) -> str:
    numeric = [is_numeric_column(rows, i) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(md_text(h) for h in headers) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    lines.extend("| " + " | ".join(md_text(v) for v in row) + " |" for row in rows)
    return "\n".join(lines)


def md_section(table: Table) -> str:
    parts = [f"## {md_text(table.title)}"]
    if table.note:
        parts.append(md_text(table.note))
    if not table.rows:
        parts.append(_("(none)"))
    elif table.group_by is None:
        parts.append(md_table(table.headers, table.rows))
    else:
        index = table.group_by
        headers = table.headers[:index] + table.headers[index + 1 :]
        for key, rows in group_rows(table.rows, index):
            parts.append(f"### {md_text(key)}")
            parts.append(md_table(headers, rows))
    return "\n\n".join(parts)


def render(report: Report) -> str:
    parts = [f"# {md_text(report.title())}"]
    if report.summary:
        parts.append("\n".join(f"- **{md_text(k)}**: {md_text(v)}" for k, v in report.summary))
    parts.extend(md_section(table) for table in report.tables())
    return "\n\n".join(parts) + "\n"
