"""Validation messages name the field; keys are unique; a key is created or updated by put."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from store.errors import StoreError, ValidationProblem, format_pydantic_error
from store.models import (
    Assessment,
    Department,
    Framework,
    GovernanceDecision,
    RobotBenefit,
    Staff,
    TrainingPlan,
)
from store.repository import FolderRepository


def messages(build: Callable[[], object]) -> list[str]:
    """The 'field: problem' lines a user would see for a model that fails validation."""
    with pytest.raises(ValidationError) as caught:
        build()
    return format_pydantic_error(caught.value)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: Department(code="", name="x"), "code: required, but empty"),
        (lambda: Department(code="   ", name="x"), "code: required, but empty"),
        (lambda: Staff(employee_no="E1", name="", department="D1"), "name: required, but empty"),
        (
            lambda: Staff(employee_no="E1", name="A", department="D1", start_date="2026-13-01"),
            "start_date: '2026-13-01' is not a valid date (YYYY-MM-DD)",
        ),
        (
            lambda: Staff(employee_no="E1", name="A", department="D1", email="nobody"),
            "email: not an e-mail address: 'nobody'",
        ),
        (
            lambda: TrainingPlan(staff="E1", competency="DC1.1", target_level=2, status="done"),
            "status: 'done' is not one of 'planned', 'in_progress', 'completed' or 'cancelled'",
        ),
        (
            lambda: Assessment(
                staff="E1", competency="DC1.1", level=2, date="2026-01-01", source="boss"
            ),
            "source: 'boss' is not one of 'self', 'manager', 'test' or 'training'",
        ),
        (
            lambda: Assessment(staff="E1", competency="DC1.1", level="abc", date="2026-01-01"),
            "level: 'abc' is not a whole number",
        ),
        (
            lambda: Assessment(staff="E1", competency="DC1.1", level=2, date="yesterday"),
            "date: 'yesterday' is not a valid date (YYYY-MM-DD)",
        ),
        (
            lambda: Assessment(
                staff="E1", competency="DC1.1", level=2, date="2026-02-01", valid_until="2026-01-01"
            ),
            "valid_until: must be on or after the assessment date",
        ),
        (
            lambda: RobotBenefit(robot="RB1", month="2026-13", hours_saved=1),
            "month: month must be YYYY-MM, got '2026-13'",
        ),
        (
            lambda: RobotBenefit(robot="RB1", month="26-01", hours_saved=1),
            "month: month must be YYYY-MM",
        ),
        (
            lambda: RobotBenefit(
                robot="RB1", month="2026-01", hours_saved=1, runs=3, failed_runs=4
            ),
            "failed_runs: cannot exceed runs",
        ),
        (
            lambda: RobotBenefit(robot="RB1", month="2026-01", hours_saved=-1),
            "hours_saved: -1 is below the lowest allowed, 0",
        ),
        (
            lambda: GovernanceDecision(domain="it_budget", decision_rights="feudal"),
            "domain: 'it_budget' is not one of 'it_principles'",
        ),
        (
            lambda: GovernanceDecision(domain="it_principles", decision_rights="tyranny"),
            "decision_rights: 'tyranny' is not one of 'business_monarchy'",
        ),
        (
            lambda: Department(code="D1", name="x", parent_code="D1"),
            "parent_code: a department cannot be its own parent",
        ),
        (
            lambda: Framework(code="F", name="F", scale=[{"level": 2, "label": "two"}]),
            "scale: levels must be 1..1 in order, got [2]",
        ),
        (lambda: Department(code="D1", name="x", colour="red"), "colour: not a field of this"),
    ],
)
def test_a_bad_value_gives_a_message_naming_the_field(build, expected: str) -> None:
    found = messages(build)
    assert any(line.startswith(expected) for line in found), found


def test_a_level_outside_the_framework_scale_is_refused_naming_the_field(
    repo: FolderRepository,
) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    with pytest.raises(ValidationProblem) as caught:
        repo.record(Assessment(staff="E1", competency="DC1.1", level=9, date=dt.date(2026, 1, 1)))
    assert caught.value.lines == ["level: 9 is above DIGCOMP's highest level, 8 (DC1.1)"]
    [found] = caught.value.problems  # as data, for a form to show at its field
    assert (found.field, found.code, found.params["top"]) == ("level", "level_above_scale", 8)
    with pytest.raises(
        ValidationProblem, match="target_level: 9 is above DIGCOMP's highest level, 8"
    ):
        repo.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=9))
    assert repo.ds.assessments == []
    assert FolderRepository.open(repo.path).ds.training_plans == {}


def test_putting_an_existing_key_updates_the_one_record(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Old"))
    repo.put(Department(code="D1", name="New"))
    reopened = FolderRepository.open(repo.path)
    assert [(d.code, d.name) for d in reopened.ds.departments.values()] == [("D1", "New")]
    stored = reopened.storage.tables["departments"].storage.data["departments"]
    assert [doc["code"] for doc in stored.values()] == ["D1"]


def test_create_refuses_an_existing_key_and_changes_nothing(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Old"))
    with (
        pytest.raises(ValidationProblem, match="departments 'D1': code: D1 is already used by Old"),
        repo.transaction() as tx,
    ):
        tx.create(Department(code="D2", name="Other"))
        tx.create(Department(code="D1", name="Duplicate"))
    reopened = FolderRepository.open(repo.path)
    assert {k: d.name for k, d in reopened.ds.departments.items()} == {"D1": "Old"}
    with pytest.raises(ValidationProblem, match="already used by Old"):
        repo.create(Department(code="D1", name="Again"))


def test_a_taken_employee_number_names_whose_it_is(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse Ørsted", department="D1", active=False))
    with pytest.raises(ValidationProblem) as refused:
        repo.create(Staff(employee_no="E1", name="Someone New", department="D1"))
    assert refused.value.lines == [
        "employee_no: E1 is already the number of Åse Ørsted (Borgerservice, inactive)"
    ]


def test_handed_out_ids_are_never_reused(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="D"))
    repo.put(Staff(employee_no="E1", name="A", department="D1"))
    first = repo.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=2))
    with pytest.raises(ValidationProblem):
        repo.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=99 // 10))
    second = repo.put(TrainingPlan(staff="E1", competency="DC1.2", target_level=2))
    repo.delete("training_plans", second.id)
    third = FolderRepository.open(repo.path).put(
        TrainingPlan(staff="E1", competency="DC1.3", target_level=2)
    )
    assert (first.id, second.id, third.id) == ("TP-000001", "TP-000002", "TP-000003")


def test_history_and_register_are_not_mixed_up(repo: FolderRepository) -> None:
    with pytest.raises(StoreError, match="assessments is history: use record"):
        repo.put(Assessment(staff="E1", competency="DC1.1", level=1, date="2026-01-01"))
    with pytest.raises(StoreError, match="departments is not history: use put"):
        repo.record(Department(code="D1", name="X"))
    with pytest.raises(StoreError, match="assessments is not a register table"):
        repo.delete("assessments", "E1|DC1.1|2026-01-01|self")
    with pytest.raises(StoreError, match="nonsense is not a register table"):
        repo.delete("nonsense", "x")
    assert FolderRepository.open(repo.path).ds.departments == {}


FRESH_PROCESS = """
import datetime as dt
from pydantic import ValidationError
import store.models as models
from store.models import Assessment, build_validators
built = lambda: sorted(m.__name__ for m in models._MODELS if m.__pydantic_complete__)
print(built())  # none: each model's validator is built when first used
try:
    Assessment(staff="E1", competency="DC1.1", level=99, date=dt.date(2026, 1, 2))
except ValidationError as error:
    print(error.errors()[0]["loc"])
print(Assessment(staff=" E1 ", competency="DC1.1", level=2, date=dt.date(2026, 1, 2)).staff)
build_validators()
print(len(built()) == len(models._MODELS))
"""


def test_a_models_validator_is_built_when_first_used_or_all_at_once_when_asked() -> None:
    """Importing the models builds no validator (a command reading trusted files needs few);
    the first use builds one that refuses and trims as ever; `build_validators` (the app,
    while its first screen is read) builds the rest."""
    import subprocess
    import sys
    from pathlib import Path

    run = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["[]", "('level',)", "E1", "True"]


FIRST_SCREEN = """
import sys
import store.models as models
from store import open_store
from store.demo import DEMO_AS_OF
from reports import build_report
from reports.analysis import analyse
from reports.overview import build_overview
repo = open_store(sys.argv[1], read_only=True)
build_overview(analyse(repo.ds, DEMO_AS_OF))
build_report("gaps", repo.ds, DEMO_AS_OF)
print(sorted(m.__name__ for m in models._MODELS if m.__pydantic_complete__))
"""


def test_opening_and_the_first_figures_make_no_validator(demo_db_template) -> None:
    """A folder the store wrote, the Overview's figures (robots' phases included) and the gaps
    report validate nothing, so no validator is made on the way to the first screen or in a
    report command (making the first costs ~25 ms: `build_validators` makes them later)."""
    import subprocess
    import sys
    from pathlib import Path

    run = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(demo_db_template)],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
