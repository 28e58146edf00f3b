"""The app on a database it can only read: it says so in the header and in a notification, shows
everything, and a save is refused in the form with the reason (nothing is written)."""

from __future__ import annotations

from store.repository import FolderRepository
from tests.iohelpers import folder_hashes
from tests.readonly import read_only
from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_lines, settle, workers_done
from tui.app import KapabelApp
from tui.forms import AssessmentForm


async def test_a_read_only_database_opens_says_so_and_refuses_a_save(small_repo) -> None:
    db = small_repo.path
    (db / ".lock").unlink()
    before = folder_hashes(db)
    with read_only(db.parent):
        app = KapabelApp(db_path=db, as_of=AS_OF, watch_interval=None)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot, lambda: overview_ready(app))
            assert "small · read-only · as of 2026-06-30" in screen_lines(pilot)[0]
            await settle(pilot, lambda: any(n.title == "Read-only" for n in app._notifications))
            (told,) = [n for n in app._notifications if n.title == "Read-only"]
            assert "changes cannot be saved" in told.message
            form = AssessmentForm("E1", "DC1.1")
            pilot.app.push_screen(form)
            await pilot.pause()
            await pilot.press("tab", "3", "ctrl+s")
            await settle(pilot, lambda: bool(form.general_errors or form.field_errors()))
            assert app.screen is form  # not saved: the form stays open with the reason
            shown = " ".join(form.general_errors)  # what the form shows under its fields
            assert "is read-only here" in shown and "nothing was saved" in shown
    assert folder_hashes(db) == before
    assert len(FolderRepository.open(db).ds.assessments) == len(small_repo.ds.assessments)


async def test_an_import_on_a_read_only_database_is_refused_on_the_import_screen(
    small_repo, tmp_path, monkeypatch
) -> None:
    from textual.widgets import Select, Static

    from tests.tui.pilot_helpers import type_text

    monkeypatch.chdir(tmp_path)
    (tmp_path / "roles.csv").write_text("code,name\nR9,Ny\n")
    db = small_repo.path
    (db / ".lock").unlink()
    before = folder_hashes(db)
    with read_only(db.parent):
        app = KapabelApp(db_path=db, as_of=AS_OF, watch_interval=None)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, lambda: overview_ready(app))
            await pilot.press("8")
            app.screen.query_one("#kind", Select).value = "roles"
            await pilot.press("slash")
            await type_text(pilot, "roles.csv")
            await pilot.press("enter")
            await workers_done(app)
            await pilot.pause()
            await pilot.press("enter")  # Import
            await workers_done(app)
            await pilot.pause()
            report = str(app.screen.query_one("#report-text", Static).render())
            assert "is read-only here" in " ".join(report.split())
            assert app.is_running  # the refusal is shown; the app carries on
    assert folder_hashes(db) == before
