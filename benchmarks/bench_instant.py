"""Every row of issue 14's table ("instant at 50,000 staff"), each next to its target.

    .venv/bin/python benchmarks/bench_instant.py [--staff 50000] [--repeat 3] [--only ROW ...]

Prints the machine's load average first (the machines are shared: read every figure against
it), then per row the median and range of --repeat fresh processes. ROW is a row's short name
(`--only start trend` runs those two; `--list` names them):

- start, first-start: from launching a fresh process on a copy of bench-data/staff-N until the
  Overview has drawn its figures (`OverviewScreen.figures_drawn_at`), with the history snapshot
  present, and without it (deleted, as on the very first start);
- trend: from the figures until the Overview's 8-quarter trend is on screen (nothing pressed);
- organisation: key 2 right after the trend, until the Organisation is shown with its data and
  none of its workers is still running;
- reports: key 6, until the Reports screen shows the gaps report for the whole organisation;
- person: on People (key 3), opening the first employee's page as Enter does
  (`PeopleScreen.open_person`), until the page shows the person's figures;
- save: on that page, `a`, a level, Ctrl+S: from Ctrl+S until the page shows the new level and
  the app's figures (what the Overview shows) are up to date again;
- json: `kapabel report gaps --format json` at N staff, the whole process, and its ratio to
  `benchmarks/gaps_from_csv.py`, a plain-dict Python script computing the same gaps from the
  CSV exports (`kapabel export`, made once into bench-data/exports-N); the issue's target is
  a ratio;
- json-issue: the json row against the issue's own yardstick. The issue measured "2.7 s = 0.37x"
  a plain script that is not in the repository: the code of that day (ISSUE_COMMIT, taken
  from git into bench-data/issue-code once) runs the same command on a copy of the database
  with its own snapshot, alternating with today's; the issue's script took 1/0.37 of that
  code's time on its machine, so today's figure as a part of it is 0.37 x ours / that code's;
- text-5000: `kapabel report gaps` (text) at 5,000 staff, the whole process, whatever --staff;
- import: `kapabel import assessments` of 20 x N rows (1,000,000 at 50,000 staff; the CSV of
  benchmarks/bench_import.py) into a copy of a database holding its departments and staff.

The app rows run in one fresh process per repeat (start, trend, organisation, reports, person,
save, in that order, as a person would go), on a scratch copy of the database so that the save
leaves bench-data as generated. Databases are generated when missing (50,000 staff: minutes).
"""

from __future__ import annotations

import time

LAUNCHED = time.time()  # a child is told when its parent launched it (--launched)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import compileall  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

ROWS: dict[str, tuple[str, str]] = {
    "start": ("app start -> Overview with figures, snapshot present", "<= 1.0 s"),
    "first-start": ("the same, first start (no snapshot)", "<= 1.5 s"),
    "trend": ("Overview's 8-quarter trend, after the figures", "<= 0.5 s"),
    "save": ("save an assessment -> person's gaps and the Overview updated", "<= 0.3 s"),
    "person": ("open a person", "<= 0.2 s"),
    "organisation": ("Organisation, first open", "<= 0.5 s"),
    "reports": ("gaps report, whole organisation, in the Reports screen", "<= 1.0 s"),
    "json": ("`kapabel report gaps --format json` (whole process)", "<= 0.15x the script"),
    "json-issue": ("the same, against the script the issue measured with", "<= 0.15x"),
    "text-5000": ("`kapabel report gaps` at 5,000 staff (whole process)", "<= 0.3 s"),
    "import": ("`kapabel import assessments` of {rows:,} rows", "<= 15 s at 1,000,000"),
}
"""Short name -> (the issue's words, its target), in the issue's order."""
APP_ROWS = ("start", "trend", "organisation", "reports", "person", "save")
"""Measured in one app process, in this order; first-start is `start` without the snapshot."""
SIZE = (120, 40)


# --------------------------------------------------------------------------- data
def database(staff: int) -> Path:
    from bench_tui import database as generated

    return generated(staff)


def scratch_copy(path: Path, with_snapshot: bool) -> Path:
    """A copy of the database to run on (a save must not change bench-data)."""
    from store import snapshot

    target = Path(tempfile.mkdtemp(prefix="kapabel-bench-")) / path.name
    shutil.copytree(path, target, ignore=shutil.ignore_patterns("backups", ".lock"))
    if not with_snapshot:
        snapshot.remove(target)
    return target


def ensure_caches(path: Path) -> None:
    """The derived caches as the app leaves them after a start, made or brought up to date once,
    untimed: the history snapshot, and the record of register tables known valid (a record of
    another format, or none, would have every measured start validate every table)."""
    from store import snapshot
    from store.repository import FolderRepository

    repo = FolderRepository.open(path)
    if not snapshot.snapshot_path(path).exists():
        repo.save_snapshot()


def exports(path: Path, staff: int) -> Path:
    """The CSV exports the plain script reads (`kapabel export`, made once)."""
    folder = ROOT / "bench-data" / f"exports-{staff}"
    folder.mkdir(exist_ok=True)
    for kind in ("departments", "staff", "requirements", "assessments", "training"):
        target = folder / f"{kind}.csv"
        if not target.exists():
            kapabel("export", kind, "--db", str(path), "--output", str(target))
    return folder


def kapabel(*args: str, stdout=subprocess.DEVNULL) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], check=True, cwd=ROOT, env=env, stdout=stdout
    )


# --------------------------------------------------------------------------- app (child)
POLL_S = 0.01


async def _wait(condition, timeout: float = 600.0) -> None:
    """Sleep between looks (a pilot.pause would force redraws and slow the workers)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("not done within {timeout:.0f} s")
        await asyncio.sleep(POLL_S)


def _screen_idle(app, mode: str) -> bool:
    return app.current_mode == mode and not any(
        w.is_running and w.node is app.screen for w in app.workers
    )


async def _measure_app(path: Path, launched: float) -> dict[str, float]:
    from store.demo import DEMO_AS_OF
    from tui.app import KapabelApp
    from tui.forms.assessment import AssessmentForm
    from tui.screens.person import PersonScreen

    app = KapabelApp(db_path=path, as_of=DEMO_AS_OF, watch_interval=None)
    result: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _wait(lambda: getattr(app.screen, "figures_drawn_at", None) is not None)
        overview = app.screen
        drawn = overview.figures_drawn_at  # perf_counter; this process began at LAUNCHED
        result["start"] = time.time() - (time.perf_counter() - drawn) - launched

        await _wait(lambda: overview.trend_shown)
        result["trend"] = time.perf_counter() - drawn

        for key, mode in (("2", "organisation"), ("6", "reports")):
            started = time.perf_counter()
            await pilot.press(key)
            if mode == "reports":
                await _wait(lambda: getattr(app.screen, "_rendered_for", None) is not None)
            else:
                await _wait(lambda mode=mode: _screen_idle(app, mode))
            result[mode] = time.perf_counter() - started

        await pilot.press("3")
        await _wait(lambda: _screen_idle(app, "people"))
        await pilot.pause()
        employee_no = min(app.repo.ds.staff)
        started = time.perf_counter()
        app.screen.open_person(employee_no)
        await _wait(lambda: isinstance(app.screen, PersonScreen) and app.screen.shown is not None)
        result["person"] = time.perf_counter() - started

        page = app.screen
        await pilot.pause()
        competency = page.selected_competency()
        before = page.rows[competency].current
        level = (before or 0) % 8 + 1
        await pilot.press("a")
        await _wait(lambda: isinstance(app.screen, AssessmentForm))
        await pilot.pause()
        await pilot.press("tab", str(level))
        started = time.perf_counter()
        await pilot.press("ctrl+s")
        await _wait(
            lambda: (
                app.screen is page
                and page.rows[competency].current == level
                and app.analysis_cached
            )
        )
        result["save"] = time.perf_counter() - started
    return result


def child(path: Path, launched: float) -> None:
    # The entry a person launches (`kapabel`), with what it sets up before the app starts
    # (OPENBLAS_NUM_THREADS, before numpy: ~0.08 s CPU less at start), and what it begins
    # before it imports the app (a first start's history read: tui.cli._open_app).
    import tui.cli  # noqa: F401
    from store import begin_reading

    begin_reading(path)
    print(json.dumps(asyncio.run(_measure_app(path, launched))))


def app_run(path: Path, with_snapshot: bool) -> dict[str, float]:
    """One fresh app process on a scratch copy; its figures."""
    copy = scratch_copy(path, with_snapshot)
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(copy), "--launched", repr(time.time())],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
    if done.returncode != 0:
        sys.exit(f"the measuring process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- commands
def process_seconds(args: list[str], code: Path = ROOT) -> float:
    """Wall seconds of one whole process (start-up included), its output thrown away;
    `code`: the source tree that runs it (default: this one)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    subprocess.run(args, check=True, cwd=code, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def report_gaps_args(path: Path, fmt: str) -> list[str]:
    from store.demo import DEMO_AS_OF

    return [sys.executable, "-m", "tui.cli", "report", "gaps", "--db", str(path),
            "--as-of", DEMO_AS_OF.isoformat(), "--format", fmt]  # fmt: skip


def script_args(folder: Path) -> list[str]:
    from store.demo import DEMO_AS_OF

    return [sys.executable, str(HERE / "gaps_from_csv.py"), str(folder), DEMO_AS_OF.isoformat()]


def same_gaps(path: Path, folder: Path) -> str:
    """Check that the script finds the gaps kapabel reports (the comparison is only fair then)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ours = json.loads(
        subprocess.run(
            report_gaps_args(path, "json"), check=True, cwd=ROOT, env=env, capture_output=True
        ).stdout  # fmt: skip
    )
    plain = json.loads(subprocess.run(script_args(folder), check=True, capture_output=True).stdout)
    mine = sorted(
        (g["employee_no"], g["competency"], g["required"], g["current"], g["gap"],
         g["training_planned"]) for g in ours["staff"]
    )  # fmt: skip
    theirs = sorted(tuple(g) for g in plain["gaps"])
    if mine != theirs or ours["pairs_required"] != plain["pairs_required"]:
        sys.exit(f"the plain script's gaps differ from kapabel's: {len(theirs)} vs {len(mine)}")
    return f"{len(mine):,} gap rows, the same in both"


ISSUE_COMMIT = "3fa3822"
"""main when issue 14 was filed: its `report gaps --format json` took the issue's 2.7 s."""
ISSUE_RATIO = 0.37
"""That figure as a part of the issue's plain script's time (the issue's "2.7 s = 0.37x")."""


def issue_code(path: Path, staff: int) -> tuple[Path, Path] | None:
    """ISSUE_COMMIT's code (`git archive`, made once) and a copy of the database opened and
    given a snapshot by that code; None where git cannot give it (a shallow clone)."""
    code = ROOT / "bench-data" / "issue-code"
    if not (code / "tui" / "cli.py").exists():
        archive = subprocess.run(
            ["git", "archive", ISSUE_COMMIT], cwd=ROOT, capture_output=True, check=False
        )
        if archive.returncode != 0:
            return None
        code.mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    copy = ROOT / "bench-data" / f"issue-db-{staff}"
    if not (copy / "cache").exists():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(path, copy, ignore=shutil.ignore_patterns("backups", ".lock", "cache"))
        snapshot = "from store.repository import FolderRepository as R; import sys; "
        snapshot += "R.open(sys.argv[1]).save_snapshot()"
        env = {**os.environ, "PYTHONPATH": str(code)}
        subprocess.run([sys.executable, "-c", snapshot, str(copy)], env=env, cwd=code, check=True)
    return code, copy


def import_base(staff: int, rows: int) -> tuple[Path, Path]:
    """A database holding the departments and staff of bench_import's CSV files, and the
    assessments file (both made once)."""
    from bench_import import write_files

    files = write_files(staff, rows)
    base = ROOT / "bench-data" / f"import-base-{staff}"
    if not (base / "meta.json").exists():
        shutil.rmtree(base, ignore_errors=True)
        for kind in ("departments", "staff"):
            kapabel("import", kind, str(files[kind]), "--db", str(base))
    return base, files["assessments"]


def import_seconds(base: Path, csv: Path) -> float:
    copy = Path(tempfile.mkdtemp(prefix="kapabel-bench-")) / "db"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns("backups", ".lock"))
    try:
        return process_seconds(
            [sys.executable, "-m", "tui.cli", "import", "assessments", str(csv), "--db", str(copy)]
        )
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


# --------------------------------------------------------------------------- driver
def shown(values: list[float], unit: str = "s") -> str:
    spread = f"{min(values):.2f}-{max(values):.2f}"
    return f"{statistics.median(values):7.2f} {unit} ({spread})"


def line(row: str, figure: str, note: str = "", **words: object) -> None:
    label, target = ROWS[row]
    print(f"  {label.format(**words):<64}{figure:<24} target {target}{note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--only", nargs="+", choices=ROWS, metavar="ROW", help="rows to run")
    parser.add_argument("--list", action="store_true", help="name the rows and stop")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.launched)
        return
    if args.list:
        for name, (label, target) in ROWS.items():
            print(f"{name:<14}{label}  (target {target})")
        return
    wanted = set(args.only or ROWS)
    load = os.getloadavg()
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs; "
        f"Python {sys.version.split()[0]}; each figure: median (range) of {args.repeat} fresh "
        f"processes; {args.staff:,} staff (bench-data/staff-{args.staff})",
        flush=True,
    )
    for package in ("store", "reports", "tui", "i18n"):  # as `pip install` compiles them
        compileall.compile_dir(ROOT / package, quiet=1)
    path = database(args.staff)
    repeat = range(args.repeat)
    if wanted & {*APP_ROWS, "first-start"}:
        ensure_caches(path)

    if wanted & set(APP_ROWS):
        runs = [app_run(path, with_snapshot=True) for _ in repeat]
        for row in ("start", "trend", "save", "person", "organisation", "reports"):
            if row in wanted:
                line(row, shown([run[row] for run in runs]))
    if "first-start" in wanted:
        line("first-start", shown([app_run(path, with_snapshot=False)["start"] for _ in repeat]))
    if "json" in wanted:
        folder = exports(path, args.staff)
        checked = same_gaps(path, folder)
        ours, plain = [], []
        for _ in repeat:  # alternating, so that both see the same load
            ours.append(process_seconds(report_gaps_args(path, "json")))
            plain.append(process_seconds(script_args(folder)))
        ratio = statistics.median(ours) / statistics.median(plain)
        line("json", shown(ours), f"; = {ratio:.2f}x the script's {shown(plain).strip()}")
        print(f"  {'':<64}({checked})")
    if "json-issue" in wanted:
        found = issue_code(path, args.staff)
        if found is None:
            print(f"  json-issue: git cannot give {ISSUE_COMMIT} here (a shallow clone?)")
        else:
            code, copy = found
            ours, then = [], []
            for _ in repeat:  # alternating, so that both see the same load
                ours.append(process_seconds(report_gaps_args(path, "json")))
                then.append(process_seconds(report_gaps_args(copy, "json"), code))
            part = ISSUE_RATIO * statistics.median(ours) / statistics.median(then)
            line(
                "json-issue", shown(ours),
                f"; = {part:.2f}x (the code of {ISSUE_COMMIT}: {shown(then).strip()} here, "
                f"{ISSUE_RATIO}x the script there)",
            )  # fmt: skip
    if "text-5000" in wanted:
        small = database(5000)
        ensure_caches(small)
        line("text-5000", shown([process_seconds(report_gaps_args(small, "text")) for _ in repeat]))
    if "import" in wanted:
        rows = 20 * args.staff
        base, csv = import_base(args.staff, rows)
        line("import", shown([import_seconds(base, csv) for _ in repeat]), rows=rows)


if __name__ == "__main__":
    main()
