"""The audit log: who changed what and when, newest first, filtered by employee, entity or text.

The log can hold millions of entries, so it is read and filtered in a worker and the table shows
at most `PAGE` rows: narrow the filter to see older entries. One of the app's screens (key 7): it
opens with the focus on the entries, so the number keys switch screens; `/` goes to the filters
and Escape back to the entries. The columns fit the width, the changes taking what is left; Enter
opens an entry whole (every changed field on its own line), Escape closes it.
"""

from __future__ import annotations

from itertools import islice

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from i18n import N_, _, ngettext
from store.auditlog import change_lines, describe, filter_entries, raw_entries
from store.labels import audit_action_label
from store.lookup import AmbiguousReference, ReferenceProblem
from tui.forms.picker import PickerInput
from tui.screens.base import DataScreen
from tui.widgets.columns import CELL_PADDING, SCROLLBAR
from tui.widgets.footer import KeysFooter
from tui.widgets.person_cells import one_line

PAGE = 300
COLUMNS = ("when (UTC)", "who", "action", "entity", "key", "what changed")
COLUMN_TITLES = {
    "when (UTC)": N_("when (UTC)"),
    "who": N_("who"),
    "action": N_("action"),
    "entity": N_("entity"),
    "key": N_("key"),
    "what changed": N_("what changed"),
}
"""The columns' keys (English) -> titles shown through _()."""
WIDEST = {"who": 10, "action": 10, "entity": 14, "key": 18}
"""The most room a column gets before the changes do: longer text is cut (Enter shows it)."""
NARROWEST = {"when (UTC)": 10, "who": 5, "action": 6, "entity": 8, "key": 8}
CHANGES_WANT = 30


def column_widths(total: int, rows: list[list[str]]) -> dict[str, int]:
    """Each column as wide as its text (up to `WIDEST`), the changes taking what is left; when
    that is under `CHANGES_WANT`, the others give room down to `NARROWEST` (the time first)."""
    widths = {"when (UTC)": 19}
    for index, name in enumerate(COLUMNS[1:5], start=1):
        longest = max((len(row[index]) for row in rows), default=0)
        title = len(_(COLUMN_TITLES[name]))
        widths[name] = max(min(WIDEST[name], max(longest, title)), NARROWEST[name])
    room = total - CELL_PADDING * len(COLUMNS) - SCROLLBAR
    for name in ("when (UTC)", "key", "entity", "who", "action"):
        short = CHANGES_WANT - (room - sum(widths.values()))
        if short > 0:
            narrower = max(NARROWEST[name], widths[name] - short)
            if name == "when (UTC)":  # the date with the time to the minute, or the date
                narrower = 16 if narrower > 10 else 10
            widths[name] = narrower
    widths["what changed"] = max(10, room - sum(widths.values()))
    return widths


def action_words(entry: dict) -> str:
    """The entry's action (create, update...) in the current language; as stored if unknown."""
    action = entry.get("action") or ""
    return audit_action_label(action) if action else ""


def entity_words(entry: dict) -> str:
    """The table an entry is about (staff, assessments...) in the current language."""
    entity = entry.get("entity") or ""
    return _(entity) if entity else ""


def stored_entity(typed: str) -> str:
    """The stored table name a typed one stands for: as stored ("assessments"), or in the
    current language ("vurderinger"), any case; as typed when it is neither."""
    from store.models import REGISTER_MODELS, Assessment, RobotBenefit

    wanted = typed.casefold()
    for model in (*REGISTER_MODELS, Assessment, RobotBenefit):
        if wanted in (model.table.casefold(), _(model.table).casefold()):
            return model.table
    return typed


def entry_cells(entry: dict) -> list[str]:
    """An entry's cells as plain text, before they are fitted to their columns."""
    at = str(entry.get("at", "")).replace("T", " ")[:19]
    cells = [at, entry.get("user"), action_words(entry), entity_words(entry), entry.get("key")]
    return [str(c or "") for c in cells] + [describe(entry)]


def entry_details(entry: dict) -> Text:
    """The whole entry: when, who, what, then each changed field on its own line (never markup)."""
    at = str(entry.get("at", "")).replace("T", " ")[:19]
    text = Text(f"{action_words(entry)} {entity_words(entry)} ", style="bold")
    text.append(str(entry.get("key", "")), style="bold")
    by = _("{at} UTC by {user}").format(at=at, user=entry.get("user", ""))
    text.append(f"\n{by}\n\n")
    lines = change_lines(entry) or [_("(no fields recorded)")]
    text.append("\n".join(lines))
    return text


class EntriesTable(DataTable):
    """The entries; Enter (shown in the footer: the table's own Enter hides the screen's) opens
    the highlighted one."""

    BINDINGS = [Binding("enter", "select_cursor", N_("Open entry"))]


class AuditEntryScreen(ModalScreen[None]):
    """One audit entry whole, every changed field on its own line; Escape goes back."""

    BINDINGS = [
        Binding("escape", "dismiss", N_("Close")),
        Binding("f1", "app.help", N_("Help")),
    ]
    DEFAULT_CSS = """
    AuditEntryScreen { align: center middle; background: $background 60%; }
    AuditEntryScreen > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    TITLE = N_("Audit entry")

    def __init__(self, entry: dict) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(entry_details(self.entry), id="entry-details")
        yield KeysFooter()


class AuditScreen(DataScreen):
    TITLE = N_("Audit log")
    CSS_PATH = "audit.tcss"
    AUTO_FOCUS = "#entries"
    BINDINGS = [
        Binding("enter", "open_entry", N_("Open entry")),
        Binding("slash", "focus_filter", N_("Filter")),
        Binding("ctrl+r", "reload", N_("Reload")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[dict] = []
        self.shown: list[dict] = []
        """The entries in the table, in its order."""
        self.widths: dict[str, int] = {}
        self._employee_problem: str | None = None
        """Why the typed employee filter names nobody in particular (a name several share)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield PickerInput(
                "staff", placeholder=_("employee no. or name (F2)"), id="employee", compact=False
            )
            yield Input(placeholder=_("entity (staff, assessments...)"), id="entity")
            yield Input(placeholder=_("text anywhere"), id="text")
        yield Static(Text(_("Reading the audit log …")), id="status")
        yield EntriesTable(id="entries", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def show_data(self) -> None:
        """Every change adds entries: read the log again whenever the data changed."""
        self._load()

    def action_reload(self) -> None:
        self._load()

    def action_open_entry(self) -> None:
        table = self.query_one("#entries", DataTable)
        if 0 <= table.cursor_row < min(len(self.shown), table.row_count):
            self.app.push_screen(AuditEntryScreen(self.shown[table.cursor_row]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on an entry opens it."""
        event.stop()
        self.action_open_entry()

    def on_resize(self) -> None:
        self._fill_table(keep_cursor=True)

    def action_focus_filter(self) -> None:
        self.query_one("#employee", Input).focus()

    def on_key(self, event: Key) -> None:
        """Escape (or down) leaves a filter for the entries, where the number keys work again."""
        if event.key in ("escape", "down") and isinstance(self.focused, Input):
            event.stop()
            self.query_one("#entries", DataTable).focus()

    @work(thread=True, exclusive=True, group="audit-load")
    def _load(self) -> None:
        entries = raw_entries(self.app.repo)
        self.app.call_from_thread(self._loaded, entries)

    def _loaded(self, entries: list[dict]) -> None:
        self.entries = entries
        self._apply_filter()

    @on(Input.Changed)
    def _apply_filter(self) -> None:
        employee = self.query_one("#employee", Input).value.strip() or None
        self._employee_problem = None
        if employee is not None:
            employee = self._employee_no(employee)
        entity = self.query_one("#entity", Input).value.strip() or None
        if entity is not None:
            entity = stored_entity(entity)
        text = self.query_one("#text", Input).value.strip() or None
        self._filter(employee, entity, text)

    def _employee_no(self, typed: str) -> str:
        """The number a typed name or number stands for; as typed when it names nobody now
        (an erased person's pseudonym, a number no longer in the staff table)."""
        if typed in self.app.repo.ds.staff:
            return typed
        try:
            return self.app.lookup("staff").resolve(typed)
        except AmbiguousReference as problem:  # said above the table, not read as "0 matching"
            self._employee_problem = _("{problem} (F2 chooses)").format(problem=problem)
            return typed
        except ReferenceProblem:
            return typed

    @work(thread=True, exclusive=True, group="audit-filter")
    def _filter(self, employee: str | None, entity: str | None, text: str | None) -> None:
        matches = filter_entries(
            reversed(self.entries), employee=employee, entity=entity, text=text
        )
        shown = list(islice(matches, PAGE + 1))
        if not get_current_worker().is_cancelled:  # a newer filter is on its way
            self.app.call_from_thread(self._show, shown)

    def _show(self, shown: list[dict]) -> None:
        self.shown = shown[:PAGE]
        self._fill_table()
        more = len(shown) > PAGE
        status = self._employee_problem or (
            _("newest {page} of more matching entries: narrow the filter to see older ones").format(
                page=PAGE
            )
            if more
            else ngettext(
                "{shown} matching entries of {total}",
                "{shown} matching entries of {total}",
                len(shown),
            ).format(shown=len(shown), total=len(self.entries))
        )
        self.query_one("#status", Static).update(Text(status))

    def _fill_table(self, keep_cursor: bool = False) -> None:
        """The shown entries in columns fitted to the table's width now."""
        table = self.query_one("#entries", DataTable)
        rows = [entry_cells(entry) for entry in self.shown]
        widths = column_widths(table.size.width or self.size.width or 100, rows)
        row = table.cursor_row
        if widths != self.widths:
            self.widths = widths
            table.clear(columns=True)
            for name in COLUMNS:
                table.add_column(_(COLUMN_TITLES[name]), width=widths[name], key=name)
        else:
            table.clear()
        for cells in rows:
            if widths["when (UTC)"] < 19:
                cells[0] = cells[0][: widths["when (UTC)"]]
            table.add_row(*(one_line(c, widths[n]) for c, n in zip(cells, COLUMNS, strict=True)))
        if rows and keep_cursor:
            table.move_cursor(row=min(max(row, 0), len(rows) - 1), animate=False)
