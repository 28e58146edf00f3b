"""A small hand-made municipality for the TUI tests, with names that look like markup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.models import (
    Assessment,
    Department,
    Requirement,
    Robot,
    RobotPhase,
    Role,
    Staff,
    TrainingPlan,
)
from store.repository import FolderRepository

AS_OF = dt.date(2026, 6, 30)
MARKUP_NAME = "[bold red]x[/]"


def small_records() -> tuple[list, list]:
    """Register records and assessments: two branches, one department named like markup."""
    departments = [
        Department(code="ROOT", name="Kommune"),
        Department(code="SOC", name="Social og Sundhed", parent_code="ROOT"),
        Department(code="ÆLD", name="Ældrepleje 👵 with a very long name that goes on and on", parent_code="SOC"),
        Department(code="MRK", name=MARKUP_NAME, parent_code="ROOT"),
    ]  # fmt: skip
    roles = [Role(code="CW", name="Caseworker"), Role(code="MGR", name="Manager")]
    staff = [
        Staff(employee_no="E1", name="Åse Ørsted", department="SOC", role="CW"),
        Staff(employee_no="E2", name="Bo [italic]Bent[/]", department="ÆLD", role="CW"),
        Staff(employee_no="E3", name="Cai Mørk", department="ÆLD", role="MGR"),
        Staff(employee_no="E4", name="Dorte Dahl", department="MRK", role="CW"),
        Staff(employee_no="E5", name="Ex Employee", department="MRK", role="CW", active=False),
    ]
    requirements = [
        Requirement(competency="DC1.1", level=3, department="ROOT"),
        Requirement(competency="DC2.1", level=4, department="SOC"),
        Requirement(competency="DC3.1", level=2, department="MRK", role="CW"),
    ]
    robots = [
        Robot(
            code="R1",
            name="Journal robot",
            department="SOC",
            phase=RobotPhase.PRODUCTION,
            go_live=dt.date(2025, 1, 1),
            operators=["E1"],
            required_competencies={"DC1.1": 3},
            expected_hours_per_year=1200,
        )
    ]
    plans = [TrainingPlan(staff="E2", competency="DC2.1", target_level=4, due=dt.date(2026, 3, 1))]
    day = dt.date(2026, 1, 15)
    assessments = [
        Assessment(staff="E1", competency="DC1.1", level=3, date=day, source="manager"),
        Assessment(staff="E1", competency="DC2.1", level=3, date=day, source="manager"),
        Assessment(staff="E2", competency="DC1.1", level=1, date=day),
        Assessment(staff="E3", competency="DC1.1", level=5, date=day),
        Assessment(staff="E3", competency="DC2.1", level=4, date=day),
        Assessment(staff="E4", competency="DC3.1", level=2, date=day),
    ]
    return [*departments, *roles, *staff, *requirements, *robots, *plans], assessments


@pytest.fixture
def small_repo(tmp_path: Path) -> FolderRepository:
    """The small municipality in a folder named 'small' (the name the header shows)."""
    repo = FolderRepository.open(tmp_path / "small", create=True, user="tester")
    register, assessments = small_records()
    with repo.transaction() as tx:
        for record in register:
            tx.put(record)
        for assessment in assessments:
            tx.record(assessment)
    return repo
