"""Overview: the organisation at a glance; selecting a figure opens the screen behind it.

Every figure comes from `reports.overview` (the same numbers as `kapabel report`); this screen
only lays them out. Select a gap to open that department on the Organisation screen, overdue
training to open Training, a robot figure to open the robots on the Organisation screen, and
coverage, agents or expiring ratings to list what the figure counts.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from i18n import N_, _, format_decimal, format_integer
from tui.screens.base import AnalysisScreen
from tui.widgets.columns import fit_widths, titled
from tui.widgets.footer import KeysFooter
from tui.widgets.readiness import ReadinessBar
from tui.widgets.tables import cell, refill
from tui.widgets.trend import TrendBars, format_pct

FIGURE_TARGETS = {
    "readiness": ("organisation", "gaps"),
    "overdue": ("training", None),
    "production": ("organisation", "robots"),
    "hours": ("organisation", "robots"),
    "risk": ("organisation", "robots"),
    "coverage": ("list", None),
    "agents": ("list", None),
    "expiring": ("list", None),
}
"""Figure row key -> (mode, tab of the Organisation screen) it opens."""


def _competency_label(code: str, competencies) -> str:
    competency = competencies.get(code)
    return f"{code} {competency.name}" if competency else code


def _risk_value(codes: list[str]) -> str:
    if not codes:
        return _("none")
    shown = ", ".join(codes[:3]) + (" …" if len(codes) > 3 else "")
    return f"{format_integer(len(codes))} ({shown})"


GAPS_LISTED = 30
"""Largest gaps the table holds: as many as the screen's height shows, the rest a scroll away."""
GAP_COLUMNS = ("Competency", "Department", "Short", "Required")
FIGURE_COLUMNS = ("Figure", "Value", "Opens")
COLUMN_TITLES = {
    "Competency": N_("Competency"),
    "Department": N_("Department"),
    "Short": N_("Short"),
    "Required": N_("Required"),
    "Figure": N_("Figure"),
    "Value": N_("Value"),
    "Opens": N_("Opens"),
}
"""The columns' keys (English, as tests and widths name them) -> titles shown through _()."""


def column_widths(total: int) -> dict[str, dict[str, int]]:
    """Both tables' columns for a width of `total`: the text columns take what is free."""
    return {
        "gaps": fit_widths(
            total, titled({"Short": 6, "Required": 8}), {"Competency": 3, "Department": 2}
        ),
        "figures": fit_widths(total, titled({"Figure": 29, "Opens": 12}), {"Value": 1.0}),
    }


class OverviewScreen(AnalysisScreen):
    TITLE = N_("Overview")
    figures_shown = False
    """True once the figures are in the screen's tables (tests wait for it)."""
    figures_drawn_at: float | None = None
    """`time.perf_counter()` when the figures were first drawn (the benchmarks read it: a
    worker reading the history just after may keep the app from idling for a while)."""
    trend_shown = False
    """True once the readiness trend is on screen."""
    _trend_due = None
    """The figures whose trend is still to be computed (once they are drawn)."""
    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("o", "open_selected", N_("Open selected")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="overview", classes="analysis-body"):
            with Vertical(id="readiness-box"):
                yield ReadinessBar(id="readiness")
                yield Static(id="assessments-note")
                yield TrendBars(Text(_("computing the trend …"), style="dim"), id="trend")
            yield Static(Text(_("Largest gaps (competency × department)"), style="bold"))
            yield DataTable(id="gaps", cursor_type="row", zebra_stripes=True)
            yield Static(Text(_("Training and robots"), style="bold"))
            yield DataTable(id="figures", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    _widths: dict[str, dict[str, int]] = {}
    _rows: dict[str, tuple[list, list[str] | None]] = {}
    """What each table shows (rows, keys), to refill it when its columns change width."""

    def on_mount(self) -> None:
        self.query_one("#readiness-box").border_title = _("Organisation readiness")
        self._rows = {"gaps": ([], None), "figures": ([], None)}
        self._set_columns()

    def on_resize(self) -> None:
        self._set_columns()

    def _set_columns(self) -> None:
        """Columns as wide as the screen allows; the rows are put back in the new columns."""
        widths = column_widths(max(60, self.size.width - 2))  # the Overview's side padding
        if widths == self._widths:
            return
        self._widths = widths
        for table_id, labels in (("gaps", GAP_COLUMNS), ("figures", FIGURE_COLUMNS)):
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear(columns=True)
            for label in labels:
                table.add_column(_(COLUMN_TITLES[label]), width=widths[table_id][label], key=label)
            self._fill(table_id, *self._rows[table_id])

    def _fill(self, table_id: str, rows: list, keys: list[str] | None = None) -> None:
        """Show `rows`; the same rows again are left as they are (the cursor stays put when
        the whole history replaces the first look with the same figures)."""
        table = self.query_one(f"#{table_id}", DataTable)
        if self._rows.get(table_id) == (rows, keys) and table.row_count == len(rows):
            return
        self._rows[table_id] = (rows, keys)
        refill(table, rows, keys=keys)

    def show_analysis(self, analysis) -> None:
        from reports.overview import build_overview

        figures = build_overview(analysis, GAPS_LISTED)
        whole = analysis.department_figures(None)
        self.query_one("#readiness", ReadinessBar).show(
            whole.readiness_pct, whole.pairs_met, whole.pairs_required
        )
        note = analysis.assessments_note()
        note_box = self.query_one("#assessments-note", Static)
        note_box.update(Text(f"⚠ {note}", style="bold yellow") if note else "")
        note_box.display = bool(note)
        self._gap_departments = [g.department for g in figures.largest_gaps]
        competencies = analysis.ds.competencies
        self._fill(
            "gaps",
            [
                (
                    cell(_competency_label(g.competency, competencies)),
                    cell(analysis.department_name(g.department)),
                    format_integer(g.staff_short),
                    format_integer(g.staff_required),
                )
                for g in figures.largest_gaps
            ],
        )
        realisation = format_pct(figures.benefit_realisation_pct)
        rows = [
            ("readiness", _("Readiness, whole organisation"), format_pct(figures.readiness_pct)),
            ("overdue", _("Overdue training plans"), format_integer(figures.overdue_training)),
            ("production", _("Robots in production"), format_integer(figures.robots_in_production)),
            (
                "hours",
                _("Hours saved, last 12 months"),
                _("{saved} of {expected} h ({realisation})").format(
                    saved=format_decimal(figures.hours_saved_12_months, 0, grouping=True),
                    expected=format_decimal(figures.hours_expected_per_year, 0, grouping=True),
                    realisation=realisation,
                ),
            ),
            ("risk", _("Robots at key-person risk"), _risk_value(figures.key_person_risk)),
            (
                "coverage",
                _("Coverage rules not met"),
                _("{unmet} of {results}").format(
                    unmet=format_integer(figures.coverage_unmet),
                    results=format_integer(figures.coverage_results),
                ),
            ),
            (
                "agents",
                _("Departments without an agent"),
                format_integer(len(figures.without_agent)),
            ),
            ("expiring", _("Ratings expiring in 60 days"), format_integer(figures.expiring)),
        ]
        self._analysis = analysis
        opens = {"organisation": _("Organisation"), "training": _("Training"), "list": _("List")}
        self._fill(
            "figures",
            [(label, cell(value), opens[FIGURE_TARGETS[key][0]]) for key, label, value in rows],
            [key for key, _, _ in rows],
        )
        self.figures_shown = True
        if not self.app.history_loaded:  # the first look: the trend needs the whole history
            self.query_one("#trend", TrendBars).update(
                Text(_("loading the history …"), style="dim")
            )
        else:
            self._trend_due = analysis
        self.call_after_refresh(self._figures_drawn)

    def _figures_drawn(self) -> None:
        """After the refresh that drew the figures: note when (once); then start the trend,
        or on a first look let the opening worker read the whole history now."""
        if self.figures_drawn_at is None:
            self.figures_drawn_at = time.perf_counter()
        if not self.app.history_loaded:
            self.app.first_look_drawn()
        else:
            self._start_trend()

    # ------------------------------------------------------------- the trend
    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._trend_due is not None:  # left before the figures were drawn
            self.call_after_refresh(self._start_trend)

    def _start_trend(self) -> None:
        """Right after the figures are drawn, while the Overview is shown (there was a 0.4 s
        wait, for someone moving on at once, from when the trend took seconds of work in
        another process; it is ~0.1 s CPU in a thread now, see docs/performance.md)."""
        if self.app.screen is not self:
            self.app.overview_settled()  # moved on: no trend to wait for now
        elif self._trend_due is not None:
            analysis, self._trend_due = self._trend_due, None
            self._compute_trend(analysis)

    @work(thread=True, exclusive=True, group="trend")
    def _compute_trend(self, analysis) -> None:
        """Readiness at past quarter ends, from the history's columns (a few array passes per
        date: in this process, no longer in a forked child)."""
        from reports.overview import overview_trend

        trend = overview_trend(analysis)
        points = list(zip(trend.quarter_ends, trend.lines[0].readiness, strict=True))
        if not get_current_worker().is_cancelled:  # newer figures asked for a newer trend
            self.app.call_from_thread(self._show_trend, points)

    def _show_trend(self, points) -> None:
        self.query_one("#trend", TrendBars).show(points)
        self.trend_shown = True
        self.app.overview_settled()

    # ------------------------------------------------------------- drill-down
    @on(DataTable.RowSelected, "#gaps")
    def _gap_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_department(self._gap_departments[event.cursor_row])

    @on(DataTable.RowSelected, "#figures")
    async def _figure_selected(self, event: DataTable.RowSelected) -> None:
        await self.open_figure(str(event.row_key.value))

    async def open_figure(self, key: str) -> None:
        if key == "overdue" and self.app.defer_until_history(
            "Training", lambda: self.open_figure(key)
        ):
            return
        mode, tab = FIGURE_TARGETS[key]
        if mode == "list":
            from tui.screens.findings import FindingsScreen, findings_rows

            self.app.push_screen(FindingsScreen(*findings_rows(self._analysis, key)))
            return
        if mode == "organisation":
            self.app.open_department(None, tab, robots_at_risk=key == "risk")
            return
        await self.app.switch_mode(mode)
        if key == "overdue":  # show just the plans the figure counts
            self.app.screen.action_show_overdue()

    def action_open_selected(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            focused.action_select_cursor()
