"""How fast the store is on the demo municipality at 5,000 and 50,000 staff.

    python benchmarks/bench_store.py [--sizes 5000 50000] [--regenerate] [--repeat 20]

Generates the databases into bench-data/ (gitignored; reused when present unless --regenerate)
and prints, per size: the time to generate, to open (register + history), to derive everyone's
current levels, and the median time of one save of each kind (record one assessment, edit one
person, edit one department). Saves run on a scratch copy, so the reused database stays as
generated. Targets (issue #2): a save under 50 ms at 50,000 staff; open under 3 s at 50,000
and under 0.5 s at 5,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.dataset import Dataset  # noqa: E402
from store.demo import DEMO_AS_OF, generate  # noqa: E402
from store.models import SOURCE_PRECEDENCE, Assessment  # noqa: E402
from store.repository import FolderRepository  # noqa: E402


def current_levels(ds: Dataset, as_of: dt.date) -> dict[tuple[str, str], int]:
    """Latest valid assessment per (staff, competency) on or before `as_of` (DESIGN.md).

    A stand-in until `reports` provides the real function: one pass over the history.
    """
    best: dict[tuple[str, str], tuple] = {}
    precedence = SOURCE_PRECEDENCE
    for row in ds.assessments:
        if row.date > as_of or (row.valid_until is not None and row.valid_until < as_of):
            continue
        key = (row.staff, row.competency)
        rank = (row.date, precedence[row.source], row.seq)
        held = best.get(key)
        if held is None or rank > held[0]:
            best[key] = (rank, row.level)
    return {key: level for key, (_, level) in best.items()}


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median_of(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:7.1f} ms (max {max(times) * 1000:.1f})"


def ensure_database(path: Path, staff: int, regenerate: bool) -> str:
    if path.exists() and not regenerate:
        return "reused (use --regenerate to time it)"
    if path.exists():
        shutil.rmtree(path)
    repo = FolderRepository.open(path, create=True, user="bench")
    seconds, counts = timed(lambda: generate(repo, staff=staff, seed=1))
    return f"{seconds:6.2f} s ({counts['assessments']:,} assessments)"


def bench_saves(path: Path, repeat: int) -> dict[str, list[float]]:
    scratch = path.with_name(path.name + "-scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(path, scratch)
    try:
        repo = FolderRepository.open(scratch, user="bench")
        people = sorted(repo.ds.staff)[:repeat]
        departments = sorted(repo.ds.departments)[:repeat]
        times: dict[str, list[float]] = {"assessment": [], "person": [], "department": []}
        for i in range(repeat):
            person = repo.ds.staff[people[i % len(people)]]
            department = repo.ds.departments[departments[i % len(departments)]]
            record = Assessment(
                staff=person.employee_no,
                competency="DC1.1",
                level=1 + i % 8,
                date=DEMO_AS_OF + dt.timedelta(days=i),
                source="manager",
            )
            times["assessment"].append(timed(lambda r=record: repo.record(r))[0])
            edited = person.model_copy(update={"email": f"bench{i}@example.dk"})
            times["person"].append(timed(lambda e=edited: repo.put(e))[0])
            renamed = department.model_copy(update={"name": f"{department.name} ({i})"})
            times["department"].append(timed(lambda d=renamed: repo.put(d))[0])
        return times
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def bench_size(data: Path, staff: int, regenerate: bool, repeat: int) -> None:
    path = data / f"demo-{staff}"
    print(f"\n{staff:,} staff  ({path})")
    print(f"  generate           {ensure_database(path, staff, regenerate)}")
    opens = []
    repo = None
    for _ in range(3):
        seconds, repo = timed(lambda: FolderRepository.open(path, user="bench"))
        opens.append(seconds)
    ds = repo.ds
    print(
        f"  open               {statistics.median(opens):6.2f} s (median of 3; "
        f"{len(ds.staff):,} staff, {len(ds.assessments):,} assessments, "
        f"{len(ds.departments)} departments, {len(ds.robots)} robots)"
    )
    seconds, levels = timed(lambda: current_levels(ds, DEMO_AS_OF))
    print(f"  current levels     {seconds:6.2f} s ({len(levels):,} staff x competency)")
    for kind, times in bench_saves(path, repeat).items():
        print(f"  save: {kind:<12} {median_of(times)}  median of {repeat}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--regenerate", action="store_true", help="generate even if present")
    parser.add_argument("--repeat", type=int, default=20, help="saves of each kind (default 20)")
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    args = parser.parse_args(argv)
    args.data.mkdir(exist_ok=True)
    for staff in args.sizes:
        bench_size(args.data, staff, args.regenerate, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
