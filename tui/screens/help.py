"""Help: the keys of the screen it was opened from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        lines = Text()
        title = getattr(self.for_screen, "TITLE", None) or type(self.for_screen).__name__
        lines.append(f"Keys on {title}\n\n", style="bold")
        seen: set[str] = set()
        for key, _, binding in self._bindings_of(self.for_screen):
            if binding.description and key not in seen:
                seen.add(key)
                lines.append(f"{self.app.get_key_display(binding):>12}  ", style="bold")
                lines.append(f"{binding.description}\n")
        lines.append("\n1-6 switch screens · ctrl+p command palette · Esc closes this", style="dim")
        with VerticalScroll():
            yield Static(lines)

    def _bindings_of(self, screen: Screen):
        for key, active_binding in screen.active_bindings.items():
            yield key, active_binding.node, active_binding.binding
