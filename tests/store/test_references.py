"""Every reference must exist; what is still used cannot be deleted; the tree has no loops."""

from __future__ import annotations

import datetime as dt

import pytest

from store.errors import InUseError, ValidationProblem
from store.models import (
    Assessment,
    Competency,
    Course,
    Department,
    Framework,
    Milestone,
    Requirement,
    Robot,
    RobotBenefit,
    Role,
    ScaleLevel,
    Staff,
    Theme,
    TrainingPlan,
)
from store.repository import FolderRepository

DAY = dt.date(2026, 3, 1)


@pytest.fixture
def small(repo: FolderRepository) -> FolderRepository:
    """D1 > D2, role R1, staff E1 in D2, theme T1, course C1, robot RB1."""
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Forvaltning"))
        tx.put(Department(code="D2", name="Borgerservice", parent_code="D1"))
        tx.put(Role(code="R1", name="Sagsbehandler"))
        tx.put(Staff(employee_no="E1", name="Ærle Øst", department="D2", role="R1"))
        tx.put(Theme(code="T1", rank=1, title="Data"))
        tx.put(Course(code="C1", name="Excel", raises={"DC1.1": 3}))
        tx.put(Robot(code="RB1", name="Bot", department="D2", owner="E1", operators=["E1"]))
    return repo


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (Staff(employee_no="E2", name="A", department="D9"), "department: unknown department 'D9'"),
        (Staff(employee_no="E2", name="A", department="D1", role="R9"), "role: unknown role 'R9'"),
        (Department(code="D3", name="X", parent_code="D9"), "parent_code: unknown department 'D9'"),
        (Competency(code="X1", framework="NOPE", name="X"), "framework: unknown framework 'NOPE'"),
        (
            Requirement(competency="DC9.9", level=2, department="D1"),
            "competency: unknown competency 'DC9.9'",
        ),
        (
            Requirement(competency="DC1.1", level=2, department="D9"),
            "department: unknown department 'D9'",
        ),
        (
            Requirement(competency="DC1.1", level=2, department="D1", role="R9"),
            "role: unknown role 'R9'",
        ),
        (
            Requirement(competency="DC1.1", level=2, department="D1", theme="T9"),
            "theme: unknown theme 'T9'",
        ),
        (
            Requirement(competency="DC1.1", level=9, department="D1"),
            "level: 9 is above DIGCOMP's highest level, 8 (DC1.1)",
        ),
        (
            TrainingPlan(staff="E9", competency="DC1.1", target_level=2),
            "staff: unknown employee 'E9'",
        ),
        (
            TrainingPlan(staff="E1", competency="DC9.9", target_level=2),
            "competency: unknown competency 'DC9.9'",
        ),
        (
            TrainingPlan(staff="E1", competency="DC1.1", target_level=2, course="C9"),
            "course: unknown course 'C9'",
        ),
        (Course(code="C2", name="X", raises={"DC9.9": 2}), "raises: unknown competency 'DC9.9'"),
        (
            Course(code="C2", name="X", raises={"DC1.1": 9}),
            "raises: 9 is above DIGCOMP's highest level, 8 (DC1.1)",
        ),
        (Robot(code="RB2", name="X", department="D9"), "department: unknown department 'D9'"),
        (Robot(code="RB2", name="X", department="D1", owner="E9"), "owner: unknown employee 'E9'"),
        (
            Robot(code="RB2", name="X", department="D1", operators=["E1", "E9"]),
            "operators: unknown employee 'E9'",
        ),
        (
            Robot(code="RB2", name="X", department="D1", required_competencies={"DC9.9": 2}),
            "required_competencies: unknown competency 'DC9.9'",
        ),
        (
            Robot(code="RB2", name="X", department="D1", required_competencies={"DC1.1": 9}),
            "required_competencies: 9 is above DIGCOMP's highest level, 8",
        ),
        (Milestone(theme="T9", title="X", due=DAY), "theme: unknown theme 'T9'"),
    ],
)
def test_a_record_with_a_missing_reference_is_refused(
    small: FolderRepository, record, problem: str
) -> None:
    before = {name: dict(small.ds.table(name)) for name in small.storage.tables}
    with pytest.raises(ValidationProblem) as caught:
        small.put(record)
    assert any(p.startswith(problem) for p in caught.value.lines), caught.value.lines
    reopened = FolderRepository.open(small.path)
    assert {name: dict(reopened.ds.table(name)) for name in small.storage.tables} == before


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (
            Assessment(staff="E9", competency="DC1.1", level=2, date=DAY),
            "staff: unknown employee 'E9'",
        ),
        (
            Assessment(staff="E1", competency="DC9.9", level=2, date=DAY),
            "competency: unknown competency 'DC9.9'",
        ),
        (
            Assessment(staff="E1", competency="DC1.1", level=9, date=DAY),
            "level: 9 is above DIGCOMP's highest level, 8",
        ),
        (RobotBenefit(robot="RB9", month="2026-01", hours_saved=3), "robot: unknown robot 'RB9'"),
    ],
)
def test_a_history_record_with_a_missing_reference_is_refused(
    small: FolderRepository, record, problem: str
) -> None:
    with pytest.raises(ValidationProblem) as caught:
        small.record(record)
    assert any(p.startswith(problem) for p in caught.value.lines), caught.value.lines
    reopened = FolderRepository.open(small.path)
    assert (reopened.ds.assessments, reopened.ds.robot_benefits) == ([], {})


def test_valid_references_are_accepted(small: FolderRepository) -> None:
    small.put(Requirement(competency="DC1.1", level=3, department="D1", role="R1", theme="T1"))
    small.record(Assessment(staff="E1", competency="DC1.1", level=0, date=DAY))
    small.record(RobotBenefit(robot="RB1", month="2026-01", hours_saved=3, runs=4, failed_runs=1))
    small.put(Milestone(theme="T1", title="Pilot", due=DAY))
    assert FolderRepository.open(small.path).problems() == []


def test_a_department_loop_is_refused(small: FolderRepository) -> None:
    small.put(Department(code="D3", name="Team", parent_code="D2"))
    with pytest.raises(ValidationProblem, match="parent_code: 'D3' would make a loop in the tree"):
        small.put(Department(code="D1", name="Forvaltning", parent_code="D3"))
    assert FolderRepository.open(small.path).ds.departments["D1"].parent_code is None


@pytest.mark.parametrize(
    ("table", "key", "what", "used_by"),
    [
        ("departments", "D1", "sub_department", "1 sub-department"),
        ("departments", "D2", "staff", "1 staff"),
        ("departments", "D2", "robot", "1 robot"),
        ("roles", "R1", "staff", "1 staff"),
        ("staff", "E1", "robot", "1 robot"),
        ("courses", "C1", "training_plan", "1 training plan"),
        ("competencies", "DC1.1", "assessment", "1 assessment"),
        ("competencies", "DC1.1", "requirement", "1 requirement"),
        ("competencies", "DC1.1", "course", "1 course"),
        ("frameworks", "DIGCOMP", "competency", "21 competencies"),
        ("themes", "T1", "milestone", "1 milestone"),
        ("robots", "RB1", "benefit_record", "1 benefit record"),
    ],
)
def test_deleting_what_is_still_used_is_refused_saying_by_what(
    small: FolderRepository, table: str, key: str, what: str, used_by: str
) -> None:
    with small.transaction() as tx:
        tx.put(Requirement(competency="DC1.1", level=3, department="D1"))
        tx.put(TrainingPlan(staff="E1", competency="DC1.2", target_level=2, course="C1"))
        tx.put(Milestone(theme="T1", title="Pilot", due=DAY))
        tx.record(Assessment(staff="E1", competency="DC1.1", level=2, date=DAY))
        tx.record(RobotBenefit(robot="RB1", month="2026-01", hours_saved=3))
    with pytest.raises(InUseError) as caught:
        small.delete(table, key)
    assert f"cannot delete {table} {key!r}: still used by" in str(caught.value)
    assert used_by in str(caught.value).split("still used by ")[1].split(", ")
    assert caught.value.used[what] == int(used_by.split()[0])  # as data: counted by kind
    assert key in FolderRepository.open(small.path).ds.table(table)


def test_something_unused_can_be_deleted_and_the_delete_is_audited(
    small: FolderRepository,
) -> None:
    small.put(Department(code="D3", name="Tom afdeling", parent_code="D1"))
    small.delete("departments", "D3")
    reopened = FolderRepository.open(small.path)
    assert "D3" not in reopened.ds.departments
    last = reopened.audit_entries()[-1]
    assert (last.action, last.entity, last.key) == ("delete", "departments", "D3")
    assert last.changes["name"] == ["Tom afdeling", None]


def test_a_framework_scale_cannot_shrink_below_the_levels_still_in_use(
    small: FolderRepository,
) -> None:
    scale = [ScaleLevel(level=i, label=f"Level {i}") for i in range(1, 6)]
    small.put(Framework(code="LOC", name="Local", scale=scale))
    small.put(Competency(code="LOC1", framework="LOC", name="Case system", area="Drift"))
    small.put(Requirement(competency="LOC1", level=5, department="D1"))
    small.record(Assessment(staff="E1", competency="LOC1", level=4, date=dt.date(2026, 1, 1)))

    with pytest.raises(ValidationProblem) as refused:
        small.put(Framework(code="LOC", name="Local", scale=scale[:3]))
    assert refused.value.lines == [
        "scale: levels above 3 are still used by 1 requirement, 1 assessment"
    ]
    assert small.ds.frameworks["LOC"].max_level == 5  # nothing changed

    small.put(Framework(code="LOC", name="Local, renamed", scale=scale[:5]))  # same size: fine
    small.put(Requirement(competency="LOC1", level=4, department="D1"))
    small.put(Framework(code="LOC", name="Local", scale=scale[:4]))  # nothing above 4 now
    assert small.ds.frameworks["LOC"].max_level == 4
