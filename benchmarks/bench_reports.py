"""Benchmark the reports on generated 5,000- and 50,000-staff databases (3 years of history).

Prints, per size: load, analysis + gaps + heatmap (whole organisation), text rendering of each,
and the whole `kapabel report gaps --format json` command in a fresh process. Databases live in
bench-data/staff-N (shared with benchmarks/bench_store.py) and are generated when missing.

    .venv/bin/python benchmarks/bench_reports.py [--sizes 5000 50000] [--repeat 3] [--profile]

Targets (issue #3): at 50,000 staff gaps + heatmap under 1 s after load, load under 3 s, text
rendering under 2 s; at 5,000 staff the whole command under 0.5 s.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports import render  # noqa: E402
from reports.analysis import analyse  # noqa: E402
from reports.gaps import build_gaps  # noqa: E402
from reports.heatmap import build_heatmap  # noqa: E402
from store.repository import FolderRepository  # noqa: E402


class Figure(NamedTuple):
    wall: float
    cpu: float

    def __add__(self, other: Figure) -> Figure:  # type: ignore[override]
        return Figure(self.wall + other.wall, self.cpu + other.cpu)


def database(staff: int) -> Path:
    """bench-data/staff-N, generated with the demo generator (seed 1) when missing."""
    path = ROOT / "bench-data" / f"staff-{staff}"
    if not (path / "meta.json").exists():
        from store.demo import generate

        print(f"generating {path} ...", flush=True)
        started = time.perf_counter()
        generate(FolderRepository.open(path, create=True, user="bench"), staff=staff, seed=1)
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def timed(fn: Callable[[], object], repeat: int) -> tuple[Figure, object]:
    """Median wall and CPU seconds over `repeat` runs, and the last result.

    CPU seconds (this process plus finished children) barely move when other work shares the
    machine; wall seconds do. Compare both with the targets.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        gc.collect()
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - wall0)
        cpus.append(cpu_seconds() - cpu0)
    return Figure(statistics.median(walls), statistics.median(cpus)), result


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def command_seconds(path: Path, as_of: str, repeat: int) -> Figure:
    args = [sys.executable, "-m", "tui.cli", "report", "gaps", "--db", str(path),
            "--as-of", as_of, "--format", "json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run() -> None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)

    return timed(run, repeat)[0]


def bench(staff: int, repeat: int, profile: bool) -> None:
    from store.demo import DEMO_AS_OF

    path = database(staff)
    load, repo = timed(lambda: FolderRepository.open(path), repeat)
    ds = repo.ds
    as_of = DEMO_AS_OF
    t_analyse, analysis = timed(lambda: analyse(ds, as_of), repeat)
    t_gaps, gaps = timed(lambda: build_gaps(analysis), repeat)
    t_heat, heat = timed(lambda: build_heatmap(analysis), repeat)
    t_gaps_text, gaps_text = timed(lambda: render(gaps, "text"), repeat)
    t_heat_text, _ = timed(lambda: render(heat, "text"), repeat)
    t_json, _ = timed(lambda: render(gaps, "json"), repeat)
    t_cmd = command_seconds(path, as_of.isoformat(), repeat)
    computed = t_analyse + t_gaps + t_heat
    print(f"\n{staff:,} staff: {len(ds.assessments):,} assessments, {len(ds.departments)} "
          f"departments, {len(gaps.gaps):,} gap rows, {len(gaps_text.splitlines()):,} text lines")  # fmt: skip
    rows = [
        ("load (FolderRepository.open)", load, 3.0 if staff >= 50000 else None),
        ("analyse (one pass)", t_analyse, None),
        ("build gaps report", t_gaps, None),
        ("build heatmap report", t_heat, None),
        ("gaps + heatmap computed", computed, 1.0 if staff >= 50000 else None),
        ("render gaps as text", t_gaps_text, None),
        ("render heatmap as text", t_heat_text, None),
        ("render both as text", t_gaps_text + t_heat_text, 2.0 if staff >= 50000 else None),
        ("render gaps as json", t_json, None),
        ("`kapabel report gaps --format json`", t_cmd, 0.5 if staff <= 5000 else None),
    ]
    print(f"  {'':<38} {'wall':>8}   {'cpu':>8}")
    for label, figure, target in rows:
        verdict = ""
        if target is not None:
            verdict = f"  target < {target} s: " + ("met" if figure.wall < target else "MISSED")
            if figure.wall >= target and figure.cpu < target:
                verdict += " (met in CPU time: the machine was busy)"
        print(f"  {label:<38} {figure.wall:8.3f} s {figure.cpu:8.3f} s{verdict}")
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        render(build_gaps(analyse(ds, as_of)), "text")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--profile", action="store_true", help="profile analyse + gaps + text")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, median of {args.repeat} run(s), "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    for staff in args.sizes:
        bench(staff, args.repeat, args.profile)


if __name__ == "__main__":
    main()
