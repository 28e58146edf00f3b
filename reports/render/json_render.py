"""JSON: the report's full structure, numbers unrounded (a contract other tools read)."""

from __future__ import annotations

import orjson

from reports.base import Report


def render(report: Report) -> str:
    data = report.to_dict()
    notes = [value for label, value in report.summary if label == "Note"]
    if notes:  # what the figures mean (no assessment counted yet), as the other formats say
        data["notes"] = notes
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
