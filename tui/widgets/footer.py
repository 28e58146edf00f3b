"""The footer every screen uses: Textual's Footer, rebuilt only when the keys it shows change,
with the keys' descriptions in the current language."""

from __future__ import annotations

from textual.app import ComposeResult, ScreenStackError
from textual.screen import Screen
from textual.widgets import Footer

from i18n import _, language


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys on every bindings update of the screen.

    A screen publishes several of those while it opens and one on every focus change, and each
    rebuild restyles every key: opening People cost 14 rebuilds (~0.1 s). This footer rebuilds
    at most once per refresh, and only when the shown keys (key, label, enabled) differ.
    """

    _rebuild_pending = False
    _shown: tuple | None = None

    @property
    def up_to_date(self) -> bool:
        """The footer shows the keys the screen has now (no rebuild waiting)."""
        return not self._rebuild_pending and self._shown == self._keys_shown()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_pending:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_pending = True
            # Queued on the footer's own screen: `call_after_refresh` hands the callback to
            # whichever screen is current when the message is handled, and during a screen
            # switch that is the screen being left, which never refreshes again: the footer
            # then stayed stale for good.
            screen._invoke_later(self._rebuild_if_changed, self)
            # And a fallback on the footer's own timer, should that screen not refresh soon
            # (seen under load: the footer kept the keys of before a focus change).
            self.set_timer(0.25, self._rebuild_if_pending)

    async def _rebuild_if_pending(self) -> None:
        if self._rebuild_pending:
            await self._rebuild_if_changed()

    def on_mount(self) -> None:
        # A last safety net: a bindings change that arrived while the footer was not yet on its
        # screen (a screen switch) was dropped, and the footer kept stale keys until the next
        # change, say without the list's "Open" after the list took the focus. Twice a second
        # it compares what it shows with the keys now (a dict walk: cheap) and rebuilds if they
        # differ.
        self.set_interval(0.5, self._rebuild_if_stale)

    async def _rebuild_if_stale(self) -> None:
        if self._rebuild_pending or not self.is_attached:
            return
        try:  # only the current screen's footer; none while the app is closing its screens
            if not self.screen.is_current or self._shown == self._keys_shown():
                return
        except ScreenStackError:
            return
        await self._rebuild_if_changed()

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
