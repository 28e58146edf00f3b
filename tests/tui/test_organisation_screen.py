"""Organisation: the tree, the department's readiness, gap table, heatmap and robots."""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Tree

from store.models import Assessment
from store.repository import FolderRepository
from tests.tui.conftest import AS_OF, MARKUP_NAME
from tests.tui.helpers import open_overview_figure, screen_text, settle
from tui.app import KapabelApp
from tui.screens.person import PersonScreen
from tui.widgets.heatmap import HeatmapRow, HeatmapView

SIZE = (100, 32)


async def open_organisation(pilot, app) -> None:
    await pilot.press("2")
    await settle(pilot, lambda: app.current_mode == "organisation" and app.analysis_cached)
    await settle(pilot, lambda: app.screen.query_one("#departments", Tree).root.children)


def node_for(app, code: str):
    tree = app.screen.query_one("#departments", Tree)
    return app.screen._node_for(tree, code)


async def test_selecting_a_department_updates_readiness_and_heatmap(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        heatmap = app.screen.query_one("#heatmap-view", HeatmapView)
        assert "50.0 %" in screen_text(pilot)
        await pilot.press("h")  # tabs other than Gaps are filled when shown
        await pilot.pause()
        assert heatmap.row_count == 4  # active staff only

        tree = app.screen.query_one("#departments", Tree)
        tree.focus()
        node = node_for(app, "SOC")
        tree.move_cursor(node)
        await settle(pilot, lambda: app.screen.department == "SOC")
        text = screen_text(pilot)
        # SOC and ÆLD: E1 meets DC1.1 not DC2.1; E2 meets neither; E3 meets both -> 3 of 6.
        assert "3 of 6 met" in text
        assert "Social og Sundhed" in text
        assert heatmap.row_count == 3
        assert heatmap.columns == ["DC1.1", "DC2.1"]
        rows = {heatmap.row(i).label: list(heatmap.row(i).cells) for i in range(3)}
        assert rows["Åse Ørsted · E1"] == ["meets", "short_1"]
        assert rows["Bo [italic]Bent[/] · E2"] == ["short_2_plus", "not_assessed"]
        assert rows["Cai Mørk · E3"] == ["meets", "meets"]

        gaps = app.screen.query_one("#gap-table", DataTable)
        first = [str(c) for c in gaps.get_row_at(0)]
        assert first[0] == "DC1.1" and first[1:3] == ["3", "2"]

        await pilot.press("r")  # the robots tab shows the department now selected
        await pilot.pause()
        robots = app.screen.query_one("#robot-table", DataTable)
        assert [str(robots.get_row_at(i)[0]) for i in range(robots.row_count)] == ["R1"]
        assert "in Social og Sundhed and the departments below it" in screen_text(pilot)


async def test_heatmap_shows_symbols_a_legend_and_the_cell_under_the_cursor(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        await pilot.press("h")
        await pilot.pause()
        text = screen_text(pilot)
        words = " ".join(text.replace("\u00a0", " ").split())
        for legend in ("✓ meets", "1 short 1", "2+ short 2+", "? not assessed", "· not required"):
            assert legend in words, legend
        heatmap_line = next(line for line in text.splitlines() if "Bo [italic]Bent[/]" in line)
        assert "2+" in heatmap_line and "?" in heatmap_line
        await pilot.press("down", "down", "right")  # rows: E4 (MRK), E1, E2, E3
        await pilot.pause()
        assert "Bo [italic]Bent[/] (E2) · DC2.1: required 4, current not assessed" in screen_text(
            pilot
        )


async def test_enter_on_a_heatmap_row_opens_that_persons_page_and_escape_comes_back(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        await pilot.press("h")
        await pilot.pause()
        assert "⏎ Person" in screen_text(pilot).splitlines()[-1]
        await pilot.press("down", "down", "enter")  # rows: E4 (MRK), E1, E2, E3
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen))
        assert app.screen.employee_no == "E2"
        assert "Bo [italic]Bent[/]" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot, lambda: app.current_mode == "organisation")
        assert isinstance(app.screen.focused, HeatmapView)
        assert app.screen.query_one(HeatmapView).cursor_row == 2


async def test_the_heatmap_keeps_its_place_when_the_data_changes(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        await pilot.press("h", "down", "down", "right")  # E2, DC2.1
        await pilot.pause()
        colleague = FolderRepository.open(small_repo.path, user="colleague")
        colleague.record(
            Assessment(staff="E2", competency="DC2.1", level=4, date=dt.date(2026, 6, 1))
        )
        await pilot.press("ctrl+r")  # pick up the colleague's assessment
        await settle(pilot, lambda: "current 4" in screen_text(pilot))
        heatmap = app.screen.query_one(HeatmapView)
        assert (heatmap.cursor_row, heatmap.cursor_column) == (2, 1)
        assert "Bo [italic]Bent[/] (E2) · DC2.1: required 4, current 4" in screen_text(pilot)


async def test_a_drill_down_from_the_overview_shows_organisation_over_a_person_page(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        await pilot.press("h", "enter")  # a person's page, on the Organisation screen
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen))
        await pilot.press("1")
        await settle(pilot, lambda: app.current_mode == "overview" and app.screen.figures_shown)
        await open_overview_figure(pilot, "risk")
        await settle(pilot, lambda: app.current_mode == "organisation")
        await settle(pilot, lambda: "Journal robot" in screen_text(pilot))
        assert not isinstance(app.screen, PersonScreen)


async def test_markup_in_department_and_person_names_is_shown_literally(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        assert MARKUP_NAME in screen_text(pilot)  # in the tree
        tree = app.screen.query_one("#departments", Tree)
        tree.focus()
        tree.move_cursor(node_for(app, "MRK"))
        await settle(pilot, lambda: app.screen.department == "MRK")
        title = screen_text(pilot).splitlines()[1]
        assert MARKUP_NAME in title
        await pilot.press("h")
        await pilot.pause()
        assert "Dorte Dahl · E4" in screen_text(pilot)


class HeatmapApp(App):
    def compose(self) -> ComposeResult:
        yield HeatmapView()


async def test_a_large_heatmap_draws_only_the_rows_on_screen():
    app = HeatmapApp()
    async with app.run_test(size=(60, 20)) as pilot:
        heatmap = app.query_one(HeatmapView)
        asked: list[int] = []

        def source(index: int) -> HeatmapRow:
            asked.append(index)
            return HeatmapRow(f"Person {index}", ["meets", None])

        heatmap.set_rows(["A", "B"], 50_000, source)
        heatmap.focus()
        await pilot.pause()
        assert asked and max(asked) < 20
        await pilot.press("end")
        await pilot.pause()
        assert "Person 49999" in screen_text(pilot)
        assert len(set(asked)) < 60
        await pilot.click(HeatmapView, offset=(2, 3))  # the third row on screen
        assert heatmap.cursor_row == int(heatmap.scroll_y) + 2


async def test_clicking_a_department_in_the_tree_shows_it(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        tree = app.screen.query_one("#departments", Tree)
        line = node_for(app, "MRK").line
        await pilot.click(Tree, offset=(8, line - int(tree.scroll_y)))
        await settle(pilot, lambda: app.screen.department == "MRK")
        # Dorte meets DC3.1 (CW role in MRK) but is not assessed in DC1.1 (from ROOT).
        assert "1 of 2 met" in screen_text(pilot)


async def test_a_department_shows_its_coverage_and_digital_agent_status(small_repo):
    from reports import build_report
    from store.coverage import save_coverage_rule
    from store.models import CoverageRule

    save_coverage_rule(
        small_repo, CoverageRule(department="SOC", competency="DC1.1", level=3, min_people=5)
    )
    report = build_report("coverage", small_repo.ds, AS_OF).to_dict()
    [result] = report["rules"][0]["results"]
    assert not result["met"] and "SOC" in report["departments_without_agent"]
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot, lambda: app.analysis is not None)
        app.open_department("SOC")
        await settle(pilot, lambda: "coverage 0 of 1 met" in screen_text(pilot))
        assert "· no agent" in screen_text(pilot)


async def _heatmap_states(pilot, app) -> list[str | None]:
    """Every cell state of the heatmap shown (all rows, not only those on screen)."""
    view = app.screen.query_one("#heatmap-view", HeatmapView)
    await settle(pilot, lambda: view.row_count > 0)
    return [state for i in range(view.row_count) for state in view.row(i).cells]


async def test_the_heatmap_layers_mark_the_disagreements_and_stale_ratings_the_report_lists(
    demo_repo,
):
    """issue #15: the heatmap can show "self vs others" and "stale" as layers; over the whole
    organisation they mark exactly the pairs the ratings report lists."""
    from reports.ratings import rating_findings

    app = KapabelApp(demo_repo, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_organisation(pilot, app)
        await pilot.press("h")
        levels = await _heatmap_states(pilot, app)
        assert "meets" in levels
        view = app.screen.query_one("#heatmap-view", HeatmapView)
        columns = set(view.columns)
        findings = rating_findings(app.analysis)

        await pilot.press("l")
        await pilot.pause()
        ratings = await _heatmap_states(pilot, app)
        words = " ".join(screen_text(pilot).split())
        assert "self versus others:" in words and "↑ self rates higher" in words
        shown = sum(state in ("self_higher", "self_lower") for state in ratings)
        listed = [d for d in findings.disagreements if d.competency in columns]
        assert listed, "the demo data has disagreements to show"
        assert shown == len(listed)
        higher = sum(d.self_level > d.other_level for d in listed)
        assert ratings.count("self_higher") == higher

        await pilot.press("l")
        await pilot.pause()
        stale = await _heatmap_states(pilot, app)
        assert "stale ratings:" in " ".join(screen_text(pilot).split())
        assert stale.count("stale") == len(findings.stale) > 0

        await pilot.press("l")  # and round to the levels again
        await pilot.pause()
        assert await _heatmap_states(pilot, app) == levels
        assert "self versus others" not in screen_text(pilot)


async def test_a_layers_cell_says_what_it_shows(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_organisation(pilot, app)
        await pilot.press("h", "l")
        await pilot.pause()
        await pilot.press("down", "down", "right")  # E2, DC2.1: nobody rated it
        await pilot.pause()
        assert "(E2) · DC2.1: self –, manager or test –" in screen_text(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert "(E2) · DC2.1: not assessed" in screen_text(pilot)


async def test_a_long_department_name_leaves_its_coverage_and_agent_words_on_screen(small_repo):
    """The title wraps rather than cutting: at 80 columns a long name pushed the coverage and
    agent words out of sight."""
    from store.coverage import save_coverage_rule
    from store.models import CoverageRule

    old = small_repo.ds.departments["SOC"]
    with small_repo.transaction() as tx:
        tx.put(old.model_copy(update={"name": "Social- og Sundhedsforvaltningen i Fjordby"}))
    save_coverage_rule(
        small_repo, CoverageRule(department="SOC", competency="DC1.1", level=3, min_people=5)
    )
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_organisation(pilot, app)
        app.open_department("SOC")
        await settle(pilot, lambda: "Fjordby" in screen_text(pilot))
        words = " ".join(screen_text(pilot).split())
        assert "coverage 0 of 1 met" in words and "no agent" in words
