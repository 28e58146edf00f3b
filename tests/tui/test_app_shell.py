"""The app shell: start-up, modes on keys 1-9 and 0, help on every screen, the command palette."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from store.models import Department
from store.repository import FolderRepository
from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_text, settle
from tui.app import SCREENS_IN_ORDER, KapabelApp
from tui.screens.help import HelpScreen
from tui.screens.loading import LoadingScreen

SIZE = (100, 32)


def make_app(repo: FolderRepository) -> KapabelApp:
    return KapabelApp(repo, as_of=AS_OF, watch_interval=None)


async def test_opening_a_folder_shows_loading_then_the_overview(small_repo):
    app = KapabelApp(db_path=small_repo.path, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoadingScreen) or app.repo is not None
        await settle(pilot, lambda: overview_ready(app))
        assert app.repo.ds.staff["E1"].name == "Åse Ørsted"
        header = screen_text(pilot).splitlines()[0]
        assert "small · as of 2026-06-30" in header
        assert str(small_repo.path.parent) not in header


async def test_once_a_database_is_open_the_collector_runs_less_often(small_repo):
    """A full collection scans every screen's rows (0.07-0.12 s at 50,000 staff): after the
    first load the youngest generation is collected every 10,000 new objects, not 700."""
    import gc

    kept = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        app = KapabelApp(db_path=small_repo.path, as_of=AS_OF, watch_interval=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: overview_ready(app))
            assert gc.get_threshold() == (10_000, 10, 10)
    finally:
        gc.set_threshold(*kept)


async def test_a_database_that_cannot_be_opened_is_explained_and_quit_returns_1(tmp_path: Path):
    not_a_folder = tmp_path / "db"
    not_a_folder.write_text("hello")
    app = KapabelApp(db_path=not_a_folder, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.open_problem is not None)
        words = " ".join(screen_text(pilot).split())  # the message wraps
        assert "Cannot open the database" in words
        assert "is a file, not a database folder" in words
        await pilot.press("2")  # no screen to switch to without a database
        assert isinstance(app.screen, LoadingScreen)
        await pilot.press("q")
    assert app.return_code == 1


async def test_number_keys_switch_between_every_screen_and_help_lists_its_keys(small_repo):
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        for mode, key, title in [*SCREENS_IN_ORDER[1:], SCREENS_IN_ORDER[0]]:
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
            screen = app.screen
            assert title.split()[0] in screen_text(pilot).splitlines()[0]

            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), mode
            assert f"Keys on {screen.TITLE}" in screen_text(pilot)  # the top is on screen
            text = str(app.screen.query_one(Static).content)  # a long list scrolls
            own = [b.description for b in screen.BINDINGS if getattr(b, "description", "")]
            for description in [*own, "Quit", "Help"]:
                assert description in text, (mode, description)
            assert "1-9, 0 switch screens" in text
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


SCREENS = ["Overview", "Organisation", "People", "Competencies", "Training", "Reports",
                 "Audit log", "Import", "Strategy", "Robots"]  # fmt: skip
KEYS = [*"1234567890"]


async def test_number_keys_switch_to_every_screen_from_each_of_the_others(small_repo):
    """Audit log (7) and Import (8) are screens like the others: opened, the focus is not in a
    filter or path field, so a number key switches screens instead of being typed."""

    def showing(title: str) -> bool:
        header = screen_text(pilot).splitlines()[0]
        return len(app.screen_stack) == 1 and title in header  # a screen, not an overlay

    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        for start_key, start in zip(KEYS, SCREENS, strict=True):
            for key, title in zip(KEYS, SCREENS, strict=True):
                await pilot.press(start_key)
                await settle(pilot, lambda start=start: showing(start))
                await pilot.press(key)
                await settle(pilot, lambda title=title: showing(title))
        for mode in ("audit", "import"):
            for field in app.get_screen_stack(mode)[0].query(Input):
                assert field.value == "", (mode, field.id)  # no number key was typed into it
    assert [title for _, _, title in SCREENS_IN_ORDER] == SCREENS  # palette and help


async def test_the_palette_offers_every_screen_and_the_screens_actions(small_repo):
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("2")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for _, _, title in SCREENS_IN_ORDER:
            assert f"Go to {title}" in titles
        assert {"Tree", "Gaps", "Heatmap", "Robots"} <= set(titles)

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to Reports")
        await settle(pilot, lambda: "Go to Reports" in screen_text(pilot))
        await pilot.press("enter")
        await settle(pilot, lambda: app.current_mode == "reports")


async def test_a_change_by_another_process_is_noticed_and_shown(small_repo):
    """The app given an open repository follows it too (tests/tui/test_following_other_programs
    has the rest); the fallback reload is an hour away, so the store's wake-up brings it."""
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await pilot.press("2")
        await settle(pilot, lambda: "Kommune" in screen_text(pilot))
        other = FolderRepository.open(small_repo.path, user="someone else")
        other.put(Department(code="NEW", name="Nyt Kontor", parent_code="ROOT"))
        await settle(pilot, lambda: "Nyt Kontor" in screen_text(pilot))
        assert app.data_version == 1


async def test_after_start_up_the_app_saves_a_history_snapshot_for_the_next_start(
    small_repo, monkeypatch
):
    from store import snapshot

    monkeypatch.setattr(snapshot, "WORTH_SAVING_ROWS", 1)  # the small history is worth it here
    app = KapabelApp(db_path=small_repo.path, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await settle(pilot, lambda: snapshot.snapshot_path(small_repo.path).exists())
    reopened = FolderRepository.open(small_repo.path)
    assert reopened.storage.snapshot_rows == len(small_repo.ds.assessments) == 6
    assert reopened.ds.assessments == small_repo.ds.assessments


async def test_escape_leaves_any_text_field_so_the_number_keys_switch_screens_again(small_repo):
    """A user who typed in a filter, a path, a date or a file name presses Escape and then a
    number key: on every screen that is a screen switch, never a digit typed into the field."""
    app = make_app(small_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        for key, title in zip(KEYS, SCREENS, strict=True):
            await pilot.press(key)
            await settle(pilot, lambda title=title: title in screen_text(pilot).splitlines()[0])
            screen = app.screen
            for field in screen.query(Input):
                if not field.display or field.disabled:
                    continue
                before = field.value
                field.focus()
                await pilot.pause()
                await pilot.press("escape")
                await pilot.pause()
                other = "1" if key != "1" else "2"
                await pilot.press(other)
                await pilot.pause()
                assert field.value == before, (title, field.id)
                await settle(pilot, lambda screen=screen: app.screen is not screen)
                await pilot.press(key)
                await settle(pilot, lambda screen=screen: app.screen is screen)


async def test_the_daily_backup_waits_until_the_overview_has_drawn_its_figures_and_trend(
    small_repo, monkeypatch
):
    """The backup (and a first start's snapshot) would compete with the first figures and the
    trend that follows them."""
    import tui.app as app_module

    seen = []

    def backup(repo):
        screen = app.screen
        seen.append((getattr(screen, "figures_drawn_at", None), getattr(screen, "trend_shown", 0)))

    monkeypatch.setattr(app_module, "daily_backup", backup)
    app = KapabelApp(db_path=small_repo.path, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app) and bool(seen))
    [(drawn, trend_shown)] = seen
    assert drawn is not None and trend_shown is True


async def test_the_daily_backup_is_made_when_the_person_leaves_the_overview_at_once(
    small_repo, monkeypatch
):
    import tui.app as app_module

    seen = []
    monkeypatch.setattr(app_module, "daily_backup", seen.append)
    app = KapabelApp(db_path=small_repo.path, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.repo is not None)
        await pilot.press("3")  # before the Overview's figures are drawn, or just after
        await settle(pilot, lambda: app.current_mode == "people" and bool(seen))


async def test_the_daily_backup_is_made_even_if_the_overview_never_settles(small_repo, monkeypatch):
    """On a server the first look can end while the person is on another screen, and the
    Overview then waits to be shown again: the backup must not wait for it for ever."""
    import tui.app as app_module
    from tui.screens.overview import OverviewScreen

    seen = []
    monkeypatch.setattr(app_module, "daily_backup", seen.append)
    monkeypatch.setattr(OverviewScreen, "_start_trend", lambda self: None)
    monkeypatch.setattr(app_module, "SETTLED_AT_LATEST_S", 0.5)
    app = KapabelApp(db_path=small_repo.path, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        await settle(pilot, lambda: bool(seen))
    assert seen == [app.repo]
