"""The PostgreSQL backend against the folder, on the demo municipality: every figure issue 11
names, for both backends, from one command.

    KAPABEL_BENCH_PG=postgresql://USER@HOST/postgres python benchmarks/bench_postgres.py \
        [--staff 50000] [--repeat 5]

The server URL names a database the script may connect to and create databases from (the
tests' `eval "$(.ci/pg start)"` server does: KAPABEL_TEST_PG is used when KAPABEL_BENCH_PG is
not set). The demo is generated into bench-data/pg-demo-N once (reused; keep it out of git) and
copied into a new database on the server, which is dropped at the end.

It prints the load average first (the machine is shared: read every figure against it), then:
- `kapabel copy` folder -> PostgreSQL (once: it is the slowest);
- per backend, each a median (and range) of --repeat runs, the backends alternating run by run
  so that both see the same load: opening the whole database in this process; one save (one
  assessment recorded); `kapabel report gaps --format json` in a fresh process; the app's
  Overview with its figures, from launching a fresh process on the database until the figures
  are on screen (headless, as benchmarks/bench_tui.py measures the folder), and until the
  whole history is in (a server shows the figures first: `store.open_in_stages`);
- the current levels on the demo's date, the ways a server can give them: every assessment by
  one SELECT (text, and binary) or by COPY TO STDOUT (text, and binary), then the rule picked in
  Python (`reports.analysis.current_index`), against the server picking them (DISTINCT ON,
  `store.postgres.current`); and the rule in Python on the folder's loaded rows. Then the ways
  to the history's numpy columns (`store.columns`, what the figures are computed from): the
  rows by SELECT or DISTINCT ON made into columns, or integers coded by the server (dense_rank)
  sent by COPY binary and read by numpy.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before any import: the Overview's figure counts start-up

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {
    "report gaps --format json": "PostgreSQL <= folder",
    "Overview with figures": "<= 3 s",
    "one save": "<= 50 ms",
}


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def shown(times: list[float]) -> str:
    """A median (and range), in ms below a second, else in s."""
    median = statistics.median(times)
    if median < 1:
        return f"{median * 1000:7.1f} ms ({min(times) * 1000:.0f}-{max(times) * 1000:.0f})"
    return f"{median:7.2f} s  ({min(times):.2f}-{max(times):.2f})"


# --------------------------------------------------------------------------- the Overview (child)
async def _overview(target: str) -> list[float]:
    """Seconds from this process's start until the Overview shows its figures, and until the
    whole history is in (a server opens in two steps: `store.open_in_stages`)."""
    from store.demo import DEMO_AS_OF
    from tui.app import KapabelApp

    app = KapabelApp(db_path=target, as_of=DEMO_AS_OF, watch_interval=None)
    async with app.run_test(size=(120, 40)):
        while getattr(app.screen, "figures_drawn_at", None) is None:
            await asyncio.sleep(0.01)  # look, do not make the app settle (bench_tui.py says why)
        figures = app.screen.figures_drawn_at - STARTED  # when drawn, not when next idle
        while not app.history_loaded:
            await asyncio.sleep(0.01)
        return [figures, time.perf_counter() - STARTED]


def overview_seconds(target: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, __file__, "--overview", target],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"the Overview's process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the figures
def report_seconds(target: str) -> float:
    from store.demo import DEMO_AS_OF

    command = [sys.executable, "-m", "tui.cli", "report", "gaps", "--format", "json"]
    command += ["--as-of", DEMO_AS_OF.isoformat(), "--db", target]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def current_level_ways(url: str) -> dict[str, Callable[[], object]]:
    """The ways to the current levels on the demo's date from the server, each ending with
    the current index, or with the numpy columns (each way does the same whole job)."""
    import numpy as np
    import psycopg

    from reports.analysis import current_index
    from store.columns import Columns
    from store.dataset import AssessmentRow
    from store.demo import DEMO_AS_OF
    from store.postgres.current import current_rows
    from store.postgres.storage import HISTORY_COLUMNS, _assessment_rows, _cols

    columns = _cols(HISTORY_COLUMNS["assessments"])
    query = f"SELECT {columns} FROM assessments ORDER BY seq"
    types = ["text", "text", "int4", "date", "text", "text", "date", "text"]
    new, row_type = tuple.__new__, AssessmentRow

    def rule(rows) -> object:
        return current_index([new(row_type, (*r, i)) for i, r in enumerate(rows)], DEMO_AS_OF)

    def select(binary: bool) -> object:
        with psycopg.connect(url) as conn, conn.cursor(binary=binary) as cur:
            return rule(cur.execute(query).fetchall())

    def copy(binary: bool) -> object:
        how = " (FORMAT BINARY)" if binary else ""
        with (
            psycopg.connect(url) as conn,
            conn.cursor().copy(f"COPY ({query}) TO STDOUT{how}") as out,
        ):
            out.set_types(types)  # dates as dates, levels as numbers, as SELECT gives them
            return rule(list(out.rows()))

    def server() -> object:
        with psycopg.connect(url) as conn:
            return current_index(current_rows(conn, DEMO_AS_OF), DEMO_AS_OF)

    def columns_of_rows(rows: list) -> object:
        return Columns.from_rows(rows).current(DEMO_AS_OF)

    def select_columns() -> object:
        with psycopg.connect(url) as conn, conn.transaction():
            return columns_of_rows(_assessment_rows(conn, 0, 0))

    def server_columns() -> object:
        with psycopg.connect(url) as conn, conn.transaction():
            return columns_of_rows(current_rows(conn, DEMO_AS_OF))

    def copy_coded() -> object:
        """The server numbers staff, competencies and sources (dense_rank) and sends only
        integers (COPY binary, read by numpy without a value per row)."""
        with psycopg.connect(url) as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            conn.execute("SET LOCAL work_mem = '256MB'")
            codes = [
                [r[0] for r in conn.execute(
                    f'SELECT DISTINCT {c} COLLATE "C" FROM assessments ORDER BY 1'
                ).fetchall()]
                for c in ("staff", "competency")
            ]  # fmt: skip
            with conn.cursor().copy(f"COPY ({CODED_QUERY}) TO STDOUT (FORMAT BINARY)") as out:
                data = b"".join(out)
        fields = [(f"{i}", ">i4") for i in range(7)]
        dtype = np.dtype([("n", ">i2"), *[(f"{x}{n}", t) for n, t in fields for x in "lv"]])
        body = np.frombuffer(data[19:-2], dtype)
        arrays = {name: body[f"v{i}"].astype(np.int32) for i, name in enumerate(CODED_ORDER)}
        order = np.lexsort(
            (np.arange(len(body)), arrays["rank"], arrays["date"], arrays["competency"],
             arrays["staff"])
        )  # fmt: skip
        return codes, order

    return {
        "SELECT text + rule in Python": lambda: select(False),
        "SELECT binary + rule in Python": lambda: select(True),
        "COPY text + rule in Python": lambda: copy(False),
        "COPY binary + rule in Python": lambda: copy(True),
        "server picks (DISTINCT ON)": server,
        "SELECT + columns (numpy)": select_columns,
        "DISTINCT ON + columns (numpy)": server_columns,
        "COPY binary, coded by server": copy_coded,
    }


CODED_ORDER = ("staff", "competency", "level", "date", "valid_until", "rank", "seq")
CODED_QUERY = (
    'SELECT (dense_rank() OVER (ORDER BY staff COLLATE "C") - 1)::int4,'
    ' (dense_rank() OVER (ORDER BY competency COLLATE "C") - 1)::int4, level::int4,'
    " (date - DATE '0001-01-01' + 1)::int4,"
    " COALESCE(valid_until - DATE '0001-01-01' + 1, 2147483647)::int4,"
    " (CASE source WHEN 'test' THEN 3 WHEN 'manager' THEN 2 WHEN 'training' THEN 1"
    " WHEN 'self' THEN 0 ELSE -1 END)::int4, seq::int4 FROM assessments ORDER BY seq"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--overview", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.overview:
        print(json.dumps(asyncio.run(_overview(args.overview))))
        return

    from reports.analysis import current_index
    from store import open_store
    from store.copying import copy_database
    from store.demo import DEMO_AS_OF, generate
    from store.models import Assessment
    from store.postgres.migrate import migrate
    from tests.pgserver import fresh_database

    server = os.environ.get("KAPABEL_BENCH_PG") or os.environ.get("KAPABEL_TEST_PG")
    if not server:
        sys.exit("set KAPABEL_BENCH_PG (or KAPABEL_TEST_PG) to a PostgreSQL server URL")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"load average {load} (1, 5, 15 min) on {os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
    )
    folder = ROOT / "bench-data" / f"pg-demo-{args.staff}"
    if not folder.exists():
        print(f"generating {folder} ...", flush=True)
        generate(open_store(folder, create=True, user="bench"), staff=args.staff, seed=1)
    databases = fresh_database(server)
    url = next(databases)
    try:
        migrate(url, user="bench")
        source, target = open_store(folder, user="bench"), open_store(url, user="bench")
        copy = timed(lambda: copy_database(source, target, replace=True))
        counts = target.ds.counts()
        target.storage.close()
        print(
            f"{args.staff:,} staff, {counts['assessments']:,} assessments; medians (range) of "
            f"{args.repeat} runs, folder and PostgreSQL alternating\n"
        )
        print(f"{'copy folder -> PostgreSQL':32}{copy:7.2f} s  (once)   target <= 60 s")

        backends = {"folder": str(folder), "PostgreSQL": url}
        figures: dict[str, dict[str, list[float]]] = {}

        def note(figure: str, backend: str, seconds: float) -> None:
            figures.setdefault(figure, {}).setdefault(backend, []).append(seconds)

        repos = {name: open_store(where, user="bench") for name, where in backends.items()}
        staff = sorted(repos["folder"].ds.staff)
        for run in range(args.repeat):
            for name, where in backends.items():
                note(
                    "open (whole database)",
                    name,
                    timed(lambda w=where: open_store(w, user="bench").storage.close()),
                )
                record = Assessment(
                    staff=staff[run], competency="DC1.1", level=2, date=DEMO_AS_OF, note=f"b{run}"
                )
                note("one save", name, timed(lambda r=record, n=name: repos[n].record(r)))
                note("report gaps --format json", name, report_seconds(where))
                first, whole = overview_seconds(where)
                note("Overview with figures", name, first)
                note("  ... whole history in", name, whole)
        rows = repos["folder"].ds.assessments
        ways = current_level_ways(url)
        for _ in range(args.repeat):
            note(
                "rule in Python on loaded rows",
                "folder",
                timed(lambda: current_index(rows, DEMO_AS_OF)),
            )
            for way, action in ways.items():
                note(way, "PostgreSQL", timed(action))

        print(f"\n{'':32}{'folder':26}{'PostgreSQL':26}target")
        for figure, by_backend in figures.items():
            cells = [shown(by_backend[b]) if b in by_backend else "" for b in backends]
            print(f"{figure:32}{cells[0]:26}{cells[1]:26}{TARGETS.get(figure, '')}")
            if figure == "  ... whole history in":
                print("\ncurrent levels on the demo's date (each ends with the index of them):")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nload average at the end {load}")
        for repo in repos.values():
            repo.storage.close()
    finally:
        databases.close()


if __name__ == "__main__":
    main()
