"""The app in Danish (issue #13): texts fixed at import time (key descriptions, titles, Textual's
own commands) are translated where they are shown, and the language is switched from the
command palette, remembered, and every visible text redrawn at once (docs/languages.md)."""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import DataTable

import i18n
from tests.tui.conftest import AS_OF
from tests.tui.helpers import (
    overview_ready,
    screen_lines,
    screen_text,
    screen_words,
    settle,
    toast_words,
    workers_done,
)
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
        assert "^p palet" in footer and "palette" not in footer
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

    from tui.textual_texts import KEY_DESCRIPTIONS, PALETTE_TEXTS, PALETTE_TITLES

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
        untranslated = [
            t
            for t in (*KEY_DESCRIPTIONS, *PALETTE_TEXTS, *PALETTE_TITLES.values())
            if i18n._(t) == t
        ]
    finally:
        i18n.set_language("en")
    assert untranslated in ([], ["Top"])  # "Top" is Danish too


# ---------------------------------------------------------------- switching in the app
def numbers(text: str) -> list[str]:
    """The numbers in `text`, in one form whichever language wrote them: 1,234.5 and 1.234,5
    are 1234.5 (Kapabel shows no number with three decimals, so three digits after a point or
    comma are thousands)."""
    text = re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", text)
    return re.findall(r"\d+(?:[.,]\d+)?", text.replace(",", "."))


def figures(app: KapabelApp) -> list[str]:
    """The Overview's figures as shown (the Value column), their numbers in one form."""
    table = app.screen.query_one("#figures", DataTable)
    values = [str(table.get_row_at(row)[1]) for row in range(table.row_count)]
    return numbers(" ".join(values))


async def choose_in_palette(pilot, app: KapabelApp, name: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*name)
    await settle(pilot, lambda: f": {name}" in screen_text(pilot))
    await pilot.press("enter")
    await workers_done(app)


async def test_switching_language_in_the_palette_redraws_keeps_the_figures_and_is_remembered(
    small_repo,
):
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        english = figures(app)
        assert "2026-06-30" in screen_lines(pilot)[0]

        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: overview_ready(app) and "Afslut" in screen_lines(pilot)[-1])
        assert i18n.language() == "da"
        assert "^p palet" in screen_lines(pilot)[-1]
        assert "30-06-2026" in screen_lines(pilot)[0]  # the header's as-of date, in Danish
        assert figures(app) == english

        await choose_in_palette(pilot, app, "English")
        await settle(pilot, lambda: overview_ready(app) and "q Quit" in screen_lines(pilot)[-1])
        assert "^p palette" in screen_lines(pilot)[-1]
        assert "2026-06-30" in screen_lines(pilot)[0]
        assert figures(app) == english
    assert i18n.remembered_language() == "en"


async def test_the_choice_is_remembered_for_the_next_start(small_repo):
    from tui.cli import start_language

    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: "Afslut" in screen_lines(pilot)[-1])
    i18n.set_language("en")
    start_language([])  # a new `kapabel`, without --lang or KAPABEL_LANG
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert "q Afslut" in screen_lines(pilot)[-1]


async def test_the_place_is_kept_and_screens_beneath_follow_when_shown(small_repo):
    """On People with a person's page open: the page is made anew in Danish; closing it shows
    People in Danish with the same person selected; another screen opened before is in Danish
    when shown."""
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("3")
        people = app.screen
        await settle(pilot, lambda: people.query_one("#people-table", DataTable).row_count > 2)
        table = people.query_one("#people-table", DataTable)
        table.focus()
        table.move_cursor(row=2)
        chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "PersonScreen")
        person = app.screen

        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: app.screen is not person and "Afslut" in screen_text(pilot))
        assert type(app.screen).__name__ == "PersonScreen"  # the same page, made anew
        assert app.screen.employee_no == person.employee_no

        await pilot.press("escape")
        await settle(pilot, lambda: type(app.screen).__name__ == "PeopleScreen")
        assert app.screen is not people  # made anew in Danish
        renewed = app.screen.query_one("#people-table", DataTable)
        await settle(
            pilot,
            lambda: (
                renewed.row_count > 2
                and renewed.coordinate_to_cell_key(renewed.cursor_coordinate).row_key.value
                == chosen
            ),
        )
        assert "Afslut" in screen_lines(pilot)[-1]

        await pilot.press("1")
        await settle(pilot, lambda: overview_ready(app) and "Afslut" in screen_lines(pilot)[-1])
        assert "30-06-2026" in screen_lines(pilot)[0]


async def test_a_choice_that_cannot_be_remembered_is_said_and_the_switch_still_made(
    small_repo, monkeypatch, tmp_path
):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocked))
    app = make_app(small_repo)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: "Afslut" in screen_lines(pilot)[-1])
        await settle(pilot, lambda: "ikke huskes" in toast_words(pilot))
    assert i18n.remembered_language() is None


async def test_a_form_open_while_switching_keeps_what_was_typed(small_repo):
    from textual.widgets import Input

    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("3")
        await settle(pilot, lambda: app.screen.query_one("#people-table", DataTable).row_count)
        app.screen.query_one("#people-table", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "PersonScreen")
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen.focused, Input))
        form, field = app.screen, app.screen.focused
        await pilot.press(*"2026-05-01")
        typed = field.value
        assert typed

        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: i18n.language() == "da" and app.screen is form)
        assert field.value == typed
        await pilot.press("escape")
        await settle(pilot, lambda: type(app.screen).__name__ == "PersonScreen")
        await settle(pilot, lambda: "Afslut" in screen_text(pilot))


async def test_the_report_preview_is_made_again_in_the_new_language(small_repo):
    """The Reports screen's preview is the report, not something typed: after a switch it is the
    report in the new language, not the old text put back."""
    from tui.widgets.report_text import ReportText

    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("6")
        await settle(
            pilot, lambda: "Gaps report" in app.screen.query_one("#preview", ReportText).text
        )

        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: "Afslut" in screen_lines(pilot)[-1])
        await workers_done(app)
        preview = app.screen.query_one("#preview", ReportText).text
        assert "Kompetencegabsrapport" in preview and "Gaps report" not in preview


async def test_the_heatmap_keeps_its_layer_and_cell_across_a_switch(small_repo):
    """Organisation's heatmap on its second layer, the cursor moved: in Danish the heatmap is
    still that layer (its legend in Danish) with the cursor on the same person and competency."""
    from tui.widgets.heatmap import LAYERS, HeatmapView

    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("2")
        await settle(pilot, lambda: type(app.screen).__name__ == "OrganisationScreen")
        await pilot.press("h", "l")
        view = app.screen.query_one("#heatmap-view", HeatmapView)
        await settle(pilot, lambda: view.row_count > 1 and app.screen.heatmap_layer is LAYERS[1])
        view.focus()
        await pilot.press("down", "right")
        before = app.screen
        cell = before._heatmap_cursor(before.department)

        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: app.screen is not before and "Afslut" in screen_text(pilot))
        await workers_done(app)
        await settle(pilot, lambda: "selv mod andre" in screen_text(pilot))
        assert app.screen.heatmap_layer is LAYERS[1]
        await settle(pilot, lambda: app.screen._heatmap_cursor(app.screen.department) == cell)


async def test_the_robots_screen_keeps_its_phase_and_sort_across_a_switch(small_repo):
    """Robots filtered by a phase and sorted another way: in Danish the same phase, sort and
    robots are shown."""
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("0")
        await settle(pilot, lambda: type(app.screen).__name__ == "RobotsScreen")
        await pilot.press("s", "f")
        before = app.screen
        await settle(pilot, lambda: before.phase is not None and before.sort != "risk")
        chosen = (before.phase, before.sort, [f.robot.code for f in before.shown])

        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: app.screen is not before and "Afslut" in screen_text(pilot))
        await workers_done(app)
        after = app.screen
        await settle(pilot, lambda: (after.phase, after.sort) == chosen[:2])
        assert [f.robot.code for f in after.shown] == chosen[2]


async def test_the_palette_says_no_matches_in_danish(small_repo, danish):
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: "Søg efter kommandoer" in screen_text(pilot))
        await pilot.press(*"zzqqxx")
        await settle(pilot, lambda: "Ingen træffere" in screen_text(pilot), timeout=5)
        assert "No matches found" not in screen_text(pilot)


async def test_people_keeps_its_toggles_across_a_switch(small_repo):
    """People showing only digital agents (a): in Danish it still shows only them."""
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("3")
        people = app.screen
        await settle(pilot, lambda: people.query_one("#people-table", DataTable).row_count > 2)
        people.query_one("#people-table", DataTable).focus()
        await pilot.press("a")
        await settle(pilot, lambda: people.wanted.agents_only and people.shown[0] == people.wanted)
        agents = [entry.staff.employee_no for entry in people.matches]

        await choose_in_palette(pilot, app, "Dansk")
        await settle(pilot, lambda: app.screen is not people and "Afslut" in screen_text(pilot))
        await workers_done(app)
        after = app.screen
        await settle(pilot, lambda: after.wanted.agents_only and after.shown[0] == after.wanted)
        assert [entry.staff.employee_no for entry in after.matches] == agents
