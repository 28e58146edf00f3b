"""The Overview, People, a person's page, Training and Organisation in Danish (issue #13): their
titles, footer keys, column titles, a notification, dates as 27-11-2026 and percentages as
62,5 %, the same figures as in English; and at 80 columns their tables still fit the screen.

The language is switched before the app starts and back to English after each test.
"""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable

import i18n
from store.demo import DEMO_AS_OF
from tests.tui.helpers import overview_ready, screen_text, settle
from tests.tui.small_org import AS_OF, build_small_org
from tui.app import KapabelApp
from tui.screens.person import PersonScreen

SMALL = (80, 24)
DANISH_PERCENT = re.compile(r"\b\d{1,3},\d %")


@pytest.fixture
def danish():
    i18n.set_language("da")
    yield
    i18n.set_language("en")


def danish_date(day) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def column_titles(table: DataTable) -> list[str]:
    return [str(column.label) for column in table.columns.values()]


def tables_fit(screen) -> list[str]:
    """The ids of the screen's tables that are wider than the room they have."""
    return [
        str(table.id)
        for table in screen.query(DataTable)
        if table.display and table.virtual_size.width > table.scrollable_content_region.width
    ]


async def open_overview(pilot) -> None:
    await settle(pilot, lambda: overview_ready(pilot.app))


async def test_the_overview_speaks_danish_with_the_same_figures(danish, demo_repo):
    app = KapabelApp(demo_repo, as_of=DEMO_AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        text = screen_text(pilot)
        figures = app.screen.query_one("#figures", DataTable)
        assert column_titles(figures) == ["Nøgletal", "Værdi", "Åbner"]
        assert "Overblik" in text.splitlines()[0]  # the header's title
        assert "o Åbn valgte" in text and "? Hjælp" in text  # the footer
        assert "Parathed, hele organisationen" in text
        assert "Forsinkede uddannelsesplaner" in text
        from reports.overview import build_overview

        readiness = build_overview(app.analysis).readiness_pct
        shown = f"{readiness:.1f} %".replace(".", ",")
        assert shown in text  # the English figure, written the Danish way
        assert f"{readiness:.1f} %" not in text
        await settle(pilot, lambda: app.screen.trend_shown)
        trend = str(app.screen.query_one("#trend").render())
        assert re.search(r"K\d \d{4} \d+,\d %", trend)  # quarters as K1 2024
        assert danish_date(DEMO_AS_OF) in trend  # the last point: the as-of date


async def test_people_and_a_person_page_in_danish(danish, demo_repo):
    app = KapabelApp(demo_repo, as_of=DEMO_AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        await pilot.press("3")
        await settle(pilot, lambda: app.screen.query_one("#people-table").row_count > 0)
        table = app.screen.query_one("#people-table", DataTable)
        assert column_titles(table) == ["Nr.", "Navn", "Afdeling", "Rolle", "Agent", "Gab"]
        text = screen_text(pilot)
        assert re.search(r"Viser 1–100 af \d\.\d{3} ", text)  # 1.169, not 1,169
        assert "a Agenter" in text and "i Inaktive" in text
        table.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: getattr(app.screen, "shown", None) is not None)
        person = app.screen.person
        text = screen_text(pilot)
        assert f"Person — {person.employee_no}" in text.splitlines()[0]
        assert "Krævede kompetencer" in text and "esc Luk" in text
        assert f"pr. {danish_date(DEMO_AS_OF)}" in text
        if person.start_date:
            assert f"Startede {danish_date(person.start_date)}" in text
        assert DANISH_PERCENT.search(text)
        required = app.screen.query_one("#person-required", DataTable)
        assert column_titles(required)[:3] == ["Kompetence", "Krav", "Aktuel"]


async def test_starting_a_plan_says_so_in_danish(danish, tmp_path):
    repo = build_small_org(tmp_path / "db")
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        assert column_titles(screen.table)[:3] == ["Frist", "Status", "Person"]
        assert screen.table.current_key == "TP-000001"  # planned, due 2026-01-15: overdue
        text = screen_text(pilot)
        assert "FORSINKET planlagt" in text and "15-01-2026" in text
        assert "p Start" in text and "c Fuldfør" in text
        await pilot.press("p")
        await settle(pilot, lambda: any(n.message for n in app._notifications))
        assert [n.message for n in app._notifications] == ["TP-000001 er i gang"]
        assert repo.ds.training_plans["TP-000001"].status == "in_progress"


async def test_the_organisation_names_its_tabs_and_columns_in_danish(danish, demo_repo):
    app = KapabelApp(demo_repo, as_of=DEMO_AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        await pilot.press("2")
        await settle(pilot, lambda: app.screen.query_one("#gap-table").row_count > 0)
        text = screen_text(pilot)
        assert "Hele organisationen" in text and "aktive medarbejdere" in text
        assert "Gab" in text and "Varmekort" in text and "Robotter" in text
        gaps = app.screen.query_one("#gap-table", DataTable)
        assert column_titles(gaps)[:4] == ["Kode", "Krav", "Opfylder", "% opfylder"]
        await pilot.press("r")
        await pilot.pause()
        assert re.search(r"\d+ robotter i hele organisationen", screen_text(pilot))


async def test_the_danish_screens_fit_80_columns(danish, demo_repo):
    app = KapabelApp(demo_repo, as_of=DEMO_AS_OF, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await open_overview(pilot)
        assert tables_fit(app.screen) == [], "Overview"
        text = screen_text(pilot)
        for label in ("Parathed, hele organisationen", "Dækningsregler ikke opfyldt"):
            assert label in text  # the figures' names whole
        for key, ready in (
            ("2", lambda: app.screen.query_one("#gap-table").row_count > 0),
            ("3", lambda: app.screen.query_one("#people-table").row_count > 0),
            ("5", lambda: app.screen.query_one("#plans").row_count > 0),
        ):
            await pilot.press(key)
            await settle(pilot, ready)
            name = type(app.screen).__name__
            if (
                name == "PeopleScreen"
            ):  # Organisation's and Training's scroll sideways in English too
                assert tables_fit(app.screen) == [], name
            assert "? Hjælp" in screen_text(pilot) or name == "TrainingScreen", name
        plans = app.screen.query_one("#plans", DataTable)
        employee_no = demo_repo.ds.training_plans[plans.keys[0]].staff
        app.push_screen(PersonScreen(employee_no))
        await settle(pilot, lambda: getattr(app.screen, "shown", None) is not None)
        assert tables_fit(app.screen) == [], "PersonScreen"
        text = screen_text(pilot)
        assert "Krævede kompetencer" in text and f"pr. {danish_date(DEMO_AS_OF)}" in text


async def test_the_audit_log_names_tables_in_danish_and_filters_by_them(danish, tmp_path):
    repo = build_small_org(tmp_path / "db")
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("7")
        entries = app.screen.query_one("#entries", DataTable)
        await settle(pilot, lambda: entries.row_count > 0)
        assert column_titles(entries)[:3] == ["tid (UTC)", "hvem", "handling"]
        app.screen.query_one("#entity").value = "Uddannelsesplaner"  # training_plans, any case
        await settle(pilot, lambda: entries.row_count == 4)
        shown = {str(entries.get_row_at(row)[3]) for row in range(entries.row_count)}
        assert shown == {"uddannelsespl…"}  # cut to the column (Enter shows it whole)
        assert "4 passende poster af" in screen_text(pilot)


async def test_the_audit_log_filters_show_their_whole_hints_in_danish(danish, tmp_path):
    """The entity filter's hint is read whole at 120 columns, as in English (it was cut:
    'type (medarbejdere, vurderinger')."""
    repo = build_small_org(tmp_path / "db")
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("7")
        entries = app.screen.query_one("#entries", DataTable)
        await settle(pilot, lambda: entries.row_count > 0)
        text = screen_text(pilot)
        hint = i18n._("entity (staff, assessments...)")
        assert hint in text, hint
