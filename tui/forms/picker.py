"""The field for a reference to a department, role, person, competency, course, theme or robot.

    PickerInput("roles", value="SAG")   # type the code or the name; F2 opens PickerScreen
    PickerScreen(lookup, query="")      # -> the chosen key, or None

Nobody should have to know codes: the field accepts what a person types (code or name, any
case, with or without accents; `store.lookup` decides) and F2 opens a search by name or code
that lists the best matches (at most 50, so 50,000 staff stay quick). Forms get these fields
from `FormScreen.reference_field`, which resolves the text when the form is saved.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from i18n import N_, _, ngettext
from store.lookup import SEARCH_LIMIT, AmbiguousReference, Choice, Lookup, ReferenceProblem
from tui.widgets.footer import KeysFooter

PICK_KEY = "f2"
PICK_HINT = N_("F2 searches by name or code")


def choice_text(choice: Choice) -> Text:
    """'SAG  Sagsbehandler  (detail)': the code in bold; names exactly as stored (no markup)."""
    text = Text(choice.key, style="bold", no_wrap=True, overflow="ellipsis")
    text.append("  ")
    text.append(choice.name)
    if choice.detail:
        text.append(f"  {choice.detail}", style="dim")
    return text


def reference_hint(lookup: Lookup, typed: str, empty: str = "") -> Text:
    """What the typed text names, as the person types: the record, or the closest ones.
    `empty` (what an empty field means) is given as marked, and translated here."""
    typed = typed.strip()
    if not typed:
        return Text(f"{_(empty)} · {_(PICK_HINT)}" if empty else _(PICK_HINT))
    what = _(lookup.what)
    try:
        key = lookup.resolve(typed)
    except AmbiguousReference:
        return Text(_("several {what} records have this name: F2 to choose one").format(what=what))
    except ReferenceProblem:
        closest = lookup.search(typed, limit=3)
        if not closest:
            return Text(_("no {what} matches · {hint}").format(what=what, hint=_(PICK_HINT)))
        text = Text(_("F2 to choose: "))
        for n, choice in enumerate(closest):
            text.append(", " if n else "")
            text.append(f"{choice.key} {choice.name}")
        return text
    return Text("✓ ").append_text(choice_text(lookup.by_key[key]))


class PickerInput(Input):
    """An Input for a reference: the code or the name may be typed; F2 searches."""

    BINDINGS = [Binding(PICK_KEY, "pick", N_("Search by name or code"))]

    def __init__(
        self,
        table: str,
        value: str = "",
        *,
        placeholder: str = "",
        empty_hint: str = "",
        id: str | None = None,  # noqa: A002 (Textual's name)
        compact: bool = True,
    ) -> None:
        super().__init__(value, placeholder=placeholder, compact=compact, id=id)
        self.table = table
        self.empty_hint = empty_hint
        """What an empty field means ("empty: every role"), shown in the hint (as marked)."""

    @property
    def lookup(self) -> Lookup:
        return self.app.lookup(self.table)

    def hint(self) -> Text:
        if not self.value.strip():  # no index needed (50,000 staff are indexed on first use)
            return reference_hint(Lookup(self.table, []), "", self.empty_hint)
        return reference_hint(self.lookup, self.value, self.empty_hint)

    def action_pick(self) -> None:
        self.app.push_screen(PickerScreen(self.lookup, self.value), self._picked)

    def _picked(self, key: str | None) -> None:
        if key is not None:
            self.value = key
            self.cursor_position = len(key)
        self.focus()


class PickerScreen(ModalScreen[str | None]):
    """Search one table by name or code; Enter picks the highlighted match, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("down", "move(1)", N_("Next"), show=False),
        Binding("up", "move(-1)", N_("Previous"), show=False),
        Binding("pagedown", "move(10)", N_("Page down"), show=False),
        Binding("pageup", "move(-10)", N_("Page up"), show=False),
    ]
    DEFAULT_CSS = """
    PickerScreen { align: center middle; background: $background 60%; }
    PickerScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PickerScreen #picker-options { height: auto; max-height: 14; }
    PickerScreen #picker-count { color: $text-muted; }
    """

    def __init__(self, lookup: Lookup, query: str = "") -> None:
        super().__init__()
        self.lookup = lookup
        self.query_text = query.strip()
        self.shown: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            title = _("Choose the {what}").format(what=_(self.lookup.what))
            yield Static(Text(title, style="bold"), id="picker-title")
            yield Input(
                self.query_text,
                placeholder=_("part of the name or code (accents and case do not matter)"),
                id="picker-query",
                compact=True,
            )
            yield Static("", id="picker-count")
            yield OptionList(id="picker-options")
            yield Static(
                Text(_("↑↓ move · Enter chooses · Esc cancels"), style="dim"), id="picker-keys"
            )
        yield KeysFooter()  # the picker's keys, not those of the screen behind it

    def on_mount(self) -> None:
        self.show_matches(self.query_text)
        self.query_one("#picker-query", Input).focus()

    def show_matches(self, query: str) -> None:
        found = self.lookup.search(query, limit=SEARCH_LIMIT + 1)
        self.shown = found[:SEARCH_LIMIT]
        options = self.query_one("#picker-options", OptionList)
        options.set_options(Option(choice_text(c), id=c.key) for c in self.shown)
        options.display = bool(self.shown)
        if self.shown:
            options.highlighted = 0
        if not found:
            count = _("no {what} matches").format(what=_(self.lookup.what))
        elif len(found) > SEARCH_LIMIT:
            count = _("the first {limit} matches: type more to narrow them").format(
                limit=SEARCH_LIMIT
            )
        else:
            count = ngettext("{n} match", "{n} matches", len(found)).format(n=len(found))
        self.query_one("#picker-count", Static).update(Text(count))

    @on(Input.Changed, "#picker-query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_matches(event.value)

    @on(Input.Submitted, "#picker-query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted].key)

    @on(OptionList.OptionSelected, "#picker-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
