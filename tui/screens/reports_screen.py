"""Reports: choose a report, scope, as-of date and format, preview it and save it to a file.

It calls the same functions as `kapabel report` (`reports.build_report` and `reports.render_file`),
so a saved file holds what the command line writes. An xlsx workbook is previewed as the text of
its tables (a workbook cannot be shown in a terminal) and saved as the workbook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.widgets import Button, Header, Input, Label, Select, Static

from i18n import N_, _
from store.lookup import ReferenceProblem
from store.progress import Progress
from tui.forms.picker import PickerInput, PickerScreen
from tui.screens.base import DataScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.report_text import ReportText
from tui.widgets.work_progress import WorkProgress

FORMAT_EXTENSIONS = {"text": "txt", "md": "md", "csv": "csv", "json": "json", "xlsx": "xlsx"}
MIME_TYPES = {
    "text": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""What a browser is told a downloaded report is (`kapabel serve`)."""
XLSX_PREVIEW = N_(
    "Saved as an Excel workbook: a sheet per table below, with the report's title, date and scope."
)
KIND_LABELS = {
    "gaps": N_("gaps"),
    "heatmap": N_("heatmap"),
    "person": N_("person"),
    "training": N_("training"),
    "robots": N_("robots"),
    "strategy": N_("strategy"),
    "trend": N_("trend"),
    "coverage": N_("coverage"),
    "ratings": N_("ratings"),
    "text": N_("text"),
}
"""The report kinds (and the text format) in words; English shows the names `kapabel report`
takes."""


def choice_label(name: str) -> str:
    """A report kind or format as offered in the current language."""
    return _(KIND_LABELS[name]) if name in KIND_LABELS else name


@dataclass(frozen=True)
class ReportChoice:
    """What the form asks for: everything `kapabel report` takes."""

    kind: str
    department: str | None
    as_of: dt.date
    fmt: str
    employee: str | None

    def default_filename(self) -> str:
        scope = self.employee if self.kind == "person" and self.employee else self.department
        stem = f"kapabel-{self.kind}-{_safe(scope or 'all')}-{self.as_of.isoformat()}"
        return f"{stem}.{FORMAT_EXTENSIONS.get(self.fmt, 'txt')}"


def report_kinds() -> tuple[str, ...]:
    from reports import REPORT_KINDS

    return REPORT_KINDS


def report_formats() -> tuple[str, ...]:
    from reports import FILE_FORMATS

    return FILE_FORMATS


def _safe(text: str) -> str:
    """A code as part of a file name: letters, digits, '-' and '_' only."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


class ReportsScreen(DataScreen):
    TITLE = N_("Reports")
    CSS_PATH = "reports_screen.tcss"
    BINDINGS = [
        Binding("f5", "preview", N_("Preview")),
        Binding("ctrl+s", "save", N_("Save")),
        Binding("f2", "find_scope", N_("Find scope")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._path_edited = False
        self._confirm_replace: Path | None = None
        self._report_text = ""
        self._report_file = b""
        """The bytes Save writes (the text's, or the workbook's)."""
        self._rendered_for: ReportChoice | None = None
        self._asked: tuple[ReportChoice, int] | None = None
        """The report being made or shown, with the data version it is made of."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="report-form"):
            with Horizontal(classes="form-row"):
                yield Label(_("Report"), classes="form-label")
                yield Select(
                    [(choice_label(name), name) for name in report_kinds()],
                    id="kind",
                    allow_blank=False,
                    compact=True,
                )
                yield Label(_("Format"), classes="form-label")
                yield Select(
                    [(choice_label(name), name) for name in report_formats()],
                    id="format",
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label(_("Scope"), classes="form-label")
                yield Select(
                    [(Text(_("Whole organisation")), "")],
                    id="scope",
                    allow_blank=False,
                    compact=True,
                )
                yield Label(_("As of"), classes="form-label")
                yield Input(placeholder=_("YYYY-MM-DD"), id="as-of", max_length=10, compact=True)
            with Horizontal(classes="form-row", id="employee-row"):
                yield Label(_("Employee"), classes="form-label")
                yield PickerInput(
                    "staff", placeholder=_("employee number or name (F2 searches)"), id="employee"
                )
            yield Static(id="form-problem")
        yield WorkProgress(id="report-progress")
        yield ReportText(id="preview")
        with Horizontal(id="save-row"):
            yield Label(_("Save to"), classes="form-label", id="path-label")
            yield Input(id="path", compact=True)
            yield Button(_("Save"), id="save", variant="primary", compact=True)
        yield Static(id="save-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#format", Select).value = "text"
        self.query_one("#as-of", Input).value = self.app.as_of.isoformat()
        if not self.app.server_files_allowed:  # in a browser: downloaded, not written
            self.query_one("#path-label", Label).update(_("Download"))

    # ------------------------------------------------------------- data
    def show_data(self) -> None:
        """Offer the current departments as scopes, then preview."""
        from reports.tree import DepartmentTree

        departments = self.app.repo.ds.departments
        tree = DepartmentTree(departments)
        options: list[tuple[Text, str]] = [(Text(_("Whole organisation")), "")]
        for code in tree.walk():
            label = Text("  " * tree.depth(code))
            label.append(tree.name(code))
            label.append(f"  {code}", style="dim")
            options.append((label, code))
        scope = self.query_one("#scope", Select)
        current = scope.value if isinstance(scope.value, str) else ""
        scope.set_options(options)
        scope.value = current if current in departments else ""
        self.action_preview()

    def choice(self) -> ReportChoice | str:
        """The form's values, or a message naming the field that is wrong."""
        as_of = parse_date(self.query_one("#as-of", Input).value)
        if as_of is None:
            return _("As of: not a date (YYYY-MM-DD)")
        kind = str(self.query_one("#kind", Select).value)
        employee = self.query_one("#employee", Input).value.strip() or None
        if kind == "person":
            if employee is None:
                return _("Employee: the person report needs an employee number or name")
            try:
                employee = self.app.lookup("staff").resolve(employee)
            except ReferenceProblem as problem:
                return _("Employee: {problem}").format(problem=problem)
        scope = self.query_one("#scope", Select).value
        return ReportChoice(
            kind=kind,
            department=scope if isinstance(scope, str) and scope else None,
            as_of=as_of,
            fmt=str(self.query_one("#format", Select).value),
            employee=employee,
        )

    def on_key(self, event: Key) -> None:
        """Escape leaves a text field (as on People, Audit log and Import), so that the number
        keys switch screens again instead of being typed into the date or the file name."""
        if event.key == "escape" and isinstance(self.focused, Input):
            event.stop()
            self.query_one("#kind", Select).focus()

    def action_find_scope(self) -> None:
        """Search the departments by name or code (F2) for the scope."""
        scope = self.query_one("#scope", Select)

        def picked(code: str | None) -> None:
            if code is not None:
                scope.value = code
            scope.focus()

        self.app.push_screen(PickerScreen(self.app.lookup("departments")), picked)

    # ------------------------------------------------------------- preview
    @on(Select.Changed)
    @on(Input.Changed, "#as-of, #employee")
    def _form_changed(self) -> None:
        self.query_one("#employee-row").display = (
            str(self.query_one("#kind", Select).value) == "person"
        )
        if self.is_mounted and self.app.repo is not None and self._seen_version >= 0:
            self.action_preview()

    def action_preview(self) -> None:
        choice = self.choice()
        if isinstance(choice, str):
            self._show_problem(choice)
            self._rendered_for = None
            self._asked = None
            self._report_text = ""
            self._report_file = b""
            preview = self.query_one("#preview", ReportText)
            preview.loading = False
            preview.load_text("")  # never preview another report than the form describes
            self.query_one(WorkProgress).stop()
            return
        self._show_problem(None)
        asked = (choice, self.app.data_version)
        if asked == self._asked:
            return  # the form only echoed (setting its choices on showing): made once, not twice
        self._asked = asked
        if not self._path_edited:
            self._set_path(choice.default_filename())
        self.query_one("#preview", ReportText).loading = True
        self._render_report(choice, self.query_one(WorkProgress).start())

    @work(thread=True, exclusive=True, group="report")
    def _render_report(self, choice: ReportChoice, progress: Progress) -> None:
        from reports import ReportInputError

        # The app's cached analysis is for its as-of date: reuse it rather than analyse again.
        source = self.app.analysis if choice.as_of == self.app.as_of else self.app.repo.ds
        try:
            text, content = render_choice(source, choice, progress)
        except ReportInputError as error:
            self.app.call_from_thread(self._report_failed, str(error))
            return
        self.app.call_from_thread(self._report_ready, choice, text, content)

    def _report_ready(self, choice: ReportChoice, text: str, content: bytes) -> None:
        if choice != self.choice():
            return  # the form changed while this one was being made: a newer one is coming
        self._report_text = text
        self._report_file = content
        self._rendered_for = choice
        self.query_one(WorkProgress).stop()
        preview = self.query_one("#preview", ReportText)
        preview.loading = False
        preview.load_text(text)

    def _report_failed(self, message: str) -> None:
        self.query_one(WorkProgress).stop()
        self.query_one("#preview", ReportText).loading = False
        self._show_problem(message)

    def _show_problem(self, message: str | None) -> None:
        """One line under the form naming the field that is wrong (hidden when all is well)."""
        problem = self.query_one("#form-problem", Static)
        problem.update(Text(message or "", style="bold red"))
        problem.set_class(message is not None, "-shown")

    # ------------------------------------------------------------- saving
    def _set_path(self, name: str) -> None:
        path_input = self.query_one("#path", Input)
        with path_input.prevent(Input.Changed):
            path_input.value = name

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._path_edited = True
        self._confirm_replace = None

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        status = self.query_one("#save-status", Static)
        choice = self.choice()
        if isinstance(choice, str):
            status.update(Text(choice, style="bold red"))
            return
        if choice != self._rendered_for:
            status.update(Text(_("The preview is still being made: save again in a moment.")))
            self.action_preview()
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            status.update(Text(_("Save to: give a file name"), style="bold red"))
            return
        if not self.app.server_files_allowed:
            self._download(Path(raw).name or choice.default_filename(), choice.fmt)
            return
        path = Path(raw).expanduser()
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            exists = _("{path} exists: save again to replace it").format(path=path)
            status.update(Text(exists, style="bold yellow"))
            return
        problem = write_report(path, self._report_file)
        if problem is not None:
            status.update(Text(_("Save to: {problem}").format(problem=problem), style="bold red"))
            return
        self._confirm_replace = None
        status.update(green_then(_("Saved to {path}"), "{path}", str(path.resolve())))
        self.notify(_("Saved {name}").format(name=path.name), title=_("Report saved"), markup=False)

    def _download(self, name: str, fmt: str) -> None:
        """In a browser (`kapabel serve`): the report's file goes to the user's browser as a
        download (Textual's `deliver_binary`); nothing is written on the server."""
        from io import BytesIO

        self.app.deliver_binary(
            BytesIO(self._report_file),
            save_filename=name,
            mime_type=MIME_TYPES.get(fmt, "application/octet-stream"),
        )
        status = green_then(_("Downloading {name}"), "{name}", name)
        self.query_one("#save-status", Static).update(status)
        self.notify(
            _("Downloading {name}").format(name=name), title=_("Report saved"), markup=False
        )


def green_then(message: str, field: str, value: str) -> Text:
    """A message in bold green with `value` (a path, a file name) put in at `field` plainly,
    as written (the words around it may come before or after it in another language)."""
    before, _field, after = message.partition(field)
    text = Text(before, style="bold green")
    text.append(value)
    text.append(after, style="bold green")
    return text


def render_choice(
    source, choice: ReportChoice, progress: Progress | None = None
) -> tuple[str, bytes]:
    """The preview's text and the file's bytes, as `kapabel report` writes them (`source`:
    dataset or analysis); a workbook is previewed as its tables' text. `progress` is told each
    step (from the calling thread)."""
    from reports import build_report, render, render_file

    report = build_report(
        choice.kind,
        source,
        as_of=choice.as_of,
        department=choice.department,
        employee=choice.employee,
        progress=progress,
    )
    if choice.fmt == "xlsx":
        preview = _(XLSX_PREVIEW) + "\n\n" + render(report, "text", progress=progress)
        return preview, render_file(report, "xlsx")
    text = render(report, choice.fmt, progress=progress)
    return text, text.encode("utf-8")


def write_report(path: Path, content: bytes) -> str | None:
    """Write as `kapabel report --output` does (atomically); a message when it cannot."""
    from store.files import OutputError
    from store.opening import write_for_people

    try:
        write_for_people(path, content)
    except OutputError as error:
        return str(error)
    return None
