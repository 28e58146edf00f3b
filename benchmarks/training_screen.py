"""How long the Training and Competencies screens take with 20,000 plans at 50,000 staff.

    PYTHONPATH=. python benchmarks/training_screen.py [--staff 50000] [--plans 20000]

Builds a synthetic database in a temporary folder (one transaction), then opens the app
headless and prints: time to show Training, to change the status filter, to turn a page, to mark
a plan in progress (one write of the plans table), and to show Competencies.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from store.models import Department, PlanStatus, Requirement, Role, Staff, TrainingPlan
from store.repository import FolderRepository

AS_OF = dt.date(2026, 11, 1)


def build(path: Path, staff: int, plans: int, departments: int = 300) -> FolderRepository:
    rng = random.Random(1)
    repo = FolderRepository.open(path, create=True, user="bench")
    competencies = sorted(repo.ds.competencies)
    with repo.transaction(summary="benchmark data") as tx:
        tx.put(Role(code="CW", name="Caseworker"))
        tx.put(Department(code="D0", name="Kommune"))
        for i in range(1, departments):
            parent = f"D{rng.randrange(0, i) if i > 6 else 0}"
            tx.put(Department(code=f"D{i}", name=f"Afdeling {i} æøå", parent_code=parent))
        for i in range(departments):
            tx.put(Requirement(competency=competencies[i % 21], level=3, department=f"D{i}"))
        for i in range(staff):
            tx.put(
                Staff(
                    employee_no=f"E{i:06d}",
                    name=f"Person {i} Ørsted",
                    department=f"D{rng.randrange(departments)}",
                    role="CW",
                )
            )
        statuses = list(PlanStatus)
        for _ in range(plans):
            status = rng.choice(statuses)
            due = AS_OF + dt.timedelta(days=rng.randint(-200, 300))
            tx.put(
                TrainingPlan(
                    staff=f"E{rng.randrange(staff):06d}",
                    competency=rng.choice(competencies),
                    target_level=3,
                    due=due,
                    status=status,
                    completed=due if status == PlanStatus.COMPLETED else None,
                )
            )
    return repo


async def measure(repo: FolderRepository) -> None:
    from tui.app import KapabelApp

    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timings = []

        async def timed(label: str, *keys: str) -> None:
            start = time.perf_counter()
            await pilot.press(*keys)
            await pilot.pause()
            timings.append((label, time.perf_counter() - start))

        await timed("open Reports (a placeholder: baseline)", "6")
        await timed("open Training (first time)", "5")
        await timed("status filter -> open", "s")
        await timed("due filter -> overdue", "o")
        await timed("turn a page", "right_square_bracket")
        await timed("mark a plan in progress", "p")
        await timed("open Competencies (first time)", "4")
        await timed("back to Training", "5")
        for label, seconds in timings:
            print(f"{label:<40} {seconds:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--plans", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        build(Path(folder) / "db", args.staff, args.plans)
        print(
            f"built {args.staff:,} staff, {args.plans:,} plans in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        repo = FolderRepository.open(Path(folder) / "db", user="bench")
        print(f"{'open the database':<40} {time.perf_counter() - start:6.2f} s")
        asyncio.run(measure(repo))


if __name__ == "__main__":
    main()
