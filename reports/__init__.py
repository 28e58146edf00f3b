"""Pure analysis of a loaded dataset and the reports built on it (no Textual, no file I/O).

`build_report(kind, ds, as_of, department=..., employee=...)` makes any report, `render(report,
fmt)` turns it into text, Markdown, CSV or JSON. The TUI calls the same functions, so a figure on
screen and in an exported report is the same figure.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable

from i18n import N_, _
from reports.analysis import Analysis, analyse
from reports.base import Report, ReportInputError, ensure_analysis
from reports.render import FILE_FORMATS, FORMATS, render, render_file
from reports.words import term
from store.dataset import Dataset
from store.progress import Progress, tell

_BUILDERS: dict[str, str] = {
    "gaps": "reports.gaps:build_gaps",
    "heatmap": "reports.heatmap:build_heatmap",
    "person": "reports.person:build_person",
    "training": "reports.training:build_training",
    "robots": "reports.robots:build_robots",
    "strategy": "reports.strategy:build_strategy",
    "trend": "reports.trend:build_trend",
    "coverage": "reports.coverage:build_coverage",
    "ratings": "reports.ratings:build_ratings",
    "experts": "reports.experts:build_experts",
    "compare": "reports.compare:build_compare",
}
"""Each report's builder, imported when that report is asked for: a command makes one report,
and importing all eleven modules cost it ~10 ms of its start-up."""


def _builder(kind: str) -> Callable[..., Report]:
    module, name = _BUILDERS[kind].split(":")
    return getattr(importlib.import_module(module), name)


REPORT_KINDS: tuple[str, ...] = (
    "gaps", "heatmap", "person", "training", "robots", "strategy", "trend", "coverage", "ratings",
)  # fmt: skip
"""The report kinds a scope and a date are enough for, in the order menus list them."""
OPTION_KINDS: tuple[str, ...] = ("experts", "compare")
"""Reports that need more: a competency (experts), a second date (compare)."""
ALL_REPORT_KINDS = REPORT_KINDS + OPTION_KINDS
assert set(ALL_REPORT_KINDS) == set(_BUILDERS), "every report kind has a builder"

CURRENT_LEVEL_KINDS: frozenset[str] = frozenset({"gaps", "heatmap", "training", "robots"})
"""The reports that read of the assessment history only the current levels on their date (not
the history itself, as person, strategy and trend do): they can be given a Dataset holding only
those assessments (`store.read_current_levels`)."""


def build_report(
    kind: str,
    ds: Dataset | Analysis,
    as_of: dt.date | None = None,
    department: str | None = None,
    employee: str | None = None,
    progress: Progress | None = None,
    **options: object,
) -> Report:
    """Any report by name; ReportInputError (a one-line message) for bad input. `options` are
    the report's own (ratings: threshold, stale_months, within_days; experts: competency,
    min_level; compare: from_date). `progress` is told each step (analysing, building), as
    reaching 0.5 of the whole: rendering (`render`) is the other half."""
    if kind not in _BUILDERS:
        raise ReportInputError(
            _("unknown report {kind!r} (use one of {kinds})").format(
                kind=kind, kinds=", ".join(ALL_REPORT_KINDS)
            )
        )
    if kind == "person" and not employee:
        raise ReportInputError(_("the person report needs an employee number (--employee)"))
    if not isinstance(ds, Analysis) or (as_of is not None and as_of != ds.as_of):
        tell(progress, _("Analysing the assessments"), 0.0)
    analysis = ensure_analysis(ds, as_of)
    tell(progress, _("Building the report"), 0.25)
    if kind == "person":
        report = _builder(kind)(analysis, as_of, employee=employee)
    else:
        report = _builder(kind)(analysis, as_of, department=department, **options)
    note = analysis.assessments_phrase()
    if note:
        report.summary.insert(0, (term(N_("Note")), note))
    return report


__all__ = [
    "ALL_REPORT_KINDS",
    "CURRENT_LEVEL_KINDS",
    "FILE_FORMATS",
    "FORMATS",
    "OPTION_KINDS",
    "REPORT_KINDS",
    "Analysis",
    "Report",
    "ReportInputError",
    "analyse",
    "build_report",
    "render",
    "render_file",
]
