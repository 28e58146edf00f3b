"""Competencies & requirements: the catalogue (framework > area > competency with its scale) and
what the strategy requires of each department and role, with add / edit / remove.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Label, Static, Tree

from store.dataset import Dataset
from store.errors import StoreError
from store.models import Competency, Framework, Requirement
from store.requirements import remove_requirement
from tui.forms.confirm import ConfirmDialog
from tui.forms.requirement import RequirementForm, describe
from tui.screens.base import DataScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.paged_table import PagedTable
from tui.widgets.tables import cell

NodeData = tuple[str, ...]
"""("framework", code) | ("area", framework, area) | ("competency", code)."""


REQUIREMENT_COLUMNS = [
    ("Competency", 10),
    ("Level", 5),
    ("Dept", 8),
    ("Department", 22),
    ("Role", 10),
    ("Priority", 8),
    ("Due", 10),
    ("Theme", 8),
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
        cell(requirement.role or "all"),
        cell(requirement.priority),
        cell(requirement.due.isoformat() if requirement.due else ""),
        cell(requirement.theme or ""),
    ]


def framework_detail(framework: Framework, competency_count: int) -> Text:
    text = Text()
    text.append(framework.name, style="bold")
    text.append(f"  ({framework.code}, {competency_count} competencies)\n\n")
    _append_scale(text, framework)
    return text


def competency_detail(ds: Dataset, competency: Competency) -> Text:
    """Name, description, the level descriptors, and how much the strategy asks of it."""
    text = Text()
    text.append(competency.name, style="bold")
    text.append(f"  ({competency.code}{'' if competency.active else ', inactive'})\n")
    framework = ds.frameworks.get(competency.framework)
    text.append(f"{framework.name if framework else competency.framework}", style="dim")
    if competency.area:
        text.append(f" · {competency.area}", style="dim")
    text.append("\n")
    if competency.description:
        text.append(f"\n{competency.description}\n")
    levels = [r.level for r in ds.requirements.values() if r.competency == competency.code]
    if levels:
        text.append(f"\nRequired by {len(levels)} requirement(s), up to level {max(levels)}\n")
    else:
        text.append("\nNot required anywhere yet\n")
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

    TITLE = "Competencies & requirements"
    CSS_PATH = "competencies.tcss"
    BINDINGS = [
        Binding("n", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "remove", "Remove"),
        Binding("f", "toggle_filter", "Only this"),
        Binding("c", "coverage_rules", "Coverage rules"),
    ]
    PALETTE_ACTIONS = [
        ("Add a requirement", "add", "Open the requirement form"),
        ("Edit the highlighted requirement", "edit", "Change level, priority, due date..."),
        ("Remove the highlighted requirement", "remove", "Asks for confirmation first"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.only_selected = False
        self.selected_competency: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalogue"):
            yield Tree(Text("Frameworks"), id="tree")
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
        for label, width in REQUIREMENT_COLUMNS:
            self.table.add_column(label, width=width)
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
            detail.update(Text("Choose a framework or competency to see its scale.", style="dim"))

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
        scope = (
            f" of {self.selected_competency or 'the selected competency'}"
            if self.only_selected
            else ""
        )
        self.query_one("#requirements-title", Label).update(
            Text(f"Requirements{scope}: {len(requirements):,}  (n add · e edit · d remove)")
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
            self.notify("No requirement highlighted", severity="warning")
            return
        self.app.push_screen(RequirementForm(original=requirement), self._saved)

    def _saved(self, requirement: Requirement | None) -> None:
        """The form saved and redrew the screen; keep the cursor on what was saved."""
        if requirement is not None:
            self._fill_requirements(keep=requirement.key())

    def action_remove(self) -> None:
        requirement = self.highlighted_requirement()
        if requirement is None:
            self.notify("No requirement highlighted", severity="warning")
            return
        question = Text("Remove this requirement?\n")
        question.append(describe(self.ds, requirement), style="bold")

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(requirement)

        self.app.push_screen(ConfirmDialog(question, confirm_label="Remove"), answered)

    def _remove(self, requirement: Requirement) -> None:
        try:
            remove_requirement(self.app.repo, requirement)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=8, markup=False)
            self.app.data_changed()
            return
        self.app.data_changed()
        self.notify(f"Removed: {describe(self.ds, requirement)}", markup=False)
