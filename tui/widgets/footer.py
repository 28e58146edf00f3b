"""The footer every screen uses: Textual's Footer, rebuilt only when the keys it shows change,
with the keys' descriptions in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from i18n import _, language


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys on every bindings update of the screen.

    A screen publishes several of those while it opens and one on every focus change, and each
    rebuild restyles every key: opening People cost 14 rebuilds (~0.1 s). This footer rebuilds
    once for the changes that come before it gets to it, and only when the shown keys (key,
    label, enabled) differ.
    """

    _rebuild_pending = False
    _shown: tuple | None = None

    @property
    def up_to_date(self) -> bool:
        """The footer shows the keys the screen has now (no rebuild waiting)."""
        return not self._rebuild_pending and self._shown == self._keys_shown()

    def bindings_changed(self, screen: Screen) -> None:
        # Footer's own flag (private; Footer.compose draws no key until it is set), set as
        # Footer.bindings_changed sets it: this replaces that method, whose rebuild on every
        # change cost 14 rebuilds (~0.1 s) as People opened.
        self._bindings_ready = True
        if screen.focused is not None:
            # Textual leaves out the keys of a focused widget while it is loading, and tells
            # nobody when its loading ends (the focus did not move): People's list, focused as
            # the screen opened and loading after, kept a footer without "Open".
            self.watch(screen.focused, "loading", self._focused_loading_changed, init=False)
        if not screen.app.app_focus or self._rebuild_pending:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_pending = True  # changes until the rebuild runs make one rebuild
            self.call_later(self._rebuild_if_changed)

    def _focused_loading_changed(self) -> None:
        if self.is_attached:
            self.bindings_changed(self.screen)

    def compose(self) -> ComposeResult:
        """Textual's keys, each description (marked N_() where it is bound) and tooltip
        translated as it is shown: a change of language shows at the next rebuild."""
        for widget in super().compose():
            description = getattr(widget, "description", None)
            if isinstance(description, str) and description:
                widget.description = _(description)
            if isinstance(widget.tooltip, str) and widget.tooltip:
                widget.tooltip = _(widget.tooltip)
            yield widget

    def language_changed(self) -> None:
        """Show the keys in the language now chosen (rebuilt at once if they are shown)."""
        if self.is_attached:
            self.bindings_changed(self.screen)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        shown = self._keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys_shown(self) -> tuple:
        """What `Footer.compose` draws from: the shown bindings, with their state, and the
        language they are shown in."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (language(),) + tuple(
            (key, binding.description, binding.action, binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )
