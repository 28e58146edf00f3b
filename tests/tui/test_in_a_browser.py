"""The app in a browser (`kapabel serve`): the user is not at the machine running the app, so
no screen reads or writes that machine's files. Textual's web driver is what `kapabel serve`
runs (tests/e2e drives a real browser); here the app is told it runs in one."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Static

from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_text, settle, workers_done
from tui.app import KapabelApp
from tui.screens.import_screen import ImportScreen
from tui.screens.overview import OverviewScreen

SIZE = (100, 32)
SECRET = "Server-Hemmelighed"


@pytest.fixture
def in_a_browser(monkeypatch) -> None:
    monkeypatch.setattr(KapabelApp, "is_web", property(lambda self: True))


@pytest.fixture
def server_file(tmp_path: Path, monkeypatch) -> Path:
    """A file on the server that a browser's user must not read: a valid roles CSV."""
    monkeypatch.chdir(tmp_path)
    file = tmp_path / "roles.csv"
    file.write_text(f"code,name\nSRV,{SECRET}\n", encoding="utf-8")
    return file


async def test_in_a_browser_the_import_screen_is_not_offered(
    in_a_browser, small_repo, server_file: Path
) -> None:
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("8")  # the Import key
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Go to Import" not in titles and "Go to Audit log" in titles


async def test_in_a_browser_the_import_screen_reads_no_server_file(
    in_a_browser, small_repo, server_file: Path
) -> None:
    """Reached anyway, the screen says where imports are made and reads nothing."""
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        app.switch_mode("import")
        await settle(pilot, lambda: isinstance(app.screen, ImportScreen))
        screen = app.screen
        assert "in a terminal" in screen_text(pilot)
        screen.query_one("#path").value = server_file.name
        await pilot.press("f5")
        await workers_done(app)
        await pilot.pause()
        assert screen.plan is None and screen.query_one("#import", Button).disabled
        assert SECRET not in screen_text(pilot)
        assert "SRV" not in str(screen.query_one("#report-text", Static).render())
    assert "SRV" not in small_repo.ds.roles


async def test_in_a_terminal_the_import_screen_reads_the_file(small_repo, server_file) -> None:
    """The same steps in a terminal preview the file: the test above can fail."""
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("8")
        await settle(pilot, lambda: isinstance(app.screen, ImportScreen))
        screen = app.screen
        screen.query_one("#kind").value = "roles"
        screen.query_one("#path").value = server_file.name
        await pilot.press("f5")
        await workers_done(app)
        await pilot.pause()
        assert screen.plan is not None and "roles: 1 added" in screen_text(pilot)
