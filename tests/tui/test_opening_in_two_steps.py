"""Opening in two steps (`store.open_in_stages`): on a server the Overview shows its figures
from the current levels the server picks, before the whole history is read; the trend, the
other screens and saves wait for the history, and nothing asked for meanwhile is lost.

The history's arrival is held by the test (`gated`): the opening's second step waits for an
event before it reads, on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Select

import tui.app as app_module
from reports.analysis import analyse
from reports.overview import build_overview
from store import open_in_stages, open_store
from store.copying import copy_database
from store.models import Assessment
from store.postgres.migrate import migrate
from tests.tui.conftest import AS_OF
from tests.tui.helpers import (
    open_overview_figure,
    overview_ready,
    screen_text,
    settle,
    toast_words,
)
from tests.tui.test_person_screen import open_person
from tui.app import KapabelApp
from tui.cli import main
from tui.forms import AssessmentForm

SIZE = (100, 32)


@pytest.fixture
def small_url(small_repo, pg_url: str) -> str:
    """The small municipality on a PostgreSQL server, with one assessment that a later one
    replaced (so that the server's first step sends fewer rows than the history holds)."""
    migrate(pg_url, user="setup")
    target = open_store(pg_url, user="setup")
    copy_database(small_repo, target, replace=True)
    old = dt.date(2025, 6, 1)
    target.record(Assessment(staff="E1", competency="DC1.1", level=1, date=old, source="manager"))
    target.storage.close()
    return pg_url


@pytest.fixture(params=["folder", "postgres"])
def small_target(request, small_repo) -> Path | str:
    """The small municipality on each backend in turn."""
    if request.param == "folder":
        return small_repo.storage.path
    return request.getfixturevalue("small_url")


def report_figures(target: Path | str, capsys) -> dict:
    assert (
        main(["report", "gaps", "--format", "json", "--as-of", str(AS_OF), "--db", str(target)])
        == 0
    )
    return json.loads(capsys.readouterr().out)


def test_the_first_step_gives_the_figures_of_the_whole(small_target, capsys) -> None:
    opening = open_in_stages(small_target, AS_OF, user="hr")
    first = build_overview(analyse(opening.first, AS_OF), 30)
    repo = opening.finish()
    whole = build_overview(analyse(repo.ds, AS_OF), 30)
    assert first == whole
    figures = report_figures(small_target, capsys)
    assert first.readiness_pct == figures["readiness_pct"] == 50.0
    assert opening.whole == isinstance(small_target, Path)
    if not opening.whole:  # a server sent only the current levels first
        assert len(opening.first.assessments) < len(repo.ds.assessments)


def test_the_first_step_is_limited_to_a_department_as_the_whole_is(small_url) -> None:
    opening = open_in_stages(small_url, AS_OF, user="hr", department="SOC")
    repo = opening.finish()
    assert set(opening.first.staff) == set(repo.ds.staff) < set(open_store(small_url).ds.staff)
    first = analyse(opening.first, AS_OF).department_figures(None)
    assert first == analyse(repo.ds, AS_OF).department_figures(None)


@pytest.fixture
def gated(monkeypatch) -> Iterator[threading.Event]:
    """The app's second step (reading the whole history) waits until the event is set (at the
    end of the test at the latest)."""
    release = threading.Event()
    real = app_module.open_in_stages

    def held(*args, **kwargs):
        opening = real(*args, **kwargs)
        finish = opening.finish

        def finish_when_released():
            assert release.wait(60), "the test never released the history"
            return finish()

        return type(opening)(opening.first, opening.whole, finish_when_released)

    monkeypatch.setattr(app_module, "open_in_stages", held)
    yield release
    release.set()


def tables(app) -> tuple:
    """What the Overview's tables show (cells as text) and where their cursors are."""
    shown = []
    for name in ("gaps", "figures"):
        table = app.screen.query_one(f"#{name}", DataTable)
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        shown.append((rows, table.cursor_row))
    return tuple(shown)


async def test_the_figures_show_before_the_history_and_the_trend_after_it(
    small_url, gated, capsys
) -> None:
    app = KapabelApp(db_path=small_url, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert app.repo is None  # the history is still held back
        text = screen_text(pilot)
        assert "50.0 %" in text and "4 of 8 met" in text  # the figures `kapabel report` gives
        assert "loading the history" in text and "Q2 2026" not in text
        first = tables(app)

        gated.set()
        overview = app.screen
        await settle(pilot, lambda: overview.trend_shown)
        assert app.screen is overview and tables(app) == first  # the same figures, unmoved
        text = screen_text(pilot)
        assert "Q2 2026" in text and "loading the history" not in text
    assert report_figures(small_url, capsys)["readiness_pct"] == 50.0


async def test_a_screen_asked_for_before_the_history_opens_when_it_arrives_and_saves(
    small_url, gated
) -> None:
    app = KapabelApp(db_path=small_url, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("3")  # People: it needs the whole database
        await pilot.pause()
        assert app.current_mode == "overview"
        await settle(
            pilot, lambda: "Opening People once the history has loaded" in toast_words(pilot)
        )

        gated.set()
        await settle(pilot, lambda: app.current_mode == "people")
        await pilot.press("1")  # back to the Overview, to look for the person from there
        await settle(pilot, lambda: overview_ready(app))
        screen = await open_person(pilot, "E2")
        assert screen.rows["DC1.1"].gap == 2
        await pilot.press("a")  # cursor is on DC1.1
        await pilot.pause()
        assert isinstance(app.screen, AssessmentForm)
        await pilot.press("tab", "3", "ctrl+s")
        await settle(pilot, lambda: app.screen is screen)
        assert screen.rows["DC1.1"].current == 3
    saved = open_store(small_url).ds.assessments
    assert (saved[-1].staff, saved[-1].competency, saved[-1].level) == ("E2", "DC1.1", 3)


async def test_the_overdue_figure_asked_for_before_the_history_opens_training_filtered(
    small_url, gated
) -> None:
    app = KapabelApp(db_path=small_url, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await open_overview_figure(pilot, "overdue")
        await pilot.pause()
        assert app.current_mode == "overview"
        await settle(
            pilot, lambda: "Opening Training once the history has loaded" in toast_words(pilot)
        )
        gated.set()
        await settle(pilot, lambda: app.current_mode == "training")
        await settle(pilot, lambda: str(app.screen.query_one("#due", Select).value) == "overdue")


async def test_a_history_that_cannot_be_read_is_said_and_the_figures_stay(
    small_url, gated, monkeypatch
) -> None:
    from store.errors import StoreError

    real = app_module.open_in_stages

    def failing(*args, **kwargs):
        opening = real(*args, **kwargs)  # the gated one: waits for the test's release

        def finish():
            opening.finish()
            raise StoreError("db: reading failed: the server closed the connection")

        return type(opening)(opening.first, opening.whole, finish)

    monkeypatch.setattr(app_module, "open_in_stages", failing)
    app = KapabelApp(db_path=small_url, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        gated.set()
        await settle(pilot, lambda: "Cannot read the history" in toast_words(pilot))
        assert "server closed the connection" in toast_words(pilot)
        assert "50.0 %" in screen_text(pilot) and app.repo is None
        await pilot.press("q")
    assert app.return_code == 1


def test_on_the_demo_every_overview_figure_of_the_first_step_is_the_wholes(
    demo_repo, pg_url: str, capsys
) -> None:
    """The demo municipality (1,200 staff, years of reassessments, robots): on the server the
    first step's figures are the whole history's, and `kapabel report`'s."""
    from store.demo import DEMO_AS_OF

    migrate(pg_url, user="setup")
    target = open_store(pg_url, user="setup")
    copy_database(demo_repo, target, replace=True)
    target.storage.close()
    opening = open_in_stages(pg_url, DEMO_AS_OF, user="hr")
    first = build_overview(analyse(opening.first, DEMO_AS_OF), 30)
    repo = opening.finish()
    assert len(opening.first.assessments) < len(repo.ds.assessments)
    assert first == build_overview(analyse(repo.ds, DEMO_AS_OF), 30)
    assert first.largest_gaps and first.robots_in_production and first.without_agent
    argv = ["report", "gaps", "--format", "json", "--as-of", str(DEMO_AS_OF), "--db", pg_url]
    assert main(argv) == 0
    assert first.readiness_pct == json.loads(capsys.readouterr().out)["readiness_pct"]


async def test_the_history_is_read_only_once_the_figures_are_drawn(small_url, monkeypatch) -> None:
    """Reading the whole history holds the CPU for seconds at scale: it starts after the
    refresh that drew the first look's figures (the Overview notes when), not before."""
    drawn_when_reading: list[float | None] = []
    real = app_module.open_in_stages

    def noting(*args, **kwargs):
        opening = real(*args, **kwargs)

        def finish():
            drawn_when_reading.append(getattr(app.screen, "figures_drawn_at", None))
            return opening.finish()

        return type(opening)(opening.first, opening.whole, finish)

    monkeypatch.setattr(app_module, "open_in_stages", noting)
    app = KapabelApp(db_path=small_url, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.repo is not None)
    assert len(drawn_when_reading) == 1 and drawn_when_reading[0] is not None
