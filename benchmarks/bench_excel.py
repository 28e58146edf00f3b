"""Import 1,000,000 assessments from a workbook and from the same rows as CSV; write the heatmap
report for 50,000 staff as a workbook. Prints wall and CPU times and rows per second.

    python benchmarks/bench_excel.py [--staff 50000] [--assessments 1000000] [--skip-heatmap]

The CSV files are bench_import.py's (bench-data/, semicolons, Danish dates); the workbook holds
the same rows as an HR system's export would: a title row above Danish headers, levels as numbers
and dates as real dates, written with xlsxwriter. Each import goes into its own copy of a database
holding the departments and staff, without the backup (the same for both formats). The
50,000-staff database is bench_reports.py's (bench-data/staff-50000, generated when missing).
Target (issue 16): the workbook imports in at most the CSV's time plus 25 %.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import DATA, write_files  # noqa: E402

from store.importing import import_file  # noqa: E402
from store.importing.cells import parse_date  # noqa: E402
from store.repository import FolderRepository  # noqa: E402


def timed(label: str, rows: int, action) -> tuple[float, float]:
    """Wall and CPU time (the machine is shared: CPU time is the steadier figure)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rate = f"{rows / seconds:>9,.0f} rows/s" if rows else " " * 16
    print(f"{label:<46} {seconds:7.1f} s wall {cpu:7.1f} s cpu {rate}  {result}", flush=True)
    return seconds, cpu


def workbook_of(source: Path) -> Path:
    """The CSV's rows as a workbook (written once, kept in bench-data/)."""
    target = source.with_suffix(".xlsx")
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    import xlsxwriter

    print(f"writing {target.name} ...", flush=True)
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    dates = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet = book.add_worksheet("Vurderinger")
    sheet.write_string(0, 0, "Kompetencevurderinger, udtræk fra HR-systemet")
    with open(source, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter=";")
        header = next(rows)
        sheet.write_row(2, 0, header)
        for number, (employee, competency, level, date, source_) in enumerate(rows, start=3):
            sheet.write_string(number, 0, employee)
            sheet.write_string(number, 1, competency)
            sheet.write_number(number, 2, int(level))
            sheet.write_datetime(number, 3, parse_date(date), dates)
            sheet.write_string(number, 4, source_)
    book.close()
    return target


def imports(staff: int, assessments: int, repeat: int) -> None:
    files = write_files(staff, assessments)
    workbook = workbook_of(files["assessments"])
    size = {p.suffix: p.stat().st_size // 1_000_000 for p in (files["assessments"], workbook)}
    print(f"assessments: CSV {size['.csv']} MB, xlsx {size['.xlsx']} MB", flush=True)
    base = DATA / "excel-db"
    shutil.rmtree(base, ignore_errors=True)
    repo = FolderRepository.open(base, create=True, user="bench")
    import_file(repo, "departments", files["departments"], backup=False)
    import_file(repo, "staff", files["staff"], backup=False)
    runs: dict[str, list[tuple[float, float]]] = {"CSV": [], "xlsx": []}
    formats = [("CSV", files["assessments"]), ("xlsx", workbook)]
    for run in range(repeat):  # alternating, so that a busy spell hits both alike
        for label, path in formats if run % 2 == 0 else formats[::-1]:
            runs[label].append(_import_once(base, label, path, assessments))
    for n, what in enumerate(("wall", "cpu")):  # the best of each format's runs
        ratio = min(f[n] for f in runs["xlsx"]) / min(f[n] for f in runs["CSV"])
        verdict = "within" if ratio <= 1.25 else "OVER"
        print(f"xlsx / CSV = {ratio:.2f} by {what} time ({verdict} the target of 1.25)")
    shutil.rmtree(base, ignore_errors=True)


def _import_once(base: Path, label: str, path: Path, assessments: int) -> tuple[float, float]:
    """Import `path` into a fresh copy of the database `base`; (wall, cpu) seconds."""
    copy = DATA / f"excel-db-{label.lower()}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(base, copy)
    target = FolderRepository.open(copy, user="bench")
    figures = timed(
        f"assessments ({assessments:,}) from {label}",
        assessments,
        lambda: import_file(target, "assessments", path, backup=False).summary(),
    )
    shutil.rmtree(copy, ignore_errors=True)
    return figures


def heatmap(staff: int) -> None:
    from bench_reports import database

    from reports import build_report, render_file
    from reports.analysis import analyse

    ds = FolderRepository.open(database(staff), user="bench").ds
    as_of = dt.date(2026, 11, 1)
    analysis = analyse(ds, as_of)
    report = build_report("heatmap", analysis)
    data = {}
    timed(
        f"heatmap report, {staff:,} staff, as xlsx",
        0,
        lambda: f"{len(data.setdefault('x', render_file(report, 'xlsx'))):,} bytes",
    )
    timed(
        f"heatmap report, {staff:,} staff: analysis + xlsx",
        0,
        lambda: len(render_file(build_report("heatmap", ds, as_of), "xlsx")),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--assessments", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="imports of each format (best)")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-heatmap", action="store_true")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if not args.skip_import:
        imports(args.staff, args.assessments, args.repeat)
    if not args.skip_heatmap:
        heatmap(args.staff)


if __name__ == "__main__":
    main()
