"""The PostgreSQL backend against the folder, on the demo municipality.

    KAPABEL_BENCH_PG=postgresql://USER@HOST/postgres python benchmarks/bench_postgres.py \
        [--staff 5000] [--repeat 10]

The server URL names a database the script may connect to and create databases from (the
tests' `eval "$(.ci/pg start)"` server does: KAPABEL_TEST_PG is used when KAPABEL_BENCH_PG is
not set). It generates the demo into bench-data/ (reused), copies it into a new database on the
server (timed: `kapabel copy` folder -> PostgreSQL), then prints for each backend: opening (the
whole database as one version), the median of one save (one assessment recorded), and
`kapabel report gaps --format json` in a fresh process; and, for reading the history, one
SELECT against COPY TO STDOUT. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import open_store  # noqa: E402
from store.copying import copy_database  # noqa: E402
from store.demo import DEMO_AS_OF, generate  # noqa: E402
from store.models import Assessment  # noqa: E402
from store.postgres.migrate import migrate  # noqa: E402
from tests.pgserver import fresh_database  # noqa: E402


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:8.1f} ms (max {max(times) * 1000:.1f})"


def report_seconds(target: str) -> float:
    command = [sys.executable, "-m", "tui.cli", "report", "gaps", "--format", "json"]
    command += ["--as-of", DEMO_AS_OF.isoformat(), "--db", target]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def history_reads(url: str) -> tuple[float, float]:
    """Seconds to fetch every assessment: one SELECT, and COPY TO STDOUT (text rows)."""
    import psycopg

    columns = "staff, competency, level, date, source, assessor, valid_until, note"
    with psycopg.connect(url) as conn:
        select = timed(
            lambda: conn.execute(f"SELECT {columns} FROM assessments ORDER BY seq").fetchall()
        )

        def by_copy() -> None:
            with conn.cursor().copy(
                f"COPY (SELECT {columns} FROM assessments ORDER BY seq) TO STDOUT"
            ) as copy:
                list(copy.rows())

        return select, timed(by_copy)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    server = os.environ.get("KAPABEL_BENCH_PG") or os.environ.get("KAPABEL_TEST_PG")
    if not server:
        sys.exit("set KAPABEL_BENCH_PG (or KAPABEL_TEST_PG) to a PostgreSQL server URL")
    folder = ROOT / "bench-data" / f"pg-demo-{args.staff}"
    if not folder.exists():
        generate(open_store(folder, create=True, user="bench"), staff=args.staff, seed=1)
    databases = fresh_database(server)
    url = next(databases)
    try:
        migrate(url, user="bench")
        source, target = open_store(folder, user="bench"), open_store(url, user="bench")
        seconds = timed(lambda: copy_database(source, target, replace=True))
        counts = target.ds.counts()
        print(f"{args.staff:,} staff, {counts['assessments']:,} assessments")
        print(f"copy folder -> PostgreSQL      {seconds:8.2f} s")
        for name, where in (("folder", folder), ("postgres", url)):
            opening = [timed(lambda w=where: open_store(w, user="bench")) for _ in range(3)]
            repo = open_store(where, user="bench")
            staff = sorted(repo.ds.staff)
            saves = []
            for i in range(args.repeat):
                record = Assessment(
                    staff=staff[i], competency="DC1.1", level=2, date=DEMO_AS_OF, note=f"b{i}"
                )
                saves.append(timed(lambda r=record, repo=repo: repo.record(r)))
            report = [report_seconds(str(where)) for _ in range(3)]
            print(f"{name:9} open                 {median_ms(opening)}")
            print(f"{name:9} one save             {median_ms(saves)}")
            print(f"{name:9} report gaps --json   {median_ms(report)}")
        select, copy = history_reads(url)
        print(f"history read: SELECT {select * 1000:.1f} ms, COPY TO STDOUT {copy * 1000:.1f} ms")
    finally:
        databases.close()


if __name__ == "__main__":
    main()
