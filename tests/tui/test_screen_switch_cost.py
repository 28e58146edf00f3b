"""Opening a screen does no avoidable work: no re-parse of every style, no needless footer rebuild.

These are the two costs that made opening People or Organisation take over half a second at
5,000 staff (benchmarks/bench_tui.py measures the time itself).
"""

from __future__ import annotations

import pytest
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_text, settle
from tui.app import SCREENS_IN_ORDER, KapabelApp
from tui.widgets.footer import KeysFooter

SIZE = (100, 32)


async def test_opening_every_screen_never_reparses_all_styles(small_repo, monkeypatch):
    reparses: list[int] = []
    original = Stylesheet.reparse

    def counting_reparse(self):
        reparses.append(1)
        original(self)

    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        monkeypatch.setattr(Stylesheet, "reparse", counting_reparse)
        for mode, key, _title in SCREENS_IN_ORDER[1:]:
            await pilot.press(key)
            await settle(pilot, lambda mode=mode: app.current_mode == mode)
        assert reparses == []
        # and each screen still has its own styles (people.tcss: the label is bold, padded)
        await pilot.press("3")
        await pilot.pause()
        label = app.screen.query_one("#people-filter-label")
        assert label.styles.text_style.bold
        assert label.styles.padding.left == 1


def footer_keys(app) -> list[str]:
    footer = app.screen.query_one(KeysFooter)
    return [key.description for key in footer.query(FooterKey)]


# Known to fail now and then on a loaded machine (the People list or its footer late after a
# screen switch); re-run up to twice while the cause is found (see the closing note).
@pytest.mark.flaky(reruns=2)
async def test_footer_follows_focus_but_is_rebuilt_only_when_its_keys_change(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("3")
        await settle(pilot, lambda: "Open" in footer_keys(app))
        keys_before = list(app.screen.query_one(KeysFooter).query(FooterKey))

        await pilot.press("slash")  # to the filter: the table's Enter (Open) no longer applies
        await settle(pilot, lambda: isinstance(app.screen.focused, Input))
        await settle(pilot, lambda: "Open" not in footer_keys(app))
        assert "Agents" not in footer_keys(app)  # letters are typed into the filter now
        assert "Help" in footer_keys(app)

        await pilot.press("down")  # back to the table: Open is offered again
        await settle(pilot, lambda: "Open" in footer_keys(app))
        assert "Agents" in footer_keys(app)
        assert "Open" in screen_text(pilot).splitlines()[-1]

        # Focus moving between widgets with the same keys leaves the footer as it is.
        keys_now = list(app.screen.query_one(KeysFooter).query(FooterKey))
        app.screen.refresh_bindings()
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert list(app.screen.query_one(KeysFooter).query(FooterKey)) == keys_now
        assert keys_now != keys_before  # (it was rebuilt when the keys did change)


async def test_a_screen_opened_for_the_first_time_is_styled_once(small_repo, monkeypatch):
    """Its widgets are styled as they mount; Textual then restyled the whole screen on each of
    the two resumes of a mode's first switch, for nothing. Coming back to a screen left
    earlier restyles it as Textual does (the styles may have changed meanwhile)."""
    restyled: list[str] = []
    original = Screen.update_node_styles

    def counting(self, animate: bool = True):
        restyled.append(type(self).__name__)
        original(self, animate)

    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        monkeypatch.setattr(Screen, "update_node_styles", counting)
        for mode, key, _title in SCREENS_IN_ORDER[1:]:
            await pilot.press(key)
            await settle(pilot, lambda mode=mode: app.current_mode == mode)
            await pilot.pause()
        assert restyled == []
        await pilot.press("3")  # People, shown before: restyled on its return
        await settle(pilot, lambda: app.current_mode == "people")
        await pilot.pause()
        assert restyled == ["PeopleScreen"]
        label = app.screen.query_one("#people-filter-label")  # people.tcss still applies
        assert label.styles.text_style.bold
