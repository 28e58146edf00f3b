"""The app in Danish (issue #13): texts fixed at import time (key descriptions, titles, Textual's
own commands) are translated where they are shown, and the language is switched from the
command palette, remembered, and every visible text redrawn at once (docs/languages.md)."""

from __future__ import annotations

import pytest
from textual.binding import Binding

import i18n
from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_lines, screen_text, screen_words, settle
from tui.app import KapabelApp
from tui.screens.help import HelpScreen

SIZE = (100, 32)


@pytest.fixture
def danish():
    i18n.set_language("da")
    yield
    i18n.set_language("en")


def make_app(repo) -> KapabelApp:
    return KapabelApp(repo, as_of=AS_OF, watch_interval=None)


async def test_the_footer_and_help_show_textual_keys_in_danish(small_repo, danish):
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        footer = screen_lines(pilot)[-1]
        assert "^p kommandoer" in footer and "palette" not in footer
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        words = screen_words(pilot)
        assert "tab Næste felt" in words
        assert "Focus Next" not in words


async def test_the_palette_speaks_danish_and_its_keys_command_opens_help(small_repo, danish):
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: "Søg efter kommandoer" in screen_text(pilot))
        await pilot.press(*"farvetema")
        await settle(pilot, lambda: "Skift farvetema" in screen_text(pilot))
        for _ in "farvetema":
            await pilot.press("backspace")
        await pilot.press(*"Taster")
        await settle(pilot, lambda: "Tasterne på denne skærm" in screen_text(pilot))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_the_header_shows_a_marked_title_in_danish(small_repo, danish):
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        app.screen.title = i18n.N_("Keys")  # a title marked where it is set
        await settle(pilot, lambda: "Taster" in screen_lines(pilot)[0])


def test_every_key_textual_binds_in_kapabel_is_in_the_catalogue():
    """Textual's widgets bind keys with English descriptions, which the footer, Help and the
    palette show: each is marked in tui/textual_texts.py (a Textual upgrade adding one fails
    here) and so translated."""
    from textual.app import App
    from textual.command import CommandPalette
    from textual.containers import ScrollableContainer
    from textual.screen import Screen
    from textual.widgets import (
        Button,
        Checkbox,
        DataTable,
        Input,
        OptionList,
        Select,
        TabbedContent,
        Tabs,
        TextArea,
        Tree,
    )

    from tui.textual_texts import KEY_DESCRIPTIONS, PALETTE_TEXTS

    used = [App, Screen, Input, DataTable, Tree, OptionList, Select, Checkbox, Button, TextArea]
    used += [TabbedContent, Tabs, ScrollableContainer, CommandPalette]
    bound = {
        text
        for widget in used
        for cls in widget.__mro__
        for binding in cls.__dict__.get("BINDINGS", [])
        if isinstance(binding, Binding)
        for text in (binding.description, binding.tooltip)
        if text
    }
    assert bound - set(KEY_DESCRIPTIONS) == set()
    i18n.set_language("da")
    try:
        untranslated = [t for t in (*KEY_DESCRIPTIONS, *PALETTE_TEXTS) if i18n._(t) == t]
    finally:
        i18n.set_language("en")
    assert untranslated in ([], ["Top"])  # "Top" is Danish too
