"""The Strategy screen, a theme's page and the governance matrix, driven with keys: add a theme
and plan its milestones back from the target date, tie a requirement, edit a governance cell;
and the progress on screen is the figure `kapabel report strategy` gives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from textual.widgets import DataTable

from store.models import Archetype, DecisionDomain, GovernanceDecision, Milestone
from store.repository import FolderRepository
from tests.tui.helpers import screen_text, settle
from tests.tui.pilot_helpers import fill, type_text
from tests.tui.small_org import AS_OF, build_small_org
from tui.app import KapabelApp
from tui.cli import main
from tui.forms.strategy import BackcastForm, GovernanceCellForm, MilestonesForm, ThemeForm
from tui.screens.strategy import GovernanceScreen, StrategyScreen, ThemeScreen


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    return build_small_org(tmp_path / "db")  # theme T1; RPA level 3 required in D1 and below


def on_disk(repo: FolderRepository) -> FolderRepository:
    return FolderRepository.open(repo.path, user="checker")


def cells(table: DataTable, key: str) -> list[str]:
    return [str(c) for c in table.get_row(key)]


async def open_strategy(pilot) -> StrategyScreen:
    await pilot.press("9")
    await settle(pilot, lambda: getattr(pilot.app.screen, "figures_shown", False))
    assert isinstance(pilot.app.screen, StrategyScreen)
    return pilot.app.screen


async def clear_field(pilot) -> None:
    await pilot.press("home", "ctrl+k")


async def test_add_a_theme_and_plan_its_milestones_back_from_the_target_date(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)  # 2026-03-01
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_strategy(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, ThemeForm)
        await fill(pilot, "T2")  # code; the rank proposed is 2 (after T1)
        await pilot.press("tab")
        await fill(pilot, "Data [b]i drift[/b]", "Alle bruger data", "2027-12-31", "IT-chefen")
        await pilot.press("ctrl+s")
        await settle(
            pilot, lambda: app.screen is screen and "T2" in screen.report.themes[-1].theme.code
        )
        themes = screen.query_one("#themes", DataTable)
        assert cells(themes, "T2")[:4] == ["2", "T2", "Data [b]i drift[/b]", "2027-12-31"]
        themes.move_cursor(row=1)
        await pilot.press("m")
        assert isinstance(app.screen, BackcastForm)
        await pilot.press("ctrl+s")  # 4, as proposed
        await settle(pilot, lambda: isinstance(app.screen, MilestonesForm))
        form = app.screen
        assert [form.raw(f"due_{i}") for i in range(1, 5)] == [
            "2026-08-31", "2027-01-31", "2027-07-31", "2027-12-31",
        ]  # fmt: skip
        await clear_field(pilot)
        await type_text(pilot, "Pilot i to afdelinger")  # the first title, changed
        await pilot.press("tab")
        await clear_field(pilot)
        await type_text(pilot, "2026-09-15")  # and its date
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is screen and len(screen.report.milestones) == 4)
        timeline = screen.query_one("#timeline", DataTable)
        first = next(m for m in screen.report.milestones if m.due == dt.date(2026, 9, 15))
        assert cells(timeline, first.id)[:3] == ["2026-09-15", "T2", "Pilot i to afdelinger"]
        assert "◀ as-of date" in screen_text(pilot)
    milestones = sorted(on_disk(repo).ds.milestones.values(), key=lambda m: m.due)
    assert [(m.title, m.due, m.owner) for m in milestones] == [
        ("Pilot i to afdelinger", dt.date(2026, 9, 15), "IT-chefen"),
        ("Step 2 of 4", dt.date(2027, 1, 31), "IT-chefen"),
        ("Step 3 of 4", dt.date(2027, 7, 31), "IT-chefen"),
        ("Step 4 of 4", dt.date(2027, 12, 31), "IT-chefen"),
    ]


async def test_a_backcast_without_a_target_date_says_why(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_strategy(pilot)
        await pilot.press("m")  # T1 has no target date
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BackcastForm)
        assert "the theme has no target date to plan back from" in str(
            app.screen.query_one("#error-count").render()
        )


async def test_tie_a_requirement_on_the_theme_page_and_see_its_readiness(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_strategy(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: getattr(app.screen, "figures_shown", False))
        page = app.screen
        assert isinstance(page, ThemeScreen)
        await pilot.press("t")
        await fill(pilot, "RPA", "Kommune")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: page.query_one("#theme-requirements", DataTable).row_count)
        row = cells(page.query_one("#theme-requirements", DataTable), "RPA|D1|")
        # active in D1 and below: E1 (1), E2 (none), E3 (3), E4 (0), E6 (2): one of five meets 3
        assert row[0] == "RPA" and row[-2:] == ["20.0 %", "1/5"]
        assert "Progress: 20.0 % (1 of 5 pairs met)" in screen_text(pilot)
    assert on_disk(repo).ds.requirements["RPA|D1|"].theme == "T1"


async def test_edit_a_governance_cell_in_the_matrix(repo) -> None:
    with repo.transaction() as tx:
        tx.put(GovernanceDecision(domain="it_investment", decision_rights="business_monarchy"))
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_strategy(pilot)
        await pilot.press("g")
        await pilot.pause()
        matrix = app.screen
        assert isinstance(matrix, GovernanceScreen)
        text = screen_text(pilot)
        assert "application needs" in text and "monarchy" in text and "IT investment" in text
        assert "business_monarchy" not in text
        table = matrix.query_one("#matrix", DataTable)
        table.move_cursor(row=4, column=5)  # IT investment x IT duopoly
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, GovernanceCellForm)
        assert form.title_text == "IT investment × IT duopoly"
        await pilot.press("space", "tab", "space", "tab")  # gives input, decides
        await type_text(pilot, "Direktionen; IT-chefen")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is matrix)
        assert [str(c) for c in table.get_row("it_investment")][1:] == [
            "·", "·", "·", "·", "both", "·",
        ]  # fmt: skip
        table.move_cursor(row=4, column=5)
        await pilot.press("enter")
        await pilot.press("tab", "space", "ctrl+s")  # take the decision away: refused
        await pilot.pause()
        assert isinstance(app.screen, GovernanceCellForm)
        assert "IT duopoly holds the decision rights" in " ".join(
            str(app.screen.query_one("#error-decision").render()).split()
        )
        await pilot.press("escape")
    stored = on_disk(repo).ds.governance["it_investment"]
    assert stored.decision_rights == Archetype.IT_DUOPOLY
    assert stored.input_rights == [Archetype.IT_DUOPOLY]
    assert stored.people == ["Direktionen", "IT-chefen"]
    assert stored.domain == DecisionDomain.IT_INVESTMENT


async def test_the_screen_shows_the_progress_report_strategy_gives(repo, capsys) -> None:
    with repo.transaction() as tx:
        requirement = repo.ds.requirements["RPA|D1|"]
        tx.put(requirement.model_copy(update={"theme": "T1"}))
    assert main(["report", "strategy", "--db", str(repo.path), "--as-of", str(AS_OF),
                 "--format", "json"]) == 0  # fmt: skip
    reported = json.loads(capsys.readouterr().out)["themes"][0]
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_strategy(pilot)
        row = cells(screen.query_one("#themes", DataTable), "T1")
        assert row[4] == f"{reported['progress_pct']:.1f} %" == "20.0 %"
        shown = screen.report.themes[0]
        assert shown.trend == [point["progress_pct"] for point in reported["trend"]]


async def test_the_command_palette_opens_the_governance_matrix_from_anywhere(repo) -> None:
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")  # People
        await pilot.press("ctrl+p")
        await type_text(pilot, "governance matrix")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, GovernanceScreen))
        assert app.current_mode == "strategy"
        await pilot.press("escape")
        await settle(pilot, lambda: getattr(app.screen, "figures_shown", False))
        assert isinstance(app.screen, StrategyScreen)


def tables_fit(screen) -> list[str]:
    """The tables wider than the room they have (none, when long text is cut at its column)."""
    return [
        str(table.id)
        for table in screen.query(DataTable)
        if table.virtual_size.width > table.scrollable_content_region.width
    ]


async def test_long_titles_keep_every_table_within_80_columns_and_after_a_resize(repo) -> None:
    long = "En meget lang titel på et tema der bliver ved og ved med at fortsætte " * 2
    with repo.transaction() as tx:
        theme = repo.ds.themes["T1"].model_copy(update={"title": long, "owner": long})
        tx.put(theme)
        tx.put(Milestone(theme="T1", title=long, due=dt.date(2026, 2, 1), owner=long))
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_strategy(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: getattr(app.screen, "figures_shown", False))
        page = app.screen
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert tables_fit(page) == []
        assert "overdue by 28 days" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert tables_fit(screen) == []
        await pilot.press("g")
        await pilot.pause(0.3)
        assert tables_fit(app.screen) == []


def error_at(app: KapabelApp, field: str) -> str:
    """The problem shown under a field of the open form, in one line."""
    return " ".join(str(app.screen.query_one(f"#error-{field}").render()).split())


async def test_each_strategy_form_names_what_is_wrong_at_its_field(repo) -> None:
    with repo.transaction() as tx:
        theme = repo.ds.themes["T1"].model_copy(update={"target_date": dt.date(2027, 12, 31)})
        tx.put(theme)
        tx.put(Milestone(theme="T1", title="Pilot", due=dt.date(2026, 6, 1)))
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_strategy(pilot)
        await pilot.press("n")  # a theme: a taken code, no title, no real date
        await fill(pilot, "T1", "", "", "", "2027-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ThemeForm)
        assert error_at(app, "target_date") == "✗ not a date: '2027-02-30' (use YYYY-MM-DD)"
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "2027-02-28")
        app.screen.query_one("#field-title").value = "Ny"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "code") == "✗ T1 is already used by Robotter i drift"
        await pilot.press("escape")

        await pilot.press("enter")  # the theme's page
        await settle(pilot, lambda: getattr(app.screen, "figures_shown", False))
        page = app.screen
        await pilot.press("s")  # a stakeholder: the name is required, then unique
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "name") == "✗ required, but empty"
        await type_text(pilot, "MED")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is page)
        await pilot.press("s")
        await type_text(pilot, "med")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "name") == "✗ T1 already has a stakeholder named 'MED'"
        await pilot.press("escape")

        await pilot.press("t")  # tying a requirement no one made
        await fill(pilot, "SEC", "Kommune")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "competency").startswith("✗ no requirement asks this competency")
        await pilot.press("escape")

        await pilot.press("a")  # a milestone: a title taken in the theme
        await fill(pilot, "pilot", "2026-07-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "title") == "✗ T1 already has a milestone titled 'Pilot'"
        await pilot.press("escape")

        await pilot.press("m")  # backcasting: too many, then a proposal with a clash
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "25")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "count") == "✗ 25 is outside 1-24"
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "2")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MilestonesForm))
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "Pilot")
        await pilot.press("tab", "tab", "tab")
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "2028-13-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "due_2") == "✗ not a date: '2028-13-01' (use YYYY-MM-DD)"
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "2027-12-31")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_at(app, "title_1") == "✗ T1 already has a milestone titled 'Pilot'"
        await pilot.press("escape")
    assert len(on_disk(repo).ds.milestones) == 1  # nothing of the refused ones was saved


MARKUP = "[bold red]Byrådet[/] [link=https://x]"


async def test_markup_in_titles_and_names_is_shown_as_typed(repo) -> None:
    """A theme, stakeholder, milestone and governance body written with [markup] in them are
    shown literally on each strategy screen, never styled or swallowed."""
    from store.models import Stakeholder, Theme

    with repo.transaction() as tx:
        tx.put(
            Theme(code="T2", rank=2, title=f"Tema {MARKUP}", end_state=f"Slut {MARKUP}",
                  owner=MARKUP, target_date=dt.date(2027, 12, 31),
                  stakeholders=[Stakeholder(name=MARKUP, role=MARKUP)])
        )  # fmt: skip
        tx.put(
            Milestone(theme="T2", title=f"Trin {MARKUP}", due=dt.date(2026, 6, 30), owner=MARKUP)
        )
        tx.put(
            GovernanceDecision(domain="it_principles", decision_rights="business_monarchy",
                               people=[MARKUP])
        )  # fmt: skip
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_strategy(pilot)
        table = screen.query_one("#themes", DataTable)
        assert f"Tema {MARKUP}" in cells(table, "T2")
        assert f"Trin {MARKUP}" in screen_text(pilot)
        table.move_cursor(row=table.get_row_index("T2"))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ThemeScreen))
        await settle(pilot, lambda: f"Slut {MARKUP}" in screen_text(pilot))
        text = screen_text(pilot)
        assert f"Tema {MARKUP}" in text and f"Trin {MARKUP}" in text
        assert text.count(MARKUP) >= 6  # title, end state, owner, stakeholder, role, milestone
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, GovernanceScreen))
        await settle(pilot, lambda: MARKUP in screen_text(pilot))


def all_rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_at_80_columns_the_titles_keep_room_and_the_theme_page_has_the_rest(repo) -> None:
    """Below 100 columns the timeline leaves out the owner and the themes their target date
    (both on the theme's page), so a milestone's and a theme's title can be read: at 80
    columns they had 7 and 11 characters."""
    with repo.transaction() as tx:
        tx.put(repo.ds.themes["T1"].model_copy(update={"title": "Robotter i drift i hele"}))
        tx.put(Milestone(theme="T1", title="Robotstrategi vedtaget", due=dt.date(2026, 6, 30),
                         owner="Digitaliseringschefen"))  # fmt: skip
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_strategy(pilot)
        themes, timeline = (screen.query_one(f"#{n}", DataTable) for n in ("themes", "timeline"))
        text = screen_text(pilot)
        assert "Robotstrategi" in text and "Robotter i dri" in text  # not "Robots…", "Robotter…"
        assert "Owner" not in [str(c.label) for c in timeline.columns.values()]
        assert "Target" not in [str(c.label) for c in themes.columns.values()]
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.3)
        assert any("Digitaliseringschefen" in row for row in all_rows(timeline)), all_rows(timeline)
        assert "2027-12-31" in cells(themes, "T1") or "—" in cells(themes, "T1")


async def test_the_command_palette_opens_a_themes_page_from_anywhere(repo) -> None:
    """Each theme has a palette entry by its code and title (the issue: an entry for each
    strategy screen, the theme page among them)."""
    from store.models import Theme

    with repo.transaction() as tx:
        tx.put(Theme(code="T2", rank=2, title="Datadrevet ledelse"))
        tx.put(Theme(code="T3", rank=3, title=f"Datadrevet {MARKUP}"))
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("0")  # Robots
        await pilot.press("ctrl+p")
        await type_text(pilot, "datadrevet")
        await pilot.pause(0.3)
        assert f"Open theme T3: Datadrevet {MARKUP}" in screen_text(pilot)  # as typed
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ThemeScreen))
        assert app.screen.code == "T2" and app.current_mode == "strategy"
        await settle(pilot, lambda: "Datadrevet ledelse" in screen_text(pilot))
        await pilot.press("escape")
        await settle(pilot, lambda: getattr(app.screen, "figures_shown", False))
        assert isinstance(app.screen, StrategyScreen)


async def test_a_form_opened_as_the_app_quits_ends_it_cleanly(repo) -> None:
    """Typing q then e quickly on the governance matrix opened the cell's form as the app
    closed; the form, never composed, failed its mount and the app ended with a traceback."""
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_strategy(pilot)
        app.exit()
        app.push_screen(
            GovernanceCellForm(DecisionDomain.IT_PRINCIPLES, Archetype.IT_DUOPOLY, None)
        )
        await pilot.pause()
    assert app.return_code == 0
