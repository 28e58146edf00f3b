"""The business operations the app's forms and screens call, called here without any UI (as a
command would): requirements, plan status changes, people, assessments."""

from __future__ import annotations

import datetime as dt

import pytest

from store import ConflictError, Repository, ValidationProblem, open_store
from store.models import Assessment, Department, PlanStatus, Requirement, Role, Staff, TrainingPlan
from store.requirements import remove_requirement, save_requirement
from store.staff import record_assessment, save_person, set_active
from store.training import (
    PlanStatusError,
    cancel_plan,
    complete_plan,
    save_plan,
    start_plan,
)

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def office(tmp_path) -> Repository:
    """A database with one department, one role and one person."""
    repo = open_store(tmp_path / "db", create=True, user="hr")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Role(code="R1", name="Sagsbehandler"))
        tx.put(Staff(employee_no="E1", name="Åse Ørsted", department="D1", role="R1"))
    return repo


def reopened(repo: Repository) -> Repository:
    """What another process sees now."""
    return open_store(repo.path)


def audited(repo: Repository) -> list[tuple[str, str, str]]:
    return [(e.action, e.entity, e.key) for e in reopened(repo).audit_entries()]


def test_a_requirement_is_added_edited_and_rekeyed_in_one_step(office) -> None:
    first = save_requirement(office, Requirement(department="D1", competency="DC1.1", level=3))
    raised = save_requirement(office, first.model_copy(update={"level": 4}), first)
    for_role = save_requirement(office, raised.model_copy(update={"role": "R1"}), raised)

    assert list(reopened(office).ds.requirements.values()) == [for_role]
    assert audited(office)[-3:] == [
        ("update", "requirements", first.key()),
        ("delete", "requirements", first.key()),
        ("create", "requirements", for_role.key()),
    ]


def test_rekeying_onto_another_requirement_or_a_stale_one_is_refused(office) -> None:
    one = save_requirement(office, Requirement(department="D1", competency="DC1.1", level=3))
    two = save_requirement(office, Requirement(department="D1", competency="DC1.2", level=2))
    with pytest.raises(ValidationProblem):
        save_requirement(office, two.model_copy(update={"competency": "DC1.1"}), two)
    changed = save_requirement(office, one.model_copy(update={"level": 5}), one)
    with pytest.raises(ConflictError):  # `one` as read before the change
        save_requirement(office, one.model_copy(update={"role": "R1"}), one)
    with pytest.raises(ConflictError):
        remove_requirement(office, one)
    assert set(reopened(office).ds.requirements.values()) == {changed, two}
    remove_requirement(office, changed)
    assert list(reopened(office).ds.requirements.values()) == [two]


def test_a_plan_is_started_then_completed_and_a_closed_plan_stays_as_it_is(office) -> None:
    plan = save_plan(office, TrainingPlan(staff="E1", competency="DC1.1", target_level=4))
    started = start_plan(office, plan)
    assert reopened(office).ds.training_plans[plan.id].status == PlanStatus.IN_PROGRESS
    with pytest.raises(PlanStatusError, match="Only a planned plan can be started"):
        start_plan(office, started)
    done = complete_plan(office, started, DAY, level=4)
    stored = reopened(office).ds
    assert stored.training_plans[plan.id] == done and done.completed == DAY
    assert [(a.staff, a.level, a.source) for a in stored.assessments] == [("E1", 4, "training")]
    with pytest.raises(PlanStatusError, match="already completed"):
        cancel_plan(office, done)
    with pytest.raises(PlanStatusError, match="already completed"):
        complete_plan(office, done, DAY, level=5)
    assert len(reopened(office).ds.assessments) == 1


def test_cancelling_keeps_the_plan_on_record_and_refuses_a_stale_copy(office) -> None:
    plan = save_plan(office, TrainingPlan(staff="E1", competency="DC1.2", target_level=3))
    moved = save_plan(office, plan.model_copy(update={"target_level": 5}), plan)
    with pytest.raises(ConflictError):
        cancel_plan(office, plan)
    cancelled = cancel_plan(office, moved)
    assert reopened(office).ds.training_plans[plan.id] == cancelled
    assert cancelled.status == PlanStatus.CANCELLED and cancelled.target_level == 5
    with pytest.raises(PlanStatusError, match="this one is cancelled"):
        start_plan(office, cancelled)


def test_a_person_is_added_deactivated_and_reactivated_never_deleted(office) -> None:
    person = save_person(office, Staff(employee_no="E2", name="Bo Ibsen", department="D1"))
    with pytest.raises(ValidationProblem):  # the number is taken
        save_person(office, Staff(employee_no="E2", name="Someone else", department="D1"))
    gone = set_active(office, person, False)
    assert reopened(office).ds.staff["E2"].active is False
    with pytest.raises(ConflictError):  # `person` as read before the deactivation
        set_active(office, person, False)
    set_active(office, gone, True)
    assert reopened(office).ds.staff["E2"].active is True
    assert audited(office)[-2:] == [("update", "staff", "E2"), ("update", "staff", "E2")]


def test_an_assessment_is_recorded_and_a_bad_level_refused(office) -> None:
    record_assessment(office, Assessment(staff="E1", competency="DC1.1", level=3, date=DAY))
    with pytest.raises(ValidationProblem):
        record_assessment(office, Assessment(staff="E1", competency="DC1.1", level=9, date=DAY))
    assert [(a.staff, a.level) for a in reopened(office).ds.assessments] == [("E1", 3)]


def test_a_status_refusal_is_data_the_caller_can_place(office) -> None:
    plan = save_plan(office, TrainingPlan(staff="E1", competency="DC1.1", target_level=4))
    done = complete_plan(office, plan, DAY, level=None)
    with pytest.raises(PlanStatusError) as refused:
        start_plan(office, done)
    assert (refused.value.problem.field, refused.value.problem.code) == (
        "status",
        "plan_not_planned",
    )
    assert refused.value.problem.params == {"status": "completed"}
