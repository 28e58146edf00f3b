"""One of several processes saving to the same database at once: `python concurrent_writer.py
<db> <name> <changes>`, the database a folder or a PostgreSQL URL. Waits for a line on stdin
(so all start together), then makes the changes and prints, as JSON, the training-plan ids the
store handed it."""

from __future__ import annotations

import datetime as dt
import sys

import orjson

from store import open_store
from store.models import Assessment, Department, Staff, TrainingPlan


def main(db: str, name: str, changes: int) -> None:
    repo = open_store(db, user=name)  # a folder or a postgresql:// URL
    sys.stdin.readline()
    plan_ids = []
    for i in range(changes):
        kind = i % 4
        if kind == 0:
            repo.put(Staff(employee_no=f"{name}-{i}", name=f"Søren {i}", department="D1"))
        elif kind == 1:
            repo.put(Department(code="D1", name=f"{name} {i:04d}"))
        elif kind == 2:
            plan = repo.put(TrainingPlan(staff="E0", competency="DC1.1", target_level=3))
            plan_ids.append(plan.id)
        else:
            repo.record(
                Assessment(
                    staff="E0",
                    competency="DC1.1",
                    level=2,
                    date=dt.date(2026, 1, 1),
                    note=f"{name}-{i}",
                )
            )
    sys.stdout.write(orjson.dumps({"plans": plan_ids}).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
