"""A small hand-made municipality for the Competencies and Training screen tests (and cohorts).

    D1 Kommune
    ├── D2 Borgerservice  (E1 CW level 1 with an overdue plan to 2, E3 MG level 3, E5 CW inactive level 1)
    │   └── D4 Ydelser    (E2 CW not assessed, E6 CW level 2 with an open plan to 3)
    └── D3 Teknik         (E4 CW level 0)

RPA level 3 is required of everyone in D1 and below; the ORG scale runs 1-5.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from store.models import (
    Assessment,
    Competency,
    Department,
    Framework,
    PlanStatus,
    Requirement,
    Role,
    ScaleLevel,
    Source,
    Staff,
    Theme,
    TrainingPlan,
)
from store.repository import FolderRepository

AS_OF = dt.date(2026, 3, 1)


def build_small_org(path: Path) -> FolderRepository:
    repo = FolderRepository.open(path, create=True, user="tester")
    on = dt.date(2025, 6, 1)
    with repo.transaction() as tx:
        tx.put(
            Framework(
                code="ORG",
                name="Kommunens [bold]egne[/bold] kompetencer 🚀",
                scale=[
                    ScaleLevel(level=i, label=f"Trin {i}", descriptor=f"Kan {i} ting")
                    for i in range(1, 6)
                ],
            )
        )
        tx.put(Competency(code="RPA", framework="ORG", area="Robotter", name="Robotdrift"))
        tx.put(
            Competency(code="SEC", framework="ORG", area="Sikkerhed", name="Informationssikkerhed")
        )
        tx.put(Department(code="D1", name="Kommune"))
        tx.put(Department(code="D2", name="Borgerservice [red]æøå[/red]", parent_code="D1"))
        tx.put(Department(code="D3", name="Teknik", parent_code="D1"))
        tx.put(Department(code="D4", name="Ydelser", parent_code="D2"))
        tx.put(Role(code="CW", name="Sagsbehandler"))
        tx.put(Role(code="MG", name="Leder"))
        tx.put(Theme(code="T1", rank=1, title="Robotter i drift"))
        people = [
            ("E1", "Åse [b]Ørsted[/b]", "D2", "CW", True),
            ("E2", "Bo Berg", "D4", "CW", True),
            ("E3", "Carl Clausen", "D2", "MG", True),
            ("E4", "Dorte Dahl", "D3", "CW", True),
            ("E5", "Erik Eriksen", "D2", "CW", False),
            ("E6", "Fie Frost", "D4", "CW", True),
        ]
        for number, name, department, role, active in people:
            tx.put(
                Staff(
                    employee_no=number, name=name, department=department, role=role, active=active
                )
            )
        tx.put(Requirement(competency="RPA", level=3, department="D1"))
        for number, level in [("E1", 1), ("E3", 3), ("E4", 0), ("E5", 1), ("E6", 2)]:
            tx.record(
                Assessment(
                    staff=number, competency="RPA", level=level, date=on, source=Source.MANAGER
                )
            )
        plans = [
            ("E1", "RPA", 2, dt.date(2026, 1, 15), PlanStatus.PLANNED),
            ("E6", "RPA", 3, dt.date(2026, 3, 20), PlanStatus.IN_PROGRESS),
            ("E3", "SEC", 2, dt.date(2025, 12, 1), PlanStatus.COMPLETED),
            ("E4", "RPA", 2, dt.date(2026, 2, 1), PlanStatus.CANCELLED),
        ]
        for staff, competency, target, due, status in plans:
            completed = due if status == PlanStatus.COMPLETED else None
            tx.put(
                TrainingPlan(
                    staff=staff,
                    competency=competency,
                    target_level=target,
                    due=due,
                    status=status,
                    completed=completed,
                )
            )
    return repo
