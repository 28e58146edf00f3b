"""`kapabel serve` in a real browser: headless Chromium (Debian's `chromium` package) driven by
Playwright, no browser download.

It starts `kapabel serve` on a free loopback port over a small demo database, waits for the
Overview, reads a demo figure from the app's own record of what it drew (Textual's SVG
screenshot, delivered to the browser as a download from the command palette: the terminal is
drawn on a canvas, so the page holds no text), keeps a screenshot of the page as a test
artefact, opens People and a person with keys, and downloads a report, which must be what
`kapabel report` writes. In CI (CI=true) it never skips; elsewhere it skips without chromium.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import re
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import i18n
from tests.e2e import ARTEFACTS, CHROMIUM

AS_OF = dt.date(2026, 11, 1)
STAFF = 120
WAIT_S = 30.0
"""How long the page may take to show what is expected (a loaded CI machine is slow)."""


@pytest.fixture
def browser_available() -> None:
    """Skip (one line) without chromium or Playwright; fail instead in CI (CI=true)."""
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (install Debian's chromium package; .ci/run does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright is not installed (pip install -e '.[test]')"
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser test cannot run in CI: {missing}")
    pytest.skip(f"no browser test: {missing}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def demo_db(browser_available, tmp_path: Path) -> Path:
    from tui.cli import main

    db = tmp_path / "demo"
    assert main(["demo", "--db", str(db), "--staff", str(STAFF), "--no-open"]) == 0
    return db


@contextlib.contextmanager
def serving(demo_db: Path, tmp_path: Path, *options: str):
    """`kapabel serve [options]` on a free loopback port: (its URL, the line it said on start)."""
    port = free_port()
    log = (tmp_path / f"serve-{port}.log").open("w+")
    command = [sys.executable, "-m", "tui.cli", "--as-of", AS_OF.isoformat(), "serve"]
    process = subprocess.Popen(
        [*command, "--db", str(demo_db), "--port", str(port), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    started = started_line(options[options.index("--lang") + 1] if "--lang" in options else "en")
    try:
        deadline = time.monotonic() + WAIT_S
        said = ""
        while started not in said:
            assert process.poll() is None, f"kapabel serve ended: {said}"
            assert time.monotonic() < deadline, f"kapabel serve did not start: {said}"
            time.sleep(0.1)
            log.seek(0)
            said = log.read()
        yield f"http://127.0.0.1:{port}", said.strip().splitlines()[0]
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def started_line(language: str) -> str:
    """How `kapabel serve` begins the line it says once it listens, in `language`."""
    with speaking(language):
        return i18n._("kapabel: serving on {where} ({reach}). Ctrl+C stops it.").split("{")[0]


@contextlib.contextmanager
def speaking(language: str):
    """Texts the test expects, in `language` (English again afterwards)."""
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.fixture
def server(demo_db: Path, tmp_path: Path):
    with serving(demo_db, tmp_path) as served:
        yield served


def svg_text(svg: str) -> str:
    """The characters of a Textual SVG screenshot, line by line (spaces as spaces)."""
    lines: dict[float, list[str]] = {}
    for y, content in re.findall(r'<text [^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        lines.setdefault(float(y), []).append(html.unescape(content).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items()))


def is_blank(png: bytes) -> bool:
    """Whether a PNG holds (next to) one colour: its filtered pixel bytes take few values."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    data, position = b"", 8
    while position < len(png):
        size = int.from_bytes(png[position : position + 4], "big")
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + size]
        position += 12 + size
    return len(set(zlib.decompress(data))) < 16


class Browser:
    """One browser session of the app: keys in, the app's screenshots and downloads out.

    textual-serve's page opens each delivered file's single-use URL in a new tab, where the
    browser downloads it; the files are taken from those responses as the browser gets them."""

    def __init__(self, page, screenshot_command: str = "Screenshot") -> None:
        self.page = page
        self.screenshot_command = screenshot_command
        """The palette's command that delivers the SVG screenshot, in the app's language."""
        self.downloads: list[tuple[str, bytes]] = []
        self.attachments: set[str] = set()
        """Files the browser was told to save (a report), not to show (a screenshot)."""
        page.context.route("**/download/*", self._downloaded)
        self.last_frame = time.monotonic()
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, _payload) -> None:
        self.last_frame = time.monotonic()

    def settle(self, quiet_s: float = 0.5, most_s: float = 15.0) -> None:
        """Wait until the app has drawn what the last key asked for: nothing came over the
        websocket for `quiet_s` since the key (at most `most_s`: an animation never stops
        drawing). Also keeps keys apart: an Escape and the next key sent together are read as
        one key (Escape then 6 as alt+6)."""
        start = time.monotonic()
        while time.monotonic() - max(self.last_frame, start) < quiet_s:
            if time.monotonic() - start > most_s:
                return
            self.page.wait_for_timeout(50)

    def _downloaded(self, route) -> None:
        response = route.fetch()
        disposition = response.headers.get("content-disposition", "")
        name = disposition.split("filename=", 1)[1].strip('"')
        if disposition.startswith("attachment;"):
            self.attachments.add(name)
        self.downloads.append((name, response.body()))
        route.fulfill(response=response)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.settle()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=20)
        self.settle()

    def download(self, *keys: str, wait_s: float = WAIT_S) -> tuple[str, bytes]:
        """Press `keys`, and return the download they start: (file name, content)."""
        before = len(self.downloads)
        for key in keys:
            self.page.keyboard.press(key)
        deadline = time.monotonic() + wait_s
        while len(self.downloads) == before:
            if time.monotonic() > deadline:
                self.page.screenshot(path=str(ARTEFACTS / "browser-failed.png"))
                raise AssertionError(f"nothing was downloaded after {keys} (browser-failed.png)")
            self.page.wait_for_timeout(100)
        return self.downloads[before]

    def screen(self, tries: int = 3) -> str:
        """What the app has drawn now, from its own SVG screenshot (palette: Screenshot).

        On a loaded machine the palette may open after the command's name was typed (the
        websocket was quiet only because the app had not got to the key yet): then nothing is
        downloaded, and the palette is closed and asked again."""
        for attempt in range(tries):
            self.settle()
            self.keys("Control+p")
            self.type(self.screenshot_command)
            try:
                name, content = self.download("Enter", wait_s=WAIT_S / tries)
                break
            except AssertionError:
                if attempt == tries - 1:
                    raise
                self.keys("Escape", "Escape")
        self.settle()
        assert name.endswith(".svg")
        return svg_text(content.decode("utf-8"))

    def wait_until(self, shows: Callable[[str], bool], what: str) -> str:
        """The screen once `shows(screen)` holds (fails after WAIT_S, saying `what`)."""
        deadline = time.monotonic() + WAIT_S
        while True:
            shown = self.screen()
            (ARTEFACTS / "browser-last-screen.txt").write_text(shown, encoding="utf-8")
            if shows(shown):
                return shown
            assert time.monotonic() < deadline, f"never shown: {what}\n{shown}"
            self.page.wait_for_timeout(500)

    def without_notifications(self) -> None:
        """Wait until the notifications of the screenshots taken so far have gone (Textual
        shows each for NOTIFICATION_TIMEOUT seconds), so that a picture shows the app alone."""
        from textual.app import App

        self.page.wait_for_timeout(App.NOTIFICATION_TIMEOUT * 1000 + 500)
        self.settle()

    def wait_for(self, *texts: str) -> str:
        """The screen once it shows every one of `texts` (fails after WAIT_S)."""
        deadline = time.monotonic() + WAIT_S
        while True:
            shown = self.screen()
            (ARTEFACTS / "browser-last-screen.txt").write_text(shown, encoding="utf-8")
            if all(text in shown for text in texts):
                return shown
            assert time.monotonic() < deadline, f"never shown: {texts}\n{shown}"
            self.page.wait_for_timeout(500)


@contextlib.contextmanager
def browsing(url: str, size: tuple[int, int] = (1400, 900), screenshot_command="Screenshot"):
    """Headless Chromium showing the app served at `url`, in a page of `size` pixels."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            width, height = size
            context = chromium.new_context(
                accept_downloads=True, viewport={"width": width, "height": height}
            )
            # Only the server is reached (its page asks for a web font elsewhere).
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(url) else route.abort()
                ),
            )
            page = context.new_page()
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_selector("body.-first-byte", timeout=WAIT_S * 1000)
            page.locator("#terminal").click()
            yield Browser(page, screenshot_command)
        finally:
            chromium.close()


def test_kapabel_serve_in_headless_chromium(server, demo_db: Path) -> None:
    from reports import build_report, render
    from reports.analysis import analyse
    from reports.overview import build_overview
    from store import open_store
    from tui.widgets.trend import format_pct

    url, said = server
    assert said.startswith(f"kapabel: serving on {url} (loopback only")
    ds = open_store(demo_db).ds
    readiness = format_pct(build_overview(analyse(ds, AS_OF)).readiness_pct)
    person = min((p for p in ds.staff.values() if p.active), key=lambda p: p.employee_no)
    gaps = render(build_report("gaps", ds, AS_OF), "text")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    with browsing(url) as app:
        page = app.page
        overview = app.wait_for("Overview", "Readiness, whole organisation", readiness)
        (ARTEFACTS / "browser-overview.svg").write_text(overview, encoding="utf-8")
        png = page.screenshot(path=str(ARTEFACTS / "browser-overview.png"))
        assert not is_blank(png)

        app.keys("3")  # People; typing filters; Enter to the list, Enter opens the person
        app.wait_for("People", "Showing 1–")
        app.type(person.employee_no)  # typed on the list: its first key starts the filter
        app.wait_for(f"Filter {person.employee_no}", "Showing 1–1 of 1 matching", person.name)
        app.keys("Enter", "Enter")
        app.wait_for("Person", person.name, "Required")

        app.keys("Escape")
        app.wait_for("People", "Showing 1–1 of 1 matching")
        app.keys("Escape", "6")  # Reports: the gaps report of the whole organisation
        app.wait_for("Reports", "Download", "kapabel-gaps-all-2026-11-01.txt")
        name, content = app.download("Control+s")
    assert name == "kapabel-gaps-all-2026-11-01.txt" and name in app.attachments
    assert content.decode("utf-8") == gaps  # what `kapabel report gaps` writes
    assert not list(Path.cwd().glob("kapabel-gaps-*"))  # nothing written on the server


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
"""The README's pictures of the app in Danish, made by the test below."""
REFRESH = "KAPABEL_REFRESH_SCREENSHOTS"
"""Set (to 1) to have the test below write its pictures to SCREENSHOTS too."""


def test_kapabel_serve_in_danish(demo_db: Path, tmp_path: Path) -> None:
    """`kapabel serve --lang da`: the Overview and People in Danish, each kept as a picture
    (test-artefacts/browser-*-da.png; with KAPABEL_REFRESH_SCREENSHOTS=1 also docs/screenshots/,
    the README's)."""
    from reports.analysis import analyse
    from reports.overview import build_overview
    from store import open_store
    from tests.tui.test_every_screen_in_danish import NOT_YET_DANISH, catalogue_english, english_on
    from tui.widgets.trend import format_pct

    ds = open_store(demo_db).ds
    active = [person.name for person in ds.staff.values() if person.active]
    with speaking("da"):
        overview, people = i18n._("Overview"), i18n._("People")
        screenshot = i18n._("Screenshot")
        readiness = i18n.format_percent(build_overview(analyse(ds, AS_OF)).readiness_pct)
    figures = {readiness}
    if "Overview" in NOT_YET_DANISH:  # its numbers may still be written the English way
        figures.add(format_pct(build_overview(analyse(ds, AS_OF)).readiness_pct))
    english = catalogue_english()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    pictures = {}
    with (
        serving(demo_db, tmp_path, "--lang", "da") as (url, _said),
        browsing(url, (1280, 800), screenshot) as app,
    ):
        shown = app.wait_until(
            lambda screen: overview in screen and any(figure in screen for figure in figures),
            f"{overview} with the readiness {' or '.join(figures)}",
        )
        if "Overview" not in NOT_YET_DANISH:
            assert not english_on(shown, english), english_on(shown, english)
        app.without_notifications()
        pictures["overview"] = app.page.screenshot()

        app.keys("3")
        shown = app.wait_until(
            lambda screen: people in screen and sum(name in screen for name in active) >= 10,
            f"{people} listing ten people",
        )
        if "People" not in NOT_YET_DANISH:
            assert not english_on(shown, english), english_on(shown, english)
        app.without_notifications()
        pictures["people"] = app.page.screenshot()
    for name, png in pictures.items():
        assert not is_blank(png), name
        (ARTEFACTS / f"browser-{name}-da.png").write_bytes(png)
        if os.environ.get(REFRESH):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            (SCREENSHOTS / f"{name}-da.png").write_bytes(png)
