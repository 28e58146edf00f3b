"""The repository contract every storage backend keeps (`store/storage.py`).

`backend` opens the same database as two repositories, as two processes would, on the folder and
on PostgreSQL. More of the contract, on both: tests/store/test_repository_contract.py.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from store.copying import copy_database
from store.erasure import erase_person
from store.errors import ConflictError, ValidationProblem
from store.models import (
    Assessment,
    Course,
    Department,
    Requirement,
    Robot,
    RobotBenefit,
    Staff,
    TrainingPlan,
)
from store.repository import FolderRepository
from store.storage import HISTORY_NAMES
from store.unit_of_work import REGISTER_TABLES, Repository

Opener = Callable[[], Repository]


def folder_opener(place: Path) -> Opener:
    FolderRepository.open(place, create=True, user="tester")
    return lambda: FolderRepository.open(place, user="tester")


def postgres_opener(url: str) -> Opener:
    from store import open_store
    from store.postgres.migrate import migrate

    migrate(url, user="tester")
    return lambda: open_store(url, user="tester")


OPENERS = {"folder": folder_opener, "postgres": postgres_opener}
"""Backend name -> makes a new database (a folder at the path it is given, PostgreSQL at a new
database on the test server) and returns what opens it."""


@pytest.fixture(params=sorted(OPENERS))
def backend_name(request: pytest.FixtureRequest) -> str:
    return request.param


def _place(request: pytest.FixtureRequest, backend_name: str, folder: Path, url: str) -> Path | str:
    return request.getfixturevalue(url) if backend_name == "postgres" else folder


@pytest.fixture
def backend(request: pytest.FixtureRequest, backend_name: str, tmp_path: Path) -> Opener:
    """Opens one database of the parametrised backend (each call: another repository on it)."""
    return OPENERS[backend_name](_place(request, backend_name, tmp_path / "one", "pg_url"))


@pytest.fixture
def other_backend(request: pytest.FixtureRequest, backend_name: str, tmp_path: Path) -> Opener:
    """A second, separate database of the same backend."""
    return OPENERS[backend_name](_place(request, backend_name, tmp_path / "two", "pg_url_2"))


def staffed(repo: Repository) -> None:
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Staff(employee_no="E1", name="Bo", department="D1"))


def test_a_save_is_seen_by_another_repository_after_refresh(backend: Opener) -> None:
    one, two = backend(), backend()
    staffed(one)
    assert "E1" not in two.ds.staff
    assert two.refresh() is True
    assert two.ds.staff["E1"].name == "Bo"
    assert two.refresh() is False  # nothing new


def test_a_version_is_never_changed_by_later_saves(backend: Opener) -> None:
    repo = backend()
    staffed(repo)
    before = repo.version
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 5)))
    repo.put(Department(code="D1", name="Borgerservice og Ydelser"))
    assert (
        len(before.data.assessments) == 0 and before.data.departments["D1"].name == "Borgerservice"
    )
    assert len(repo.ds.assessments) == 1 and repo.version is not before


def test_a_change_to_what_someone_else_changed_is_refused_and_nothing_is_saved(
    backend: Opener,
) -> None:
    one, two = backend(), backend()
    staffed(one)
    two.refresh()
    seen = two.ds.staff["E1"]
    one.put(seen.model_copy(update={"name": "Bo Hansen"}))
    with pytest.raises(ConflictError, match="changed by someone else"):
        two.put(seen.model_copy(update={"name": "Bo Jensen"}), expected=seen)
    assert backend().ds.staff["E1"].name == "Bo Hansen"


def test_ids_never_collide_between_repositories_saving_at_once(backend: Opener) -> None:
    first = backend()
    staffed(first)
    repos = [backend() for _ in range(3)]
    made: list[str] = []
    lock = threading.Lock()

    def plan(repo: Repository) -> None:
        for _ in range(5):
            saved = repo.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=3))
            with lock:
                made.append(saved.id)

    threads = [threading.Thread(target=plan, args=(repo,)) for repo in repos]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(made) == len(set(made)) == 15
    assert set(backend().ds.training_plans) == set(made)


def test_every_save_is_audited_with_it_and_a_refused_one_not_at_all(backend: Opener) -> None:
    repo = backend()
    staffed(repo)
    with pytest.raises(ValidationProblem):
        repo.put(Staff(employee_no="E2", name="Al", department="NOPE"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 5)))
    audited = [(e.action, e.entity, e.key) for e in backend().audit_entries()]
    assert ("create", "staff", "E1") in audited
    assert ("create", "assessments", "E1|DC1.1|2026-01-05|self") in audited
    assert not any(key == "E2" for _, _, key in audited)


def test_a_failed_transaction_leaves_no_trace(backend: Opener) -> None:
    repo = backend()
    staffed(repo)
    with pytest.raises(RuntimeError), repo.transaction() as tx:
        tx.put(Department(code="D2", name="Teknik"))
        tx.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 5)))
        raise RuntimeError("the user's code failed")
    assert "D2" not in repo.ds.departments and repo.ds.assessments == []
    reopened = backend()
    assert "D2" not in reopened.ds.departments and reopened.ds.assessments == []


def test_wait_for_change_sees_another_repositorys_save(backend: Opener) -> None:
    one, two = backend(), backend()
    assert two.storage.wait_for_change(0) is False
    staffed(one)
    assert two.storage.wait_for_change(30) is True
    assert two.refresh() is True


def test_replace_everything_makes_a_database_exactly_a_copy_of_another(
    backend: Opener, other_backend: Opener
) -> None:
    source = backend()
    staffed(source)
    source.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 5)))
    source.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=3))
    target = other_backend()
    target.put(Department(code="GONE", name="Only in the target"))
    with target.storage.writing() as session:
        session.replace_everything(
            {name: source.ds.table(name) for name in REGISTER_TABLES},
            {name: list(source.storage.history_records(name)) for name in HISTORY_NAMES},
            source.version.counters,
        )
    copy = other_backend()
    for name in REGISTER_TABLES:
        assert copy.ds.table(name) == source.ds.table(name), name
    assert copy.ds.assessments == source.ds.assessments
    assert copy.audit_entries() == source.audit_entries()
    assert copy.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=4)).id == "TP-000002"


def _robot() -> Robot:
    return Robot(
        code="R1",
        name="Robot",
        department="D1",
        operators=["E1"],
        required_competencies={"DC1.1": 2},
    )


SAVES_BY_OTHERS: list[tuple[str, Callable[[Repository], object]]] = [
    ("add a person", lambda r: r.put(Staff(employee_no="E2", name="Al", department="D1"))),
    ("edit a person", lambda r: r.put(Staff(employee_no="E1", name="Bo H", department="D1"))),
    (
        "record an assessment",
        lambda r: r.record(
            Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 5))
        ),
    ),
    ("add a robot (child rows)", lambda r: r.put(_robot())),
    (
        "edit a robot's child rows",
        lambda r: r.put(_robot().model_copy(update={"operators": ["E2", "E1"]})),
    ),
    (
        "record and correct a month's benefit",
        lambda r: [
            r.record(RobotBenefit(robot="R1", month="2026-02", hours_saved=h)) for h in (3, 4)
        ],
    ),
    (
        "a requirement (a key with an optional part)",
        lambda r: r.put(Requirement(competency="DC1.1", level=2, department="D1")),
    ),
    (
        "a plan (a counter moves)",
        lambda r: r.put(TrainingPlan(staff="E2", competency="DC1.1", target_level=3)),
    ),
    (
        "a course with raises",
        lambda r: r.put(Course(code="C1", name="Kursus", raises={"DC1.1": 2})),
    ),
    ("delete a record", lambda r: r.delete("courses", "C1")),
    (
        "several saves at once",
        lambda r: [
            r.put(Staff(employee_no="E3", name="Cy", department="D1")),
            r.record(Assessment(staff="E3", competency="DC1.2", level=1, date=dt.date(2026, 2, 1))),
            r.delete("requirements", "DC1.1|D1|"),
        ],
    ),
    ("erase a person", lambda r: erase_person(r, "E3")),
]


def test_a_refresh_after_others_saves_equals_a_fresh_load(
    backend: Opener, other_backend: Opener, monkeypatch, tmp_path: Path
) -> None:
    """Whatever another program saved (adds, edits, deletes, history, an erasure, a whole
    replace), a refreshed version holds exactly what opening the database afresh reads."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    reader, writer = backend(), backend()
    staffed(writer)
    assert reader.refresh() is True
    for what, save in SAVES_BY_OTHERS:
        save(writer)
        assert reader.refresh() is True, what
        fresh = backend()
        assert reader.ds == fresh.ds, what
        assert reader.version.counters == fresh.version.counters, what
    source = other_backend()
    staffed(source)
    source.put(Department(code="D9", name="Only in the source"))
    copy_database(source, writer, replace=True)
    assert reader.refresh() is True
    assert reader.ds == backend().ds and "D9" in reader.ds.departments


def test_a_save_after_others_saves_builds_on_what_they_saved(backend: Opener) -> None:
    """A write session that starts after another program's commits works on the newest
    state (read since the version the repository knew), and what it saves equals a fresh load."""
    one, two = backend(), backend()
    staffed(one)
    two.refresh()
    for save, _ in zip(SAVES_BY_OTHERS[:8], range(8), strict=False):
        save[1](one)
    plan = two.put(TrainingPlan(staff="E1", competency="DC1.2", target_level=2))
    assert plan.id == "TP-000002"  # the counter one moved was read
    assert two.ds == backend().ds
