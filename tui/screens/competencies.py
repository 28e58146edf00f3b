"""Competencies & requirements: the catalogue (framework > area > competency with its scale) and
what the strategy requires of each department and role, with add / edit / remove.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Label, Static, Tree

from i18n import N_, _, format_date, format_integer, ngettext
from store.dataset import Dataset
from store.errors import StoreError
from store.labels import priority_label
from store.models import Competency, Framework, Requirement
from store.requirements import remove_requirement
from tui.forms.confirm import ConfirmDialog
from tui.forms.requirement import RequirementForm, describe
from tui.screens.base import DataScreen
from tui.widgets.columns import titled
from tui.widgets.footer import KeysFooter
from tui.widgets.paged_table import PagedTable
from tui.widgets.tables import cell

NodeData = tuple[str, ...]
"""("framework", code) | ("area", framework, area) | ("competency", code)."""


REQUIREMENT_COLUMNS = [
    (N_("Competency"), 10),
    (N_("Level"), 5),
    (N_("Dept"), 8),
    (N_("Department"), 22),
    (N_("Role"), 10),
    (N_("Priority"), 8),
    (N_("Due"), 10),
    (N_("Theme"), 8),
]


def requirement_order(requirement: Requirement) -> tuple:
    return (requirement.competency, requirement.department, requirement.role or "")


def requirement_row(ds: Dataset, requirement: Requirement) -> list[Text]:
    department = ds.departments.get(requirement.department)
    return [
        cell(requirement.competency),
        cell(requirement.level),
        cell(requirement.department),
        cell(department.name if department else "?"),
        cell(requirement.role or _("all")),
        cell(priority_label(requirement.priority)),
        cell(format_date(requirement.due) if requirement.due else ""),
        cell(requirement.theme or ""),
    ]


def framework_detail(framework: Framework, competency_count: int) -> Text:
    text = Text()
    text.append(framework.name, style="bold")
    counted = ngettext(  # English says "competencies" even for one, as it always has
        "({code}, {count} competencies)", "({code}, {count} competencies)", competency_count
    )
    text.append("  " + counted.format(code=framework.code, count=competency_count) + "\n\n")
    _append_scale(text, framework)
    return text


def competency_detail(ds: Dataset, competency: Competency) -> Text:
    """Name, description, the level descriptors, and how much the strategy asks of it."""
    text = Text()
    text.append(competency.name, style="bold")
    code = f"({competency.code})" if competency.active else _("({code}, inactive)")
    text.append("  " + code.format(code=competency.code) + "\n")
    framework = ds.frameworks.get(competency.framework)
    text.append(f"{framework.name if framework else competency.framework}", style="dim")
    if competency.area:
        text.append(f" · {competency.area}", style="dim")
    text.append("\n")
    if competency.description:
        text.append(f"\n{competency.description}\n")
    levels = [r.level for r in ds.requirements.values() if r.competency == competency.code]
    if levels:
        required = ngettext(  # English keeps its "requirement(s)"; Danish has both forms
            "Required by {count} requirement(s), up to level {level}",
            "Required by {count} requirement(s), up to level {level}",
            len(levels),
        )
        text.append("\n" + required.format(count=len(levels), level=max(levels)) + "\n")
    else:
        text.append("\n" + _("Not required anywhere yet") + "\n")
    if framework:
        text.append("\n")
        _append_scale(text, framework)
    return text


def _append_scale(text: Text, framework: Framework) -> None:
    for step in framework.scale:
        text.append(f"{step.level:>2} {step.label}", style="bold")
        text.append(f"  {step.descriptor}\n" if step.descriptor else "\n")


class CompetenciesScreen(DataScreen):
    """Frameworks and competencies on top, the requirements below."""

    TITLE = N_("Competencies & requirements")
    CSS_PATH = "competencies.tcss"
    BINDINGS = [
        Binding("n", "add", N_("Add")),
        Binding("e", "edit", N_("Edit")),
        Binding("d", "remove", N_("Remove")),
        Binding("f", "toggle_filter", N_("Only this")),
        Binding("c", "coverage_rules", N_("Coverage rules")),
    ]
    PALETTE_ACTIONS = [
        (N_("Add a requirement"), "add", N_("Open the requirement form")),
        (
            N_("Edit the highlighted requirement"),
            "edit",
            N_("Change level, priority, due date..."),
        ),
        (N_("Remove the highlighted requirement"), "remove", N_("Asks for confirmation first")),
    ]
    """(title, action, help) for the command palette, which shows them through _()."""

    def __init__(self) -> None:
        super().__init__()
        self.only_selected = False
        self.selected_competency: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalogue"):
            yield Tree(Text(_("Frameworks")), id="tree")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-text")
        yield Label("", id="requirements-title")
        yield PagedTable(id="requirements")
        yield KeysFooter()

    @property
    def ds(self) -> Dataset:
        return self.app.repo.ds

    @property
    def table(self) -> PagedTable:
        return self.query_one("#requirements", PagedTable)

    def on_mount(self) -> None:
        for label, width in titled(dict(REQUIREMENT_COLUMNS)).items():
            self.table.add_column(_(label), width=width)
        self.reload_data()
        tree = self.query_one("#tree", Tree)
        tree.focus()
        tree.move_cursor_to_line(1)  # the first framework: its scale shows at once

    def show_data(self) -> None:
        self._fill_tree()
        self._fill_requirements()
        self._show_detail()

    # ------------------------------------------------------------------ the catalogue
    def _fill_tree(self) -> None:
        tree = self.query_one("#tree", Tree)
        tree.clear()
        tree.root.expand()
        ds = self.ds
        for framework in sorted(ds.frameworks.values(), key=lambda f: f.code):
            competencies = sorted(
                (c for c in ds.competencies.values() if c.framework == framework.code),
                key=lambda c: (c.area, c.code),
            )
            node = tree.root.add(Text(framework.name), data=("framework", framework.code))
            areas: dict[str, object] = {}
            for competency in competencies:
                parent = node
                if competency.area:
                    if competency.area not in areas:
                        areas[competency.area] = node.add(
                            Text(competency.area), data=("area", framework.code, competency.area)
                        )
                    parent = areas[competency.area]
                label = Text(f"{competency.code} ", style="bold")
                label.append(competency.name, style="" if competency.active else "dim")
                parent.add_leaf(label, data=("competency", competency.code))
            if len(ds.frameworks) <= 3:
                node.expand()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        data: NodeData | None = event.node.data
        self.selected_competency = data[1] if data and data[0] == "competency" else None
        self._show_detail(data)
        if self.only_selected:
            self._fill_requirements()

    def _show_detail(self, data: NodeData | None = None) -> None:
        if data is None:
            node = self.query_one("#tree", Tree).cursor_node
            data = node.data if node else None
        ds, detail = self.ds, self.query_one("#detail-text", Static)
        if data and data[0] == "competency" and data[1] in ds.competencies:
            detail.update(competency_detail(ds, ds.competencies[data[1]]))
        elif data and data[0] in ("framework", "area") and data[1] in ds.frameworks:
            framework = ds.frameworks[data[1]]
            count = sum(c.framework == framework.code for c in ds.competencies.values())
            detail.update(framework_detail(framework, count))
        else:
            detail.update(
                Text(_("Choose a framework or competency to see its scale."), style="dim")
            )

    # ------------------------------------------------------------------ the requirements
    def _fill_requirements(self, keep: str | None = None) -> None:
        ds = self.ds
        requirements = sorted(ds.requirements.values(), key=requirement_order)
        if self.only_selected:
            requirements = [r for r in requirements if r.competency == self.selected_competency]
        keep = keep or self.table.current_key
        self.table.show(
            [r.key() for r in requirements],
            lambda key: requirement_row(ds, ds.requirements[key]),
            keep=keep,
        )
        count = format_integer(len(requirements))
        if not self.only_selected:
            title = _("Requirements: {count}  (n add · e edit · d remove)")
        elif self.selected_competency:
            title = _("Requirements of {competency}: {count}  (n add · e edit · d remove)")
        else:
            title = _(
                "Requirements of the selected competency: {count}  (n add · e edit · d remove)"
            )
        self.query_one("#requirements-title", Label).update(
            Text(title.format(competency=self.selected_competency, count=count))
        )

    def highlighted_requirement(self) -> Requirement | None:
        key = self.table.current_key
        return self.ds.requirements.get(key) if key else None

    def action_coverage_rules(self) -> None:
        from tui.screens.coverage_rules import CoverageRulesScreen

        self.app.push_screen(CoverageRulesScreen())

    def action_toggle_filter(self) -> None:
        self.only_selected = not self.only_selected
        self._fill_requirements()

    def action_add(self) -> None:
        self.app.push_screen(RequirementForm(competency=self.selected_competency), self._saved)

    def action_edit(self) -> None:
        requirement = self.highlighted_requirement()
        if requirement is None:
            self.notify(_("No requirement highlighted"), severity="warning")
            return
        self.app.push_screen(RequirementForm(original=requirement), self._saved)

    def _saved(self, requirement: Requirement | None) -> None:
        """The form saved and redrew the screen; keep the cursor on what was saved."""
        if requirement is not None:
            self._fill_requirements(keep=requirement.key())

    def action_remove(self) -> None:
        requirement = self.highlighted_requirement()
        if requirement is None:
            self.notify(_("No requirement highlighted"), severity="warning")
            return
        question = Text(_("Remove this requirement?") + "\n")
        question.append(describe(self.ds, requirement), style="bold")

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(requirement)

        self.app.push_screen(ConfirmDialog(question, confirm_label=_("Remove")), answered)

    def _remove(self, requirement: Requirement) -> None:
        try:
            remove_requirement(self.app.repo, requirement)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=8, markup=False)
            self.app.data_changed()
            return
        self.app.data_changed()
        removed = _("Removed: {requirement}").format(requirement=describe(self.ds, requirement))
        self.notify(removed, markup=False)
