"""Renderers: a report in plain text, Markdown, CSV or JSON. Each is `render(report) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from reports.base import Report
from reports.render import csv_render, json_render, markdown, text

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "md": markdown.render,
    "csv": csv_render.render,
    "json": json_render.render,
}
FORMATS = tuple(RENDERERS)


def render(report: Report, fmt: str = "text", width: int | None = None) -> str:
    """`width`: the text format's line width (default 100); the other formats have none."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})") from None
    if fmt == "text" and width is not None:
        return text.render(report, width)
    return renderer(report)
