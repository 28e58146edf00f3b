"""JSON: the report's full structure, numbers unrounded (a contract other tools read)."""

from __future__ import annotations

import orjson

from reports.base import Report


def render(report: Report) -> str:
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"
