"""Reading a database's register tables: validated (as a hand-edited file is) against trusted (a
file the store wrote, recognised by its hash: `store.trusted`).

    python benchmarks/bench_register.py [--db bench-data/staff-50000] [--repeat 5]

Reads the table files of an existing database folder (`benchmarks/bench_store.py` makes
bench-data/staff-50000) into a scratch copy, never changing the folder, and prints per table
and in total the median CPU and wall time of each way, with the machine's load average first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.gcpause import collector_paused  # noqa: E402
from store.models import REGISTER_MODELS  # noqa: E402
from store.register import RegisterTable  # noqa: E402
from store.trusted import TrustRecord  # noqa: E402


def measure(table: RegisterTable, repeat: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of `table.load()`, and how many records it held."""
    walls, cpus, count = [], [], 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        with collector_paused():  # as the folder opens a database
            count = len(table.load())
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench-data" / "staff-50000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; {args.db}; median of {args.repeat}")
    totals = {"validated": [0.0, 0.0], "trusted": [0.0, 0.0]}
    with tempfile.TemporaryDirectory() as scratch:
        trust = TrustRecord(Path(scratch))
        for model in REGISTER_MODELS:
            source = args.db / f"{model.table}.json"
            if not source.exists():
                continue
            copy = Path(scratch) / source.name
            shutil.copyfile(source, copy)
            validated = measure(RegisterTable(model, copy), args.repeat)
            checked = RegisterTable(model, copy, trust)
            checked.load()
            trust.save({model.table: checked.known_valid})
            trusted = measure(RegisterTable(model, copy, trust), args.repeat)
            for way, (wall, cpu, _count) in (("validated", validated), ("trusted", trusted)):
                totals[way][0] += wall
                totals[way][1] += cpu
            print(
                f"{model.table:<16} {validated[2]:>7,} records  validated {validated[1] * 1000:7.1f}"
                f" ms cpu  trusted {trusted[1] * 1000:7.1f} ms cpu"
            )
    for way, (wall, cpu) in totals.items():
        print(f"all tables, {way:<9} {wall * 1000:7.1f} ms wall {cpu * 1000:7.1f} ms cpu")


if __name__ == "__main__":
    main()
