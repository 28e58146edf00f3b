"""What pausing Python's cycle collector (`store/gcpause.py`) still buys, path by path.

    python benchmarks/bench_collector.py [--staff 50000] [--repeat 3] [--only CASE ...]

Issue 14 asks to remove the collector pauses the columnar design no longer needs and to keep
the ones that pay, each with its measured gain. Every case runs `--repeat` fresh processes as
shipped ("paused") and as many with `store.gcpause` unable to touch the collector ("running":
`gc.disable` and `gc.freeze` made no-ops in that module only), and prints the median CPU and
wall seconds of each, the machine's load average first. The cases are whole commands (a
pause's gain is what a person waits for less), run on scratch copies of bench-data:

- open: `report gaps --format json` with the snapshot present (the register, the columns,
  the analysis);
- first-open: the same with the snapshot deleted (the history parsed into rows);
- rows: `report ratings --format csv` (every row of the history made from the columns);
- text: `report gaps` as text (the text renderer);
- import: `import assessments` of the first 200,000 rows of the 1,000,000-row CSV;
- demo: `demo --staff 5000` (generating a municipality);
- app: the app's way of holding data: open, analyse, then one full collection, timed, with
  and without `freeze_loaded` (the pause a person would see when the collector runs later).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
CASES = ("open", "first-open", "rows", "text", "import", "demo", "app")


def _collector_left_alone() -> None:
    """`store.gcpause` as if it did not exist: the collector runs as Python's default."""
    import store.gcpause

    class Untouched:
        def __getattr__(self, name):
            import gc

            return getattr(gc, name)

        @staticmethod
        def disable() -> None:
            pass

        @staticmethod
        def freeze() -> None:
            pass

    store.gcpause.gc = Untouched()


def _scratch(staff: int, snapshot: bool) -> Path:
    copy = Path(tempfile.mkdtemp(prefix="kapabel-gc-")) / "db"
    shutil.copytree(DATA / f"staff-{staff}", copy)
    if not snapshot:
        for cached in (copy / "cache").glob("assessments.snapshot*"):
            cached.unlink()
    return copy


def _import_slice(rows: int) -> Path:
    source = DATA / "assessments-50000-1000000.csv"
    part = DATA / f"assessments-50000-{rows}.csv"
    if not part.exists():
        with source.open(encoding="utf-8") as whole, part.open("w", encoding="utf-8") as out:
            for number, line in enumerate(whole):
                if number > rows:
                    break
                out.write(line)
    return part


def _command(case: str, staff: int) -> tuple[list[str], Path | None]:
    """The CLI arguments of a case, and the scratch folder to remove after it."""
    if case in ("open", "first-open", "rows", "text"):
        db = _scratch(staff, snapshot=case != "first-open")
        kind = {"rows": ["ratings", "--format", "csv"], "text": ["gaps"]}.get(
            case, ["gaps", "--format", "json"]
        )
        return ["report", *kind, "--db", str(db)], db.parent
    if case == "import":
        db = Path(tempfile.mkdtemp(prefix="kapabel-gc-")) / "db"
        shutil.copytree(DATA / "import-base-50000", db)
        return ["import", "assessments", str(_import_slice(200_000)), "--db", str(db)], db.parent
    db = Path(tempfile.mkdtemp(prefix="kapabel-gc-")) / "db"
    return ["demo", "--staff", "5000", "--db", str(db), "--no-open"], db.parent


def child(case: str, mode: str, staff: int) -> None:
    """One measurement in this fresh process; prints `cpu wall` seconds."""
    sys.path.insert(0, str(ROOT))
    if mode == "running":
        _collector_left_alone()
    if case == "app":
        _app_collection(staff, freeze=mode == "paused")
        return
    arguments, scratch = _command(case, staff)
    from tui.cli import main

    out = sys.stdout
    with open(os.devnull, "w") as nowhere:
        sys.stdout = nowhere
        start, cpu = time.perf_counter(), time.process_time()
        try:
            code = main(arguments)
        finally:
            sys.stdout = out
    print(f"{time.process_time() - cpu:.3f} {time.perf_counter() - start:.3f}")
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    if code:
        sys.exit(f"{case}: exit {code}")


def _app_collection(staff: int, freeze: bool) -> None:
    """The full collection after the app has loaded: what `freeze_loaded` saves each time."""
    import datetime as dt
    import gc

    from reports.analysis import analyse
    from store.gcpause import collector_paused, freeze_loaded
    from store.opening import open_store

    db = _scratch(staff, snapshot=True)
    with collector_paused():
        repo = open_store(db)
        data = repo.ds
        analyse(data, dt.date.today()).department_figures(None)  # what the Overview shows
        _ = list(data.assessments)  # a report over ratings makes every row
    if freeze:
        freeze_loaded()
    start, cpu = time.perf_counter(), time.process_time()
    gc.collect()
    print(f"{time.process_time() - cpu:.3f} {time.perf_counter() - start:.3f}")
    shutil.rmtree(db.parent, ignore_errors=True)


def measure(case: str, mode: str, staff: int) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, __file__, "--child", case, mode, "--staff", str(staff)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    cpu, wall = done.stdout.split()[-2:]
    return float(cpu), float(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--child", nargs=2, metavar=("CASE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, staff=args.staff)
        return
    print(f"load average {os.getloadavg()[0]:.2f}; {args.staff:,} staff; median of {args.repeat}")
    print(f"{'case':<11} {'paused cpu':>11} {'wall':>7} {'running cpu':>12} {'wall':>7}  gain")
    for case in args.only:
        figures = {}
        for mode in ("paused", "running"):
            runs = [measure(case, mode, args.staff) for _ in range(args.repeat)]
            figures[mode] = (
                statistics.median(cpu for cpu, _ in runs),
                statistics.median(wall for _, wall in runs),
            )
        (pcpu, pwall), (rcpu, rwall) = figures["paused"], figures["running"]
        print(
            f"{case:<11} {pcpu:>10.2f}s {pwall:>6.2f}s {rcpu:>11.2f}s {rwall:>6.2f}s"
            f"  {rwall - pwall:+.2f} s wall"
        )


if __name__ == "__main__":
    main()
