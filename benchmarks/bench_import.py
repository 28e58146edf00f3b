"""Import 50,000 staff and 1,000,000 assessments from CSV into a fresh database; print the times.

    python benchmarks/bench_import.py [--staff 50000] [--assessments 1000000]

The CSV files are generated in bench-data/ (git-ignored) the first time, semicolon-separated with
Danish dates, as an HR system would export them; the database is made in a scratch folder and
removed after (bench-data may be shared). The assessments import also shows the CPU time of each
of its steps (as `store.progress` names them: reading and checking, the backup, writing,
saving). Issue 14 asks for 1,000,000 rows in <= 15 s (`bench_instant.py --only import` times the
whole `kapabel import` process).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.digcomp import COMPETENCES  # noqa: E402
from store.importing import import_file  # noqa: E402
from store.repository import FolderRepository  # noqa: E402

DATA = ROOT / "bench-data"


def write_files(staff: int, assessments: int) -> dict[str, Path]:
    DATA.mkdir(exist_ok=True)
    files = {
        "departments": DATA / "departments.csv",
        "staff": DATA / f"staff-{staff}.csv",
        "assessments": DATA / f"assessments-{staff}-{assessments}.csv",
    }
    if all(p.exists() for p in files.values()):
        return files
    rng = random.Random(4)
    lines = ["kode;navn;overordnet"] + [
        f"D{i};Afdeling {i};{'' if i < 10 else f'D{i // 10}'}" for i in range(200)
    ]
    files["departments"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(files["staff"], "w", encoding="utf-8") as out:
        out.write("medarbejdernr;navn;afdeling;email;aktiv\n")
        for i in range(staff):
            out.write(f"E{i:06d};Medarbejder Ærø {i};D{rng.randrange(200)};e{i}@kommune.dk;ja\n")
    codes = list(COMPETENCES)
    with open(files["assessments"], "w", encoding="utf-8") as out:
        out.write("medarbejdernr;kompetence;niveau;dato;kilde\n")
        for n in range(assessments):
            person = n % staff
            competency = codes[(n // staff) % len(codes)]
            year = 2020 + n // (staff * len(codes))
            out.write(f"E{person:06d};{competency};{rng.randint(1, 8)};15.03.{year};selv\n")
    return files


def timed(label: str, rows: int, action) -> None:
    """Wall and CPU time (the machines are shared: CPU time is the steadier figure)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{label:<44} {seconds:7.1f} s wall {cpu:7.1f} s cpu "
        f"{rows / seconds:>9,.0f} rows/s  {result}",
        flush=True,
    )


class Steps:
    """A progress callback noting the CPU time at which each step began."""

    def __init__(self) -> None:
        self.began: dict[str, float] = {}

    def __call__(self, step: str, _done: float) -> None:
        self.began.setdefault(step, time.process_time())

    def shown(self, end: float) -> str:
        times = [*self.began.values(), end]
        return ", ".join(
            f"{step.lower()} {later - start:.1f} s"
            for step, start, later in zip(self.began, times, times[1:], strict=False)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--assessments", type=int, default=1_000_000)
    args = parser.parse_args()
    files = write_files(args.staff, args.assessments)
    scratch = Path(tempfile.mkdtemp(prefix="kapabel-bench-import-"))
    try:
        run(files, scratch / "db", args.staff, args.assessments)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(files: dict[str, Path], db: Path, staff: int, assessments: int) -> None:
    repo = FolderRepository.open(db, create=True, user="bench")
    timed(
        "departments (200)",
        200,
        lambda: import_file(repo, "departments", files["departments"]).summary(),
    )
    timed(
        f"staff ({staff:,})",
        staff,
        lambda: import_file(repo, "staff", files["staff"]).summary(),
    )
    timed(
        f"assessments ({assessments:,}), dry run",
        assessments,
        lambda: import_file(repo, "assessments", files["assessments"], dry_run=True).summary(),
    )
    steps = Steps()
    timed(
        f"assessments ({assessments:,})",
        assessments,
        lambda: import_file(repo, "assessments", files["assessments"], progress=steps).summary(),
    )
    print(f"{'':<44} cpu by step: {steps.shown(time.process_time())}")
    timed(
        "assessments again, dry run (all unchanged)",
        assessments,
        lambda: import_file(repo, "assessments", files["assessments"], dry_run=True).summary(),
    )
    timed(
        "reopen the database",
        assessments,
        lambda: len(FolderRepository.open(db).ds.assessments),
    )
    sizes = {p.name: p.stat().st_size // 1_000_000 for p in db.iterdir() if p.is_file()}
    print("file sizes (MB):", {k: v for k, v in sizes.items() if v})


if __name__ == "__main__":
    main()
