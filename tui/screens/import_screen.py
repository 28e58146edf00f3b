"""Import a CSV file or a workbook from the TUI: choose the kind, type the path, preview, confirm.

The preview runs the same plan as `kapabel import --dry-run` (nothing is written) and shows the
summary and every problem; Import is offered only for a clean preview and writes in one
transaction after a backup, like the command line. A workbook with several sheets shows a Sheet
choice (the first sheet at first); choosing another previews that one. The problems take the rows the screen has
and scroll, so the buttons under them stay on screen (80×24 included).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static

from i18n import N_, _, format_integer, ngettext
from reports.robots import deactivation_warnings, leaving_operators
from store.importing import KINDS, Plan, import_file, plan_file, workbook_sheets
from store.progress import Progress
from tui.forms.checkbox import MarkedCheckbox
from tui.forms.confirm import ConfirmDialog
from tui.screens.base import ModeScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.work_progress import WorkProgress

SHOWN_PROBLEMS = 200
"""Problems listed on screen; a garbage file can have a million."""


def plan_report(plan: Plan, limit: int = SHOWN_PROBLEMS, warnings: list[str] = ()) -> Text:
    """The summary, notes and warnings, or the first `limit` problems, as plain text (never
    markup)."""
    text = Text()
    if plan.problems:
        count = len(plan.problems)
        heading = _("{count} problem(s): nothing can be imported").format(count=count)
        text.append(heading + "\n", style="bold red")
        for problem in plan.problems[:limit]:
            text.append(problem + "\n")
        if count > limit:
            more = _("… and {count} more").format(count=format_integer(count - limit))
            text.append(more + "\n", style="dim")
        return text
    text.append(plan.summary() + "\n", style="bold")
    for note in plan.notes:
        text.append(_("note: {note}").format(note=note) + "\n", style="dim")
    for warning in warnings:
        text.append(_("⚠ warning: {warning}").format(warning=warning) + "\n", style="bold")
    text.append(
        _("Nothing written yet: press Import to write it.")
        if plan.changes
        else _("Nothing to change.")
    )
    return text


IN_A_BROWSER = N_(
    "Imports are made by HR in a terminal (kapabel import, or this screen in the terminal "
    "app): in a browser the app reads no file on the server."
)
KIND_LABELS = {
    "departments": N_("departments"),
    "roles": N_("roles"),
    "staff": N_("staff"),
    "competencies": N_("competencies"),
    "requirements": N_("requirements"),
    "coverage-rules": N_("coverage-rules"),
    "assessments": N_("assessments"),
    "training": N_("training"),
    "robot-benefits": N_("robot-benefits"),
    "themes": N_("themes"),
    "stakeholders": N_("stakeholders"),
    "milestones": N_("milestones"),
    "governance": N_("governance"),
    "robots": N_("robots"),
    "robot-operators": N_("robot-operators"),
    "robot-competencies": N_("robot-competencies"),
}
"""What a file can hold, in words; English shows the names `kapabel import` takes."""


def kind_label(name: str) -> str:
    return _(KIND_LABELS[name]) if name in KIND_LABELS else name


def sync_label(on: bool) -> str:
    """The sync choice in words, so its state never rests on colour alone."""
    if on:
        return _("Sync: ON · everyone not in the file is deactivated")
    return _("Sync: off · people not in the file stay as they are")


def deactivation_question(count: int) -> str:
    return ngettext(
        "{count} person missing from the file will be deactivated (kept on record, left out of "
        "figures). Import and deactivate?",
        "{count} people missing from the file will be deactivated (kept on record, left out of "
        "figures). Import and deactivate?",
        count,
    ).format(count=format_integer(count))


class ImportScreen(ModeScreen):
    """One of the app's screens (key 8): it stays open after an import, showing what was done."""

    TITLE = N_("Import")
    CSS_PATH = "import_screen.tcss"
    AUTO_FOCUS = "#kind"
    """Opened, the focus is not in a text field: the number keys switch screens, as everywhere."""
    BINDINGS = [
        Binding("slash", "focus_path", N_("Type the path"), show=False),
        Binding("f5", "preview", N_("Preview")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plan: Plan | None = None
        self.plan_sheet: str | None = None
        """The sheet the preview read (None: a CSV file, or a workbook's only sheet)."""
        self.sheets: list[str] = []
        """The sheets offered in the Sheet choice."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-form"):
            with Horizontal(classes="form-row"):
                yield Label(_("Kind"), classes="form-label")
                yield Select(
                    [(kind_label(name), name) for name in KINDS],
                    id="kind",
                    allow_blank=False,
                    value="staff",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label(_("File"), classes="form-label")
                yield Input(
                    placeholder=_(
                        "path to the CSV file or workbook (/ to type), then Enter to preview"
                    ),
                    id="path",
                    compact=True,
                )
            with Horizontal(classes="form-row", id="sheet-row"):
                yield Label(_("Sheet"), classes="form-label")
                yield Select([], id="sheet", prompt=_("first sheet"), compact=True)
            yield MarkedCheckbox(sync_label(False), id="sync", compact=True)
        yield WorkProgress(id="import-progress")
        with VerticalScroll(id="report"):
            yield Static(Text(_("Type a path and press Enter to preview.")), id="report-text")
        with Horizontal(id="import-buttons"):
            yield Button(_("Preview"), id="preview", compact=True)
            yield Button(_("Import"), id="import", variant="primary", disabled=True, compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        """In a browser (not offered there, but reached anyway) nothing can be chosen."""
        if not self.app.server_files_allowed:
            for field in self.query("#import-form *, #import-buttons Button"):
                field.disabled = True
            self._show(Text(_(IN_A_BROWSER), style="bold"))

    @on(Select.Changed, "#kind")
    def _kind_changed(self) -> None:
        """Only a staff file can deactivate people: the sync choice is shown for staff only."""
        self.query_one("#sync", Checkbox).display = self._kind() == "staff"

    @on(Select.Changed, "#sheet")
    def _sheet_changed(self) -> None:
        """Another sheet chosen: preview it (a sheet is only offered for a previewed file)."""
        self.call_after_refresh(self.action_preview)

    @on(Checkbox.Changed, "#sync")
    def _sync_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = sync_label(event.value)

    def action_focus_path(self) -> None:
        self.query_one("#path", Input).focus()

    def on_key(self, event: Key) -> None:
        """Escape leaves the path field, so that the number keys switch screens again."""
        if event.key == "escape" and isinstance(self.focused, Input):
            event.stop()
            self.query_one("#kind", Select).focus()

    # ---------------------------------------------------------------- what the user chose
    def _kind(self) -> str:
        return str(self.query_one("#kind", Select).value)

    def _choice(self) -> tuple[str, Path, bool]:
        kind = self._kind()
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        sync = self.query_one("#sync", Checkbox).value and kind == "staff"
        return kind, path, sync

    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _choice_changed(self) -> None:
        """A different file or kind needs a new preview before it may be imported."""
        self.plan = None
        self.query_one("#import", Button).disabled = True

    # ---------------------------------------------------------------- preview
    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        if not self.app.server_files_allowed:
            self._show(Text(_(IN_A_BROWSER), style="bold"))
            return
        kind, path, sync = self._choice()
        if not str(path) or str(path) == ".":
            self._show(Text(_("Type the path of the file first.")))
            return
        self._show(Text(_("Reading {path} …").format(path=path)))
        sheet = self.query_one("#sheet", Select)
        wanted = None if sheet.is_blank() or not sheet.display else str(sheet.value)
        self._preview(kind, path, sync, wanted, self.query_one(WorkProgress).start())

    @work(thread=True, exclusive=True, group="import-preview")
    def _preview(
        self, kind: str, path: Path, sync: bool, wanted: str | None, progress: Progress
    ) -> None:
        sheets = workbook_sheets(path)
        sheet = wanted if wanted in sheets else None
        plan = plan_file(self.app.repo, kind, path, sync, sheet, progress)
        leaving = leaving_operators(self.app.repo.ds, [*plan.deactivated, *plan.updated])
        warnings = deactivation_warnings(self.app.analysis, leaving) if leaving else []
        self.app.call_from_thread(
            self._previewed, plan, (kind, path, sync), sheets, sheet, warnings
        )

    def _previewed(
        self,
        plan: Plan,
        choice: tuple[str, Path, bool],
        sheets: list[str],
        sheet: str | None,
        warnings: list[str] = (),
    ) -> None:
        if choice != self._choice():  # the user changed something meanwhile
            return
        self.query_one(WorkProgress).stop()
        self._offer_sheets(sheets, sheet)
        self.plan = plan
        self.plan_sheet = sheet
        self._show(plan_report(plan, warnings=warnings))
        button = self.query_one("#import", Button)
        button.disabled = bool(plan.problems) or not plan.changes
        if not button.disabled:
            button.focus()

    def _offer_sheets(self, sheets: list[str], sheet: str | None) -> None:
        """Show the Sheet choice for a workbook of several sheets, on the one previewed."""
        select = self.query_one("#sheet", Select)
        self.query_one("#sheet-row").display = len(sheets) > 1
        with self.prevent(Select.Changed):
            if sheets != self.sheets:
                self.sheets = sheets
                select.set_options([(name, name) for name in sheets])
            if sheets:
                select.value = sheet or sheets[0]

    # ---------------------------------------------------------------- import
    @on(Button.Pressed, "#import")
    def action_confirm(self) -> None:
        plan = self.plan
        if plan is None or plan.problems or not plan.changes:
            return
        if plan.deactivated:
            question = deactivation_question(len(plan.deactivated))
            self.app.push_screen(
                ConfirmDialog(
                    question, confirm_label=_("Deactivate and import"), keep_label=_("Back")
                ),
                lambda yes: self._write() if yes else None,
            )
            return
        self._write()

    def _write(self) -> None:
        if not self.app.server_files_allowed:
            return
        self.query_one("#import", Button).disabled = True
        self._show(Text(_("Importing …")))
        self._import(*self._choice(), self.plan_sheet, self.query_one(WorkProgress).start())

    @work(thread=True, exclusive=True, group="import-write")
    def _import(
        self, kind: str, path: Path, sync: bool, sheet: str | None, progress: Progress
    ) -> None:
        plan = import_file(self.app.repo, kind, path, sync=sync, sheet=sheet, progress=progress)
        self.app.call_from_thread(self._imported, plan)

    def _imported(self, plan: Plan) -> None:
        self.query_one(WorkProgress).stop()
        if plan.problems:  # the file or the database changed since the preview
            self.plan = plan
            self._show(plan_report(plan))
            return
        self.plan = None
        self._show(Text(_("Imported: {summary}").format(summary=plan.summary()), style="bold"))
        self.app.data_changed()
        self.app.notify(plan.summary(), title=_("Imported"), markup=False)

    def _show(self, text: Text) -> None:
        self.query_one("#report-text", Static).update(text)
