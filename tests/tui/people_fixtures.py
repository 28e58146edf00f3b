"""A small hand-made municipality for the People and form tests: every figure is known.

Names hold markup, emoji, æøå and a very long name on purpose: they must show exactly as typed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.models import Assessment, Department, Requirement, Role, Staff
from store.repository import FolderRepository

AS_OF = dt.date(2026, 1, 15)
MARKUP_NAME = "[bold]Bo[/bold] Østergård 🚀"
LONG_NAME = "Karen-Margrethe " + "Abildgaard-" * 12 + "Æbelø"


def build_small(path: Path) -> FolderRepository:
    repo = FolderRepository.open(path, create=True, user="tester")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Kommunen"))
        tx.put(Department(code="D10", name="Borgerservice", parent_code="D1"))
        tx.put(Department(code="D20", name="[red]Skole & Børn[/red] 🎒", parent_code="D1"))
        tx.put(Role(code="CW", name="Caseworker"))
        tx.put(Role(code="ED", name="Educator"))
        tx.put(
            Staff(
                employee_no="E001",
                name="Anna Ærø",
                department="D10",
                role="CW",
                digital_agent=True,
                email="anna@example.dk",
            )
        )
        tx.put(Staff(employee_no="E002", name=MARKUP_NAME, department="D10", role="CW"))
        tx.put(Staff(employee_no="E003", name=LONG_NAME, department="D20", role="ED"))
        tx.put(Staff(employee_no="E004", name="Inge Inaktiv", department="D20", active=False))
        tx.put(Requirement(competency="DC1.1", level=3, department="D1"))
        tx.put(Requirement(competency="DC2.1", level=4, department="D10", role="CW"))
        tx.record(
            Assessment(
                staff="E001",
                competency="DC1.1",
                level=2,
                date=dt.date(2025, 6, 1),
                source="manager",
                note="[i]needs[/i] practice",
            )
        )
        tx.record(
            Assessment(
                staff="E001", competency="DC2.1", level=4, date=dt.date(2025, 6, 1), source="test"
            )
        )
        tx.record(
            Assessment(
                staff="E003", competency="DC1.1", level=3, date=dt.date(2025, 9, 1), source="self"
            )
        )
    return repo


@pytest.fixture
def small_repo(tmp_path: Path) -> FolderRepository:
    return build_small(tmp_path / "small")
