"""One labelled form field: its input and a hint line that turns into the message of what is wrong.

Shared by the forms in this package so every form validates and reports at the field the same way.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from store.dataset import Dataset


class FormField(Vertical):
    """Label, Input, and one line below it: a hint when all is well, the problem when not."""

    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > Label { padding: 0 1; }
    FormField > .hint { padding: 0 1; color: $text-muted; height: 1; }
    FormField.-invalid > .hint { color: $error; text-style: bold; }
    FormField > Input { margin: 0 1; background: $panel; }
    FormField > Input:focus { background: $primary 30%; }
    FormField.-invalid > Input { background: $error 20%; }
    """

    def __init__(
        self,
        label: str,
        name: str,
        value: str = "",
        *,
        placeholder: str = "",
        suggestions: list[str] | None = None,
    ) -> None:
        super().__init__(id=f"field-{name}")
        self.field_name = name
        self._label = label
        self._value = value
        self._placeholder = placeholder
        self._suggestions = suggestions

    def compose(self) -> ComposeResult:
        yield Label(Text(self._label))
        suggester = (
            SuggestFromList(self._suggestions, case_sensitive=False) if self._suggestions else None
        )
        yield Input(
            self._value,
            placeholder=self._placeholder,
            id=self.field_name,
            suggester=suggester,
            select_on_focus=False,
            compact=True,
        )
        yield Static("", classes="hint", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    def show(self, problem: str | None, hint: str = "") -> None:
        """Show what is wrong (and mark the field), or a neutral hint when nothing is."""
        self.set_class(problem is not None, "-invalid")
        self.query_one(".hint", Static).update(
            Text(problem if problem else hint, no_wrap=True, overflow="ellipsis")
        )


def level_hint(ds: Dataset, competency: str, typed: str) -> str:
    """The label of a typed level on the competency's scale, or the scale's range."""
    framework = ds.framework_of(competency.strip())
    if framework is None:
        return "a level of the competency's scale"
    typed = typed.strip()
    if typed.isdigit() and 1 <= int(typed) <= framework.max_level:
        return framework.label(int(typed))
    return f"1-{framework.max_level} ({framework.code})"
