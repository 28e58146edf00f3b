"""A yes/no question before anything is deleted or deactivated.

    ConfirmDialog(question, confirm_label="Yes", title="Are you sure?")

A ModalScreen[bool]: True only when the person confirms (button, or `y`); Escape, `n` and the
Cancel button (which has focus, so a stray Enter does no harm) give False.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from i18n import N_, _
from tui.forms.base import FORMS_CSS, with_key
from tui.widgets.footer import KeysFooter


class ConfirmDialog(ModalScreen[bool]):
    CSS_PATH = FORMS_CSS
    BINDINGS = [
        Binding("y", "confirm", N_("Yes")),
        Binding("n,escape", "cancel", N_("No")),
    ]

    def __init__(
        self,
        question: str | Text,
        confirm_label: str = N_("Yes"),
        title: str = N_("Are you sure?"),
        keep_label: str = N_("Cancel"),
    ) -> None:
        """The labels and title are given as marked (N_) or already translated (_): they are
        shown in the current language either way."""
        super().__init__()
        self.question = Text(question) if isinstance(question, str) else question
        self.confirm_label = _(confirm_label)
        self.keep_label = _(keep_label)
        """The button that changes nothing ("Keep it" where "Cancel" would mean the action)."""
        self.title_text = _(title)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.title_text, style="bold"), id="confirm-title")
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    with_key(self.confirm_label, "y"),
                    id="confirm-yes",
                    variant="error",
                    compact=True,
                )
                yield Button(with_key(self.keep_label, "n"), id="confirm-no", compact=True)
        yield KeysFooter()  # the dialog's keys, not those of the screen behind it

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.action_cancel()
