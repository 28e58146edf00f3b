"""Help names the screen it was opened from and the focused widget in words, in English and in
Danish: never by a class name ("Keys on CoverageRulesScreen", "I DataTable")."""

from __future__ import annotations

import re

import pytest

import i18n
from tests.tui.conftest import AS_OF
from tests.tui.helpers import open_overview_figure, overview_ready, settle
from tui.app import KapabelApp
from tui.screens.help import HelpScreen, binding_groups, own_keys_heading

SIZE = (100, 32)
CLASS_NAME = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*|\b(Input|Tree|Select|Button|Checkbox)\b")
"""A Textual or Kapabel class name (DataTable, CoverageRulesScreen, Input, ...)."""


@pytest.fixture(params=["en", "da"])
def language(request):
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def headings(screen) -> list[str]:
    return [own_keys_heading(screen)] + [heading for heading, _ in binding_groups(screen)]


async def help_headings(pilot) -> list[str]:
    """Help's headings for the screen on top (Help is opened, read and closed)."""
    screen = pilot.app.screen
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen), (screen, screen.focused)
    found = headings(screen)
    await pilot.press("escape")
    await pilot.pause()
    return found


async def test_help_headings_name_screens_and_widgets_in_words(small_repo, language) -> None:
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    seen = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        for key in "1234567890":
            await pilot.press(key)
            await pilot.pause()
            seen[key] = await help_headings(pilot)
        await pilot.press("4", "c")  # Coverage rules over Competencies
        await pilot.pause()
        assert type(app.screen).__name__ == "CoverageRulesScreen"
        seen["coverage rules"] = await help_headings(pilot)
        await pilot.press("escape", "1")
        await settle(pilot, lambda: overview_ready(app))
        await open_overview_figure(pilot, "agents")
        await pilot.pause()
        assert type(app.screen).__name__ == "FindingsScreen"
        seen["findings"] = await help_headings(pilot)
    named = {where: texts for where, texts in seen.items() if CLASS_NAME.search(" ".join(texts))}
    assert not named, f"Help names classes: {named}"
    words = {"en": ("Coverage rules", "In the table"), "da": ("Dækningsregler", "I tabellen")}
    rules, table = words[language]
    assert any(rules in heading for heading in seen["coverage rules"])
    assert table in seen["3"]  # People's list has the focus


async def test_help_lists_a_screen_key_the_focused_widget_binds_too(small_repo) -> None:  # noqa: F811
    """On Training with a choice list focused, Enter opens the list, yet the screen's Enter
    (open the plan) is still its key: Help lists it with the screen's keys, where it was
    found in the screen's own bindings (now read from its classes' BINDINGS)."""
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("5")
        await pilot.pause()
        select = app.screen.query("Select").first()
        select.focus()
        await pilot.pause()
        own = binding_groups(app.screen)[0]
        assert own[0] == own_keys_heading(app.screen)
        assert ("enter", "open_plan") in [(b.key, b.action) for b in own[1]]
