"""Offer a screen's own actions in the command palette (ctrl+p).

A screen lists them in `PALETTE_ACTIONS` as (title, action name, help) and sets
`COMMANDS = {ScreenActions}`.
"""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenActions(Provider):
    def _actions(self) -> list[tuple[str, str, str]]:
        return list(getattr(self.screen, "PALETTE_ACTIONS", []))

    async def discover(self) -> Hits:
        for title, action, help_text in self._actions():
            yield DiscoveryHit(title, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._runner(action), help=help_text)

    def _runner(self, action: str):
        screen = self.screen

        async def run() -> None:
            await screen.run_action(action)

        return run
