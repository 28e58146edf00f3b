"""Coverage rules (from the Competencies screen, key c): the rules with n to add, e to edit and
d to remove (asked first); Escape goes back. Figures are in the Overview and `report coverage`."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from i18n import N_, _
from store.errors import StoreError
from store.models import CoverageRule
from tui.forms.coverage import CoverageRuleForm, describe_rule
from tui.widgets.footer import KeysFooter
from tui.widgets.tables import cell

COLUMNS = (N_("Department"), N_("Competency"), N_("Level"), N_("At least"), N_("Each"))
"""Keys (English) of the columns, shown through _()."""


class CoverageRulesScreen(ModalScreen[None]):
    TITLE = N_("Coverage rules")
    BINDINGS = [
        Binding("escape", "dismiss", N_("Close")),
        Binding("f1", "app.help", N_("Help")),
        Binding("n", "add", N_("Add")),
        Binding("e", "edit", N_("Edit")),
        Binding("d", "remove", N_("Remove")),
    ]
    DEFAULT_CSS = """
    CoverageRulesScreen { align: center middle; background: $background 60%; }
    CoverageRulesScreen > Vertical {
        width: 100%; height: 100%; border: thick $primary; background: $surface; padding: 0 1;
    }
    CoverageRulesScreen DataTable { height: 1fr; }
    """
    AUTO_FOCUS = "#coverage-rules"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_(self.TITLE), style="bold"), id="coverage-title")
            yield DataTable(id="coverage-rules", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(_(label), key=label)
        self.fill()

    def fill(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        ds = self.app.repo.ds
        for key in sorted(ds.coverage_rules):
            rule = ds.coverage_rules[key]
            department = ds.departments.get(rule.department)
            table.add_row(
                cell(f"{rule.department} {department.name if department else ''}".strip()),
                cell(rule.competency),
                str(rule.level),
                str(rule.min_people),
                _("yes") if rule.each else _("no"),
                key=key,
            )
        if keep is not None and keep in ds.coverage_rules:
            table.move_cursor(row=table.get_row_index(keep))

    def highlighted(self) -> CoverageRule | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.app.repo.ds.coverage_rules.get(key)

    def _saved(self, rule: CoverageRule | None) -> None:
        self.fill(None if rule is None else rule.key())

    def action_add(self) -> None:
        self.app.push_screen(CoverageRuleForm(), self._saved)

    def action_edit(self) -> None:
        rule = self.highlighted()
        if rule is None:
            self.notify(_("No coverage rule highlighted"), severity="warning")
            return
        self.app.push_screen(CoverageRuleForm(original=rule), self._saved)

    def action_remove(self) -> None:
        from store.coverage import remove_coverage_rule
        from tui.forms import ConfirmDialog

        rule = self.highlighted()
        if rule is None:
            self.notify(_("No coverage rule highlighted"), severity="warning")
            return
        question = Text(_("Remove this coverage rule?") + "\n")
        question.append(describe_rule(self.app.repo.ds, rule), style="bold")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                remove_coverage_rule(self.app.repo, rule)
            except StoreError as error:
                self.notify(str(error), severity="error", timeout=8, markup=False)
            self.app.data_changed()
            self.fill()

        self.app.push_screen(ConfirmDialog(question, confirm_label=_("Remove")), answered)
