"""The audit log: who changed what and when, newest first, filtered by employee, entity or text.

The log can hold millions of entries, so it is read and filtered in a worker and the table shows
at most `PAGE` rows: narrow the filter to see older entries. One of the app's screens (key 7): it
opens with the focus on the entries, so the number keys switch screens; `/` goes to the filters
and Escape back to the entries.
"""

from __future__ import annotations

from itertools import islice

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from store.auditlog import describe, filter_entries, raw_entries
from store.lookup import AmbiguousReference, ReferenceProblem
from tui.forms.picker import PickerInput
from tui.screens.base import DataScreen
from tui.widgets.footer import KeysFooter

PAGE = 300


class AuditScreen(DataScreen):
    TITLE = "Audit log"
    CSS_PATH = "audit.tcss"
    AUTO_FOCUS = "#entries"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("ctrl+r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[dict] = []
        self._employee_problem: str | None = None
        """Why the typed employee filter names nobody in particular (a name several share)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield PickerInput(
                "staff", placeholder="employee no. or name (F2)", id="employee", compact=False
            )
            yield Input(placeholder="entity (staff, assessments...)", id="entity")
            yield Input(placeholder="text anywhere", id="text")
        yield Static(Text("Reading the audit log …"), id="status")
        table = DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        table.add_columns("when (UTC)", "who", "action", "entity", "key", "what changed")
        yield table
        yield KeysFooter()

    def show_data(self) -> None:
        """Every change adds entries: read the log again whenever the data changed."""
        self._load()

    def action_reload(self) -> None:
        self._load()

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
            self._employee_problem = f"{problem} (F2 chooses)"
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
        table = self.query_one("#entries", DataTable)
        table.clear()
        for entry in shown[:PAGE]:
            at = str(entry.get("at", "")).replace("T", " ")[:19]
            cells = [
                at,
                entry.get("user"),
                entry.get("action"),
                entry.get("entity"),
                entry.get("key"),
            ]
            table.add_row(*(Text(str(c or "")) for c in cells), Text(describe(entry)))
        more = len(shown) > PAGE
        status = self._employee_problem or (
            f"newest {PAGE} of more matching entries: narrow the filter to see older ones"
            if more
            else f"{len(shown)} matching entries of {len(self.entries)}"
        )
        self.query_one("#status", Static).update(Text(status))
