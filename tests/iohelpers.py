"""Helpers for the import/export/backup/person tests (tests/store, tests/cli, tests/tui)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from store.models import (
    Assessment,
    Competency,
    Department,
    Framework,
    Requirement,
    Robot,
    RobotBenefit,
    Role,
    ScaleLevel,
    Staff,
    TrainingPlan,
)
from store.repository import FolderRepository

NAME = "Søren Ærø-Østergård"
EMAIL = "soeren.oestergaard@kommune.dk"
EMPLOYEE_NO = "E4711"


def folder_hashes(path: Path) -> dict[str, str]:
    """sha256 of every file under `path` (the lock file included), by relative name."""
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def populate(repo: FolderRepository) -> None:
    """A small municipality with one record of every kind, and one person to export and erase."""
    with repo.transaction() as tx:
        tx.put(Framework(code="RPA", name="Robot operation", scale=_scale(3)))
        tx.put(Competency(code="RPA1", framework="RPA", name="Runs a robot", area="Drift"))
        tx.put(Department(code="D1", name="Borgerservice", lead=NAME))
        tx.put(Department(code="D2", name="Ydelser, team 1", parent_code="D1"))
        tx.put(Role(code="R1", name="Sagsbehandler"))
        tx.put(Staff(employee_no=EMPLOYEE_NO, name=NAME, email=EMAIL, department="D2", role="R1"))
        tx.put(Staff(employee_no="E2", name="Bo Hansen", department="D1", digital_agent=True))
        tx.put(Requirement(competency="RPA1", level=2, department="D1", role="R1"))
        tx.put(Requirement(competency="DC1.1", level=4, department="D2", due=dt.date(2027, 1, 1)))
        tx.put(
            TrainingPlan(
                staff=EMPLOYEE_NO, competency="RPA1", target_level=2, due=dt.date(2027, 3, 1)
            )
        )
        tx.put(TrainingPlan(staff="E2", competency="DC1.1", target_level=4))
        tx.put(
            Robot(
                code="ROB1",
                name="Ydelsesrobot",
                department="D2",
                owner=EMPLOYEE_NO,
                operators=[EMPLOYEE_NO, "E2"],
                required_competencies={"RPA1": 2},
            )
        )
        tx.record(
            Assessment(
                staff=EMPLOYEE_NO, competency="RPA1", level=1, date=dt.date(2026, 1, 5), note="=1+1"
            )
        )
        tx.record(
            Assessment(
                staff=EMPLOYEE_NO,
                competency="DC1.1",
                level=3,
                date=dt.date(2026, 2, 1),
                source="manager",
                assessor="Bo Hansen",
                valid_until=dt.date(2027, 2, 1),
            )
        )
        tx.record(
            Assessment(
                staff="E2",
                competency="DC1.1",
                level=4,
                date=dt.date(2026, 2, 1),
                assessor=NAME,
                note=f"talked with {NAME}, line one\nline two; done",
            )
        )
        tx.record(RobotBenefit(robot="ROB1", month="2026-01", hours_saved=12.5, runs=40))


def _scale(n: int) -> list[ScaleLevel]:
    return [ScaleLevel(level=i, label=f"Level {i}") for i in range(1, n + 1)]
