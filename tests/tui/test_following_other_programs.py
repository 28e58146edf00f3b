"""The open app follows what other programs save, on both backends, by the store's change
notification (`Repository.wait_for_change`: LISTEN/NOTIFY on PostgreSQL, the files' signatures
on a folder), not by a periodic reload: the fallback interval is an hour in these tests, so only
the notification can bring a change in. The app still quits at once while it is waiting."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from store.demo import DEMO_AS_OF
from store.models import Department
from tests.tui.helpers import overview_ready, screen_words, settle, toast_words
from tui.app import KapabelApp
from tui.cli import main

AN_HOUR = 3600.0
"""The fallback reload interval: longer than any test, so it never brings a change in."""

CHANGED = "The database was changed elsewhere"


@pytest.fixture(params=["folder", "postgres"])
def demo_target(request: pytest.FixtureRequest, tmp_path: Path, capsys) -> Path | str:
    """A 12-person demo municipality in a folder, then in a PostgreSQL database."""
    if request.param == "folder":
        target: Path | str = tmp_path / "db"
    else:
        from store.postgres.migrate import migrate

        target = request.getfixturevalue("pg_url")
        migrate(target, user="hr")
    assert main(["demo", "--db", str(target), "--staff", "12", "--no-open"]) == 0
    capsys.readouterr()
    return target


def import_in_another_process(target: Path | str, tmp_path: Path, rows: str) -> None:
    """Another program saves: `kapabel import departments` in a process of its own."""
    csv = tmp_path / "departments.csv"
    csv.write_text("code,name\n" + rows, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "import", "departments", str(csv), "--db", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


async def open_app(pilot, app: KapabelApp) -> None:
    await settle(pilot, lambda: overview_ready(app))


def watcher_waiting(app: KapabelApp) -> bool:
    return any(w.group == "watch-db" and w.is_running for w in app.workers)


async def test_another_programs_save_shows_on_the_open_screen_without_a_key(
    demo_target: Path | str, tmp_path: Path
) -> None:
    app = KapabelApp(db_path=demo_target, as_of=DEMO_AS_OF, watch_interval=AN_HOUR)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_app(pilot, app)
        await pilot.press("2")
        await settle(pilot, lambda: "Organisation" in screen_words(pilot))
        assert "Nyoprettet Afdeling" not in screen_words(pilot)
        import_in_another_process(demo_target, tmp_path, "NYAFD,Nyoprettet Afdeling\n")
        await settle(pilot, lambda: "Nyoprettet Afdeling" in screen_words(pilot))
        assert CHANGED in toast_words(pilot)
        await pilot.press("q")


def notifications_said(app: KapabelApp) -> list[str]:
    """Every notification's message, kept (a toast on screen expires after a few seconds)."""
    said: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return said


async def test_the_apps_own_saves_are_not_announced_as_changed_elsewhere(
    demo_target: Path | str, tmp_path: Path
) -> None:
    """The app's own save wakes nobody into a "changed elsewhere" toast: after it, another
    program's save (noticed after the app's own, as the waiter takes them in order) is the one
    and only such toast."""
    app = KapabelApp(db_path=demo_target, as_of=DEMO_AS_OF, watch_interval=AN_HOUR)
    said = notifications_said(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_app(pilot, app)
        for n in range(3):
            app.repo.put(Department(code=f"EGEN{n}", name=f"Egen Afdeling {n}"))
            app.data_changed()
            await pilot.pause()
        import_in_another_process(demo_target, tmp_path, "NYAFD,Nyoprettet Afdeling\n")
        await settle(pilot, lambda: "NYAFD" in app.repo.ds.departments)
        await settle(pilot, lambda: CHANGED in toast_words(pilot))
        assert [m for m in said if m.startswith(CHANGED)] == [f"{CHANGED}: showing current data"]
        await pilot.press("q")


async def test_the_app_quits_while_waiting_for_a_change(demo_target: Path | str) -> None:
    """Quitting ends the waiting thread too: nothing keeps the program alive after `q` (the
    wait lasts an hour here; the loop's threads are joined after the app has gone, with a
    guard that fails the test instead of hanging it)."""
    app = KapabelApp(db_path=demo_target, as_of=DEMO_AS_OF, watch_interval=AN_HOUR)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_app(pilot, app)
        await settle(pilot, lambda: watcher_waiting(app))
        await pilot.press("q")
    assert app.return_code in (0, None)
    loop = asyncio.get_running_loop()
    await asyncio.wait_for(loop.shutdown_default_executor(), timeout=60)


def damage(target: Path | str) -> None:
    """Make the database unreadable behind the app's back: a damaged table file, or the
    server ending every connection of the app (as a restart does)."""
    if isinstance(target, Path):
        (target / "departments.json").write_bytes(b'{"departments": {"1": [')
        return
    import psycopg

    with psycopg.connect(target, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


async def test_a_database_that_becomes_unreadable_shows_the_error(
    demo_target: Path | str,
) -> None:
    app = KapabelApp(db_path=demo_target, as_of=DEMO_AS_OF, watch_interval=AN_HOUR)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_app(pilot, app)
        damage(demo_target)
        await settle(pilot, lambda: "Cannot read the database" in toast_words(pilot))
        words = toast_words(pilot)
        assert "Traceback" not in words
        assert ("departments.json" if isinstance(demo_target, Path) else "kapabel_test_") in words
        assert app.is_running
        await pilot.press("q")


async def test_after_the_server_ends_its_connections_the_app_follows_again(
    pg_url: str, tmp_path: Path, capsys
) -> None:
    """A server restart ends every connection: the app says it cannot read, then connects
    again by itself and shows the next save made elsewhere, without a key."""
    from store.postgres.migrate import migrate

    migrate(pg_url, user="hr")
    assert main(["demo", "--db", pg_url, "--staff", "12", "--no-open"]) == 0
    capsys.readouterr()
    app = KapabelApp(db_path=pg_url, as_of=DEMO_AS_OF, watch_interval=AN_HOUR)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_app(pilot, app)
        damage(pg_url)
        await settle(pilot, lambda: "Cannot read the database" in toast_words(pilot))
        import_in_another_process(pg_url, tmp_path, "NYAFD,Nyoprettet Afdeling\n")
        await pilot.press("2")
        await settle(pilot, lambda: "Nyoprettet Afdeling" in screen_words(pilot), timeout=60)
        await pilot.press("q")


def test_two_browser_sessions_on_one_database_see_each_others_saves(
    demo_target: Path | str,
) -> None:
    """`kapabel serve` runs each browser session as its own process: two sessions save at the
    same time (tests/tui/browser_session.py), each sees the other's saves on its People screen
    without a key, and no save is lost."""
    from store import open_store

    count = 5
    sessions = {
        mine: subprocess.Popen(
            [sys.executable, "-m", "tests.tui.browser_session", str(demo_target), mine, others]
            + [str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for mine, others in (("SA", "SB"), ("SB", "SA"))
    }
    try:
        for process in sessions.values():
            assert process.stdout.readline().strip() == "ready"
        for process in sessions.values():  # both save at once
            process.stdin.write("go\n")
            process.stdin.flush()
        for process in sessions.values():
            said, _ = process.communicate(timeout=120)
            assert said.split() == ["saw"] and process.returncode == 0
    finally:
        for process in sessions.values():
            if process.poll() is None:
                process.kill()
    staff = open_store(demo_target).ds.staff
    for prefix in sessions:
        assert {f"{prefix}{n}" for n in range(count)} <= set(staff)
