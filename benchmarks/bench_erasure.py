"""`person erase` on both backends, on the demo municipality: one person, no backups.

    KAPABEL_BENCH_PG=postgresql://USER@HOST/postgres python benchmarks/bench_erasure.py \
        [--staff 20000]

Generates the demo into bench-data/ (reused), copies it into a new database on the server
(KAPABEL_TEST_PG when KAPABEL_BENCH_PG is not set) and into a scratch folder, then times
`store.erasure.erase_person` of the same person (a robot owner, so records of others name them)
on each. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import open_store  # noqa: E402
from store.copying import copy_database  # noqa: E402
from store.demo import generate  # noqa: E402
from store.erasure import erase_person  # noqa: E402
from store.postgres.migrate import migrate  # noqa: E402
from tests.pgserver import fresh_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=20000)
    args = parser.parse_args()
    server = os.environ.get("KAPABEL_BENCH_PG") or os.environ.get("KAPABEL_TEST_PG")
    if not server:
        sys.exit("set KAPABEL_BENCH_PG (or KAPABEL_TEST_PG) to a PostgreSQL server URL")
    demo = ROOT / "bench-data" / f"pg-demo-{args.staff}"
    if not demo.exists():
        generate(open_store(demo, create=True, user="bench"), staff=args.staff, seed=1)
    scratch = Path(tempfile.mkdtemp(prefix="kapabel-bench-"))
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")  # the server's backup home: empty
    databases = fresh_database(server)
    url = next(databases)
    try:
        migrate(url, user="bench")
        folder = scratch / "db"
        source = open_store(demo, user="bench")
        copy_database(source, open_store(url, user="bench"), replace=True)
        copy_database(source, open_store(folder, create=True, user="bench"), replace=True)
        owners = sorted({r.owner for r in source.ds.robots.values()} - {None})
        person = owners[len(owners) // 2]
        print(f"{args.staff:,} staff, {source.ds.counts()['assessments']:,} assessments; {person}")
        for name, where in (("folder", folder), ("postgres", url)):
            repo = open_store(where, user="bench")
            start = time.perf_counter()
            result = erase_person(repo, person)
            seconds = time.perf_counter() - start
            print(f"{name:9} person erase  {seconds:7.2f} s  {result['counts']}")
            repo.storage.close()
    finally:
        databases.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
