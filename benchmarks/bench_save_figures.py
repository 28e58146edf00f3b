"""CPU of "save one assessment -> figures updated": the store's save, then the figures the
app shows after it (the Overview's, the saved person's rows), made two ways in turn:

- full: `analyse` of the new version, as the app did before `Analysis.after_assessments`;
- incremental: the previous analysis updated with `after_assessments`, as the app does now.

    .venv/bin/python benchmarks/bench_save_figures.py [--staff 5000] [--saves 15]

Runs on a scratch copy of bench-data/staff-N (generated when missing). CPU times
(`time.process_time`), since the machines are shared; the load average is printed first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_tui import database  # noqa: E402

from reports.analysis import analyse  # noqa: E402
from reports.overview import build_overview  # noqa: E402
from store.models import Assessment  # noqa: E402
from store.repository import FolderRepository  # noqa: E402
from store.staff import record_assessment  # noqa: E402

GAPS_LISTED = 30  # the Overview's (tui/screens/overview.py)


def shown(analysis, employee_no: str) -> None:
    """What the app draws after a save: the Overview's figures and the person's page."""
    build_overview(analysis, GAPS_LISTED)
    analysis.person_rows(employee_no)


def cpu(work, *args) -> tuple[float, object]:
    started = time.process_time()
    result = work(*args)
    return time.process_time() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--saves", type=int, default=15)
    args = parser.parse_args()
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    target = Path(tempfile.mkdtemp(prefix="kapabel-bench-")) / "db"
    shutil.copytree(database(args.staff), target, ignore=shutil.ignore_patterns("backups", ".lock"))
    try:
        repo = FolderRepository.open(target, user="bench")
        as_of = dt.date.today()
        analysis = analyse(repo.ds, as_of)
        people = sorted(repo.ds.staff)[:: max(1, len(repo.ds.staff) // args.saves)]
        times: dict[str, list[float]] = {"save": [], "full": [], "incremental": []}
        for i, employee_no in enumerate(people[: args.saves]):
            shown(analysis, employee_no)  # the figures on screen before the save
            required = analysis.required_for(employee_no) or {"X": 1}
            competency = sorted(required)[i % len(required)]
            record = Assessment(
                staff=employee_no, competency=competency, level=1 + i % 5, date=as_of
            )
            times["save"].append(cpu(record_assessment, repo, record)[0])
            ds = repo.ds
            spent, full = cpu(analyse, ds, as_of)
            spent += cpu(shown, full, employee_no)[0]
            times["full"].append(spent)
            spent, updated = cpu(analysis.after_assessments, ds)
            spent += cpu(shown, updated, employee_no)[0]
            times["incremental"].append(spent)
            assert updated.department_figures(None) == full.department_figures(None)
            analysis = updated
        print(f"{args.staff:,} staff, {len(repo.ds.assessments):,} assessments, "
              f"{len(times['save'])} saves; CPU seconds, median (min-max):")  # fmt: skip
        for name, values in times.items():
            print(
                f"  {name:12} {statistics.median(values):.4f}  "
                f"({min(values):.4f}-{max(values):.4f})"
            )
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
