"""Robots: the portfolio (filtered by department and below, and by phase; sorted by benefit
realisation, hours, failed-run rate or key-person risk) and a robot's own page.

Every figure is `reports.robots`' (the same functions as `report robots`); phase and risk are
shown in words and a symbol, never by colour alone. Writes go through the forms in
`tui.forms.robot`, which call the store's operations.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from i18n import N_, _, format_date, format_decimal, format_integer, ngettext
from reports import rules
from reports.robots import (
    SORTS,
    RobotFigures,
    is_qualified,
    monthly_benefits,
    portfolio,
    qualification,
    robot_figures,
)
from store.labels import phase_label
from store.models import Robot, RobotBenefit, RobotPhase
from tui.forms.picker import PickerScreen
from tui.forms.robot import (
    CompetenciesForm,
    HourlyRateForm,
    LogMonthForm,
    OperatorsForm,
    PhaseForm,
    RobotForm,
)
from tui.screens.base import AnalysisScreen
from tui.widgets.columns import fit_widths, titled
from tui.widgets.footer import KeysFooter
from tui.widgets.tables import cell, pct_cell
from tui.widgets.trend import format_pct

PHASE_SYMBOLS = {
    RobotPhase.IDEA: "○",
    RobotPhase.ANALYSIS: "◔",
    RobotPhase.DEVELOPMENT: "◑",
    RobotPhase.TEST: "◕",
    RobotPhase.PRODUCTION: "●",
    RobotPhase.PAUSED: "‖",
    RobotPhase.RETIRED: "✕",
}
"""A symbol per phase beside its word, so the phase reads without colour."""

PHASE_FILTERS: list[RobotPhase | None] = [None, *RobotPhase]
SORT_ORDER = list(SORTS)

NARROW_HIDDEN = {100: ("Qual.", "Failed %", "Net value"), 120: ("Net value",)}
"""Columns left out below a width (the robot's page shows them all), so that the name keeps
room at 80 columns instead of the table scrolling sideways."""

COLUMNS = [
    (N_("Code"), 8),
    (N_("Name"), None),
    (N_("Phase"), 13),
    (N_("Risk"), 9),
    (N_("Qual."), 5),
    (N_("Saved / exp. h"), 14),
    (N_("Real. %"), 8),
    (N_("Failed %"), 8),
    (N_("Net value"), 11),
]
"""The portfolio's columns by their English titles (the keys) and fixed widths; each is titled
in the current language."""


def phase_cell(phase: RobotPhase | None) -> Text:
    if phase is None:
        return Text(_("– not yet"))
    return Text(f"{PHASE_SYMBOLS[phase]} {phase_label(phase)}", no_wrap=True)


def risk_cell(figures: RobotFigures) -> Text:
    """'⚠ at risk' in words and a sign; '✓ covered' for production robots that are not."""
    if figures.key_person_risk:
        return Text(_("⚠ at risk"), style="bold red")
    if figures.in_production:
        return Text(_("✓ covered"))
    return Text("–")


def whole(value: float) -> str:
    """Hours or kroner in whole numbers, grouped as the current language groups them."""
    return format_decimal(value, 0, grouping=True)


def money(value: float | None) -> str:
    return "–" if value is None else whole(value)


def figures_row(figures: RobotFigures) -> list[Text]:
    robot = figures.robot
    return [
        cell(robot.code),
        Text(robot.name.replace("\n", " "), no_wrap=True, overflow="ellipsis"),
        phase_cell(figures.phase),
        risk_cell(figures),
        Text(f"{figures.qualified_operators}/{figures.operators}"),
        Text(
            f"{whole(figures.hours_12m)} / {whole(robot.expected_hours_per_year)}", justify="right"
        ),
        pct_cell(figures.realisation_pct),
        pct_cell(figures.failed_pct),
        Text(money(figures.net_value), justify="right"),
    ]


class RobotsScreen(AnalysisScreen):
    """The robot portfolio: Enter opens a robot; the keys filter, sort and act on it."""

    TITLE = N_("Robots")
    CSS_PATH = "robots.tcss"
    BINDINGS = [
        Binding("enter", "open_robot", N_("Open")),
        Binding("n", "add", N_("Add")),
        Binding("f", "cycle_phase", N_("Phase")),
        Binding("s", "cycle_sort", N_("Sort")),
        Binding("d", "choose_department", N_("Department")),
        Binding("a", "all_departments", N_("All departments"), show=False),
        Binding("e", "edit", N_("Edit"), show=False),
        Binding("p", "change_phase", N_("Change phase"), show=False),
        Binding("o", "operators", N_("Operators"), show=False),
        Binding("c", "competencies", N_("Competencies"), show=False),
        Binding("l", "log_month", N_("Log a month"), show=False),
        Binding("r", "hourly_rate", N_("Hourly rate"), show=False),
    ]
    PALETTE_ACTIONS = [
        (N_("Add a robot"), "add", N_("code, name, department, owner, expected hours, cost (n)")),
        (
            N_("Open the highlighted robot"),
            "open_robot",
            N_("details, operators, chart, phases (Enter)"),
        ),
        (
            N_("Change the highlighted robot's phase"),
            "change_phase",
            N_("dated; the old one is kept (p)"),
        ),
        (
            N_("Set the hourly rate"),
            "hourly_rate",
            N_("the value of an hour saved: net value (r)"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.department: str | None = None
        self.phase: RobotPhase | None = None
        self.sort = "risk"
        self.shown: list[RobotFigures] = []
        self.columns: list[str] = []
        self.widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="robots-filters")
        yield DataTable(id="robots-table", cursor_type="row", classes="analysis-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._set_columns()
        self.reload_data()
        self.query_one("#robots-table", DataTable).focus()

    def _set_columns(self) -> bool:
        """Columns for the screen's width; True when they changed."""
        width = self.size.width
        hidden = next((h for limit, h in sorted(NARROW_HIDDEN.items()) if width < limit), ())
        columns = [label for label, _width in COLUMNS if label not in hidden]
        fixed = {label: w for label, w in COLUMNS if w is not None and label in columns}
        widths = fit_widths(width, titled(fixed), {"Name": 1.0}, 10)
        if widths == self.widths:  # its keys are the columns shown
            return False
        self.columns, self.widths = columns, widths
        table = self.query_one("#robots-table", DataTable)
        table.clear(columns=True)
        for label in self.columns:
            table.add_column(_(label), width=self.widths[label], key=label)
        return True

    def on_resize(self) -> None:
        """The portfolio is drawn again only when the columns change, not on every resize."""
        if self._set_columns() and self.analysis_ready:
            self.show_analysis(self.app.analysis)

    def show_analysis(self, analysis) -> None:
        table = self.query_one("#robots-table", DataTable)
        keep = self.current_code()
        self.shown = portfolio(analysis, self.department, self.phase, self.sort)
        table.clear()
        labels = [label for label, _width in COLUMNS]
        for figures in self.shown:
            cells = dict(zip(labels, figures_row(figures), strict=True))
            table.add_row(*(cells[label] for label in self.columns), key=figures.robot.code)
        if keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._describe_filters(analysis)

    def _describe_filters(self, analysis) -> None:
        text = Text(no_wrap=False)
        where = _("every department") if self.department is None else (
            _("{department} and below").format(
                department=analysis.department_name(self.department)
            )
        )  # fmt: skip
        phase = _("any phase") if self.phase is None else phase_cell(self.phase).plain
        at_risk = sum(f.key_person_risk for f in self.shown)
        shown = len(self.shown)  # English keeps "1 robots"; Danish says "1 robot"
        count = ngettext("{count} robots", "{count} robots", shown).format(
            count=format_integer(shown)
        )
        text.append(count, style="bold")
        filters = _("{where} (d) · {phase} (f) · sorted by {sort} (s)").format(
            where=where, phase=phase, sort=_(SORTS[self.sort])
        )
        risk = _("{count} at key-person risk · as of {date}").format(
            count=format_integer(at_risk), date=format_date(self.app.as_of)
        )
        text.append(f" · {filters} · {risk}")
        self.query_one("#robots-filters", Static).update(text)

    def current_code(self) -> str | None:
        table = self.query_one("#robots-table", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def current_robot(self) -> Robot | None:
        code = self.current_code()
        robot = self.app.repo.ds.robots.get(code) if code else None
        if robot is None:
            self.notify(_("No robot highlighted"), severity="warning")
        return robot

    # ---- filters --------------------------------------------------------------------------
    def kept_place(self) -> tuple[str | None, RobotPhase | None, str]:
        """The department, phase and sort chosen, kept when the screen is made anew
        (tui/language.py)."""
        return self.department, self.phase, self.sort

    def put_back_place(self, place: tuple[str | None, RobotPhase | None, str]) -> None:
        self.department, self.phase, self.sort = place
        if self.is_mounted:
            self._redraw()

    def _redraw(self) -> None:
        if self.analysis_ready:
            self.show_analysis(self.app.analysis)

    def action_cycle_phase(self) -> None:
        self.phase = PHASE_FILTERS[(PHASE_FILTERS.index(self.phase) + 1) % len(PHASE_FILTERS)]
        self._redraw()

    def action_cycle_sort(self) -> None:
        self.sort = SORT_ORDER[(SORT_ORDER.index(self.sort) + 1) % len(SORT_ORDER)]
        self._redraw()

    def action_choose_department(self) -> None:
        def chosen(code: str | None) -> None:
            if code is not None:
                self.department = code
                self._redraw()

        self.app.push_screen(PickerScreen(self.app.lookup("departments")), chosen)

    def action_all_departments(self) -> None:
        self.department = None
        self._redraw()

    # ---- actions ----------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_robot()

    def action_open_robot(self) -> None:
        robot = self.current_robot()
        if robot is not None:
            self.app.push_screen(RobotScreen(robot.code))

    def action_add(self) -> None:
        self.app.push_screen(RobotForm(on=self.app.as_of))

    def action_edit(self) -> None:
        robot = self.current_robot()
        if robot is not None:
            self.app.push_screen(RobotForm(robot, on=self.app.as_of))

    def action_change_phase(self) -> None:
        robot = self.current_robot()
        if robot is not None:
            self.app.push_screen(PhaseForm(robot, self.app.as_of))

    def action_operators(self) -> None:
        robot = self.current_robot()
        if robot is not None:
            self.app.push_screen(OperatorsForm(robot))

    def action_competencies(self) -> None:
        robot = self.current_robot()
        if robot is not None:
            self.app.push_screen(CompetenciesForm(robot))

    def action_log_month(self) -> None:
        robot = self.current_robot()
        if robot is not None:
            self.app.push_screen(LogMonthForm(robot, last_month(self.app.as_of)))

    def action_hourly_rate(self) -> None:
        self.app.push_screen(HourlyRateForm())


def last_month(as_of) -> str:
    """The last whole month (what a month's log usually is for)."""
    return rules.benefit_months(as_of, 1)[0]


CHART_WIDTH = 30
"""The bars' width when there is room; narrower (down to CHART_MIN) so that each month keeps
to one line of the robot's page."""
CHART_MIN = 8


def month_note(benefit: RobotBenefit | None) -> str:
    """What follows a month's bar: its hours, runs and failed runs, or that it is not logged."""
    if benefit is None:
        return "  " + _("– not logged")
    failed = rules.failed_run_pct(benefit.runs, benefit.failed_runs)
    note = ngettext(
        "{hours} h  {runs} runs, {failed} failed ({pct})",
        "{hours} h  {runs} runs, {failed} failed ({pct})",
        benefit.runs,
    ).format(
        hours=format_decimal(benefit.hours_saved, 1, grouping=True).rjust(7),
        runs=format_integer(benefit.runs),
        failed=format_integer(benefit.failed_runs),
        pct=format_pct(failed),
    )
    return f" {note}"


def chart(analysis, robot: Robot, width: int = 120) -> Text:
    """Hours saved per month over the last 24 whole months as bars, the expected monthly hours
    as a '│' on each bar's scale, with the runs and failed runs beside them; the bars narrow so
    that each month keeps to one line of `width` columns."""
    months = monthly_benefits(analysis, robot)
    notes = [month_note(benefit) for _, benefit in months]
    bar_width = max(CHART_MIN, min(CHART_WIDTH, width - 8 - max(map(len, notes), default=0)))
    expected = robot.expected_hours_per_year / 12
    top = max([expected, *(b.hours_saved for _, b in months if b is not None)]) or 1.0
    mark = min(bar_width - 1, round(expected / top * bar_width)) if expected else None
    text = Text()
    hours = format_decimal(expected, 1, grouping=True)
    text.append(
        _("Hours saved a month (█) against the expected {hours} h (│),").format(hours=hours) + "\n"
    )
    text.append(_("runs and failed runs; the last 24 whole months") + "\n", style="dim")
    for (month, benefit), note in zip(months, notes, strict=True):
        hours = 0.0 if benefit is None else benefit.hours_saved
        filled = round(hours / top * bar_width)
        bar = ["█" if i < filled else " " for i in range(bar_width)]
        if mark is not None:
            bar[mark] = "│" if mark >= filled else "┃"
        text.append(f"{month} ")
        text.append("".join(bar), style="green" if mark is None or filled >= mark else "yellow")
        text.append(f"{note}\n", style="dim" if benefit is None else "")
    return text


class RobotScreen(AnalysisScreen):
    """One robot: its details and figures, operators with their qualification per required
    competency, the 24-month chart, and its phases."""

    TITLE = N_("Robot")
    CSS_PATH = "robots.tcss"
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("e", "edit", N_("Edit")),
        Binding("p", "change_phase", N_("Phase")),
        Binding("o", "operators", N_("Operators")),
        Binding("c", "competencies", N_("Competencies")),
        Binding("l", "log_month", N_("Log month")),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self._chart_for = None  # the analysis the chart was drawn from, to redraw on a resize

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Loading…")), id="robot-summary")
        with VerticalScroll(id="robot-body", classes="analysis-body"):
            yield Static(Text(_("Operators")), classes="section-title", id="title-operators")
            yield DataTable(id="robot-operators", cursor_type="row")
            yield Static(Text(_("Phases, newest first")), classes="section-title")
            yield DataTable(id="robot-phases", cursor_type="row")
            yield Static(Text(_("Benefit")), classes="section-title")
            yield Static("", id="robot-chart")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload_data()

    @property
    def robot(self) -> Robot | None:
        return self.app.repo.ds.robots.get(self.code)

    def show_analysis(self, analysis) -> None:
        robot = self.robot
        if robot is None:
            gone = _("No robot {code} any more.").format(code=self.code)
            self.query_one("#robot-summary", Static).update(Text(gone))
            return
        figures = robot_figures(analysis, robot)
        self.sub_title = robot.code
        self.query_one("#robot-summary", Static).update(self.summary(analysis, figures))
        self._fill_operators(analysis, robot)
        self._fill_chart(analysis, robot)
        self._fill_phases(robot)

    def summary(self, analysis, figures: RobotFigures) -> Text:
        robot = figures.robot
        ds = analysis.ds
        owner = ds.staff.get(robot.owner) if robot.owner else None
        text = Text(robot.name, style="bold")
        text.append(f"  {robot.code}\n")
        text.append(phase_cell(figures.phase))
        if figures.phase_since:
            text.append(" " + _("since {date}").format(date=format_date(figures.phase_since)))
        text.append(" · ")
        text.append(risk_cell(figures))
        qualified = ngettext(
            "{qualified} of {operators} operators qualified",
            "{qualified} of {operators} operators qualified",
            figures.operators,
        ).format(qualified=figures.qualified_operators, operators=figures.operators)
        text.append(f" · {qualified}\n")
        text.append(f"{analysis.department_name(robot.department)} ({robot.department})")
        who = owner.name if owner else (robot.owner or _("none"))
        text.append(" · " + _("owner {name}").format(name=who))
        go_live = format_date(robot.go_live) if robot.go_live else "–"
        text.append(" · " + _("go-live {date}").format(date=go_live) + "\n")
        details = [
            (_("process"), robot.process), (_("platform"), robot.platform), (_("KLE"), robot.kle),
            (_("runs"), robot.run_frequency),
        ]  # fmt: skip
        shown = [f"{label} {value}" for label, value in details if value]  # labels translated
        text.append(" · ".join(shown) or "–")
        text.append("\n")
        text.append(
            _(
                "Last 12 months: {hours} of {expected} h expected ({realisation})"
                " · failed runs {failed} · yearly cost {cost} · net value {net}"
            ).format(
                hours=whole(figures.hours_12m),
                expected=whole(robot.expected_hours_per_year),
                realisation=format_pct(figures.realisation_pct),
                failed=format_pct(figures.failed_pct),
                cost=whole(robot.yearly_cost),
                net=money(figures.net_value),
            )
        )
        if figures.net_value is None:
            text.append(" " + _("(no hourly rate set)"), style="dim")
        return text

    def _fill_operators(self, analysis, robot: Robot) -> None:
        table = self.query_one("#robot-operators", DataTable)
        required = list(robot.required_competencies)
        table.clear(columns=True)
        for label in [N_("Employee"), "Name", N_("Qualified")]:
            table.add_column(_(label), key=label)
        for code in required:
            table.add_column(code, key=code)
        for employee_no in robot.operators:
            person = analysis.ds.staff.get(employee_no)
            met = qualification(analysis, robot, employee_no)
            qualified = is_qualified(analysis, robot, employee_no)
            status = Text(_("✓ yes")) if qualified else Text(_("✗ no"), style="bold red")
            if person is not None and not person.active:
                status = Text(_("✗ inactive"), style="bold red")
            cells = []
            for code in required:
                level = analysis.current_level(employee_no, code)
                shown = "–" if level is None else str(level)
                mark = "✓" if met[code] else "✗"
                cells.append(Text(f"{mark} {shown}/{robot.required_competencies[code]}"))
            table.add_row(
                cell(employee_no), cell(person.name if person else "?"), status, *cells,
                key=employee_no,
            )  # fmt: skip
        needed = ", ".join(f"{c} {lvl}" for c, lvl in robot.required_competencies.items())
        title = _("Operators ({count}); required: {competencies}").format(
            count=len(robot.operators), competencies=needed or _("nothing")
        )
        self.query_one("#title-operators", Static).update(Text(title))

    def _fill_chart(self, analysis, robot: Robot) -> None:
        """The chart within the page's width (less its padding and the scroll bar)."""
        self._chart_for = analysis
        width = self.size.width - 4
        self.query_one("#robot-chart", Static).update(chart(analysis, robot, width))

    def on_resize(self) -> None:
        robot, analysis = self.robot, self._chart_for
        if robot is not None and analysis is not None:
            self._fill_chart(analysis, robot)

    def _fill_phases(self, robot: Robot) -> None:
        table = self.query_one("#robot-phases", DataTable)
        table.clear(columns=True)
        for label in ("Phase", N_("From"), N_("Until")):
            table.add_column(_(label), key=label)
        phases = robot.phases()
        for i, change in enumerate(reversed(phases)):
            until = phases[len(phases) - i].since if i else None
            table.add_row(
                phase_cell(change.phase),
                Text(format_date(change.since) if change.since else "–"),
                Text(_("now") if i == 0 else (format_date(until) if until else "–")),
            )

    # ---- actions ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "change_phase", "operators", "competencies", "log_month"):
            return self.robot is not None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit(self) -> None:
        self.app.push_screen(RobotForm(self.robot, on=self.app.as_of))

    def action_change_phase(self) -> None:
        self.app.push_screen(PhaseForm(self.robot, self.app.as_of))

    def action_operators(self) -> None:
        self.app.push_screen(OperatorsForm(self.robot))

    def action_competencies(self) -> None:
        self.app.push_screen(CompetenciesForm(self.robot))

    def action_log_month(self) -> None:
        self.app.push_screen(LogMonthForm(self.robot, last_month(self.app.as_of)))
