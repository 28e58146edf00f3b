"""The strategy: themes by rank with their progress, trend and next milestone, and a timeline of
the milestones (Strategy); one theme's page (end state, stakeholders, tied requirements and
their readiness, milestones); and the governance matrix (decision domains x archetypes).

The figures are `reports.strategy`'s, the same as `kapabel report strategy` gives; the changes
go through `tui.forms.strategy`, whose rules are `store.strategy`'s.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from i18n import N_, _, format_date, format_integer, ngettext
from reports.strategy import (
    StrategyReport,
    ThemeReadiness,
    build_strategy,
    requirement_readiness,
)
from store.errors import StoreError
from store.labels import domain_label, influence_label, milestone_status_label, priority_label
from store.models import Archetype, DecisionDomain, Milestone, Requirement, Theme
from store.strategy import (
    governance_cell,
    remove_milestone,
    remove_stakeholder,
    remove_theme,
    tie_requirements,
)
from tui.forms.confirm import ConfirmDialog
from tui.forms.strategy import (
    BackcastForm,
    GovernanceCellForm,
    MilestoneForm,
    MilestonesForm,
    StakeholderForm,
    ThemeForm,
    TieRequirementForm,
)
from tui.screens.base import AnalysisScreen
from tui.widgets.columns import fit_widths, titled
from tui.widgets.footer import KeysFooter
from tui.widgets.tables import cell, pct_cell
from tui.widgets.trend import bar_for, format_pct

CSS = Path(__file__).with_name("strategy.tcss")
TODAY = "as-of"


def trend_cell(values: list[float | None]) -> Text:
    """The progress trend as bars (oldest first) then the latest value in words."""
    text = Text("".join(bar_for(v) for v in values), style="bold cyan", no_wrap=True)
    return text


def date_text(value) -> str:
    """A date as the current language writes it; '—' when there is none."""
    return format_date(value) if value else "—"


def next_text(report: StrategyReport, readiness: ThemeReadiness) -> Text:
    found = readiness.next_milestone
    if found is None:
        return Text(_("none open"), style="dim")
    text = Text(f"{format_date(found.due)} ", no_wrap=True, overflow="ellipsis")
    late = report.overdue_words(found)
    if late:
        text.append(f"{late.upper()} ", style="bold red")
    text.append(found.title)
    return text


def overdue_cell(report: StrategyReport, milestone: Milestone) -> Text:
    late = report.overdue_words(milestone)
    return Text(f"⚠ {late}" if late else "", style="bold red", no_wrap=True)


def _fill(table: DataTable, rows: list[tuple[str, list]], keep: str | None = None) -> None:
    """Replace the rows, keeping the cursor on the row with key `keep` when it is still there."""
    table.clear()
    for key, row in rows:
        table.add_row(*row, key=key)
    keys = [key for key, _row in rows]
    if keep in keys:
        table.move_cursor(row=keys.index(keep))


def _current_key(table: DataTable) -> str | None:
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def _columns(table: DataTable, widths: dict[str, int], order: list[str]) -> None:
    """The columns in `order` that have a width; each titled in the current language, keyed by
    its English name."""
    table.clear(columns=True)
    for label in order:
        if label in widths:
            table.add_column(_(label), width=widths[label], key=label)


def _shown(cells: list, widths: dict[str, int], order: list[str]) -> list:
    """A row's cells (in `order`) for the columns the table has at its width."""
    return [c for label, c in zip(order, cells, strict=True) if label in widths]


NARROW = 100
"""Below this width the themes leave out their target date and the timeline the owner (the
theme's page shows both), so that titles keep room at 80 columns."""


THEME_FIXED = {N_("Rank"): 4, N_("Code"): 6, N_("Target"): 10, N_("Progress"): 8, N_("Trend"): 9}
THEME_ORDER = ["Rank", "Code", N_("Title"), "Target", "Progress", "Trend", N_("Next milestone")]
TIMELINE_FIXED = {N_("Due"): 10, N_("Theme"): 6, N_("Status"): 11, N_("Overdue"): 22}
TIMELINE_ORDER = ["Due", "Theme", N_("Milestone"), N_("Owner"), "Status", "Overdue"]
"""Columns by their English names (the keys); each is titled in the current language."""


class StrategyScreen(AnalysisScreen):
    """Themes by rank and the milestones' timeline."""

    TITLE = N_("Strategy")
    CSS_PATH = CSS
    AUTO_FOCUS = "#themes"
    BINDINGS = [
        Binding("enter,o", "open", N_("Open theme")),
        Binding("n", "add_theme", N_("Add theme")),
        Binding("e", "edit_theme", N_("Edit theme")),
        Binding("d", "remove_theme", N_("Remove theme")),
        Binding("m", "backcast", N_("Plan milestones")),
        Binding("g", "governance", N_("Governance")),
    ]
    PALETTE_ACTIONS = [
        (N_("Strategy: add a theme"), "add_theme", N_("A new theme at a rank")),
        (
            N_("Strategy: open the highlighted theme"),
            "open",
            N_("Its end state, stakeholders, ..."),
        ),
        (
            N_("Strategy: plan milestones back from the theme's target date"),
            "backcast",
            N_("Backcasting: N evenly spaced due dates, each editable"),
        ),
        (N_("Strategy: governance matrix"), "governance", N_("Who gives input and who decides")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: StrategyReport | None = None
        self.widths: tuple[dict[str, int], ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Loading…")), id="strategy-summary")
        with VerticalScroll(id="strategy-body", classes="analysis-body"):
            yield Static(
                Text(
                    _("Themes by rank: progress is the readiness of the requirements tied to each")
                ),
                classes="section-title",
            )
            yield DataTable(id="themes", cursor_type="row")
            yield Static(
                Text(_("Milestones, a timeline (the as-of date marked)")), classes="section-title"
            )
            yield DataTable(id="timeline", cursor_type="row")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_columns()
        self.reload_data()

    def column_widths(self) -> tuple[dict[str, int], dict[str, int]]:
        total = max(60, self.size.width - 4)
        narrow = self.size.width < NARROW
        theme_fixed = {k: w for k, w in THEME_FIXED.items() if not (narrow and k == "Target")}
        timeline_shares = {"Milestone": 2.0} if narrow else {"Milestone": 2.0, "Owner": 1.0}
        return (
            fit_widths(total, titled(theme_fixed), {"Title": 1.0, "Next milestone": 1.0}, 8),
            fit_widths(total, titled(TIMELINE_FIXED), timeline_shares, 6),
        )

    def set_columns(self) -> None:
        self.widths = self.column_widths()
        _columns(self.query_one("#themes", DataTable), self.widths[0], THEME_ORDER)
        _columns(self.query_one("#timeline", DataTable), self.widths[1], TIMELINE_ORDER)

    def on_resize(self) -> None:
        """New columns (and rows) only when the widths change: a resize to the same widths
        left the tables without rows."""
        if self.column_widths() != self.widths:
            self.set_columns()
            if self.report is not None:
                self.show_report(self.report)

    def show_analysis(self, analysis) -> None:
        self.build(analysis)

    @work(thread=True, exclusive=True, group="strategy")
    def build(self, analysis) -> None:
        """The trend rebuilds progress at past quarter ends from the history: off the UI."""
        report = build_strategy(analysis)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_report, report)

    @property
    def figures_shown(self) -> bool:
        return self.report is not None

    def show_report(self, report: StrategyReport) -> None:
        self.report = report
        overdue = sum(report.overdue(m) for m in report.milestones)
        themes, milestones = len(report.themes), len(report.milestones)
        # English keeps the words it always showed ("1 themes"); Danish says "1 tema".
        summary = Text(
            _(
                "As of {date} · {themes} · {milestones}, {overdue} overdue · g governance matrix"
            ).format(
                date=format_date(report.as_of),
                themes=ngettext("{n} themes", "{n} themes", themes).format(
                    n=format_integer(themes)
                ),
                milestones=ngettext("{n} milestones", "{n} milestones", milestones).format(
                    n=format_integer(milestones)
                ),
                overdue=format_integer(overdue),
            )
        )
        self.query_one("#strategy-summary", Static).update(summary)
        themes = self.query_one("#themes", DataTable)
        rows = [
            (
                t.theme.code,
                _shown(
                    [
                        cell(t.theme.rank),
                        cell(t.theme.code),
                        cell(t.theme.title),
                        cell(date_text(t.theme.target_date)),
                        pct_cell(t.readiness_pct),
                        trend_cell(t.trend),
                        next_text(report, t),
                    ],
                    self.widths[0],
                    THEME_ORDER,
                ),
            )
            for t in report.themes
        ]
        _fill(themes, rows, _current_key(themes))
        timeline = self.query_one("#timeline", DataTable)
        _fill(timeline, self.timeline_rows(report), _current_key(timeline))

    def timeline_rows(self, report: StrategyReport) -> list[tuple[str, list]]:
        rows: list[tuple[str, list]] = []
        marked = False
        for m in report.milestones:
            if not marked and m.due >= report.as_of:
                rows.append(
                    (TODAY, _shown(self._today_row(report), self.widths[1], TIMELINE_ORDER))
                )
                marked = True
            rows.append(
                (
                    m.id,
                    _shown(
                        [
                            cell(format_date(m.due)),
                            cell(m.theme),
                            cell(m.title),
                            cell(m.owner),
                            cell(milestone_status_label(m.status)),
                            overdue_cell(report, m),
                        ],
                        self.widths[1],
                        TIMELINE_ORDER,
                    ),
                )
            )
        if not marked:
            rows.append((TODAY, _shown(self._today_row(report), self.widths[1], TIMELINE_ORDER)))
        return rows

    @staticmethod
    def _today_row(report: StrategyReport) -> list:
        mark = Text(_("◀ as-of date"), style="bold")
        return [Text(format_date(report.as_of), style="bold"), "", mark, "", "", ""]

    # ---- actions ------------------------------------------------------------------------
    def highlighted_theme(self) -> Theme | None:
        """The theme of the highlighted row (a milestone's theme on the timeline)."""
        ds = self.app.repo.ds
        timeline = self.query_one("#timeline", DataTable)
        if self.focused is timeline:
            milestone = ds.milestones.get(_current_key(timeline) or "")
            return ds.themes.get(milestone.theme) if milestone else None
        return ds.themes.get(_current_key(self.query_one("#themes", DataTable)) or "")

    def _theme_or_say(self) -> Theme | None:
        theme = self.highlighted_theme()
        if theme is None:
            self.notify(_("No theme highlighted"), severity="warning")
        return theme

    def action_open(self) -> None:
        theme = self._theme_or_say()
        if theme is not None:
            self.app.push_screen(ThemeScreen(theme.code))

    def action_add_theme(self) -> None:
        self.app.push_screen(ThemeForm())

    def action_edit_theme(self) -> None:
        theme = self._theme_or_say()
        if theme is not None:
            self.app.push_screen(ThemeForm(theme))

    def action_remove_theme(self) -> None:
        theme = self._theme_or_say()
        if theme is not None:
            question = _("Remove theme {code}: {title}?").format(code=theme.code, title=theme.title)
            confirm_remove(self, Text(question), remove_theme, theme)

    def action_backcast(self) -> None:
        theme = self._theme_or_say()
        if theme is not None:
            plan_milestones(self, theme)

    def action_governance(self) -> None:
        self.app.push_screen(GovernanceScreen())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value != TODAY:
            self.action_open()


def plan_milestones(screen: Screen, theme: Theme) -> None:
    """Backcasting: how many, then the proposal to edit and save."""

    def proposed(proposal: list[Milestone] | None) -> None:
        if proposal:
            screen.app.push_screen(MilestonesForm(theme, proposal))

    screen.app.push_screen(BackcastForm(theme, screen.app.as_of), proposed)


def confirm_remove(screen: Screen, question: Text, remove, *args) -> None:
    """Ask first; then remove, saying what the store refused if it did."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            remove(screen.app.repo, *args)
        except StoreError as error:
            screen.notify(str(error), severity="error", timeout=8, markup=False)
        screen.app.data_changed()

    screen.app.push_screen(ConfirmDialog(question, confirm_label=_("Remove")), answered)


# ---------------------------------------------------------------------------- a theme's page
STAKEHOLDER_ORDER = [N_("Name"), N_("Role"), N_("Interest"), N_("Influence")]
REQUIREMENT_ORDER = [
    N_("Competency"), N_("Level"), N_("Department"), "Role", N_("Priority"), N_("Ready"), N_("Met"),
]  # fmt: skip
MILESTONE_ORDER = ["Due", "Milestone", "Owner", "Status", "Overdue"]


class ThemeScreen(Screen):
    """One theme: what it aims at, who has a stake, what it requires, and its milestones."""

    TITLE = N_("Theme")
    CSS_PATH = CSS
    AUTO_FOCUS = "#theme-milestones"
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("e", "edit", N_("Edit theme")),
        Binding("s", "add_stakeholder", N_("Add stakeholder")),
        Binding("t", "tie", N_("Tie requirement")),
        Binding("m", "backcast", N_("Plan milestones")),
        Binding("a", "add_milestone", N_("Add milestone")),
        Binding("enter", "edit_row", N_("Edit row")),
        Binding("d", "remove_row", N_("Remove row")),
    ]
    PALETTE_ACTIONS = [
        (N_("Theme: add a stakeholder"), "add_stakeholder", N_("Name, role, interest, influence")),
        (N_("Theme: tie a requirement"), "tie", N_("Its progress counts that requirement")),
        (
            N_("Theme: plan milestones back from the target date"),
            "backcast",
            N_("Backcasting"),
        ),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.report: StrategyReport | None = None
        self.widths: dict[str, dict[str, int]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Loading…")), id="theme-summary")
        with VerticalScroll(id="theme-body"):
            yield Static(Text(_("Stakeholders (s add)")), classes="section-title")
            yield DataTable(id="theme-stakeholders", cursor_type="row")
            yield Static(
                Text(_("Tied requirements and their readiness (t tie)")), classes="section-title"
            )
            yield DataTable(id="theme-requirements", cursor_type="row")
            yield Static(Text(_("Milestones (m plan back, a add)")), classes="section-title")
            yield DataTable(id="theme-milestones", cursor_type="row")
        yield KeysFooter()

    @property
    def theme(self) -> Theme | None:
        return self.app.repo.ds.themes.get(self.code)

    def on_mount(self) -> None:
        self.set_columns()
        self.reload_data()

    def on_resize(self) -> None:
        """New columns (and rows) only when the widths change: a resize to the same widths
        left the tables without rows."""
        if self.column_widths() != self.widths:
            self.set_columns()
            self.reload_data()

    def column_widths(self) -> dict[str, dict[str, int]]:
        """Columns sized to the screen: free text (names, titles) gets what is left."""
        total = max(60, self.size.width - 4)
        return {
            "theme-stakeholders": fit_widths(
                total, titled({"Interest": 8, "Influence": 9}), {"Name": 1.0, "Role": 1.0}
            ),
            "theme-requirements": fit_widths(
                total,
                titled(
                    {"Competency": 10, "Level": 5, "Role": 8, "Priority": 8, "Ready": 8, "Met": 9}
                ),
                {"Department": 1.0},
            ),
            "theme-milestones": fit_widths(
                total,
                titled({"Due": 10, "Status": 11, "Overdue": 22}),
                {"Milestone": 2.0, "Owner": 1.0},
            ),
        }

    def set_columns(self) -> None:
        self.widths = self.column_widths()
        orders = {
            "theme-stakeholders": STAKEHOLDER_ORDER,
            "theme-requirements": REQUIREMENT_ORDER,
            "theme-milestones": MILESTONE_ORDER,
        }
        for table_id, order in orders.items():
            _columns(self.query_one(f"#{table_id}", DataTable), self.widths[table_id], order)

    def reload_data(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.reload_data()

    @work(thread=True, exclusive=True, group="theme-load")
    def load(self) -> None:
        analysis = self.app.analysis
        report = build_strategy(analysis)
        theme = self.theme
        requirements = []
        if theme is not None:
            tied = [r for r in analysis.ds.requirements.values() if r.theme == theme.code]
            tied.sort(key=lambda r: (r.competency, r.department, r.role or ""))
            requirements = [(r, requirement_readiness(analysis, r)) for r in tied]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, report, requirements)

    @property
    def figures_shown(self) -> bool:
        return self.report is not None

    def show(self, report: StrategyReport, requirements) -> None:
        self.report = report
        readiness = next((t for t in report.themes if t.theme.code == self.code), None)
        if readiness is None:
            gone = _("Theme {code} no longer exists (Esc goes back)").format(code=self.code)
            self.query_one("#theme-summary", Static).update(Text(gone))
            return
        theme = readiness.theme
        summary = Text()
        rank = _("{code} · rank {rank}").format(code=theme.code, rank=theme.rank)
        summary.append(f"{rank} · ", style="bold")
        summary.append(theme.title, style="bold")
        figures = _(
            "Owner: {owner} · Target date: {target} · Progress: {progress}"
            " ({met} of {required} pairs met)"
        ).format(
            owner=theme.owner or "—",
            target=date_text(theme.target_date),
            progress=format_pct(readiness.readiness_pct),
            met=format_integer(readiness.pairs_met),
            required=format_integer(readiness.pairs_required),
        )
        trend = _("Trend:")
        summary.append(f"\n{figures}\n{trend} ")
        summary.append(trend_cell(readiness.trend))
        ends = _("(quarter ends to {date})").format(date=format_date(report.as_of))
        end_state = _("End state: {end_state}").format(end_state=theme.end_state or "—")
        summary.append(f"  {ends}\n{end_state}")
        self.query_one("#theme-summary", Static).update(summary)
        stakeholders = self.query_one("#theme-stakeholders", DataTable)
        _fill(
            stakeholders,
            [
                (
                    s.name,
                    [
                        cell(s.name),
                        cell(s.role),
                        cell(influence_label(s.interest)),
                        cell(influence_label(s.influence)),
                    ],
                )
                for s in theme.stakeholders
            ],
            _current_key(stakeholders),
        )
        tied = self.query_one("#theme-requirements", DataTable)
        ds = self.app.repo.ds
        _fill(
            tied,
            [
                (r.key(), self._requirement_row(ds, r, met, required))
                for r, (met, required) in requirements
            ],
            _current_key(tied),
        )
        milestones = self.query_one("#theme-milestones", DataTable)
        _fill(
            milestones,
            [
                (
                    m.id,
                    [
                        cell(format_date(m.due)),
                        cell(m.title),
                        cell(m.owner),
                        cell(milestone_status_label(m.status)),
                        overdue_cell(report, m),
                    ],
                )
                for m in readiness.milestones
            ],  # fmt: skip
            _current_key(milestones),
        )

    @staticmethod
    def _requirement_row(ds, r: Requirement, met: int, required: int) -> list:
        department = ds.departments.get(r.department)
        name = f"{r.department} {department.name}" if department else r.department
        pct = None if not required else 100.0 * met / required
        return [
            cell(r.competency),
            cell(r.level),
            cell(name),
            cell(r.role or _("all")),
            cell(priority_label(r.priority)),
            pct_cell(pct),
            cell(f"{format_integer(met)}/{format_integer(required)}"),
        ]

    # ---- actions ------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit(self) -> None:
        if self.theme is not None:
            self.app.push_screen(ThemeForm(self.theme))

    def action_add_stakeholder(self) -> None:
        if self.theme is not None:
            self.app.push_screen(StakeholderForm(self.theme))

    def action_tie(self) -> None:
        if self.theme is not None:
            self.app.push_screen(TieRequirementForm(self.theme))

    def action_backcast(self) -> None:
        if self.theme is not None:
            plan_milestones(self, self.theme)

    def action_add_milestone(self) -> None:
        if self.theme is not None:
            self.app.push_screen(MilestoneForm(self.theme))

    def _focused_row(self) -> tuple[str, str] | None:
        table = self.focused
        if not isinstance(table, DataTable):
            return None
        key = _current_key(table)
        return (table.id or "", key) if key is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit_row()

    def action_edit_row(self) -> None:
        theme, row = self.theme, self._focused_row()
        if theme is None or row is None:
            return
        table, key = row
        if table == "theme-stakeholders":
            who = next((s for s in theme.stakeholders if s.name == key), None)
            if who is not None:
                self.app.push_screen(StakeholderForm(theme, who))
        elif table == "theme-milestones" and key in self.app.repo.ds.milestones:
            self.app.push_screen(MilestoneForm(theme, self.app.repo.ds.milestones[key]))

    def action_remove_row(self) -> None:
        theme, row = self.theme, self._focused_row()
        if theme is None or row is None:
            return
        table, key = row
        ds = self.app.repo.ds
        if table == "theme-stakeholders":
            question = Text(_("Remove stakeholder {name}?").format(name=key))
            confirm_remove(self, question, remove_stakeholder, theme, key)
        elif table == "theme-requirements" and key in ds.requirements:
            question = Text(
                _("Untie requirement {key} from {theme}?").format(key=key, theme=theme.code)
            )
            confirm_remove(self, question, _untie, ds.requirements[key])
        elif table == "theme-milestones" and key in ds.milestones:
            milestone = ds.milestones[key]
            question = Text(
                _("Remove milestone {title} ({due})?").format(
                    title=milestone.title, due=format_date(milestone.due)
                )
            )
            confirm_remove(self, question, remove_milestone, milestone)


def _untie(repo, requirement: Requirement) -> None:
    tie_requirements(repo, None, [requirement])


# ---------------------------------------------------------------------------- governance
CELL_WORDS = {
    (False, False): "·",
    (True, False): N_("input"),
    (False, True): N_("DECIDES"),
    (True, True): N_("both"),
}
LEGEND = N_(
    "input: gives input · DECIDES: holds the decision rights · both: input and decides · · neither"
)
DOMAIN_WIDTH = 17
"""The decision domain column's width; a longer domain takes two lines."""
ARCHETYPE_HEADERS = {
    Archetype.BUSINESS_MONARCHY: N_("Business\nmonarchy"),
    Archetype.IT_MONARCHY: N_("IT\nmonarchy"),
    Archetype.FEUDAL: N_("Feudal"),
    Archetype.FEDERAL: N_("Federal"),
    Archetype.IT_DUOPOLY: N_("IT\nduopoly"),
    Archetype.ANARCHY: N_("Anarchy"),
}
"""The archetypes as column headers: two lines of at most 8 characters each (80 columns hold
the matrix); the form for a cell names the archetype in full."""


def archetype_header(archetype: Archetype) -> Text:
    """A column header in words, over two lines ('Business' / 'monarchy')."""
    return Text(_(ARCHETYPE_HEADERS[archetype]))


def two_lines(label: str, width: int = DOMAIN_WIDTH) -> str:
    """A label over at most two lines of `width` (broken between words)."""
    return "\n".join(textwrap.wrap(label, width, max_lines=2, placeholder="…")) or label


class GovernanceScreen(Screen):
    """Weill & Ross's matrix: decision domains down, archetypes across; Enter edits a cell."""

    TITLE = N_("Governance")
    CSS_PATH = CSS
    AUTO_FOCUS = "#matrix"
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("enter,e", "edit_cell", N_("Edit cell")),
    ]
    PALETTE_ACTIONS = [
        (N_("Governance: edit the highlighted cell"), "edit_cell", N_("Input, decides"))
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text(_("Who gives input and who decides, per IT decision domain (Weill & Ross)")),
            classes="section-title",
        )
        yield DataTable(id="matrix", cursor_type="cell", header_height=2)
        yield Static(id="matrix-people")
        yield Static(Text(_(LEGEND), style="dim"), id="matrix-legend")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#matrix", DataTable)
        table.add_column(Text(_("Decision domain")), width=DOMAIN_WIDTH, key="domain")
        for archetype in Archetype:
            table.add_column(archetype_header(archetype), width=8, key=str(archetype))
        self.reload_data()
        table.move_cursor(column=1)

    def reload_data(self) -> None:
        table = self.query_one("#matrix", DataTable)
        where = table.cursor_coordinate
        ds = self.app.repo.ds
        table.clear()
        for domain in DecisionDomain:
            decision = ds.governance.get(str(domain))
            cells: list = [Text(two_lines(domain_label(domain)))]
            for archetype in Archetype:
                has_input, decides = governance_cell(decision, archetype)
                words = _(CELL_WORDS[has_input, decides])
                cells.append(Text(words, style="bold" if decides else "", justify="center"))
            table.add_row(*cells, key=str(domain), height=2)
        table.cursor_coordinate = where
        self.show_people()

    def on_screen_resume(self) -> None:
        self.reload_data()

    def current(self) -> tuple[DecisionDomain, Archetype | None]:
        table = self.query_one("#matrix", DataTable)
        keys = table.coordinate_to_cell_key(table.cursor_coordinate)
        column = keys.column_key.value
        archetype = None if column == "domain" else Archetype(column)
        return DecisionDomain(keys.row_key.value), archetype

    def show_people(self) -> None:
        domain, _archetype = self.current()
        decision = self.app.repo.ds.governance.get(str(domain))
        people = "; ".join(decision.people) if decision and decision.people else _("none named")
        text = Text(
            _("{domain}: people or bodies:").format(domain=domain_label(domain)) + " ",
            style="bold",
        )
        text.append(people)
        self.query_one("#matrix-people", Static).update(text)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_people()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_edit_cell()

    def action_edit_cell(self) -> None:
        domain, archetype = self.current()
        if archetype is None:
            self.notify(_("Choose an archetype's cell (→)"), severity="warning")
            return
        decision = self.app.repo.ds.governance.get(str(domain))
        self.app.push_screen(GovernanceCellForm(domain, archetype, decision))

    def action_back(self) -> None:
        self.app.pop_screen()
