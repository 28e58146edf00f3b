"""Writer for the crash test, run as its own process: `python crash_writer.py`.

It imports the store once, then for each line `<db> <run>` read from stdin forks a child that
opens the database and saves in a loop -- single puts, history records and multi-table
transactions -- writing `saved <kind> <key> [<id>]` to stdout after each save returned. The test
kills the child with SIGKILL; this parent reaps it and says `reaped <pid>`. Forking keeps each
kill cheap (no interpreter start-up per run).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from store import open_store
from store.models import Assessment, Department, RobotBenefit, Staff, TrainingPlan
from store.repository import FolderRepository

MAX_SAVES = 400


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # one write: lines of parent and child never mix


def month(run: int, i: int) -> str:
    n = run * MAX_SAVES + i
    return f"{2000 + n // 12}-{n % 12 + 1:02d}"


def save_forever(db: str, run: int) -> None:
    repo = open_store(db, user="writer")  # a folder or a postgresql:// URL
    for i in range(MAX_SAVES):
        key = f"{run}-{i}"
        kind = i % 4
        if kind == 0:
            repo.put(Staff(employee_no=f"S{key}", name=f"Ærø {key}", department="D1"))
            say(f"saved staff S{key}")
        elif kind == 1:
            repo.record(
                Assessment(
                    staff="E0", competency="DC1.1", level=i % 9, date=dt.date(2026, 1, 1), note=key
                )
            )
            say(f"saved assessment {key}")
        elif kind == 2:
            repo.record(RobotBenefit(robot="RB1", month=month(run, i), hours_saved=i))
            say(f"saved benefit RB1|{month(run, i)}")
        else:
            with repo.transaction() as tx:
                tx.put(Department(code="D1", name=f"Afdeling {run:04d}-{i:04d}"))
                tx.put(Staff(employee_no=f"T{key}", name="Åse", department="D1"))
                tx.record(
                    Assessment(
                        staff=f"T{key}", competency="DC1.2", level=3, date=dt.date(2026, 2, 1)
                    )
                )
                plan = tx.put(TrainingPlan(staff=f"T{key}", competency="DC1.2", target_level=4))
            say(f"saved transaction {key} {plan.id}")
    time.sleep(60)


def warm_up() -> None:
    """Build what the store builds lazily, once, so each forked child starts saving at once."""
    with tempfile.TemporaryDirectory() as scratch:
        repo = FolderRepository.open(Path(scratch) / "db", create=True)
        repo.put(Department(code="D1", name="Warm"))
        FolderRepository.open(Path(scratch) / "db")
    import store.postgres.storage  # noqa: F401 - and psycopg, for a server database


def main() -> None:
    warm_up()
    for line in sys.stdin:
        db, run = line.split()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                save_forever(db, int(run))
            except BaseException:
                say("error " + traceback.format_exc().replace("\n", " | "))
            finally:
                os._exit(0)
        say(f"forked {pid}")
        os.waitpid(pid, 0)
        say(f"reaped {pid}")


if __name__ == "__main__":
    main()
