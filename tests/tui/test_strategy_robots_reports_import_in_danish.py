"""Strategy (with a theme's page and the governance matrix), Robots (with a robot's page),
Reports and Import in Danish (issue #13), driven with keys: Danish titles, footer keys, column
titles, messages after an action and Danish dates and numbers; and at 80 columns in Danish every
column title is whole and no table scrolls sideways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, Select, Static

import i18n
from store.models import Assessment, Milestone, Robot, RobotBenefit, Source
from store.repository import FolderRepository
from tests.tui.helpers import screen_text, screen_words, settle, toast_words, workers_done
from tests.tui.pilot_helpers import fill
from tests.tui.small_org import AS_OF, build_small_org
from tests.tui.test_80_columns import fully_shown
from tui.app import KapabelApp
from tui.forms.robot import LogMonthForm
from tui.forms.strategy import ThemeForm
from tui.screens.import_screen import ImportScreen
from tui.screens.reports_screen import ReportsScreen
from tui.screens.robots import RobotScreen, RobotsScreen
from tui.screens.strategy import GovernanceScreen, StrategyScreen, ThemeScreen

SMALL = (80, 24)
WIDE = (120, 40)


@pytest.fixture
def danish():
    """Danish from before the app starts; English again after, whatever happened."""
    i18n.set_language("da")
    yield
    i18n.set_language("en")


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    """The small org (theme T1, as of 2026-03-01) with a milestone of T1 and robot R1 in
    production since 2025-06-01, run by E3 and E2, with three months logged."""
    repo = build_small_org(tmp_path / "db")
    with repo.transaction() as tx:
        tx.record(
            Assessment(staff="E2", competency="RPA", level=4, date=dt.date(2025, 6, 1),
                       source=Source.MANAGER)
        )  # fmt: skip
        tx.put(
            Robot(
                code="R1", name="Ydelsesrobot", department="D2", phase="production",
                phase_since=dt.date(2025, 6, 1), operators=["E3", "E2"],
                required_competencies={"RPA": 3}, expected_hours_per_year=1200,
                yearly_cost=10_000,
            )
        )  # fmt: skip
        for month in ("2025-10", "2025-11", "2025-12"):
            tx.record(
                RobotBenefit(robot="R1", month=month, hours_saved=100.5, runs=1500, failed_runs=5)
            )
        tx.put(Milestone(theme="T1", title="Pilot i drift", due=dt.date(2026, 2, 1), owner="IT"))
    return repo


def header_and_footer(pilot) -> tuple[str, str]:
    lines = screen_text(pilot).splitlines()
    return lines[0], lines[-1]


def titles(table: DataTable) -> list[str]:
    return [str(column.label) for column in table.columns.values()]


def cut_titles(screen) -> list[str]:
    """Column titles longer than their column (a person would read them cut off)."""
    return [
        str(column.label)
        for table in screen.query(DataTable)
        for column in table.columns.values()
        if "\n" not in str(column.label) and len(str(column.label)) > column.width
    ]


def scrolling_tables(screen) -> list[str]:
    return [
        str(table.id)
        for table in screen.query(DataTable)
        if table.virtual_size.width > table.scrollable_content_region.width
    ]


async def open_mode(pilot, key: str, screen_type) -> None:
    await pilot.press(key)
    await settle(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, screen_type)
            and getattr(pilot.app.screen, "figures_shown", True)
        ),
    )


async def test_strategy_theme_and_governance_speak_danish(repo, danish) -> None:
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_mode(pilot, "9", StrategyScreen)
        screen = app.screen
        header, footer = header_and_footer(pilot)
        assert "Strategi" in header
        assert "Nyt tema" in footer and "Planlæg milepæle" in footer
        assert "Næste milepæl" in titles(screen.query_one("#themes", DataTable))
        assert titles(screen.query_one("#timeline", DataTable))[:2] == ["Frist", "Tema"]
        words = screen_words(pilot)
        assert "Pr. 01-03-2026 · 1 tema · 1 milepæl, 1 forsinket" in words
        assert "01-02-2026" in words and "◀ opgørelsesdag" in words
        body = " ".join(screen_text(pilot).splitlines()[1:])  # the header is the app's
        assert "As of" not in body and "2026-03-01" not in body

        await pilot.press("n")
        assert isinstance(app.screen, ThemeForm)
        assert "Nyt tema" in screen_words(pilot) and "Måldato" in screen_words(pilot)
        await fill(pilot, "T2")
        await pilot.press("tab")
        await fill(pilot, "Data i drift", "Alle bruger data", "2027-12-31", "IT-chefen")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is screen and len(screen.report.themes) == 2)
        assert "Tema T2 er gemt med prioritet 2: Data i drift" in toast_words(pilot)
        assert "31-12-2027" in screen_text(pilot)
        assert "Pr. 01-03-2026 · 2 temaer · 1 milepæl" in screen_words(pilot)

        screen.query_one("#themes", DataTable).move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ThemeScreen) and app.screen.report)
        words = screen_words(pilot)
        assert "T1 · prioritet 1" in words and "Interessenter (s tilføj)" in words
        assert "Fremdrift:" in words and "(kvartalsafslutninger til 01-03-2026)" in words
        assert "Ny interessent" in header_and_footer(pilot)[1]
        await pilot.press("escape")
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, GovernanceScreen))
        words = screen_words(pilot)
        assert "Beslutningsområde" in words and "IT-principper" in words
        assert "AFGØR: har beslutningsretten" in words


async def test_robots_and_a_robots_page_speak_danish(repo, danish) -> None:
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_mode(pilot, "0", RobotsScreen)
        await settle(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
        header, footer = header_and_footer(pilot)
        assert "Robotter" in header and "Sortér" in footer
        table = app.screen.query_one("#robots-table", DataTable)
        assert titles(table) == [
            "Kode", "Navn", "Fase", "Risiko", "Kval.", "Sparet/forv. t", "Opnået %", "Fejlede %",
            "Nettoværdi",
        ]  # fmt: skip
        row = [str(c) for c in table.get_row("R1")]
        assert row[2] == "● drift" and row[5] == "302 / 1.200"
        words = screen_words(pilot)
        assert "1 robot · alle afdelinger (d) · alle faser (f)" in words
        assert "pr. 01-03-2026" in words

        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RobotScreen) and app.screen.robot)
        await workers_done(app)
        await pilot.pause()
        page = app.screen
        words = " ".join(
            " ".join(str(page.query_one(f"#{name}", Static).render()).split())
            for name in ("robot-summary", "title-operators", "robot-chart")
        )
        assert "● drift siden 01-06-2025" in words
        assert "2 af 2 operatører kvalificerede" in words
        assert "Operatører (2); krævet: RPA 3" in words
        assert "100,5 t 1.500 kørsler, 5 fejlede (0,3 %)" in words
        assert "årlig udgift 10.000" in words and "mod de forventede 100,0 t" in words
        phases = page.query_one("#robot-phases", DataTable)
        assert titles(phases) == ["Fase", "Fra", "Til"]
        assert [str(c) for c in phases.get_row_at(0)] == ["● drift", "01-06-2025", "nu"]
        await pilot.press("l")
        assert isinstance(app.screen, LogMonthForm)
        assert "Registrér en måned for R1" in screen_words(pilot)
        await pilot.press("tab")
        await fill(pilot, "40")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "t registreret" in toast_words(pilot))
        assert "R1 2026-02: 40 t registreret" in toast_words(pilot)


async def test_reports_speak_danish_and_a_saved_report_says_so(
    repo, danish, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_mode(pilot, "6", ReportsScreen)
        screen = app.screen
        await settle(pilot, lambda: screen._rendered_for is not None)
        header, footer = header_and_footer(pilot)
        assert "Rapporter" in header and "Forhåndsvis" in footer
        words = screen_words(pilot)
        assert "Rapport" in words and "Omfang" in words and "Hele organisationen" in words
        assert "kompetencegab" in words
        screen.query_one("#format", Select).value = "csv"
        await settle(pilot, lambda: getattr(screen._rendered_for, "fmt", None) == "csv")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "er gemt" in toast_words(pilot))
        name = "kapabel-gaps-all-2026-03-01.csv"
        assert (tmp_path / name).exists()
        assert f"Rapport gemt {name} er gemt" in toast_words(pilot)
        assert "Gemt i" in screen_words(pilot)


async def test_import_speaks_danish_and_counts_the_problems(repo, danish, tmp_path) -> None:
    bad = tmp_path / "departments.csv"
    bad.write_text("code,name,parent_code\nA1,Alpha,NOPE\nA2,,\n", encoding="utf-8")
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_mode(pilot, "8", ImportScreen)
        header, footer = header_and_footer(pilot)
        assert "Importér" in header and "Forhåndsvis" in footer
        assert "Skriv en sti, og tryk Enter for at forhåndsvise." in screen_words(pilot)
        app.screen.query_one("#kind", Select).value = "departments"
        app.screen.query_one("#path", Input).value = str(bad)
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await workers_done(app)
        await settle(pilot, lambda: "problem(er)" in screen_words(pilot))
        assert "2 problem(er): intet kan importeres" in screen_words(pilot)
        assert "afdelinger" in screen_words(pilot)  # the kind chosen, in words


async def test_at_80_columns_in_danish_every_column_title_is_whole(repo, danish) -> None:
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await open_mode(pilot, "9", StrategyScreen)
        strategy = app.screen
        assert "⚠ 28 dage over frist" in screen_text(pilot)  # whole in its column
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ThemeScreen) and app.screen.report)
        theme = app.screen
        assert (cut_titles(theme), scrolling_tables(theme)) == ([], [])
        await pilot.press("escape")
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, GovernanceScreen))
        governance = app.screen
        await open_mode(pilot, "0", RobotsScreen)
        await settle(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
        robots = app.screen
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RobotScreen) and app.screen.robot)
        await workers_done(app)
        for screen in (strategy, governance, robots, app.screen):
            assert cut_titles(screen) == [], type(screen).__name__
            assert scrolling_tables(screen) == [], type(screen).__name__
        headers = [str(c.label) for c in governance.query_one(DataTable).columns.values()]
        assert all(len(line) <= 8 for h in headers[1:] for line in h.split("\n")), headers

        for key, screen_type in (("6", ReportsScreen), ("8", ImportScreen)):
            await open_mode(pilot, key, screen_type)
            for button in app.screen.query(Button):
                assert fully_shown(button), f"{button.id} is not fully on screen"
