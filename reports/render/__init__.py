"""Renderers: a report in plain text, Markdown, CSV or JSON (`render(report) -> str` each), or
as an .xlsx workbook (`render_file`, bytes: a file, never a terminal's text)."""

from __future__ import annotations

from collections.abc import Callable

from i18n import _
from reports.base import Report
from reports.render import csv_render, json_render, markdown, text
from store.progress import Progress, tell

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "md": markdown.render,
    "csv": csv_render.render,
    "json": json_render.render,
}
FORMATS = tuple(RENDERERS)
"""The text formats (a terminal or a pipe may take them)."""
FILE_FORMATS = (*FORMATS, "xlsx")
"""Every format a report can be saved in."""


def render(
    report: Report, fmt: str = "text", width: int | None = None, progress: Progress | None = None
) -> str:
    """`width`: the text format's line width (default 100); the other formats have none.
    `progress` is told when the setting out starts (the second half of making a report)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})") from None
    tell(progress, _("Setting out the report"), 0.5)
    if fmt == "text" and width is not None:
        return text.render(report, width)
    return renderer(report)


def render_file(
    report: Report, fmt: str = "text", width: int | None = None, progress: Progress | None = None
) -> bytes:
    """The report as the bytes of a file in `fmt` (text formats in UTF-8)."""
    if fmt == "xlsx":
        from reports.render import xlsx

        tell(progress, _("Setting out the report"), 0.5)
        return xlsx.render(report)
    if fmt == "json":
        tell(progress, _("Setting out the report"), 0.5)
        return json_render.render_bytes(report)
    return render(report, fmt, width, progress).encode("utf-8")
