"""The Kapabel Textual app: one mode per screen, switched with keys or the command palette.

Screens read `self.app.repo` (the store) and `self.app.as_of`, show figures computed by `reports/`
and write through the repository. Each screen lives in its own module under `tui/screens/`.

Start-up draws first: given a folder instead of an open repository, the app shows a loading
screen and opens the database in a thread worker (a 50,000-staff database takes seconds), then
switches to the Overview. On a server it opens in two steps (`store.open_in_stages`): the
Overview's figures from the current levels the server picks, then the whole history in the
same worker; until it arrives the Overview's trend says so and the other screens (and every
save, made on them) wait: a key that opens one is kept and followed when the history is in.
A thread waits on the store for other programs' saves (`Repository.wait_for_change`) and shows
them as soon as they are committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandPalette
from textual.markup import escape
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.worker import Worker, get_current_worker

from i18n import N_, _, format_date
from store import Repository, open_in_stages, resolve_target, target_name
from store.backup import daily_backup
from store.errors import StoreError
from store.gcpause import collect_less_often, collector_paused, freeze_loaded
from store.models import build_validators
from tui.language import LANGUAGE_COMMANDS
from tui.screens import MODE_SCREENS, SCREENS_IN_ORDER, SERVER_FILE_MODES
from tui.screens.loading import LoadingScreen

WATCH_INTERVAL_S = 60.0
"""The longest the app goes without refreshing: only a safety net, since the store wakes the app
as soon as another program commits (see `KapabelApp._watch_database`)."""

WAIT_SLICE_S = 0.25
"""How long one wait on the store lasts: the waiting thread looks this often whether the app is
quitting (a commit still wakes it at once, whatever the slice)."""

FIRST_LOOK_DRAWN_S = 5.0
"""The longest the whole history's reading waits for the first look's figures to be drawn (it
waits so as not to take the CPU from drawing them)."""

SETTLED_AT_LATEST_S = 5.0
"""What waits for the Overview to settle (the daily backup, a first start's snapshot) starts
this long after the opening at the latest: on a server the Overview may not draw its figures
again until the person comes back to it."""

QUICK_ROWS = 1_000
"""Figures updated for at most this many new assessments are made on the UI thread when a screen
asks (`analysis_if_quick`: a save adds one, ~10 ms at 50,000 staff); more (an import by another
program, say) are left to the screen's worker."""

RENEWING_MODE = "renewing"
"""The mode of the blank screen shown for a moment while a mode's screen is made anew in
another language (`KapabelApp._renew_mode_screen`)."""

RETRY_AFTER_ERROR_S = 5.0
"""After the database could not be read, the app tries again this much later (not at once: the
change that made it unreadable is still there, and would wake the waiter again and again)."""


class KapabelPalette(CommandPalette):
    """Textual's command palette, saying that nothing matches in the current language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's countdown (textual/command.py, 8.2) with its fixed English text marked."""
        from rich.align import Align
        from textual.command import CommandList
        from textual.widgets.option_list import Option

        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class KapabelApp(App):
    """Keyboard-first register of competencies, training and robots."""

    TITLE = "Kapabel"
    CSS_PATH = [
        "app.tcss",
        # Every screen's styles, read once at start-up: a screen's own CSS_PATH read on its first
        # opening makes Textual re-parse all styles and restyle every widget (~0.1 s each time).
        *(f"screens/{name}.tcss" for name in ("overview", "organisation", "people", "person")),
        *(f"screens/{name}.tcss" for name in ("competencies", "training", "reports_screen")),
        *(f"screens/{name}.tcss" for name in ("audit", "import_screen", "strategy", "robots")),
        "forms/forms.tcss",
    ]
    BINDINGS = [
        *(
            Binding(key, f"switch_mode('{mode}')", title, show=False)
            for mode, key, title in SCREENS_IN_ORDER
        ),
        Binding("question_mark,f1", "help", N_("Help")),
        Binding("ctrl+r", "reload", N_("Reload"), show=False),
        Binding("q", "quit", N_("Quit")),
    ]

    def __init__(
        self,
        repo: Repository | None = None,
        as_of: dt.date | None = None,
        *,
        db_path: Path | str | None = None,
        watch_interval: float | None = WATCH_INTERVAL_S,
        department: str | None = None,
        read_only: bool = False,
    ) -> None:
        """Give an open `repo`, or a `db_path` (a folder or a URL: `store.open_store`) to open,
        created if missing, after the first frame, limited to `department` and all below it
        and refusing every save when `read_only` (`store.open_store` applies both)."""
        super().__init__()
        if repo is None and db_path is None:
            raise ValueError("KapabelApp needs a repository or a database path")
        self.repo: Repository = repo  # type: ignore[assignment]  # set by the loader
        self.db_path = resolve_target(db_path if db_path is not None else repo.location)
        self.as_of = as_of or dt.date.today()
        self.data_version = 0
        """Goes up on every data_changed(); screens compare it when they are shown again."""
        self.selected_department: str | None = None
        """The department the Organisation screen should show next (set by drill-downs)."""
        self.selected_tab: str | None = None
        """The Organisation tab a drill-down asked for; the screen clears it once shown."""
        self.robots_at_risk = False
        """Organisation lists only the robots at key-person risk (the Overview's figure)."""
        self.open_problem: str | None = None
        """Why the database could not be opened (None: it could, or it is still opening)."""
        self.first_look_drawn: Callable[[], object] = lambda: None
        """The Overview calls this once it has drawn the first look's figures."""
        self._after_first_figures: list[Callable[[], object]] = []
        """Work that waits until the Overview has drawn its figures and trend
        (`overview_settled`)."""
        self.first_look = False
        """The Overview shows figures from the current levels while the history still loads
        (`store.open_in_stages`); `self.repo` is None until it has."""
        self._after_history: Callable[[], object] | None = None
        """Where the person asked to go while the history loaded (the latest ask wins)."""
        self._analysis = None
        self._previous_analysis = None
        """The figures before the last change, until new ones are made from them."""
        self._analysis_lock = threading.Lock()
        self._lookups: dict[str, tuple[int, object]] = {}
        self._watch_interval = watch_interval
        self._limits = {"department": department, "read_only": read_only}
        for mode, (module, name) in MODE_SCREENS.items():
            self.add_mode(mode, self._mode_screen_factory(module, name))

    def _mode_screen_factory(self, module: str, name: str) -> Callable[[], Screen]:
        def make() -> Screen:
            screen = getattr(import_module(module), name)()
            # Textual re-parses every style and restyles the whole app when a mode's new screen
            # looks older than the app's styles (twice per first opening); the screen is styled
            # as it mounts anyway. Kept, though private (Textual 8.2.8 has no public way): first
            # opening each of the 9 screens of the demo costs 18 such restyles, 0.94 s CPU
            # (0.01-0.2 s each) without this line, none with it (measured 2026-12-05).
            screen._css_update_count = self._css_update_count
            return screen

        return make

    # ----------------------------------------------------------------- figures
    @property
    def analysis_cached(self) -> bool:
        """True when `analysis` is ready without computing (screens decide on a worker)."""
        return self._analysis is not None

    @property
    def analysis(self):
        """The figures from `reports.analysis` for the current data and as-of date (cached).

        Thread-safe, so a screen may compute it in a worker; the first caller pays for it.
        """
        with self._analysis_lock:
            return self._figures(only_update=False)

    def analysis_if_quick(self):
        """`analysis` when it is cached or an update of the previous figures (a save of
        assessments: milliseconds), so a screen may take it on the UI thread; else None (a
        whole analysis, or another thread computing: the screen uses a worker)."""
        if not self._analysis_lock.acquire(blocking=False):
            return None
        try:
            return self._figures(only_update=True)
        finally:
            self._analysis_lock.release()

    def _figures(self, only_update: bool):
        """The figures, computed when not cached (under the lock); None when `only_update`
        and they would have to be analysed anew."""
        if self._analysis is None:
            from reports.analysis import analyse

            version, previous, ds = self.data_version, self._previous_analysis, self.repo.ds
            updates = previous is not None and previous.as_of == self.as_of
            updates = updates and previous.updates_to(ds)
            if only_update and not (
                updates and len(ds.assessments) - len(previous.ds.assessments) <= QUICK_ROWS
            ):
                return None
            # after a save of assessments: the previous figures updated, not made anew
            analysis = previous.after_assessments(ds) if updates else analyse(ds, self.as_of)
            if version != self.data_version:
                return analysis  # the data changed meanwhile: do not cache stale figures
            self._analysis, self._previous_analysis = analysis, None
        return self._analysis

    def lookup(self, table: str):
        """The search index of a table for the pickers (`store.lookup`), built again only when
        that table changed: 50,000 staff are indexed once, not on every keystroke or form."""
        from store.lookup import lookup

        ds = self.repo.ds
        # Keyed on the table objects (and departments, whose names the entries show): a save
        # makes new copies of the tables it changes only, so recording an assessment keeps
        # the 50,000-staff index (~0.5 s to rebuild).
        source = (ds.table(table), ds.departments)
        cached = self._lookups.get(table)
        if cached is None or cached[0][0] is not source[0] or cached[0][1] is not source[1]:
            cached = (source, lookup(ds, table))
            self._lookups[table] = cached
        return cached[1]

    def data_changed(self) -> None:
        """Call after every write: drops cached figures and lets the current screen redraw."""
        previous, self._analysis = self._analysis, None  # no lock: a worker computing the old
        if previous is not None:  # figures must not block us
            self._previous_analysis = previous  # to update (`Analysis.after_assessments`)
        self.data_version += 1
        self.refresh_screens()

    # ----------------------------------------------------------------- start-up
    def get_default_screen(self) -> Screen:
        return LoadingScreen(target_name(self.db_path))

    def on_mount(self) -> None:
        self.sub_title = self._subtitle()
        if self.repo is None:
            self._open_repository()
        else:
            self._start()

    def _subtitle(self) -> str:
        """The folder's (or server database's) name only: never the whole path or URL, so
        snapshots stay the same everywhere and a password is never shown."""
        repo = self.repo
        scope = repo.scope if repo is not None else None
        parts = [target_name(self.db_path)]
        if scope is not None:
            parts.append(_("{department} and below").format(department=scope.root))
        if repo is not None and repo.read_only:
            parts.append(_("read-only"))
        parts.append(_("as of {date}").format(date=format_date(self.as_of)))
        if self.first_look and repo is None:
            parts.append(_("loading the history …"))
        return " · ".join(parts)

    @property
    def history_loaded(self) -> bool:
        """The whole database is open (not only the first look's current levels)."""
        return self.repo is not None

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_repository(self) -> None:
        """Open the database and compute the figures in one go, before the first screen.

        Doing both here, behind a still loading screen, keeps the UI thread idle: at 50,000
        staff that brings the Overview's figures about a second sooner than computing them
        behind an animated indicator on the Overview. When the store opens in two steps, the
        Overview shows the first step's figures while this worker reads the whole history,
        then the figures of the whole (the same numbers) with the trend.
        """
        from reports.analysis import analyse

        # Through both steps, no collection of all the new objects between: as a folder's open
        # (`benchmarks/bench_collector.py --only open first-open`: 0.04 s CPU at 50,000 staff
        # with the snapshot, 0.06 s without).
        with collector_paused():
            try:
                opening = open_in_stages(self.db_path, self.as_of, create=True, **self._limits)
                self.call_from_thread(self._show_progress, _("Computing the figures …"))
                analysis = analyse(opening.first, self.as_of)
                if not opening.whole:
                    drawn = threading.Event()
                    self.call_from_thread(self._show_first_look, analysis, drawn.set)
                    drawn.wait(FIRST_LOOK_DRAWN_S)  # reading now would slow the first frame
                    repo = opening.finish()
                    analysis = analyse(repo.ds, self.as_of)
                else:
                    repo = opening.finish()
            except StoreError as error:
                self._from_opener(self._open_failed, str(error))
                return
            # Later collections skip the data and figures (once: store.gcpause): each full
            # collection 0.17 s CPU shorter at 50,000 staff (`bench_collector.py --only app`).
            freeze_loaded()
            # Fewer full collections after (store.gcpause): at 50,000 staff, opening a person
            # 0.15-0.16 -> 0.07 s and a save 0.35-0.38 -> 0.24-0.29 s with the Reports screen
            # opened before (benchmarks/bench_instant.py's order; docs/performance.md).
            collect_less_often()
        self._from_opener(self._opened, repo, analysis)

    def _from_opener(self, callback: Callable, *args) -> None:
        """Run `callback` on the UI thread, unless the app quit while the database opened."""
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(callback, *args)

    def _show_first_look(self, analysis, drawn: Callable[[], object]) -> None:
        """The Overview with figures from the current levels, before the whole history;
        `drawn()` is called once they are on screen."""
        self._analysis = analysis
        self.first_look = True
        self.first_look_drawn = drawn
        self.sub_title = self._subtitle()
        self.switch_mode("overview")

    def defer_until_history(self, what: str, callback: Callable[[], object]) -> bool:
        """While only the first look is open: keep `callback` (going to `what`, a screen's title
        as marked, translated here) for when the history has loaded, say so, and return True;
        False once it has (go on at once)."""
        if self.history_loaded:
            return False
        self._after_history = callback
        message = _("Opening {screen} once the history has loaded …").format(screen=_(what))
        self.notify(message, timeout=4, markup=False)
        return True

    def switch_mode(self, mode: str) -> AwaitMount:
        """A screen other than the Overview waits for the whole history (`defer_until_history`)."""
        if self.first_look and not self.history_loaded and mode != "overview":
            title = next((t for m, _key, t in SCREENS_IN_ORDER if m == mode), mode)
            self.defer_until_history(title, lambda: self.switch_mode(mode))
            return AwaitMount(self.screen, [])
        switched = super().switch_mode(mode)
        if self._stale_screens:  # drawn before the language changed: drawn again now
            self.call_later(self._redraw_shown)
        return switched

    def _show_progress(self, message: str) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.show_progress(message)

    def _opened(self, repo: Repository, analysis=None) -> None:
        self.repo = repo
        if analysis is not None and self.data_version == 0:
            self._analysis = analysis
        self._start()
        if self.first_look:  # the Overview showed the first look: now the whole, and the trend
            self.first_look = False
            self.data_version += 1
            self.refresh_screens()
            then, self._after_history = self._after_history, None
            if then is not None:
                self.call_later(then)
        self._after_first_figures.append(self._backup_daily)
        self._after_first_figures.append(self._build_validators)
        self.set_timer(SETTLED_AT_LATEST_S, self.overview_settled)

    def overview_settled(self) -> None:
        """The Overview has drawn its figures and its trend (or will not compute the trend
        now: the person moved on): start what waited for that (the daily backup, and on a
        first start the new snapshot: ~0.05-0.3 s of CPU that competed with both)."""
        waiting, self._after_first_figures = self._after_first_figures, []
        for start in waiting:
            start()

    @work(thread=True, exclusive=True, group="validators", exit_on_error=False)
    def _build_validators(self) -> None:
        """While the first screen is read: the models' validators, built on first use
        otherwise (a first save would wait ~18 ms for its model's)."""
        build_validators()

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def _backup_daily(self) -> None:
        """After the first screen is up: at most one automatic backup a day (mostly I/O), and
        a new snapshot of the history when much of it had to be read from its JSON lines."""
        try:
            daily_backup(self.repo)
        except StoreError as error:
            self.call_from_thread(
                self.notify,
                str(error),
                title=_("Automatic backup failed"),
                severity="warning",
                markup=False,
            )
        self.repo.save_snapshot()  # the history's columns as they are: no work per row

    def _open_failed(self, message: str) -> None:
        """Show the store's message; quitting then exits with status 1 and repeats it on stderr."""
        self.open_problem = message
        if isinstance(self.screen, LoadingScreen):
            self.screen.show_problem(message)
        else:  # the first look is shown; the history could not be read
            self.notify(
                _("{problem}\nThe figures shown stay; press q to quit.").format(problem=message),
                title=_("Cannot read the history"),
                severity="error",
                timeout=3600,
                markup=False,
            )

    async def action_quit(self) -> None:
        if self.open_problem is not None:
            self.exit(return_code=1, message=Text(f"kapabel: {self.open_problem}"))
        else:
            self.exit()

    def _start(self) -> None:
        self.sub_title = self._subtitle()
        if self._watch_interval:
            self._watch_database()
        self.switch_mode("overview")
        if self.repo.read_only:  # after the switch, so the toast shows on the first screen
            why = (
                _("It was opened read-only: changes cannot be saved.")
                if self.repo.opened_read_only
                else _(
                    "This database can only be read here (a read-only file system, or a folder "
                    "you may not write to): changes cannot be saved."
                )
            )
            self.call_after_refresh(
                self.notify,
                why,
                title=_("Read-only"),
                severity="warning",
                timeout=10,
                markup=False,
            )

    @work(thread=True, exclusive=True, group="watch-db", exit_on_error=False)
    def _watch_database(self) -> None:
        """Show other programs' saves as soon as they are committed, until the app quits.

        The store wakes this thread when another program commits (PostgreSQL: LISTEN/NOTIFY,
        so the app has the change as fast as the server can tell it, well within 2 s; a
        folder: its files' signatures, looked at four times a second), and refreshes here,
        off the UI thread; the screens are then redrawn on the UI thread. The app's own saves
        wake nobody, or find nothing new (`Repository.refresh` is False), and a refresh waits
        its turn behind a save in progress. After an error (shown, never a traceback) it tries
        again a few seconds later, refreshing then whatever the wait says (the change that woke
        the failed refresh is still owed). The wait is cut into short slices so that quitting
        ends the thread promptly: the program never waits for it at exit.
        """
        worker = get_current_worker()
        repo = self.repo
        due = time.monotonic() + self._watch_interval
        owed = False  # a refresh failed: the change that woke it is still to be shown
        while not worker.is_cancelled:
            try:
                woken = repo.wait_for_change(WAIT_SLICE_S)
                if not (woken or owed or time.monotonic() >= due):
                    continue
                due = time.monotonic() + self._watch_interval
                changed = repo.refresh()
                owed = False
            except StoreError as error:
                owed = True
                self._from_watcher(worker, self._cannot_read, str(error))
                self._pause(worker, RETRY_AFTER_ERROR_S)
                continue
            if changed:
                self._from_watcher(worker, self._changed_elsewhere)

    def _from_watcher(self, worker: Worker, callback: Callable, *args) -> None:
        """Run `callback` on the UI thread, unless the app is quitting."""
        if not worker.is_cancelled:
            with contextlib.suppress(RuntimeError):  # the app stopped meanwhile
                self.call_from_thread(callback, *args)

    @staticmethod
    def _pause(worker: Worker, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not worker.is_cancelled and time.monotonic() < deadline:
            time.sleep(min(WAIT_SLICE_S, max(0.0, deadline - time.monotonic())))

    def _changed_elsewhere(self) -> None:
        self.data_changed()
        self.notify(_("The database was changed elsewhere: showing current data"))

    def _cannot_read(self, message: str) -> None:
        self.notify(message, title=_("Cannot read the database"), severity="error", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Screens and reloads wait until the database is open (a screen asked for while the
        Overview shows the first look is opened when the history is in: `switch_mode`); a
        screen that is not offered here (`mode_offered`) is not opened by its key."""
        if action == "switch_mode":
            if parameters and not self.mode_offered(str(parameters[0])):
                return False
            return self.repo is not None or self.first_look
        return self.repo is not None or action != "reload"

    @property
    def server_files_allowed(self) -> bool:
        """Whether the user may name files on the machine running the app: in a terminal, yes;
        in a browser (`kapabel serve`) never. A department lead there is not at that machine
        and may not read or write its files: imports are made by HR in a terminal, and a
        report is downloaded instead of saved."""
        return not self.is_web

    def mode_offered(self, mode: str) -> bool:
        """Whether a screen is offered (key, palette): not one that reads the server's files
        in a browser (SERVER_FILE_MODES)."""
        return self.server_files_allowed or mode not in SERVER_FILE_MODES

    # ----------------------------------------------------------------- navigation
    def open_department(
        self, code: str | None, tab: str | None = None, *, robots_at_risk: bool = False
    ) -> None:
        """Show one department (None: the whole organisation) on the Organisation screen,
        optionally on one of its tabs ("gaps", "heatmap", "robots"); `robots_at_risk` lists
        only the robots at key-person risk there."""
        self.selected_department = code
        self.selected_tab = tab
        self.robots_at_risk = robots_at_risk
        if self.current_mode == "organisation" and len(self.screen_stack) == 1:
            self.screen.apply_selection()  # already showing: no resume event will come
            return
        if self.current_mode != "organisation":
            self.switch_mode("organisation")
        while len(self.screen_stack) > 1:  # a person's page opened from the heatmap
            self.pop_screen()

    # ----------------------------------------------------------------- languages
    def format_title(self, title: str, sub_title: str):
        """The header's title in the current language: screens' and the app's titles are
        marked N_() where they are set and translated here, as they are shown."""
        return super().format_title(_(title), sub_title)

    def action_command_palette(self) -> None:
        """Textual's command palette, its search field in the current language."""

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                KapabelPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def _textual_commands(self, screen: Screen):
        """Textual's own commands (marked in tui/textual_texts.py), in the current language;
        its Keys panel is replaced by Kapabel's Help screen, which lists the keys translated."""
        from tui.textual_texts import PALETTE_TITLES

        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                command = SystemCommand(
                    N_("Keys"), _("The keys of this screen (also ? or F1)"), self.action_help
                )
            title = PALETTE_TITLES.get(command.title, command.title)
            yield command._replace(title=_(title), help=_(command.help))

    def get_system_commands(self, screen: Screen):
        yield from self._textual_commands(screen)
        if self.repo is None:
            return
        for mode, key, title in SCREENS_IN_ORDER:
            if not self.mode_offered(mode):
                continue
            shown = _(title)  # marked N_() in tui/screens
            yield SystemCommand(
                _("Go to {screen}").format(screen=shown),
                _("Open the {screen} screen (key {key})").format(screen=shown, key=key),
                self._switcher(mode),
            )
        yield SystemCommand(
            _("Go to Governance matrix"),
            _("Who gives input and who decides, per decision domain (Strategy, key g)"),
            self._open_governance,
        )
        for theme in sorted(self.repo.ds.themes.values(), key=lambda t: t.rank):
            yield SystemCommand(
                # palette titles are markup: the theme's title is the user's text
                escape(_("Open theme {code}: {title}").format(code=theme.code, title=theme.title)),
                _(
                    "Its end state, stakeholders, requirements and milestones "
                    "(Strategy, rank {rank})"
                ).format(rank=theme.rank),
                partial(self._open_theme, theme.code),
            )
        yield from self._screen_actions(screen)
        for code, names in LANGUAGE_COMMANDS:
            yield SystemCommand(
                _("Language: {language}").format(language=names),
                _("Show Kapabel in this language, now and the next time you open it"),
                partial(self.run_worker, partial(self.change_language, code), group="language"),
            )

    def _open_theme(self, code: str) -> None:
        from tui.screens.strategy import ThemeScreen

        if self.current_mode != "strategy":
            self.switch_mode("strategy")
        self.push_screen(ThemeScreen(code))

    def _open_governance(self) -> None:
        from tui.screens.strategy import GovernanceScreen

        if self.current_mode != "strategy":
            self.switch_mode("strategy")
        self.push_screen(GovernanceScreen())

    def _screen_actions(self, screen: Screen):
        """The current screen's actions: those it names in `PALETTE_ACTIONS` (title, action,
        help -- also actions without a key), then every other action it binds to a key."""
        app_actions = {b.action for b in self.BINDINGS if isinstance(b, Binding)}
        seen: set[str] = set()
        for title, action, help_text in getattr(screen, "PALETTE_ACTIONS", ()):
            seen.add(action)  # texts marked N_() where the screen names them
            yield SystemCommand(_(title), _(help_text), self._runner(screen, action))
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in app_actions:
                continue
            if binding.action in seen or binding.action == "command_palette":
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            where = _(getattr(screen, "TITLE", "") or N_("This screen"))
            yield SystemCommand(
                _(binding.description),  # marked N_() where bound
                _("{screen}: key {key}").format(screen=where, key=key),
                self._runner(active.node, binding.action),
            )

    _stale_screens: weakref.WeakSet[Screen] | None = None
    """Screens drawn in a language other than the current one (tui/language.py)."""

    async def change_language(self, code: str) -> None:
        """Speak `code` from now on, redrawing what is shown (tui/language.py); remembered for
        this user, except in a browser, where the person is not the machine's user."""
        from i18n import language, remember_language, set_language

        problem = None
        if not self.is_web:
            try:
                remember_language(code)
            except OSError as error:
                problem = error.strerror or str(error)
        if code != language():
            set_language(code)
            self._stale_screens = weakref.WeakSet(
                screen for mode in MODE_SCREENS for screen in self._stack_of(mode)
            )
            self.sub_title = self._subtitle()
            self.mutate_reactive(App.title)  # every header formats its title again
            await self._redraw_shown()
        if problem is not None:  # after the redraw: on the screen now shown
            self.call_after_refresh(
                self.notify,
                _("The language could not be remembered for next time: {problem}").format(
                    problem=problem
                ),
                severity="warning",
                markup=False,
            )

    def _stack_of(self, mode: str) -> list[Screen]:
        try:
            return self.get_screen_stack(mode)
        except KeyError:  # not opened yet
            return []

    async def _redraw_shown(self) -> None:
        """The screen shown, if it was drawn in another language: drawn again, fresh, where
        the user was on it (`tui.language.fresh_copy`); else only its keys are translated."""
        from tui.language import fresh_copy, keep_place, place_on
        from tui.widgets.footer import KeysFooter

        screen = self.screen
        if self._stale_screens is None or screen not in self._stale_screens:
            return
        self._stale_screens.discard(screen)
        base = self.current_mode in MODE_SCREENS and screen is self.screen_stack[0]
        fresh = fresh_copy(screen, self._modes_screen(self.current_mode) if base else None)
        if fresh is None:
            for footer in screen.query(KeysFooter):
                footer.language_changed()
            return
        place = place_on(screen)
        if base:
            await self._renew_mode_screen(fresh)
        else:
            await self.switch_screen(fresh)
        keep_place(fresh, place)

    def _modes_screen(self, mode: str) -> Callable[[], Screen]:
        return self._mode_screen_factory(*MODE_SCREENS[mode])

    async def _renew_mode_screen(self, fresh: Screen) -> None:
        """`fresh` in place of the current mode's only screen: Textual replaces a mode's
        screen only with the mode, which cannot be removed while it is current, so a blank
        screen stands in for a moment."""
        mode = self.current_mode
        self.add_mode(RENEWING_MODE, Screen)
        await super().switch_mode(RENEWING_MODE)
        await self.remove_mode(mode)
        first = iter([fresh])
        make = self._modes_screen(mode)
        self.add_mode(mode, lambda: next(first, None) or make())
        await super().switch_mode(mode)
        await self.remove_mode(RENEWING_MODE)

    def pop_screen(self) -> AwaitComplete:
        """The screen beneath is drawn again if the language changed while it was covered."""
        popped = super().pop_screen()
        if self._stale_screens:
            self.call_later(self._redraw_shown)
        return popped

    def _switcher(self, mode: str) -> Callable[[], object]:
        return lambda: self.switch_mode(mode)

    def _runner(self, node, action: str) -> Callable[[], object]:
        return lambda: self.run_action(action, node)

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_reload(self) -> None:
        """Pick up changes other people made to the database."""
        if self.repo.refresh():
            self.data_changed()
            self.notify(_("Reloaded changes made by others"))
        else:
            self.notify(_("No changes on disk"))

    def refresh_screens(self) -> None:
        """Tell the current screen the data changed (screens implement `reload_data`)."""
        reload = getattr(self.screen, "reload_data", None)
        if reload is not None:
            reload()


def run_app(
    repo: Repository | None = None,
    as_of: dt.date | None = None,
    *,
    db_path: Path | str | None = None,
    department: str | None = None,
    read_only: bool = False,
) -> int:
    """Run the app until it quits; the exit status (1 when the database could not be opened)."""
    if repo is not None:
        daily_backup(repo)  # at most one automatic backup a day
    app = KapabelApp(repo, as_of=as_of, db_path=db_path, department=department, read_only=read_only)
    app.run()
    return app.return_code or 0
