"""A modal form: labelled fields, validation at the field, nothing saved until valid.

A form lists its fields (`FormField`: widget + how to parse what was typed), turns the parsed
values into a store record (`make_record`) and writes it (`save`). The base class does the rest
the same way for every form: parse each field, map pydantic's and the store's 'field: message'
problems to the field they name, keep the form open while anything is wrong, show a conflict or
other store error above the fields, and on success dismiss with the saved record and call
`app.data_changed()`. Escape cancels (dismisses with None). Ctrl+S or Enter in a field saves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from i18n import N_, _
from store.errors import ConflictError, StoreError, ValidationProblem
from store.integrity import record_problems
from store.lookup import WHAT, ReferenceProblem
from store.models import Entity
from store.problems import by_field, from_pydantic
from tui.forms.parsing import FieldError, FormErrors
from tui.forms.picker import PickerInput
from tui.widgets.footer import KeysFooter

RecordT = TypeVar("RecordT")

FORMS_CSS = Path(__file__).parent / "forms.tcss"


@dataclass
class FormField:
    """One field: `name` is the model field it fills; `parse` turns raw input into a value."""

    name: str
    label: str
    widget: Widget
    parse: Callable[[Any], Any] | None = None
    hint: str | Text = ""


def raw_value(widget: Widget) -> Any:
    """What the person entered: text for an Input, the value (None if blank) for a Select."""
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, Checkbox):
        return widget.value
    if isinstance(widget, Static):
        return None
    raise TypeError(f"no value for {type(widget).__name__}")


def with_key(label: str, key: str) -> str:
    """A button's label with the key that does the same ('Save  ctrl+s'); keys keep their
    names in every language."""
    return f"{label}  {key}"


def error_text(message: str) -> Text:
    """A problem shown with a sign and words, so colour is never the only signal."""
    return Text(f"✗ {message}", style="bold red")


def reference_placeholder(table: str, required: bool) -> str:
    """What a reference field holds before anything is typed: 'department code or name'."""
    what = _(WHAT.get(table, table))
    if table == "staff":
        text = _("{what} number or name") if required else _("{what} number or name (optional)")
    else:
        text = _("{what} code or name") if required else _("{what} code or name (optional)")
    return text.format(what=what)


class FormScreen(ModalScreen[RecordT | None], Generic[RecordT]):
    """Base of every Kapabel form; subclasses give `title`, `fields`, `make_record`, `save`."""

    CSS_PATH = FORMS_CSS
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save")),
        Binding("f1", "app.help", N_("Help")),  # a modal screen hides the app's keys
    ]

    title_text: str = N_("Form")
    """The form's title, as marked (translated when shown)."""
    save_label: str = N_("Save")
    """What the save button says (what saving does, e.g. "Assign"), as marked."""

    def __init__(self) -> None:
        super().__init__()
        self.specs: dict[str, FormField] = {}
        self.shown_errors: dict[str, str] = {}
        self.general_errors: list[str] = []
        self.saw_newer_data = False

    # ---- to implement -------------------------------------------------------------------
    def fields(self) -> Iterable[FormField]:
        raise NotImplementedError

    def make_record(self, values: dict[str, Any]) -> Entity:
        """Build the record from parsed values; raise FormErrors for cross-field problems."""
        raise NotImplementedError

    def save(self, record: Entity) -> RecordT:
        """Write the record through the store; return what was saved."""
        raise NotImplementedError

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        """Hook: field -> problem for rules on the values parsed so far (e.g. level in scale).

        Runs even when other fields failed to parse, so every problem shows at once; `values`
        holds only the fields that parsed.
        """
        return {}

    def on_field_changed(self, name: str) -> None:
        """Hook: a field's value changed (update hints that depend on it)."""

    def check_warnings(self, values: dict[str, Any]) -> dict[str, str]:
        """Hook: field -> what an allowed but surprising value will mean (warned, not refused).

        `values` holds the fields that parse now; shown as the person types and after saving.
        """
        return {}

    # ---- building fields ----------------------------------------------------------------
    def reference_field(
        self,
        name: str,
        label: str,
        table: str,
        value: str = "",
        *,
        required: bool = True,
        empty: str = "",
    ) -> FormField:
        """A field naming a record of `table` by code or name (F2 searches); parsed to its key.

        `empty` says what leaving an optional field empty means ("empty: every role"), as
        marked with N_() (translated when shown).
        """
        what = WHAT.get(table, table)

        def parse(raw: str) -> str | None:
            text = raw.strip()
            if not text:
                if required:
                    raise FieldError("required_reference", what=what)
                return None
            try:
                return self.app.lookup(table).resolve(text)
            except ReferenceProblem as problem:
                raise FieldError(problem.problem.code, **problem.problem.params) from None

        widget = PickerInput(
            table, value, placeholder=reference_placeholder(table, required), empty_hint=empty
        )
        return FormField(name, label, widget, parse)

    def resolved(self, name: str) -> str | None:
        """The key a reference field's text names now, or None (for hints while typing)."""
        try:
            return self.parse_field(name)
        except FieldError:
            return None

    # ---- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self.specs = {spec.name: spec for spec in self.fields()}
        with Vertical(id="form"):
            yield Static(Text(_(self.title_text), style="bold"), id="form-title")
            yield Static("", id="form-error")
            with VerticalScroll(id="form-fields"):
                for spec in self.specs.values():
                    with Horizontal(classes="field"):
                        yield Label(spec.label, classes="field-label")
                        spec.widget.id = f"field-{spec.name}"
                        yield spec.widget
                    yield Static(spec.hint, id=f"hint-{spec.name}", classes="field-hint")
                    yield Static("", id=f"error-{spec.name}", classes="field-error")
                    yield Static("", id=f"warning-{spec.name}", classes="field-warning")
            with Horizontal(id="form-buttons"):
                yield Button(
                    with_key(_(self.save_label), "ctrl+s"),
                    id="form-save",
                    variant="primary",
                    compact=True,
                )
                yield Button(with_key(_("Cancel"), "esc"), id="form-cancel", compact=True)
        yield KeysFooter()  # the form's keys, not those of the screen behind it

    def on_mount(self) -> None:
        if not self.query("#form"):
            return  # not composed: the app is closing (a key pressed just after q opened it)
        for spec in self.specs.values():
            self.set_hint(spec.name, spec.hint)
            if isinstance(spec.widget, PickerInput) and not spec.hint:
                self.set_hint(spec.name, spec.widget.hint())
        self.show_warnings()
        first = next((s.widget for s in self.specs.values() if s.widget.focusable), None)
        if first is not None:
            first.focus()

    # ---- reading and showing ------------------------------------------------------------
    def widget(self, name: str) -> Widget:
        return self.specs[name].widget

    def raw(self, name: str) -> Any:
        return raw_value(self.specs[name].widget)

    def set_hint(self, name: str, hint: str | Text) -> None:
        box = self.query_one(f"#hint-{name}", Static)
        box.update(Text(hint) if isinstance(hint, str) else hint)
        box.display = bool(hint)

    def set_error(self, name: str, message: str | None) -> None:
        box = self.query_one(f"#error-{name}", Static)
        box.update(error_text(message) if message else "")
        box.display = bool(message)
        self.specs[name].widget.set_class(bool(message), "invalid")
        if message:
            self.shown_errors[name] = message
        else:
            self.shown_errors.pop(name, None)

    def current_warnings(self) -> dict[str, str]:
        """What `check_warnings` says of the fields that parse now."""
        values = {}
        for name in self.specs:
            try:
                values[name] = self.parse_field(name)
            except FieldError:
                continue
        return self.check_warnings(values)

    def show_warnings(self) -> None:
        warnings = self.current_warnings()
        for name in self.specs:
            box = self.query_one(f"#warning-{name}", Static)
            message = warnings.get(name)
            box.update(Text(f"⚠ {message}", style="bold yellow") if message else "")
            box.display = bool(message)

    def set_general_error(self, messages: list[str]) -> None:
        self.general_errors = list(messages)
        box = self.query_one("#form-error", Static)
        box.update(error_text("\n".join(messages)) if messages else "")
        box.display = bool(messages)

    def field_errors(self) -> dict[str, str]:
        """The messages now shown at fields (what the person at the screen reads)."""
        return dict(self.shown_errors)

    def show_errors(self, at_field: dict[str, str], general: list[str]) -> None:
        for name in self.specs:
            self.set_error(name, at_field.get(name))
        self.set_general_error(general)
        first = next((self.specs[n].widget for n in self.specs if n in at_field), None)
        if first is not None and first.focusable:
            first.focus()

    # ---- validation ---------------------------------------------------------------------
    def parse_field(self, name: str) -> Any:
        spec = self.specs[name]
        raw = raw_value(spec.widget)
        return spec.parse(raw) if spec.parse else raw

    def parsed_values(self) -> dict[str, Any]:
        """Every field's parsed value; FormErrors naming each field that cannot be parsed."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name in self.specs:
            try:
                values[name] = self.parse_field(name)
            except FieldError as error:
                errors[name] = str(error)
        for name, message in self.check_values(values).items():
            errors.setdefault(name, message)
        if errors:
            raise FormErrors(errors)
        return values

    def validated_record(self) -> Entity | None:
        """The record when everything is valid; otherwise shows the problems and returns None."""
        fields = set(self.specs)
        try:
            values = self.parsed_values()
            record = self.make_record(values)
        except FormErrors as error:
            self.show_errors(error.errors, [])
            return None
        except ValidationError as error:
            self.show_errors(*by_field(from_pydantic(error), fields))
            return None
        problems = record_problems(self.app.repo.ds, record)
        if problems:
            self.show_errors(*by_field(problems, fields))
            return None
        return record

    # ---- actions ------------------------------------------------------------------------
    def action_save(self) -> None:
        record = self.validated_record()
        if record is None:
            return
        try:
            saved = self.save(record)
        except ValidationProblem as error:
            self.show_errors(*by_field(error.problems, set(self.specs)))
            return
        except ConflictError as error:
            self.saw_newer_data = True
            self.show_errors({}, [str(error)])
            return
        except StoreError as error:
            self.show_errors({}, [str(error)])
            return
        warnings = self.current_warnings()
        self.dismiss(saved)
        self.app.data_changed()
        self.app.notify(self.saved_message(saved), markup=False)
        for message in warnings.values():
            self.app.notify(message, title=_("Saved, but note"), severity="warning", markup=False)

    def saved_message(self, saved: RecordT) -> str:
        return _("Saved")

    def action_cancel(self) -> None:
        self.dismiss(None)
        if self.saw_newer_data:
            self.app.data_changed()  # the store re-read someone else's change: show it

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = self._name_of(event.input)
        if name:
            self.set_error(name, None)
            if isinstance(event.input, PickerInput):
                self.set_hint(name, event.input.hint())
            self.on_field_changed(name)
            self.show_warnings()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        name = self._name_of(event.select)
        if name:
            self.set_error(name, None)
            self.on_field_changed(name)
            self.show_warnings()

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        """A ticked or unticked box can change a warning (deactivating a robot's operator)."""
        name = self._name_of(event.checkbox)
        if name:
            self.on_field_changed(name)
            self.show_warnings()

    @on(Input.Blurred)
    def _input_blurred(self, event: Input.Blurred) -> None:
        """Check a field's shape as soon as the person leaves it."""
        name = self._name_of(event.input)
        if name and event.input.value.strip():
            try:
                self.parse_field(name)
            except FieldError as error:
                self.set_error(name, str(error))

    def _name_of(self, widget: Widget) -> str | None:
        wid = widget.id or ""
        name = wid.removeprefix("field-")
        return name if wid.startswith("field-") and name in self.specs else None
