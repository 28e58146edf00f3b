"""The People screen: all staff, filtered as you type, one page at a time.

Each person's entry is built once (`people_index.build_entries`, in a worker thread) and its
folded search string at the first search (accents need not be typed); typing filters in memory after a short pause, off the UI thread, and the table only ever holds
one page (PAGE_SIZE rows), so 50,000 staff cost no more to show than 500. Enter opens a person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Label, Static

from i18n import N_, _, format_integer, ngettext
from tui.screens.base import DataScreen
from tui.screens.people_index import (
    PeopleFilter,
    PersonEntry,
    build_entries,
    gap_counts,
    matching,
    narrows,
    page_bounds,
)
from tui.widgets.columns import fit_widths
from tui.widgets.footer import KeysFooter
from tui.widgets.person_cells import count_text, one_line

PAGE_SIZE = 100
DEBOUNCE_SECONDS = 0.15
COLUMNS = (N_("No."), N_("Name"), N_("Department"), N_("Role"), N_("Agent"), N_("Gaps"))
"""The columns' keys (English, as the widths name them), shown through _()."""


def column_widths(total: int) -> dict[str, int]:
    """The name gets the most room, then department and role; the rest are fixed."""
    return fit_widths(
        total,
        {"No.": 8, "Agent": 5, "Gaps": 4},
        {"Name": 0.45, "Department": 0.33, "Role": 0.22},
    )


class PeopleTable(DataTable):
    """The page of matches; a letter no key is bound to goes to the filter (type to filter)."""

    BINDINGS = [Binding("enter", "select_cursor", N_("Open"))]

    def on_key(self, event: Key) -> None:
        if event.is_printable and event.character and event.key not in self.screen.active_bindings:
            event.stop()
            event.prevent_default()
            screen = self.screen
            if isinstance(screen, PeopleScreen):
                screen.type_into_filter(event.character)


class PeopleScreen(DataScreen):
    TITLE = N_("People")
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#people-table"
    BINDINGS = [
        Binding("slash", "focus_filter", N_("Filter"), show=False),  # the filter says "/ to type"
        Binding("a", "toggle_agents", N_("Agents")),
        Binding("g", "toggle_gaps", N_("Gaps")),
        Binding("i", "toggle_inactive", N_("Inactive")),
        Binding("n", "new_person", N_("New")),
        # The status line shows "page 1/12 ([ ])"; the footer keeps room for Help and Quit at 80.
        Binding("left_square_bracket", "prev_page", N_("Previous page"), show=False),
        Binding("right_square_bracket", "next_page", N_("Next page"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[PersonEntry] = []
        self.gaps: Counter[str] = Counter()
        self.matches: list[PersonEntry] = []
        self.wanted = PeopleFilter()
        self.shown: tuple[PeopleFilter | None, list[PersonEntry]] = (None, [])
        """The last filter applied and its matches, kept as one pair for the worker."""
        self.page = 0
        self.loaded = False
        self._debounce: Timer | None = None
        self.widths = column_widths(100)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="people-filter-row"):
            yield Label(_("Filter") + " ", id="people-filter-label")
            yield Input(
                placeholder=_("name, number, department, role, agent… (/ to type, ↓ to the list)"),
                id="people-filter",
                compact=True,
                # Selected on focus, the first key typed on the list (moved into the field
                # with the focus) was replaced by the second: "E000001" became "000001".
                select_on_focus=False,
            )
        yield Static(Text(_("Loading staff…")), id="people-count")
        yield PeopleTable(id="people-table", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_columns()

    def show_data(self) -> None:
        """Rebuild the search index; only when the data changed since it was built
        (DataScreen checks `app.data_version` on every return to this screen)."""
        self.query_one(PeopleTable).loading = not self.loaded
        self.load_people()

    # ---- data ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="people-load")
    def load_people(self) -> None:
        analysis = self.app.analysis
        entries = build_entries(self.app.repo.ds)
        gaps = gap_counts(row.employee_no for row in analysis.gap_rows(None))
        self.app.call_from_thread(self._loaded, entries, gaps)

    def _loaded(self, entries: list[PersonEntry], gaps: Counter[str]) -> None:
        self.entries, self.gaps, self.loaded = entries, gaps, True
        self.shown = (None, [])  # new data: the next filter looks at everyone
        table = self.query_one(PeopleTable)
        table.loading = False
        if self.focused is None:
            # The screen's auto-focus passes over a table that is still loading, and Enter
            # (Open) then did nothing until the person moved the focus by hand.
            table.focus()
        self.apply_filter()

    def apply_filter(self) -> None:
        """Filter now (after the debounce, or a toggle) in a worker thread."""
        self.run_filter(self.wanted)

    @work(thread=True, exclusive=True, group="people-filter")
    def run_filter(self, wanted: PeopleFilter) -> None:
        shown, previous = self.shown  # one read: the pair always belongs together
        pool = self.entries
        if shown is not None and narrows(shown, wanted):
            pool = previous  # typing on: only the previous matches can still match
        found = matching(pool, wanted, self.gaps)
        self.app.call_from_thread(self._filtered, wanted, found)

    def _filtered(self, wanted: PeopleFilter, found: list[PersonEntry]) -> None:
        if wanted != self.wanted:
            return  # the person typed on meanwhile; a newer filter is on its way
        self.matches = found
        self.shown = (wanted, found)
        self.show_page()

    # ---- showing ------------------------------------------------------------------------
    def set_columns(self) -> None:
        table = self.query_one(PeopleTable)
        table.clear(columns=True)
        self.widths = column_widths(self.size.width or 100)
        for label in COLUMNS:
            key = label.lower().rstrip(".")
            table.add_column(_(label), width=self.widths[label], key=key)

    def on_resize(self) -> None:
        if column_widths(self.size.width) != self.widths:
            self.set_columns()
            if self.loaded:
                self.show_page()

    def show_page(self, keep_cursor: bool = True) -> None:
        table = self.query_one(PeopleTable)
        keep = self.selected_employee() if keep_cursor else None
        self.page, start, end = page_bounds(len(self.matches), self.page, PAGE_SIZE)
        table.clear()
        for entry in self.matches[start:end]:
            table.add_row(*self.row_cells(entry), key=entry.staff.employee_no)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self.query_one("#people-count", Static).update(self.count_line(start, end))

    def row_cells(self, entry: PersonEntry) -> list[Text]:
        person = entry.staff
        widths = self.widths
        name = one_line(person.name, widths["Name"])
        if not person.active:
            inactive = " " + _("(inactive)")
            name = one_line(person.name, widths["Name"] - len(inactive), style="dim")
            name.append(inactive, style="dim italic")
        gaps = self.gaps.get(person.employee_no, 0)
        return [
            one_line(person.employee_no, widths["No."]),
            name,
            one_line(entry.department_name or person.department, widths["Department"]),
            one_line(entry.role_name or person.role or "", widths["Role"]),
            Text(_("yes") if person.digital_agent else ""),
            count_text(gaps) if person.active else Text(""),
        ]

    def count_line(self, start: int, end: int) -> Text:
        total = len(self.matches)
        line = Text()
        if total == 0:
            line.append(_("No one matches"), style="bold")
            if self.wanted.text.strip():
                line.append(" “")
                line.append(self.wanted.text.strip())
                line.append("”")
        else:
            showing = _("Showing {first}–{last} of {total}").format(
                first=format_integer(start + 1),
                last=format_integer(end),
                total=format_integer(total),
            )
            line.append(showing, style="bold")
            words = (
                ngettext("matching", "matching", total)
                if self.is_filtered()
                else _("people")  # everyone active: more than one
            )
            line.append(" " + words)
        everyone = ngettext("{count} staff in all", "{count} staff in all", len(self.entries))
        everyone = everyone.format(count=format_integer(len(self.entries)))
        line.append(f" · {everyone}")
        toggles = self.wanted.describe()
        if toggles:
            line.append(" · " + ", ".join(toggles))
        if total > PAGE_SIZE:
            pages = (total - 1) // PAGE_SIZE + 1
            page = _("page {page}/{pages} ([ ])").format(page=self.page + 1, pages=pages)
            line.append(f" · {page}")
        return line

    def is_filtered(self) -> bool:
        return self.wanted != PeopleFilter(include_inactive=self.wanted.include_inactive)

    def selected_employee(self) -> str | None:
        table = self.query_one(PeopleTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    # ---- input --------------------------------------------------------------------------
    @on(Input.Changed, "#people-filter")
    def _typed(self, event: Input.Changed) -> None:
        self.wanted = PeopleFilter(
            event.value,
            self.wanted.agents_only,
            self.wanted.gaps_only,
            self.wanted.include_inactive,
        )
        self.page = 0
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.apply_filter)

    @on(Input.Submitted, "#people-filter")
    def _to_list(self) -> None:
        self.query_one(PeopleTable).focus()

    def on_key(self, event: Key) -> None:
        if isinstance(self.focused, Input) and event.key in ("down", "escape"):
            event.stop()
            self.query_one(PeopleTable).focus()

    def type_into_filter(self, character: str) -> None:
        box = self.query_one("#people-filter", Input)
        box.focus()
        box.insert_text_at_cursor(character)

    @on(DataTable.RowSelected, "#people-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.open_person(event.row_key.value)

    def open_person(self, employee_no: str | None) -> None:
        from tui.screens.person import PersonScreen

        if employee_no is not None and employee_no in self.app.repo.ds.staff:
            self.app.push_screen(PersonScreen(employee_no))

    # ---- actions ------------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        """`/`: the filter, its text selected, so what is typed next replaces it."""
        box = self.query_one("#people-filter", Input)
        box.focus()
        box.select_all()

    def kept_place(self) -> dict[str, bool]:
        """The a/g/i toggles, kept when the screen is made anew (tui/language.py; the filter's
        text is its field's)."""
        wanted = self.wanted
        return {
            "agents_only": wanted.agents_only,
            "gaps_only": wanted.gaps_only,
            "include_inactive": wanted.include_inactive,
        }

    def put_back_place(self, toggles: dict[str, bool]) -> None:
        wanted = replace(self.wanted, **toggles)
        if wanted == self.wanted:
            return  # nothing to filter again (which would move the row selected back to the top)
        self.wanted = wanted
        if self.is_mounted:
            self.apply_filter()

    def _toggle(self, **change: bool) -> None:
        self.wanted = replace(self.wanted, **change)
        self.page = 0
        self.apply_filter()

    def action_toggle_agents(self) -> None:
        self._toggle(agents_only=not self.wanted.agents_only)

    def action_toggle_gaps(self) -> None:
        self._toggle(gaps_only=not self.wanted.gaps_only)

    def action_toggle_inactive(self) -> None:
        self._toggle(include_inactive=not self.wanted.include_inactive)

    def action_new_person(self) -> None:
        """Add someone the HR import has not brought in yet; their page opens after saving."""
        from tui.forms import PersonForm

        def saved(person) -> None:
            if person is not None:
                self.open_person(person.employee_no)

        self.app.push_screen(PersonForm(), saved)

    def action_next_page(self) -> None:
        self.page += 1
        self.show_page(keep_cursor=False)

    def action_prev_page(self) -> None:
        self.page -= 1
        self.show_page(keep_cursor=False)
