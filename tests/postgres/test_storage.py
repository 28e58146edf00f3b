"""The PostgreSQL storage keeps the contract of `store.storage` (what the repository relies on):
one consistent Version to read, serialised atomic commits with their audit rows, counters that
never go down, insert-only history but for a rewrite, and news of others' commits."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import pytest

from store.dataset import Dataset, row_from_model
from store.errors import ConflictError, LockTimeoutError, ReadOnlyError, StoreError
from store.models import (
    Assessment,
    Competency,
    Course,
    Department,
    Framework,
    GovernanceDecision,
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
from store.postgres.migrate import migrate
from store.storage import Change, apply_change

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed: pip install -e '.[test]'"
)

from store.postgres.storage import PostgresStorage  # noqa: E402 - needs psycopg

DAY = dt.date(2026, 3, 2)


def every_kind_of_record() -> list:
    """One record of each register table, using every child table and optional field."""
    return [
        Framework(
            code="DC",
            name="DigComp",
            scale=[
                ScaleLevel(level=1, label="Basic", descriptor="can with help", group="Foundation"),
                ScaleLevel(level=2, label="Intermediate"),
            ],
        ),
        Competency(code="1.1", framework="DC", area="Information", name="Browsing"),
        Competency(code="2.1", framework="DC", name="Interacting", active=False),
        Department(code="KOM", name="Kommunen"),
        Department(code="ADM", name="Administration", parent_code="KOM", lead="Ida Lund"),
        Role(code="SAG", name="Sagsbehandler"),
        Staff(employee_no="E1", name="Åse Ærø", email="ase@example.dk", department="ADM"),
        Staff(employee_no="E2", name="Bo", department="ADM", role="SAG", start_date=DAY),
        Theme(
            code="T1",
            rank=1,
            title="Digital first",
            target_date=DAY,
            stakeholders=[{"name": "Borgmester", "role": "sponsor", "influence": "high"}],
        ),
        Requirement(competency="1.1", level=2, department="KOM"),
        Requirement(competency="1.1", level=1, department="ADM", role="SAG", theme="T1", due=DAY),
        Course(code="C1", name="Kursus", hours=7.5, raises={"2.1": 2, "1.1": 1}),
        TrainingPlan(id="TP-000001", staff="E1", competency="1.1", target_level=2, course="C1"),
        TrainingPlan(
            id="TP-000002",
            staff="E2",
            competency="2.1",
            target_level=1,
            status="completed",
            completed=DAY,
        ),
        Robot(
            code="R1",
            name="Robot",
            department="ADM",
            owner="E1",
            operators=["E2", "E1"],
            required_competencies={"2.1": 1, "1.1": 2},
            expected_hours_per_year=120.5,
        ),
        Milestone(id="MS-000001", theme="T1", title="Step", due=DAY),
        GovernanceDecision(
            domain="it_principles",
            input_rights=["feudal", "federal"],
            decision_rights="it_duopoly",
            people=["Ida Lund"],
        ),
    ]


ASSESSMENTS = [
    Assessment(staff="E1", competency="1.1", level=1, date=DAY, note="first"),
    Assessment(
        staff="E1",
        competency="1.1",
        level=2,
        date=DAY,
        source="manager",
        assessor="Ida Lund",
        valid_until=dt.date(2027, 1, 1),
    ),
    Assessment(staff="E2", competency="2.1", level=0, date=DAY),
]
BENEFITS = [
    RobotBenefit(robot="R1", month="2026-02", hours_saved=3.5, runs=10, failed_runs=1),
    RobotBenefit(robot="R1", month="2026-02", hours_saved=4.0, runs=11),
]
AUDIT = [
    {
        "at": "2026-03-02T10:00:00+00:00",
        "user": "hr",
        "action": "create",
        "entity": "staff",
        "key": "E1",
        "changes": {"name": [None, "Åse Ærø"], "active": [None, True]},
    }
]


def full_change() -> Change:
    records = every_kind_of_record()
    upserts: dict = {}
    for record in records:
        upserts.setdefault(record.table, {})[record.key()] = record
    return Change(
        upserts=upserts,
        appends={
            "assessments": [a.model_dump(mode="json") for a in ASSESSMENTS],
            "robot_benefits": [b.model_dump(mode="json") for b in BENEFITS],
            "audit": AUDIT,
        },
        counters={"TP": 2, "MS": 1},
    )


def with_change(data: Dataset, change: Change) -> Dataset:
    """`data` with `change` applied, as the repository hands it to `commit`."""
    first = len(data.assessments)
    rows = [
        row_from_model(Assessment.model_validate(r), first + i)
        for i, r in enumerate(change.appends.get("assessments", ()))
    ]
    return apply_change(data, change, rows)


def commit(storage: PostgresStorage, change: Change):
    with storage.writing() as session:
        return session.commit(change, with_change(session.version.data, change))


@pytest.fixture
def url(pg_url: str) -> str:
    migrate(pg_url, user="hr")
    return pg_url


@pytest.fixture
def storage(url: str) -> Iterator[PostgresStorage]:
    opened = PostgresStorage(url, lock_timeout=5)
    yield opened
    opened.close()


@pytest.fixture
def other(url: str) -> Iterator[PostgresStorage]:
    """The same database as another program sees it."""
    opened = PostgresStorage(url, lock_timeout=0.5)
    yield opened
    opened.close()


def test_everything_committed_reads_back_the_same(storage: PostgresStorage, other) -> None:
    change = full_change()
    committed = commit(storage, change)

    loaded = other.load()
    assert loaded.data == committed.data
    assert loaded.stamp == committed.stamp
    assert dict(loaded.counters) == {"TP": 2, "MS": 1} == dict(committed.counters)
    robot = loaded.data.robots["R1"]
    assert robot.operators == ["E2", "E1"] and list(robot.required_competencies) == ["2.1", "1.1"]
    assert loaded.data.robot_benefits["R1|2026-02"].hours_saved == 4.0  # the later record counts
    assert list(other.history_records("assessments")) == [
        a.model_dump(mode="json") for a in ASSESSMENTS
    ]
    assert list(other.history_records("robot_benefits")) == change.appends["robot_benefits"]
    assert list(other.history_records("audit"))[-1:] == AUDIT


def test_a_version_once_read_never_changes(storage: PostgresStorage) -> None:
    commit(storage, full_change())
    before = storage.load()
    assessments, staff = list(before.data.assessments), dict(before.data.staff)
    more = Assessment(staff="E2", competency="1.1", level=1, date=DAY)
    commit(storage, Change(appends={"assessments": [more.model_dump(mode="json")]}))
    assert before.data.assessments == assessments and before.data.staff == staff
    assert len(storage.load().data.assessments) == len(assessments) + 1


def test_refresh_gives_a_newer_version_only_after_a_commit(storage, other) -> None:
    known = other.load()
    assert other.refresh(known) is None
    commit(storage, full_change())
    newer = other.refresh(known)
    assert newer is not None and "E1" in newer.data.staff
    assert other.refresh(newer) is None


def test_a_refused_commit_leaves_nothing(storage: PostgresStorage) -> None:
    """A reference the server refuses (checked at commit) undoes the whole change, audit too."""
    commit(storage, full_change())
    before = storage.load()
    audit = list(storage.history_records("audit"))
    bad = Assessment(staff="NOBODY", competency="1.1", level=1, date=DAY)
    good = Staff(employee_no="E3", name="Cy", department="ADM")
    change = Change(
        upserts={"staff": {"E3": good}},
        appends={"assessments": [bad.model_dump(mode="json")], "audit": AUDIT},
        counters={"TP": 9},
    )
    with pytest.raises(StoreError) as raised:
        commit(storage, change)
    assert not isinstance(raised.value, ConflictError)
    after = storage.load()
    assert after.data == before.data and after.stamp == before.stamp
    assert dict(after.counters) == dict(before.counters)
    assert list(storage.history_records("audit")) == audit


def test_deletes_and_replacements(storage: PostgresStorage) -> None:
    commit(storage, full_change())
    renamed = Robot(code="R1", name="Robot 2", department="KOM", operators=["E1"])
    change = Change(
        upserts={"robots": {"R1": renamed}},
        deletes={"requirements": frozenset({"1.1|KOM|"}), "milestones": frozenset({"MS-000001"})},
    )
    commit(storage, change)
    data = storage.load().data
    assert data.robots["R1"] == renamed
    assert list(data.requirements) == ["1.1|ADM|SAG"]
    assert data.milestones == {}


def test_counters_never_go_down(storage: PostgresStorage) -> None:
    commit(storage, Change(counters={"TP": 5}))
    commit(storage, Change(counters={"TP": 3, "MS": 1}))
    assert dict(storage.load().counters) == {"TP": 5, "MS": 1}


def test_writers_wait_for_each_other_across_connections(storage, other) -> None:
    with storage.writing(), pytest.raises(LockTimeoutError):  # noqa: SIM117
        with other.writing():
            pass
    with other.writing():
        pass  # free again


def test_a_write_behind_the_sessions_back_is_a_conflict(storage, url: str) -> None:
    with storage.writing() as session:
        with psycopg.connect(url, autocommit=True) as rogue:
            rogue.execute("UPDATE kapabel_state SET change_no = change_no + 1")
        with pytest.raises(ConflictError):
            session.commit(full_change(), with_change(session.version.data, full_change()))
    assert storage.load().data.staff == {}


def test_rewrite_history_takes_records_out_and_leaves_the_rest(storage) -> None:
    commit(storage, full_change())
    audit = list(storage.history_records("audit"))
    with storage.writing() as session:
        session.rewrite_history(
            "assessments", lambda records: [r for r in records if r["staff"] != "E1"]
        )
    loaded = storage.load()
    assert [row.staff for row in loaded.data.assessments] == ["E2"]
    assert [row.seq for row in loaded.data.assessments] == [0]
    assert list(storage.history_records("audit")) == audit


def test_replace_everything_makes_the_database_exactly_that(storage, other) -> None:
    commit(storage, full_change())
    source = storage.load().data
    register = {name: dict(source.table(name)) for name in ("departments", "staff")}
    register["departments"].pop("ADM")
    register["departments"]["ADM"] = Department(code="ADM", name="Adm", parent_code="KOM")
    register["staff"].pop("E2")
    history = {"audit": AUDIT, "assessments": [], "robot_benefits": []}
    with other.writing() as session:
        version = session.replace_everything(register, history, {"TP": 7})
    loaded = storage.load()
    assert loaded.data == version.data
    assert set(loaded.data.staff) == {"E1"} and loaded.data.departments["ADM"].name == "Adm"
    assert loaded.data.frameworks == {} and loaded.data.assessments == []
    assert dict(loaded.counters) == {"TP": 7}
    assert list(storage.history_records("audit")) == AUDIT


def test_another_program_hears_of_a_commit(storage, other) -> None:
    """LISTEN/NOTIFY: a waiting program wakes on another's commit, not on its own."""
    other.load()
    assert other.wait_for_change(0.2) is False
    woke: list[bool] = []
    waiter = threading.Thread(target=lambda: woke.append(other.wait_for_change(30)))
    waiter.start()
    commit(storage, full_change())
    waiter.join(60)
    assert woke == [True]
    assert other.refresh(other.load()) is None


def test_a_role_that_may_only_read_cannot_write(url: str) -> None:
    role = f"reader_{uuid.uuid4().hex[:12]}"  # roles are the whole server's: one per test
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    parts = url.split("://", 1)[1].split("@", 1)[1]
    reader = PostgresStorage(f"postgresql://{role}@{parts}")
    try:
        assert reader.read_only
        assert reader.load().data.staff == {}
        with pytest.raises(ReadOnlyError):  # noqa: SIM117
            with reader.writing():
                pass
    finally:
        reader.close()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def test_a_whole_replace_gathers_the_planners_statistics(storage, url: str) -> None:
    """A copy or restore writes every table anew: the planner knows of the rows at once,
    rather than when autovacuum comes (it planned the next reads blind until then)."""

    def never_analysed() -> set[str]:
        with psycopg.connect(url) as conn:
            rows = conn.execute(
                "SELECT relname FROM pg_class WHERE relname IN ('assessments', 'staff', "
                "'robot_operators') AND reltuples < 0"
            ).fetchall()
        return {name for (name,) in rows}

    assert never_analysed() == {"assessments", "staff", "robot_operators"}
    source = with_change(Dataset(), full_change())
    register = {name: source.table(name) for name in ("departments", "roles", "staff")}
    register |= {name: source.table(name) for name in ("frameworks", "competencies")}
    history = {"assessments": full_change().appends["assessments"], "audit": AUDIT}
    with storage.writing() as session:
        session.replace_everything(register, history, {})
    assert never_analysed() == set()
