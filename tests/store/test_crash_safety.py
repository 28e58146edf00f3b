"""A writer killed (SIGKILL) at random moments leaves a database that opens, validates, and
holds every change whose save had returned."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import open_store
from store.models import Department, Robot, Staff
from store.repository import FolderRepository

ROOT = Path(__file__).resolve().parents[2]
KILLS = {"folder": 120, "postgres": 50}

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer forks")


def real_problems(repo: FolderRepository) -> list[str]:
    """Problems other than torn lines (which a kill may leave, and which are only reported)."""
    return [p for p in repo.problems() if "torn" not in p]


def check_all_or_nothing(repo: FolderRepository) -> None:
    """Every change on disk is whole: a transaction's parts and each change's audit entry."""
    ds = repo.ds
    assessed = {row.staff for row in ds.assessments}
    planned = {p.staff for p in ds.training_plans.values()}
    in_transactions = {code for code in ds.staff if code.startswith("T")}
    assert in_transactions <= assessed and in_transactions <= planned
    name = ds.departments["D1"].name
    if name != "Afdeling":
        run, i = (int(part) for part in name.split()[1].split("-"))
        assert f"T{run}-{i}" in ds.staff
    audit = repo.audit_entries()
    created = {(e.entity, e.key) for e in audit if e.action == "create"}
    assert {("staff", code) for code in ds.staff} <= created
    assert {("robot_benefits", key) for key in ds.robot_benefits} <= created
    assert sum(e.entity == "assessments" for e in audit) == len(ds.assessments)
    assessment_keys = {row.key() for row in ds.assessments}
    # Nothing else was created: set-up made department D1 and robot RB1 besides staff.
    assert len(created) == 2 + len(ds.staff) + len(ds.robot_benefits) + len(
        ds.training_plans
    ) + len(assessment_keys)


def check_saved(repo: FolderRepository, saved: list[list[str]]) -> None:
    ds = repo.ds
    notes = {row.note for row in ds.assessments}
    plans = [p.id for p in ds.training_plans.values()]
    assert len(plans) == len(set(plans))
    last_department = ""
    for kind, key, *rest in saved:
        if kind == "staff":
            assert key in ds.staff, key
        elif kind == "assessment":
            assert key in notes, key
        elif kind == "benefit":
            assert key in ds.robot_benefits, key
        else:
            assert f"T{key}" in ds.staff, key
            assert ds.training_plans[rest[0]].staff == f"T{key}"
            assert any(r.staff == f"T{key}" for r in ds.assessments), key
            run, i = (int(part) for part in key.split("-"))
            last_department = f"Afdeling {run:04d}-{i:04d}"
    # A later save may have committed just before the kill, but never an earlier state.
    assert ds.departments["D1"].name >= last_department


def test_killed_writers_never_lose_a_returned_save(store_target: Path | str, request) -> None:
    """On each backend: the folder, and PostgreSQL (a client killed mid-transaction)."""
    db = store_target
    kills = KILLS[request.node.callspec.params["store_target"]]
    repo = open_store(db, user="setup")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Afdeling"))
        tx.put(Staff(employee_no="E0", name="Første", department="D1"))
        tx.put(Robot(code="RB1", name="Bot", department="D1"))
    writer = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "store" / "crash_writer.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    rng = random.Random(20261127)
    saved: list[list[str]] = []

    def read_line() -> str:
        line = writer.stdout.readline().decode()
        assert line and not line.startswith("error"), line
        return line

    try:
        for run in range(kills):
            writer.stdin.write(f"{db} {run}\n".encode())
            writer.stdin.flush()
            started = read_line().split()
            assert started[0] == "forked", started
            # Let 0-3 saves return first (so kills land in the save loop on a slow disk too),
            # then kill at a random moment.
            for _ in range(rng.randrange(4)):
                saved.append(read_line().split()[1:])
            time.sleep(rng.uniform(0, 0.03))
            os.kill(int(started[1]), signal.SIGKILL)
            while not (line := read_line()).startswith("reaped"):
                saved.append(line.split()[1:])

            reopened = open_store(db, user="checker")
            assert real_problems(reopened) == []
            check_all_or_nothing(reopened)
            check_saved(reopened, saved)
            reopened.storage.close()
    finally:
        writer.kill()
        writer.wait()
    # The kills landed in the save loop, not only before the first save.
    assert len(saved) > kills
