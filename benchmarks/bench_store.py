"""How fast the store is on the demo municipality at 5,000 and 50,000 staff.

    python benchmarks/bench_store.py [--sizes 5000 50000] [--regenerate] [--repeat 20]

Generates the databases into bench-data/ (gitignored; reused when present unless --regenerate)
and prints, per size: the time to generate, to open (register + history), to derive everyone's
current levels (`reports.analysis.current_index`), and the median time of one save of each kind (record one assessment, edit one
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

from reports.analysis import current_index  # noqa: E402
from store.demo import DEMO_AS_OF, generate  # noqa: E402
from store.models import Assessment  # noqa: E402
from store.repository import FolderRepository  # noqa: E402

CPU_TIMES: list[float] = []
"""CPU seconds of each `timed` call: on a shared, busy machine wall time mostly measures the
neighbours, CPU time what this code costs (a save's fsyncs show only in wall time)."""


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    CPU_TIMES.append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def median_of(times: list[float], cpu: list[float]) -> str:
    return (
        f"{statistics.median(times) * 1000:7.1f} ms (max {max(times) * 1000:.1f}; "
        f"cpu {statistics.median(cpu) * 1000:.1f} ms)"
    )


def ensure_database(path: Path, staff: int, regenerate: bool) -> str:
    if path.exists() and not regenerate:
        return "reused (use --regenerate to time it)"
    if path.exists():
        shutil.rmtree(path)
    repo = FolderRepository.open(path, create=True, user="bench")
    seconds, counts = timed(lambda: generate(repo, staff=staff, seed=1))
    return f"{seconds:6.2f} s (cpu {CPU_TIMES[-1]:.2f} s; {counts['assessments']:,} assessments)"


def bench_saves(path: Path, repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    scratch = path.with_name(path.name + "-scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(path, scratch)
    try:
        repo = FolderRepository.open(scratch, user="bench")
        people = sorted(repo.ds.staff)[:repeat]
        departments = sorted(repo.ds.departments)[:repeat]
        times: dict[str, list[float]] = {"assessment": [], "person": [], "department": []}
        cpu: dict[str, list[float]] = {kind: [] for kind in times}
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
            edited = person.model_copy(update={"email": f"bench{i}@example.dk"})
            renamed = department.model_copy(update={"name": f"{department.name} ({i})"})
            for kind, save in (
                ("assessment", lambda r=record: repo.record(r)),
                ("person", lambda e=edited: repo.put(e)),
                ("department", lambda d=renamed: repo.put(d)),
            ):
                times[kind].append(timed(save)[0])
                cpu[kind].append(CPU_TIMES[-1])
        return {kind: (times[kind], cpu[kind]) for kind in times}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def bench_size(data: Path, staff: int, regenerate: bool, repeat: int) -> None:
    path = data / f"staff-{staff}"
    print(f"\n{staff:,} staff  ({path})")
    print(f"  generate           {ensure_database(path, staff, regenerate)}")
    opens, cpu = [], []
    repo = None
    for _ in range(3):
        repo = None  # let the previous copy go first
        seconds, repo = timed(lambda: FolderRepository.open(path, user="bench"))
        opens.append(seconds)
        cpu.append(CPU_TIMES[-1])
    ds = repo.ds
    print(
        f"  open               {statistics.median(opens):6.2f} s (cpu "
        f"{statistics.median(cpu):.2f} s; median of 3; "
        f"{len(ds.staff):,} staff, {len(ds.assessments):,} assessments, "
        f"{len(ds.departments)} departments, {len(ds.robots)} robots)"
    )
    seconds, index = timed(lambda: current_index(ds.assessments, DEMO_AS_OF))
    pairs = sum(len(levels) for levels in index.values())
    print(
        f"  current levels     {seconds:6.2f} s (cpu {CPU_TIMES[-1]:.2f} s; "
        f"reports.analysis.current_index, {pairs:,} staff x competency)"
    )
    for kind, (times, cpu_times) in bench_saves(path, repeat).items():
        print(f"  save: {kind:<12} {median_of(times, cpu_times)}  median of {repeat}")


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
