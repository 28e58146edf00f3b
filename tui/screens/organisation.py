"""Organisation: the department tree; for the chosen department (its whole subtree) readiness,
the gap per competency, a staff × competency heatmap and its robots.

Figures come from `app.analysis` (reports.analysis); the heatmap draws only the rows on screen,
so the whole organisation at 50,000 staff costs no more than a small department.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import (
    DataTable,
    Header,
    Static,
    TabbedContent,
    TabPane,
    Tree,
)

from i18n import N_, _, format_date, format_decimal, format_integer, ngettext
from store.labels import phase_label
from tui.screens.base import AnalysisScreen
from tui.widgets.department_tree import DepartmentTree
from tui.widgets.footer import KeysFooter
from tui.widgets.heatmap import LAYERS, HeatmapLegend, HeatmapRow, HeatmapView, Layer
from tui.widgets.readiness import ReadinessBar
from tui.widgets.tables import cell, pct_cell, refill

WHOLE_ORGANISATION = N_("Whole organisation")


def coverage_words(analysis, code: str) -> Text:
    """' · coverage 1 of 2 met · no agent': the department's coverage rules and
    agent status (reports.coverage), in words; nothing when there is nothing to say."""
    from reports.coverage import department_coverage, lacks_agent

    words = Text()
    results = department_coverage(analysis, code)
    if results:
        met = sum(result.met for _, result in results)
        style = "" if met == len(results) else "bold yellow"
        coverage = _("coverage {met} of {rules} met").format(met=met, rules=len(results))
        words.append(f" · {coverage}", style=style)
    if lacks_agent(analysis, code):
        words.append(" · " + _("no agent"), style="bold yellow")
    return words


GAP_COLUMNS = (
    N_("Code"), N_("Req"), N_("Meet"), N_("% meet"), N_("Avg gap"), N_("Unassessed"),
    N_("Training"), N_("Competency"),
)  # fmt: skip
ROBOT_COLUMNS = (
    N_("Robot"), N_("Name"), N_("Key-person risk"), N_("Qualified operators"), N_("Phase"),
    N_("Hours 12 mo / expected"), N_("Realised"), N_("Department"),
)  # fmt: skip


def department_name(analysis, code: str | None) -> str:
    """A department's name as stored; the whole organisation in the current language."""
    return _(WHOLE_ORGANISATION) if code is None else analysis.department_name(code)


class OrganisationScreen(AnalysisScreen):
    TITLE = N_("Organisation")
    CSS_PATH = "organisation.tcss"
    BINDINGS = [
        Binding("t", "focus_tree", N_("Tree"), show=False),  # Help lists it; the footer fits 80
        Binding("g", "show_tab('gaps')", N_("Gaps")),
        Binding("h", "show_tab('heatmap')", N_("Heatmap")),
        Binding("r", "show_tab('robots')", N_("Robots")),
        Binding("l", "next_layer", N_("Layer")),
        Binding("k", "toggle_at_risk", N_("Robots at risk only / all"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.department: str | None = None
        self._shown_department: str | None | bool = False
        """The department the panes show (False: none yet)."""
        self._staff: list = []
        self._heatmap_department: str | None | bool = False
        """The department the heatmap rows are for (False: not filled yet)."""
        self._unfilled: dict[str, tuple] = {}
        self._robots_at_risk_shown: bool | None = None
        self.heatmap_layer: Layer = LAYERS[0]
        """What the heatmap's cells show: levels, self versus others, or stale ratings."""
        self._kept_cell: tuple[str | None, str, str] | None = None
        """(department, employee no., competency) to put the heatmap's cursor on when it next
        shows that department (the place kept across a change of language)."""
        """Whether the robots tab lists only those at key-person risk (None: not filled yet)."""
        """Tabs not filled for the department shown yet -> (analysis, its figures)."""

    def compose(self) -> ComposeResult:
        yield Header()
        tree = DepartmentTree(_(WHOLE_ORGANISATION), id="departments", classes="analysis-body")
        tree.show_root = True
        tree.guide_depth = 3  # one cell a level more for the names at 80 columns
        yield tree
        with Vertical(id="department-pane", classes="analysis-body"):
            yield Static(id="department-title")
            yield ReadinessBar(id="department-readiness")
            with TabbedContent(id="department-tabs", initial="gaps"):
                with TabPane(_("Gaps"), id="gaps"):
                    yield DataTable(id="gap-table", cursor_type="row", zebra_stripes=True)
                with TabPane(_("Heatmap"), id="heatmap"):
                    yield HeatmapLegend(id="heatmap-legend")
                    yield HeatmapView(id="heatmap-view")
                    yield Static(id="heatmap-cell")
                with TabPane(_("Robots"), id="robots"):
                    yield Static(id="robot-note")
                    yield DataTable(id="robot-table", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        gap_table = self.query_one("#gap-table", DataTable)
        gap_table.add_columns(*(_(title) for title in GAP_COLUMNS))
        robot_table = self.query_one("#robot-table", DataTable)
        robot_table.add_columns(*(_(title) for title in ROBOT_COLUMNS))

    # ------------------------------------------------------------- data
    def show_analysis(self, analysis) -> None:
        """Rebuild the tree (the departments may have changed) and show the chosen department."""
        wanted = self.app.selected_department
        self.department = wanted if wanted in analysis.tree.departments else None
        self._build_tree(analysis)
        self._show_department(analysis, self.department)

    def _build_tree(self, analysis) -> None:
        tree = self.query_one("#departments", DepartmentTree)
        tree.clear()
        tree.root.data = None
        pending = [(tree.root, analysis.top_level())]
        cursor_node = tree.root
        while pending:  # one group of siblings at a time: a cut name keeps what tells them apart
            parent, codes = pending.pop()
            children = [analysis.children(code) for code in codes]
            siblings = [
                (code, analysis.department_name(code), bool(below), analysis.depth(code) < 1)
                for code, below in zip(codes, children, strict=True)
            ]
            nodes = tree.add_departments(parent, siblings)
            for node, code, below in zip(nodes, codes, children, strict=True):
                if code == self.department:
                    cursor_node = node
                if below:
                    pending.append((node, below))
        tree.root.expand()
        if cursor_node is not tree.root:
            for ancestor in analysis.ancestors(self.department):
                found = self._node_for(tree, ancestor)
                if found is not None:
                    found.expand()
        self.call_after_refresh(self._move_tree_cursor, cursor_node)

    def _move_tree_cursor(self, node, attempts: int = 10) -> None:
        """Put the tree's cursor on `node` once the tree has laid out its (expanded) lines."""
        if node.line < 0 and attempts:
            self.call_after_refresh(self._move_tree_cursor, node, attempts - 1)
            return
        self.query_one("#departments", Tree).move_cursor(node)

    @staticmethod
    def _node_for(tree: Tree, code: str):
        stack = [tree.root]
        while stack:
            node = stack.pop()
            if node.data == code:
                return node
            stack.extend(node.children)
        return None

    def on_screen_resume(self) -> None:
        """Apply a drill-down (department, tab) asked for while the screen was hidden."""
        reloading = self._seen_version != self.app.data_version
        super().on_screen_resume()
        if not reloading:
            self.apply_selection()
        elif self.app.selected_tab:
            self.action_show_tab(self.app.selected_tab)
            self.app.selected_tab = None

    def apply_selection(self) -> None:
        """Show `app.selected_department`, and the tab in `app.selected_tab` if one is asked for."""
        if self.analysis_ready and self.app.selected_department != self.department:
            self.show_analysis(self.app.analysis)
        if self.app.selected_tab:
            self.action_show_tab(self.app.selected_tab)
            self.app.selected_tab = None

    @on(Tree.NodeHighlighted, "#departments")
    def _department_highlighted(self, event: Tree.NodeHighlighted) -> None:
        code = event.node.data
        if code == self.department and self._shown_department == code:
            return
        self.app.selected_department = code
        if self.analysis_ready:
            self._show_department(self.app.analysis, code)

    def _show_department(self, analysis, code: str | None) -> None:
        self.department = code
        self._shown_department = code
        figures = analysis.department_figures(code)
        # Wraps onto a second line rather than cutting: the coverage and agent words at its end
        # are what a long department name would otherwise hide.
        title = Text(overflow="ellipsis")
        title.append(department_name(analysis, code), style="bold")
        if code is not None:
            title.append(f"  {code}", style="dim")
        staff = ngettext("{count} active staff", "{count} active staff", figures.staff_count)
        title.append("  ·  " + staff.format(count=format_integer(figures.staff_count)))
        if code is not None:
            title.append_text(coverage_words(analysis, code))
        self.query_one("#department-title", Static).update(title)
        self.query_one("#department-readiness", ReadinessBar).show(
            figures.readiness_pct, figures.pairs_met, figures.pairs_required
        )
        self._fill_gaps(analysis, figures)
        # The heatmap and robots tabs are filled when shown: at 50,000 staff filling both for
        # every department the tree cursor passes over cost ~0.15 s each time.
        self._unfilled = {"heatmap": (analysis, figures), "robots": (analysis, figures)}
        self._fill_shown_tab()

    @on(TabbedContent.TabActivated, "#department-tabs")
    def _fill_shown_tab(self) -> None:
        tab = self.query_one("#department-tabs", TabbedContent).active
        pending = self._unfilled.pop(tab, None)
        if pending is None:
            return
        analysis, figures = pending
        if tab == "heatmap":
            self._fill_heatmap(analysis, self.department, list(figures.competencies))
        else:
            self._fill_robots(analysis, self.department)

    def _fill_gaps(self, analysis, figures) -> None:
        competencies = analysis.ds.competencies
        rows = []
        for code, f in figures.competencies.items():
            competency = competencies.get(code)
            rows.append(
                (
                    cell(code),
                    format_integer(f.staff_required),
                    format_integer(f.staff_meeting),
                    pct_cell(f.pct_meeting),
                    "–" if f.mean_gap is None else format_decimal(f.mean_gap, 2),
                    format_integer(f.not_assessed),
                    format_integer(f.gaps_with_open_training),
                    cell(competency.name if competency else code),
                )
            )
        refill(self.query_one("#gap-table", DataTable), rows)

    def _fill_heatmap(self, analysis, code: str | None, columns: list[str]) -> None:
        from reports.heatmap import person_cells

        view = self.query_one("#heatmap-view", HeatmapView)
        keep = self._heatmap_cursor(code)
        if keep is None and self._kept_cell is not None and self._kept_cell[0] == code:
            keep, self._kept_cell = self._kept_cell[1:], None
        staff = analysis.staff_in_scope(code)
        self._staff = staff
        self._heatmap_department = code
        layer = self.heatmap_layer

        def row(index: int) -> HeatmapRow:
            person = staff[index]
            cells = person_cells(analysis, person, columns, layer.name)
            return HeatmapRow(f"{person.name} · {person.employee_no}", cells)

        view.set_rows(columns, len(staff), row, layer)
        self.query_one("#heatmap-legend", HeatmapLegend).cell_layer = layer
        if keep is not None:  # the same department again (new data): stay on the same cell
            employee_no, competency = keep
            rows = [i for i, p in enumerate(staff) if p.employee_no == employee_no]
            if rows:
                column = columns.index(competency) if competency in columns else 0
                self.call_after_refresh(view.move_cursor, rows[0], column)
        self._describe_cell(0, 0)

    def kept_place(self) -> tuple[Layer, tuple | None]:
        """The heatmap's layer and cell, kept when the screen is made anew (tui/language.py)."""
        cell = self._heatmap_cursor(self.department)
        return self.heatmap_layer, None if cell is None else (self.department, *cell)

    def put_back_place(self, place: tuple[Layer, tuple | None]) -> None:
        self.heatmap_layer, self._kept_cell = place

    def _heatmap_cursor(self, code: str | None) -> tuple[str, str] | None:
        """(employee no., competency) under the heatmap's cursor, if it shows `code` already."""
        view = self.query_one("#heatmap-view", HeatmapView)
        if self._heatmap_department != code or not self._staff or not view.columns:
            return None
        row = min(view.cursor_row, len(self._staff) - 1)
        return self._staff[row].employee_no, view.columns[view.cursor_column]

    def _fill_robots(self, analysis, code: str | None) -> None:
        from reports.robots import robot_figures, robots_in_scope

        rows = []
        in_scope = robots_in_scope(analysis, code)
        at_risk_only = self._robots_at_risk_shown = self.app.robots_at_risk
        for robot in in_scope:
            figures = robot_figures(analysis, robot)
            if at_risk_only and not figures.key_person_risk:
                continue
            rows.append(
                (
                    cell(robot.code),
                    cell(robot.name),
                    Text(_("⚠ yes"), style="bold red") if figures.key_person_risk else _("no"),
                    _("{qualified} of {operators}").format(
                        qualified=figures.qualified_operators, operators=figures.operators
                    ),
                    "–" if figures.phase is None else phase_label(figures.phase),
                    format_decimal(figures.hours_12m, 0, grouping=True)
                    + " / "
                    + format_decimal(robot.expected_hours_per_year, 0, grouping=True),
                    pct_cell(figures.realisation_pct),
                    cell(analysis.department_name(robot.department)),
                )
            )
        refill(self.query_one("#robot-table", DataTable), rows)
        note = Text(no_wrap=True, overflow="ellipsis")
        if at_risk_only:
            only = _("{shown} of {robots} at key-person risk only (k: all)")
            note.append(only.format(shown=len(rows), robots=len(in_scope)) + " · ")
        count = len(in_scope)
        if code is None:
            where = ngettext(
                "{count} robot in the whole organisation",
                "{count} robots in the whole organisation",
                count,
            )
            note.append(where.format(count=count))
        else:
            where = ngettext(
                "{count} robot in {department} and the departments below it",
                "{count} robots in {department} and the departments below it",
                count,
            )
            before, _name, after = where.partition("{department}")  # the name as typed
            note.append(before.format(count=count))
            note.append(analysis.department_name(code))
            note.append(after)
        self.query_one("#robot-note", Static).update(note)

    @on(HeatmapView.RowSelected)
    def _person_selected(self, event: HeatmapView.RowSelected) -> None:
        """Enter on a heatmap row opens that person's page (Escape comes back here)."""
        from tui.screens.person import PersonScreen

        if 0 <= event.row < len(self._staff):
            self.app.push_screen(PersonScreen(self._staff[event.row].employee_no))

    # ------------------------------------------------------------- heatmap cell detail
    @on(HeatmapView.CellHighlighted)
    def _cell_highlighted(self, event: HeatmapView.CellHighlighted) -> None:
        self._describe_cell(event.row, event.column)

    def _describe_cell(self, row: int, column: int) -> None:
        detail = self.query_one("#heatmap-cell", Static)
        view = self.query_one("#heatmap-view", HeatmapView)
        if not self._staff or not view.columns:
            detail.update(Text(_("Nobody here has a requirement."), style="dim"))
            return
        analysis = self.app.analysis
        person = self._staff[row]
        competency = view.columns[column]
        required = analysis.structure.required_for_pair(person.department, person.role)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(person.name, style="bold")
        text.append(f" ({person.employee_no}) · {competency}: ")
        if self.heatmap_layer.name == "ratings":
            from reports.ratings import person_ratings

            rated = person_ratings(analysis, person.employee_no).get(competency)
            own, other = (None, None) if rated is None else (rated.self_level, rated.other_level)
            text.append(
                _("self {own}, manager or test {other}").format(
                    own="–" if own is None else own, other="–" if other is None else other
                )
            )
        elif competency not in required:
            text.append(_("not required"))
        elif self.heatmap_layer.name == "stale":
            current = analysis.current_for(person.employee_no, competency)
            if current is None:
                text.append(_("not assessed"))
            else:
                text.append(_("assessed {date}").format(date=format_date(current.date)))
                if self._staleness(current.date):
                    text.append(" " + _("(stale)"), style="bold red")
        else:
            current = analysis.current_level(person.employee_no, competency)
            text.append(
                _("required {required}, current {current}").format(
                    required=required[competency],
                    current=_("not assessed") if current is None else current,
                )
            )
        detail.update(text)

    def _staleness(self, assessed_on) -> bool:
        from reports.rules import FreshnessCell, freshness_cell

        return freshness_cell(assessed_on, self.app.analysis.as_of) == FreshnessCell.STALE

    # ------------------------------------------------------------- actions
    def action_next_layer(self) -> None:
        """The heatmap shows the next layer: levels, self versus others, stale ratings."""
        self.heatmap_layer = LAYERS[(LAYERS.index(self.heatmap_layer) + 1) % len(LAYERS)]
        if self.analysis_ready and self._heatmap_department is not False:
            analysis = self.app.analysis
            figures = analysis.department_figures(self.department)
            self._fill_heatmap(analysis, self.department, list(figures.competencies))
        self.action_show_tab("heatmap")
        self.notify(_("Heatmap: {layer}").format(layer=_(self.heatmap_layer.title)), timeout=2)

    def action_toggle_at_risk(self) -> None:
        """Only the robots at key-person risk, or all robots again."""
        self.app.robots_at_risk = not self.app.robots_at_risk
        self.action_show_tab("robots")

    def action_focus_tree(self) -> None:
        self.query_one("#departments", Tree).focus()

    def action_show_tab(self, tab: str) -> None:
        stale = self._robots_at_risk_shown != self.app.robots_at_risk
        if tab == "robots" and stale and "robots" not in self._unfilled and self.analysis_ready:
            self._fill_robots(self.app.analysis, self.department)  # the filter changed
        self.query_one("#department-tabs", TabbedContent).active = tab
        target = {"gaps": "#gap-table", "heatmap": "#heatmap-view", "robots": "#robot-table"}[tab]
        self.query_one(target).focus()
