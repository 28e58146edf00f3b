"""Robot operations without any UI (as the app's forms and `kapabel robot` call them): dated
phase changes kept as history, operators and required competencies checked against the
database, a month's benefit, the hourly rate; every refusal a Problem at its field."""

from __future__ import annotations

import datetime as dt

import pytest

from store import ConflictError, NotFoundError, Repository, ValidationProblem, open_store
from store.labels import phase_label
from store.models import (
    Department,
    PhaseChange,
    Robot,
    RobotBenefit,
    RobotPhase,
    Staff,
    parse_phase,
)
from store.robots import (
    change_phase,
    hourly_rate,
    log_month,
    save_robot,
    set_hourly_rate,
    set_operators,
    set_required_competencies,
)

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def office(tmp_path) -> Repository:
    repo = open_store(tmp_path / "db", create=True, user="hr")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Staff(employee_no="E1", name="Åse Ørsted", department="D1"))
        tx.put(Staff(employee_no="E2", name="Bo Berg", department="D1"))
    return repo


def robot(**fields) -> Robot:
    return Robot(**{"code": "RPA-1", "name": "Ydelsesrobot", "department": "D1", **fields})


def problems_of(refused: pytest.ExceptionInfo) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in refused.value.problems]


def test_danish_phase_names_are_read_and_given(danish) -> None:
    names = ["idé", "foranalyse", "udvikling", "test", "drift", "pause", "taget ud af drift"]
    assert [parse_phase(name) for name in names] == list(RobotPhase)
    assert [phase_label(p) for p in RobotPhase] == names  # the catalogue's, in Danish
    assert parse_phase("Taget_ud_af_Drift") == RobotPhase.RETIRED
    assert parse_phase("ide") == RobotPhase.IDEA and parse_phase("running") is None
    assert robot(phase="drift").phase == RobotPhase.PRODUCTION


def test_a_new_robot_begins_its_phase_on_the_day_it_is_added(office) -> None:
    saved = save_robot(office, robot(kle="27.24.08", run_frequency="daily"), on=DAY)
    again = open_store(office.path).ds.robots["RPA-1"]
    assert again == saved
    assert (again.phase, again.phase_since, again.kle, again.run_frequency) == (
        RobotPhase.IDEA,
        DAY,
        "27.24.08",
        "daily",
    )


def test_each_phase_change_is_dated_and_kept(office) -> None:
    save_robot(office, robot(), on=DAY)
    change_phase(office, "RPA-1", "development", dt.date(2026, 4, 1))
    live = change_phase(office, "RPA-1", RobotPhase.PRODUCTION, dt.date(2026, 6, 1))
    stored = open_store(office.path).ds.robots["RPA-1"]
    assert stored == live
    assert [(c.phase, c.since) for c in stored.phases()] == [
        (RobotPhase.IDEA, DAY),
        (RobotPhase.DEVELOPMENT, dt.date(2026, 4, 1)),
        (RobotPhase.PRODUCTION, dt.date(2026, 6, 1)),
    ]
    assert stored.go_live == dt.date(2026, 6, 1)  # first time in production: live that day
    audited = [e for e in open_store(office.path).audit_entries() if e.entity == "robots"]
    assert audited[-1].changes["phase"] == ["development", "production"]


def test_a_phase_change_before_the_current_phase_or_to_the_same_phase_is_refused(office) -> None:
    save_robot(office, robot(), on=DAY)
    with pytest.raises(ValidationProblem, match="2026-03-01 is before") as refused:
        change_phase(office, "RPA-1", "test", dt.date(2026, 3, 1))
    assert problems_of(refused) == [("phase_since", "phase_date_before_last")]
    with pytest.raises(ValidationProblem, match="in idea already") as refused:
        change_phase(office, "RPA-1", "idea", dt.date(2026, 5, 1))
    assert problems_of(refused) == [("phase", "phase_unchanged")]
    with pytest.raises(NotFoundError):
        change_phase(office, "NOPE", "test", DAY)
    assert open_store(office.path).ds.robots["RPA-1"].phase_history == []


def test_phase_dates_that_go_back_are_refused_by_the_model() -> None:
    with pytest.raises(ValueError, match="cannot begin before"):
        robot(phase_since=DAY, phase_history=[PhaseChange(phase="idea", since=dt.date(2026, 5, 1))])


def test_an_edit_that_changes_the_phase_keeps_the_earlier_phase(office) -> None:
    first = save_robot(office, robot(), on=DAY)
    edited = save_robot(
        office,
        first.model_copy(update={"name": "Ny", "phase": "paused"}),
        first,
        on=dt.date(2026, 5, 1),
    )
    assert (edited.name, edited.phase, edited.phase_since) == ("Ny", "paused", dt.date(2026, 5, 1))
    assert edited.phase_history == [PhaseChange(phase="idea", since=DAY)]
    with pytest.raises(ConflictError):
        save_robot(office, first.model_copy(update={"name": "Stale"}), first)


def test_operators_and_owner_must_be_people_and_operators_named_once(office) -> None:
    save_robot(office, robot(owner="E1"), on=DAY)
    assert set_operators(office, "RPA-1", ["E1", "E2"]).operators == ["E1", "E2"]
    with pytest.raises(ValidationProblem, match="unknown employee 'E9'") as refused:
        set_operators(office, "RPA-1", ["E1", "E9"])
    assert problems_of(refused) == [("operators", "unknown_reference")]
    with pytest.raises(ValidationProblem, match="'E1' is named twice"):
        set_operators(office, "RPA-1", ["E1", "E1"])
    with pytest.raises(ValidationProblem, match="owner: unknown employee 'E7'"):
        save_robot(office, robot(code="RPA-2", owner="E7"))
    assert open_store(office.path).ds.robots["RPA-1"].operators == ["E1", "E2"]


def test_required_competencies_must_exist_and_lie_within_their_scale(office) -> None:
    save_robot(office, robot(), on=DAY)
    assert set_required_competencies(office, "RPA-1", {"DC1.1": 3}).required_competencies == {
        "DC1.1": 3
    }
    with pytest.raises(ValidationProblem, match="9 is above DIGCOMP's highest level, 8"):
        set_required_competencies(office, "RPA-1", {"DC1.1": 9})
    with pytest.raises(ValidationProblem, match="unknown competency 'NOPE'"):
        set_required_competencies(office, "RPA-1", {"NOPE": 1})


def test_a_month_is_logged_and_a_later_record_corrects_it(office) -> None:
    save_robot(office, robot(), on=DAY)
    log_month(office, RobotBenefit(robot="RPA-1", month="2026-02", hours_saved=10, runs=5))
    log_month(office, RobotBenefit(robot="RPA-1", month="2026-02", hours_saved=12, runs=5))
    assert open_store(office.path).ds.robot_benefits["RPA-1|2026-02"].hours_saved == 12
    with pytest.raises(ValidationProblem, match="unknown robot 'NOPE'"):
        log_month(office, RobotBenefit(robot="NOPE", month="2026-02", hours_saved=1))


def test_the_hourly_rate_is_a_setting_of_the_database_none_by_default(office) -> None:
    assert hourly_rate(office.ds) is None
    assert set_hourly_rate(office, "412,50") == 412.5
    assert hourly_rate(open_store(office.path).ds) == 412.5
    with pytest.raises(ValidationProblem, match="'-3' is not an amount") as refused:
        set_hourly_rate(office, "-3")
    assert problems_of(refused) == [("value", "not_an_amount")]
    set_hourly_rate(office, None)
    assert hourly_rate(open_store(office.path).ds) is None
