"""Switching the app's language while it runs (docs/languages.md).

The command palette offers each language; choosing one sets it (`i18n.set_language`), remembers
it for this user (`KapabelApp.change_language`), and draws the screens again in it:

- the screen shown is made anew at once, as when it is first opened, and the user's place on it
  is kept: the values typed or chosen in its fields, the open tab, the focused widget and each
  table's selected row (by row key, once the data is back) and tree's line;
- any other screen (another mode's, one beneath the screen shown) likewise, when it is shown
  next (switching to its mode, or closing the screens above it);
- a mode's screen is made anew by the mode; a page opened over one (a person's, a theme's, a
  robot's) from the arguments it was opened with (`same_again`), or by its own `relaunch()`;
  a form or dialog is left as it is, so that nothing typed into it is lost: only its keys show
  in the new language.

Making a screen anew, rather than redrawing it in place, is what keeps this robust: a screen's
own state (cached widths, filled tables) always matches its widgets.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from textual.screen import Screen

# The widgets below are imported when a language is switched, not when the app starts.

LANGUAGE_COMMANDS = (("da", "Dansk (Danish)"), ("en", "English (engelsk)"))
"""Each language as the palette names it: in its own words and the other's, so that a person
who cannot read the language the app speaks now still finds their own."""

RESTORE_TRIES = 200
RESTORE_EVERY_S = 0.05
"""How long a table's selected row is waited for after a redraw (its rows are loaded in a
worker): up to 10 s, then the place is given up."""


@dataclass
class Place:
    """Where the user was on a screen, by the ids of its widgets."""

    values: dict[str, object] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    tabs: dict[str, str] = field(default_factory=dict)
    rows: dict[str, tuple[str, object]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    focused: str | None = None
    own: object = None
    """What the screen itself says is its place (`kept_place()`), beyond its widgets."""


def place_on(screen: Screen) -> Place:
    """The user's place on `screen`: what is typed and chosen, the tab, the selected rows."""
    from textual.widgets import Checkbox, DataTable, Input, Select, TabbedContent, TextArea, Tree

    place = Place(focused=screen.focused.id if screen.focused is not None else None)
    kept = getattr(screen, "kept_place", None)
    if kept is not None:
        place.own = kept()
    for widget in screen.query("*"):
        if widget.id is None:
            continue
        if isinstance(widget, Input | Select | Checkbox):
            place.values[widget.id] = widget.value
        elif isinstance(widget, TextArea) and not widget.read_only:  # read-only: output, made anew
            place.texts[widget.id] = widget.text
        elif isinstance(widget, TabbedContent) and widget.active:
            place.tabs[widget.id] = widget.active
        elif isinstance(widget, DataTable) and widget.row_count:
            key = widget.coordinate_to_cell_key(widget.cursor_coordinate).row_key.value
            place.rows[widget.id] = ("key", key) if key is not None else ("row", widget.cursor_row)
        elif isinstance(widget, Tree):
            place.lines[widget.id] = widget.cursor_line
    return place


def _by_id(screen: Screen, widget_id: str, kind: type):
    found = screen.query(f"#{widget_id}")
    return found.first() if found and isinstance(found.first(), kind) else None


def restore_fields(screen: Screen, place: Place) -> None:
    """Put back what was typed and chosen, the open tab and the focus (at once)."""
    from textual.widgets import Checkbox, Input, Select, TabbedContent, TextArea

    for widget_id, value in place.values.items():
        widget = _by_id(screen, widget_id, Input | Select | Checkbox)
        if widget is not None and widget.value != value:
            with contextlib.suppress(Exception):  # a choice the redrawn field no longer offers
                widget.value = value
    for widget_id, text in place.texts.items():
        widget = _by_id(screen, widget_id, TextArea)
        if widget is not None and widget.text != text:
            widget.text = text
    for widget_id, tab in place.tabs.items():
        widget = _by_id(screen, widget_id, TabbedContent)
        if widget is not None and widget.active != tab:
            widget.active = tab
    if place.focused is not None:
        widget = _by_id(screen, place.focused, object)
        if widget is not None and widget.focusable:
            widget.focus()


def restore_rows(screen: Screen, place: Place) -> bool:
    """Select again the rows (and tree lines) that were selected, where they are back already;
    True when nothing is left to wait for."""
    from textual.widgets import DataTable, Tree

    for widget_id, (kind, where) in list(place.rows.items()):
        table = _by_id(screen, widget_id, DataTable)
        if table is None:
            del place.rows[widget_id]
            continue
        if kind == "key" and where in table.rows:
            table.move_cursor(row=table.get_row_index(where), animate=False)
        elif kind == "row" and isinstance(where, int) and where < table.row_count:
            table.move_cursor(row=where, animate=False)
        else:
            continue
        del place.rows[widget_id]
    for widget_id, line in list(place.lines.items()):
        tree = _by_id(screen, widget_id, Tree)
        if tree is None:
            del place.lines[widget_id]
        elif line <= tree.last_line:
            tree.move_cursor_to_line(line, animate=False)
            del place.lines[widget_id]
    return not place.rows and not place.lines


def fresh_copy(screen: Screen, make_base: Callable[[], Screen] | None) -> Screen | None:
    """A new copy of `screen`, drawn in the current language: its own `relaunch()` if it has
    one, a mode's screen made anew (`make_base`), or a page opened over one made again from its
    arguments (`same_again`); None for a dialog or form, whose typed values and result callback
    stay with it."""
    relaunch = getattr(screen, "relaunch", None)
    if relaunch is not None:
        return relaunch()
    if make_base is not None:
        return make_base()
    from textual.screen import ModalScreen

    return None if isinstance(screen, ModalScreen) else same_again(screen)


def same_again(screen: Screen) -> Screen | None:
    """A page such as a person's, a theme's or a robot's, made again: its class called with
    the arguments it needs, read back from its attributes of the same names (`employee_no`,
    `code`); None when one is not there."""
    parameters = list(inspect.signature(type(screen).__init__).parameters.values())[1:]
    needed = [p for p in parameters if p.default is inspect.Parameter.empty]
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in needed):
        return None
    if not all(hasattr(screen, p.name) for p in needed):
        return None
    return type(screen)(**{p.name: getattr(screen, p.name) for p in needed})


def keep_place(screen: Screen, place: Place) -> None:
    """Put the user back where they were on a screen drawn anew: the fields at once (after
    its first refresh), the selected rows as soon as its data is back; the screen's own place
    (`put_back_place`) at once, before its tabs are shown again."""
    put_back = getattr(screen, "put_back_place", None)
    if put_back is not None and place.own is not None:
        put_back(place.own)

    def restore() -> None:
        restore_fields(screen, place)
        if restore_rows(screen, place):
            return
        tries = iter(range(RESTORE_TRIES))

        def again() -> None:
            if restore_rows(screen, place) or next(tries, None) is None:
                timer.stop()

        timer = screen.set_interval(RESTORE_EVERY_S, again)

    screen.call_after_refresh(restore)
