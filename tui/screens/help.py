"""Help: the keys of the screen it was opened from, its own keys first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Select, Static, TextArea, Tree

from i18n import N_, _
from tui.screens import SCREENS_IN_ORDER
from tui.widgets.report_text import ReportText


def _inherited_from_textual(binding: Binding) -> bool:
    """Keys every Textual screen has (tab, copy): listed with the app's, not the screen's."""
    return any(isinstance(b, Binding) and b.action == binding.action for b in Screen.BINDINGS)


def screen_keys_text() -> str:
    """'1-8' for the number keys that switch screens; '1-9, 0' once 0 follows 9."""
    keys = [key for _, key, _ in SCREENS_IN_ORDER]
    digits = [k for k in keys if k != "0"]
    text = f"{digits[0]}-{digits[-1]}"
    return f"{text}, 0" if "0" in keys else text


def screen_bindings(screen: Screen) -> list[tuple[str, Binding]]:
    """(key, binding) for the keys the screen's classes bind (their public BINDINGS), merged as
    Textual merges them: a class's bindings of a key replace those of the classes it extends."""
    keys: dict[str, list[Binding]] = {}
    for cls in reversed(type(screen).__mro__):
        own: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            own.setdefault(binding.key, []).append(binding)
        keys.update(own)
    return [(key, binding) for key, bindings in keys.items() for binding in bindings]


def binding_groups(screen: Screen) -> list[tuple[str, list[Binding]]]:
    """(heading, bindings) for the screen's own keys, the app's keys and the focused widget's."""
    app = screen.app
    own: list[Binding] = []
    everywhere: list[Binding] = []
    focused: list[Binding] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or key in seen:
            continue
        seen.add(key)
        if active.node is screen and not _inherited_from_textual(binding):
            own.append(binding)
        elif active.node is app or active.node is screen:
            everywhere.append(binding)
        else:
            focused.append(binding)
    for key, binding in screen_bindings(screen):  # a key the focused widget binds too (Enter)
        shadowed = key in seen and binding not in own  # still does the screen's thing in the end
        if shadowed and binding.description and not _inherited_from_textual(binding):
            own.append(binding)
    focused.sort(key=lambda b: not b.show)  # the widget's own keys (F2 search) before editing keys
    groups = [
        (own_keys_heading(screen), own),
        (_("Everywhere"), everywhere),
        (focused_keys_heading(screen), focused),
    ]
    return [(heading, bindings) for heading, bindings in groups if bindings]


def screen_title(screen: Screen) -> str:
    """The screen's title in the current language (its class name when it has none)."""
    title = getattr(screen, "TITLE", None)
    return _(title) if title else type(screen).__name__


def own_keys_heading(screen: Screen) -> str:
    return _("Keys on {screen}").format(screen=screen_title(screen))


WIDGET_WORDS = (
    (DataTable, N_("In the table")),
    (Tree, N_("In the tree")),
    (TextArea, N_("In the text area")),
    (ReportText, N_("In the text area")),
    (Input, N_("In the text field")),
    (Select, N_("In the choice list")),
)
"""How Help names the focused widget's kind (never by its class name), first match wins."""


def focused_keys_heading(screen: Screen) -> str:
    for kind, words in WIDGET_WORDS:
        if isinstance(screen.focused, kind):
            return _(words)
    return _("In the focused widget")


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", N_("Close"))]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        lines = Text()
        groups = binding_groups(self.for_screen)
        own_heading = own_keys_heading(self.for_screen)
        if not groups or groups[0][0] != own_heading:
            lines.append(f"{own_heading}\n\n", style="bold")
        for heading, bindings in groups:
            lines.append(f"{heading}\n", style="bold")
            for binding in bindings:
                lines.append(f"{self.app.get_key_display(binding):>12}  ", style="bold")
                lines.append(f"{_(binding.description)}\n")  # marked N_() where bound
            lines.append("\n")
        keys = screen_keys_text()
        lines.append(
            _("{keys} switch screens · ctrl+p command palette · Esc closes this").format(keys=keys),
            style="dim",
        )
        with VerticalScroll():
            yield Static(lines)
