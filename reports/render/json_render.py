"""JSON: the report's full structure, numbers unrounded (a contract other tools read)."""

from __future__ import annotations

import orjson

from reports.base import Report


def render(report: Report) -> str:
    return render_bytes(report).decode()


def render_bytes(report: Report) -> bytes:
    """The JSON as UTF-8 (a file's or stdout's bytes, without a round trip through `str`)."""
    data = report.to_json_data()
    notes = [value for label, value in report.summary if label == "Note"]
    if notes:  # what the figures mean (no assessment counted yet), as the other formats say
        data["notes"] = notes
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
