"""Overview: the figures, and selecting one opens the screen behind it."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable, Select, Tree

from store.models import Assessment
from tests.tui.conftest import AS_OF
from tests.tui.helpers import (
    open_overview_figure,
    overview_ready,
    screen_text,
    screen_words,
    settle,
)
from tui.app import KapabelApp

SIZE = (100, 32)


def figure_row(app, key: str) -> list:
    table = app.screen.query_one("#figures", DataTable)
    return [str(c) for c in table.get_row(key)]


async def test_overview_shows_readiness_gaps_training_and_robots(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        # 8 requirement pairs for the 4 active staff, 4 met (see conftest): 50 %.
        text = screen_text(pilot)
        assert "50.0 %" in text
        assert "4 of 8 met" in text
        assert figure_row(app, "overdue")[1] == "1"  # E2's plan was due 2026-03-01
        assert figure_row(app, "production")[1] == "1"
        # R1's only operator E1 meets DC1.1 3, but one qualified operator is a key-person risk.
        assert figure_row(app, "risk")[1] == "1 (R1)"
        await settle(pilot, lambda: "Q2 2026" in screen_text(pilot))  # the trend worker


async def test_the_trend_starts_as_soon_as_the_figures_are_drawn(small_repo):
    # No deliberate wait before the trend any more (it was 0.4 s, from when the trend took
    # seconds in another process): its worker starts in the step that notes the figures drawn.
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE):
        for _ in range(4000):  # looked at every 5 ms, far more often than the old wait
            if getattr(app.screen, "figures_drawn_at", None) is not None:
                break
            await asyncio.sleep(0.005)
        overview = app.screen
        assert overview.figures_drawn_at is not None
        started = overview.trend_shown or any(w.group == "trend" for w in app.workers)
        assert started, "the trend was not started when the figures were drawn"


async def test_selecting_a_gap_opens_that_department_on_organisation(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        gaps = app.screen.query_one("#gaps", DataTable)
        gaps.focus()
        wanted = app.screen._gap_departments[1]
        await pilot.press("down", "enter")
        await settle(pilot, lambda: app.current_mode == "organisation")
        await settle(pilot, lambda: app.screen.department == wanted)
        tree = app.screen.query_one("#departments", Tree)
        await settle(
            pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data == wanted
        )
        assert app.analysis.department_name(wanted) in screen_text(pilot)


async def test_selecting_overdue_training_opens_training_and_robots_open_the_robot_tab(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await open_overview_figure(pilot, "overdue", press="o")
        await settle(pilot, lambda: app.current_mode == "training")
        await settle(pilot, lambda: str(app.screen.query_one("#due", Select).value) == "overdue")
        await settle(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
        assert "OVERDUE" in screen_text(pilot)  # only E2's plan, due 2026-03-01

        await pilot.press("1")
        await settle(pilot, lambda: overview_ready(app))
        await open_overview_figure(pilot, "risk")
        await settle(pilot, lambda: app.current_mode == "organisation")
        await settle(pilot, lambda: "Journal robot" in screen_text(pilot))
        assert "⚠ yes" in screen_text(pilot)


async def test_overview_redraws_after_a_write(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        small_repo.record(Assessment(staff="E2", competency="DC1.1", level=3, date=AS_OF))
        app.screen.figures_shown = False
        app.data_changed()
        await settle(pilot, lambda: overview_ready(app))
        assert "5 of 8 met" in screen_text(pilot)


async def test_the_key_person_risk_figure_opens_only_the_robots_at_risk(small_repo):
    from store.models import Robot, RobotPhase

    small_repo.put(Robot(code="R2", name="Idea robot", department="SOC", phase=RobotPhase.IDEA))
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await open_overview_figure(pilot, "risk")
        await settle(pilot, lambda: app.current_mode == "organisation")
        robots = app.screen.query_one("#robot-table", DataTable)
        await settle(pilot, lambda: robots.row_count == 1)
        assert "Journal robot" in screen_text(pilot) and "Idea robot" not in screen_text(pilot)
        assert "at key-person risk only" in screen_words(pilot)
        await pilot.press("k")  # every robot again
        await settle(pilot, lambda: robots.row_count == 2)
        assert "Idea robot" in screen_text(pilot)

        await pilot.press("1")
        await settle(pilot, lambda: overview_ready(app))
        await open_overview_figure(pilot, "production")  # the other robot figures: all of them
        await settle(pilot, lambda: app.current_mode == "organisation")
        await settle(pilot, lambda: robots.row_count == 2)


async def test_an_as_of_date_before_every_assessment_is_said_on_screen(small_repo):
    import datetime as dt

    app = KapabelApp(small_repo, as_of=dt.date(1990, 1, 1), watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert (
            "no assessments existed on 1990-01-01 (the first is dated 2026-01-15)"
            in screen_words(pilot)
        )
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert "no assessments existed" not in screen_words(pilot)


async def test_coverage_agents_and_expiring_figures_open_their_lists_as_the_reports_say(
    small_repo,
):
    from reports import build_report
    from store.coverage import save_coverage_rule
    from store.models import CoverageRule

    save_coverage_rule(
        small_repo, CoverageRule(department="ROOT", competency="DC1.1", level=3, min_people=2,
                                 each=True)
    )  # fmt: skip
    with small_repo.transaction() as tx:
        tx.record(Assessment(staff="E4", competency="DC1.1", level=4, date=AS_OF, source="test",
                             valid_until=AS_OF + __import__("datetime").timedelta(days=60)))  # fmt: skip
    coverage = build_report("coverage", small_repo.ds, AS_OF).to_dict()
    ratings = build_report("ratings", small_repo.ds, AS_OF).to_dict()
    unmet = [(c["department"], r["department"]) for c in coverage["rules"] for r in c["results"]
             if not r["met"]]  # fmt: skip
    total = sum(len(c["results"]) for c in coverage["rules"])
    assert unmet and coverage["departments_without_agent"] and len(ratings["expiring"]) == 1

    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert figure_row(app, "coverage")[1] == f"{len(unmet)} of {total}"
        agents = coverage["departments_without_agent"]
        assert figure_row(app, "agents")[1] == str(len(agents))
        assert figure_row(app, "expiring")[1] == "1"
        for key, count, word in (
            ("coverage", len(unmet), f"({unmet[0][1]})"),
            ("agents", len(agents), agents[0]),
            ("expiring", 1, "E4"),
        ):
            await open_overview_figure(pilot, key)
            await settle(pilot, lambda: app.screen.__class__.__name__ == "FindingsScreen")
            table = app.screen.query_one("#findings", DataTable)
            assert table.row_count == count, key
            assert word in screen_text(pilot), screen_text(pilot)
            await pilot.press("escape")
            await settle(pilot, lambda: overview_ready(app))


async def test_the_demo_shows_coverage_rules_and_expiring_ratings_as_the_reports_say(
    demo_repo, capsys
):
    """The demo municipality exercises issue #15's figures: some rules unmet, ratings lapsing."""
    import json

    from store.demo import DEMO_AS_OF
    from tui.cli import main

    def report(kind: str) -> dict:
        args = ["report", kind, "--db", str(demo_repo.path), "--as-of", str(DEMO_AS_OF)]
        assert main([*args, "--format", "json"]) == 0
        return json.loads(capsys.readouterr().out)

    rules = report("coverage")["rules"]
    results = [r for rule in rules for r in rule["results"]]
    unmet = [r for r in results if not r["met"]]
    expiring = report("ratings")["expiring"]
    assert unmet and len(unmet) < len(results) and expiring

    app = KapabelApp(demo_repo, as_of=DEMO_AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert figure_row(app, "coverage")[1] == f"{len(unmet)} of {len(results)}"
        assert figure_row(app, "expiring")[1] == str(len(expiring))
        for key, count in (("coverage", len(unmet)), ("expiring", len(expiring))):
            await open_overview_figure(pilot, key)
            await settle(pilot, lambda: app.screen.__class__.__name__ == "FindingsScreen")
            assert app.screen.query_one("#findings", DataTable).row_count == count, key
            await pilot.press("escape")
            await settle(pilot, lambda: overview_ready(app))
