"""The repository's everyday contract: save, reload, audit, refuse bad references."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from store.errors import InUseError, ValidationProblem
from store.models import Assessment, Department, Role, Staff, TrainingPlan
from store.repository import FolderRepository
from tui import cli


def test_changes_survive_reopening_and_are_audited(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Role(code="R1", name="Sagsbehandler"))
    repo.put(Staff(employee_no="E1", name="Søren Ærø", department="D1", role="R1"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=3, date=dt.date(2026, 1, 5)))
    plan = repo.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=4))

    reopened = FolderRepository.open(repo.path)

    assert reopened.ds.staff["E1"].name == "Søren Ærø"
    assert [(a.staff, a.level) for a in reopened.ds.assessments] == [("E1", 3)]
    assert plan.id == "TP-000001" and plan.id in reopened.ds.training_plans
    audited = [(e.action, e.entity, e.key) for e in reopened.audit_entries()]
    assert ("create", "staff", "E1") in audited
    assert ("create", "assessments", "E1|DC1.1|2026-01-05|self") in audited


def test_update_records_old_and_new_values(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Old name"))
    repo.put(Department(code="D1", name="New name"))
    last = repo.audit_entries()[-1]
    assert (last.action, last.user, last.changes) == (
        "update",
        "tester",
        {"name": ["Old name", "New name"]},
    )


def test_unknown_department_is_refused_and_nothing_is_written(repo: FolderRepository) -> None:
    before = sorted(p.name for p in repo.path.iterdir())
    with pytest.raises(ValidationProblem, match="department: unknown department 'NOPE'"):
        repo.put(Staff(employee_no="E9", name="Nobody", department="NOPE"))
    assert sorted(p.name for p in repo.path.iterdir()) == before
    assert "E9" not in FolderRepository.open(repo.path).ds.staff


def test_deleting_a_department_with_staff_says_what_uses_it(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="A", department="D1"))
    with pytest.raises(InUseError, match="still used by 1 staff"):
        repo.delete("departments", "D1")
    assert "D1" in FolderRepository.open(repo.path).ds.departments


def reset_counters(repo: FolderRepository) -> None:
    """meta.json with its key counters gone, as an old or hand-restored copy may have it."""
    meta_path = repo.path / "meta.json"
    meta = orjson.loads(meta_path.read_bytes())
    meta["meta"]["1"]["counters"] = {}
    meta_path.write_bytes(orjson.dumps(meta))


def test_a_reset_counter_never_hands_out_an_existing_key(
    repo: FolderRepository, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    for no in ("E1", "E2"):
        repo.put(Staff(employee_no=no, name=f"Person {no}", department="D1"))
    first = repo.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=4))
    second = repo.put(TrainingPlan(staff="E1", competency="DC1.2", target_level=3))
    assert (first.id, second.id) == ("TP-000001", "TP-000002")
    reset_counters(repo)

    reopened = FolderRepository.open(repo.path)
    assert reopened.problems() == [
        "meta.json: counter TP is 0, behind training_plans, which holds TP-000002: "
        "new keys continue after the highest"
    ]
    assert cli.main(["check", "--db", str(repo.path)]) == 1
    assert "counter TP is 0, behind training_plans" in capsys.readouterr().out

    with reopened.transaction() as tx:
        third = tx.put(TrainingPlan(staff="E2", competency="DC1.3", target_level=2))
        fourth = tx.put(TrainingPlan(staff="E2", competency="DC2.1", target_level=2))
    assert (third.id, fourth.id) == ("TP-000003", "TP-000004")
    plans = FolderRepository.open(repo.path).ds.training_plans
    assert plans["TP-000001"].staff == "E1" and plans["TP-000002"].competency == "DC1.2"
    assert reopened.problems() == []
    created = [e.key for e in reopened.audit_entries() if e.entity == "training_plans"]
    assert created == ["TP-000001", "TP-000002", "TP-000003", "TP-000004"]
