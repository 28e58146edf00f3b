"""Benchmark the app's start-up and screen switches on 5,000- and 50,000-staff databases.

Each measurement runs in a fresh process (imports included), headless (`App.run_test`):
- first frame: the loading screen is on screen (the database opens in a worker behind it);
- Overview: its figures are on screen (database opened + analysis computed);
- People / Organisation: time from the key press until the screen is shown with its data and
  none of its workers is still running; pressed right after the Overview's figures appear (an
  impatient person);
- back: Overview trend: from pressing 1 until the Overview's 8-quarter readiness trend is on
  screen. The trend starts as soon as the Overview's figures are drawn, so it competes with
  the screens above for its ~0.1 s of work.

Databases live in bench-data/staff-N (shared with the other benchmarks), generated with the demo
generator when missing.

    .venv/bin/python benchmarks/bench_tui.py [--sizes 5000 50000] [--repeat 3] [--cold]

The app keeps a snapshot of the assessment history (cache/, saved after start-up) that makes
later starts faster; `--cold` deletes it before every run, as on the very first start.
The project's modules are compiled first, as `pip install` does for an installed app.

Targets (issue #5): 5,000 staff first Overview under 1.5 s and each screen under 0.5 s;
50,000 staff first Overview under 4 s and each screen under 1.5 s.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before any import: start-up cost counts

import argparse  # noqa: E402
import asyncio  # noqa: E402
import compileall  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {5000: (1.5, 0.5), 50000: (4.0, 1.5)}
TREND_TIMEOUT_S = 600.0
SIZE = (120, 40)


def database(staff: int) -> Path:
    """bench-data/staff-N, generated with the demo generator (seed 1) when missing."""
    path = ROOT / "bench-data" / f"staff-{staff}"
    if not (path / "meta.json").exists():
        from store.demo import generate
        from store.repository import FolderRepository

        print(f"generating {path} ...", flush=True)
        generate(FolderRepository.open(path, create=True, user="bench"), staff=staff, seed=1)
    return path


# --------------------------------------------------------------------------- one run (child)
POLL_S = 0.01
"""How often the benchmark looks, so figures are late by up to 10 ms. It only sleeps between
looks: `pilot.pause` forces the app to settle and redraw each time, which takes the GIL from the
workers and made the figures over a second slower than what a person sees."""


async def _wait(pilot, condition, timeout: float = 600.0) -> bool:
    """Run the app until `condition()`; False if it did not happen within `timeout` seconds."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(POLL_S)
    return True


async def _measure(path: Path) -> dict[str, float | None]:
    from store.demo import DEMO_AS_OF
    from tui.app import KapabelApp
    from tui.screens.loading import LoadingScreen

    app = KapabelApp(db_path=path, as_of=DEMO_AS_OF, watch_interval=None)
    result: dict[str, float | None] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _wait(pilot, lambda: isinstance(app.screen, LoadingScreen) or app.repo is not None)
        result["first frame"] = time.perf_counter() - STARTED
        await _wait(pilot, lambda: getattr(app.screen, "figures_shown", False))
        await pilot.pause()
        result["Overview with figures"] = time.perf_counter() - STARTED

        # Switch while the Overview's trend is still computing, as an impatient person would.
        for key, mode in (("3", "people"), ("2", "organisation")):
            started = time.perf_counter()
            await pilot.press(key)
            await _wait(
                pilot,
                lambda mode=mode: (
                    app.current_mode == mode
                    and not any(w.is_running and w.node is app.screen for w in app.workers)
                ),
            )
            await pilot.pause()
            result[f"open {mode.capitalize()}"] = time.perf_counter() - started

        # Back to the Overview: its trend starts once it stays on screen (it waits meanwhile).
        started = time.perf_counter()
        await pilot.press("1")
        done = await _wait(
            pilot, lambda: getattr(app.screen, "trend_shown", False), timeout=TREND_TIMEOUT_S
        )
        result["back: Overview trend"] = time.perf_counter() - started if done else None
    return result


def child(path: Path) -> None:
    print(json.dumps(asyncio.run(_measure(path))))


# --------------------------------------------------------------------------- driver
def run_once(path: Path, cold: bool) -> dict[str, float]:
    if cold:
        from store.snapshot import remove

        remove(path)
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        sys.exit(f"the measuring process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cold", action="store_true", help="start without the history snapshot every time"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    for package in ("store", "reports", "tui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    print(
        f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs; each figure: median (range) of --repeat fresh processes"
    )
    for staff in args.sizes:
        path = database(staff)
        runs = [run_once(path, args.cold) for _ in range(args.repeat)]
        first_target, screen_target = TARGETS.get(staff, (None, None))
        start = "without the history snapshot" if args.cold else "with the history snapshot"
        print(f"\n{staff:,} staff ({path.name}), {start}, median of {args.repeat} fresh processes:")
        for name in runs[0]:
            values = [r[name] for r in runs]
            if None in values:
                print(f"  {name:<24}not done within {TREND_TIMEOUT_S:.0f} s")
                continue
            median = statistics.median(values)
            target = None
            if name == "Overview with figures":
                target = first_target
            elif name.startswith("open "):
                target = screen_target
            verdict = "" if target is None else f"  (target < {target} s)"
            spread = f"{min(values):.2f}-{max(values):.2f}"
            print(f"  {name:<24}{median:7.2f} s  ({spread}){verdict}")


if __name__ == "__main__":
    main()
