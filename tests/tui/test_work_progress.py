"""Long work shows its progress and leaves the app responsive: a report over the whole
organisation (Reports) and an import (Import). The work is made slow by a hook that holds the
report's builder (or the import's reading of the file) until the test has seen the progress line, so the
tests assert what is shown, never how long anything took."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

import reports.gaps
import store.importing
from store.repository import FolderRepository
from tests.iohelpers import populate
from tests.tui.conftest import AS_OF
from tests.tui.helpers import screen_words, settle, workers_done
from tui.app import KapabelApp
from tui.widgets.report_text import ReportText
from tui.widgets.work_progress import WorkProgress

HOLD_S = 30.0
"""How long a held step waits at most for the test to release it (a failing test ends)."""


def held(real, release: threading.Event):
    """`real`, waiting until `release` is set before it runs: slow work, on demand."""

    def slow(*args, **kwargs):
        release.wait(HOLD_S)
        return real(*args, **kwargs)

    return slow


async def test_a_slow_whole_organisation_report_shows_progress_then_the_report(
    small_repo, monkeypatch
) -> None:
    release = threading.Event()
    monkeypatch.setattr(reports.gaps, "build_gaps", held(reports.gaps.build_gaps, release))
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.press("6")  # Reports opens on the gaps report for the whole organisation
            await settle(pilot, lambda: app.current_mode == "reports")
            screen = app.screen
            progress = screen.query_one(WorkProgress)
            await settle(pilot, lambda: progress.shown and "Building" in screen_words(pilot))
            assert "Building the report …" in screen_words(pilot)
            assert screen.query_one("#preview", ReportText).text == ""

            # Still responsive: Escape leaves the date field while the report is being made.
            screen.query_one("#as-of", Input).focus()
            await pilot.press("escape")
            assert screen.focused is screen.query_one("#kind", Select)

            release.set()
            await settle(pilot, lambda: screen._rendered_for is not None)
            assert not progress.shown
            assert "Building the report" not in screen_words(pilot)
            preview = screen.query_one("#preview", ReportText).text
            assert "Gaps report | whole organisation | as of 2026-06-30" in preview
    finally:
        release.set()


async def test_a_quick_report_shows_no_progress_line(small_repo) -> None:
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("6")
        await settle(pilot, lambda: app.current_mode == "reports")
        await settle(pilot, lambda: app.screen._rendered_for is not None)
        assert not app.screen.query_one(WorkProgress).shown


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_a_slow_import_shows_progress_and_the_app_stays_usable(
    repo: FolderRepository, folder: Path, monkeypatch
) -> None:
    populate(repo)
    file = folder / "roles.csv"
    file.write_text("kode;navn\nR1;Sagsbehandler\nR9;Ny rolle\n", encoding="utf-8")
    release = threading.Event()
    app = KapabelApp(repo, watch_interval=None)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("8")
            screen = app.screen
            screen.query_one("#kind", Select).value = "roles"
            screen.query_one("#path", Input).value = file.name
            await pilot.press("slash", "enter")
            await workers_done(app)
            await settle(pilot, lambda: "roles: 1 added" in _report(screen))
            progress = screen.query_one(WorkProgress)
            assert not progress.shown

            # The import reads and checks the file again before it writes: hold that step.
            monkeypatch.setattr(
                store.importing, "plan_csv", held(store.importing.plan_csv, release)
            )
            await pilot.press("enter")  # the Import button has the focus after a clean preview
            await settle(pilot, lambda: progress.shown)
            assert "Reading and checking the file …" in screen_words(pilot)

            await pilot.press("1")  # another screen while the import runs
            await settle(pilot, lambda: app.current_mode == "overview")
            await pilot.press("8")
            await settle(pilot, lambda: app.screen is screen)

            release.set()
            await settle(pilot, lambda: "Imported:" in _report(screen))
            assert not progress.shown
            assert "R9" in repo.ds.roles
    finally:
        release.set()


def _report(screen) -> str:
    return str(screen.query_one("#report-text", Static).render())


async def test_opening_reports_makes_the_report_once_and_a_change_makes_it_again(
    small_repo, monkeypatch
) -> None:
    """Showing the screen sets the form's choices, which must not start the same report twice
    (at 50,000 staff each costs seconds, and two at once take twice as long)."""
    import reports

    made = []
    real = reports.build_report

    def counted(kind, *args, **kwargs):
        made.append(kind)
        return real(kind, *args, **kwargs)

    monkeypatch.setattr(reports, "build_report", counted)
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("6")
        await settle(pilot, lambda: app.screen._rendered_for is not None)
        await workers_done(app)
        assert made == ["gaps"]
        app.screen.query_one("#kind", Select).value = "heatmap"
        await settle(pilot, lambda: app.screen._rendered_for.kind == "heatmap")
        await workers_done(app)
        assert made == ["gaps", "heatmap"]
