"""The repository's contract, on every backend (the folder and PostgreSQL: `store_target`):
saves, reading again, audit, refusals, conflicts, history, processes saving at once, and the
figures reports show. More of it: tests/store/test_storage_contract.py."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import orjson
import pytest

from store.errors import ConflictError, InUseError, ValidationProblem
from store.models import (
    Assessment,
    Department,
    Robot,
    RobotBenefit,
    Role,
    Staff,
    TrainingPlan,
)
from tui.cli import main

DAY = dt.date(2026, 1, 5)


def test_changes_survive_reopening_and_are_audited(open_repo) -> None:
    repo = open_repo()
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Role(code="R1", name="Sagsbehandler"))
    repo.put(Staff(employee_no="E1", name="Søren Ærø", department="D1", role="R1"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=3, date=DAY))
    plan = repo.put(TrainingPlan(staff="E1", competency="DC1.1", target_level=4))

    reopened = open_repo()

    assert reopened.ds.staff["E1"].name == "Søren Ærø"
    assert [(a.staff, a.level) for a in reopened.ds.assessments] == [("E1", 3)]
    assert plan.id == "TP-000001" and plan.id in reopened.ds.training_plans
    audited = [(e.action, e.user, e.entity, e.key) for e in reopened.audit_entries()]
    assert ("create", "tester", "staff", "E1") in audited
    assert ("create", "tester", "assessments", "E1|DC1.1|2026-01-05|self") in audited
    assert reopened.problems() == []


def test_an_update_is_audited_with_old_and_new_values(open_repo) -> None:
    repo = open_repo()
    repo.put(Department(code="D1", name="Old name"))
    repo.put(Department(code="D1", name="New name"))
    last = open_repo().audit_entries()[-1]
    assert (last.action, last.user, last.changes) == (
        "update",
        "tester",
        {"name": ["Old name", "New name"]},
    )


def test_a_refused_change_writes_nothing(open_repo) -> None:
    repo = open_repo()
    repo.put(Department(code="D1", name="Borgerservice"))
    counts, audit = repo.ds.counts(), repo.audit_entries()
    refused = pytest.raises(ValidationProblem, match="department: unknown department 'NOPE'")
    with refused, repo.transaction() as tx:
        tx.put(Staff(employee_no="E8", name="Somebody", department="D1"))
        tx.put(Staff(employee_no="E9", name="Nobody", department="NOPE"))
    reopened = open_repo()
    assert reopened.ds.counts() == counts and repo.ds.counts() == counts
    assert reopened.audit_entries() == audit


def test_deleting_a_department_with_staff_says_what_uses_it(open_repo) -> None:
    repo = open_repo()
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="A", department="D1"))
    with pytest.raises(InUseError, match="still used by 1 staff"):
        repo.delete("departments", "D1")
    assert "D1" in open_repo().ds.departments


def test_a_stale_view_is_refreshed_before_writing(open_repo) -> None:
    mine, theirs = open_repo(), open_repo("other")
    mine.put(Department(code="D1", name="Start"))
    theirs.put(Staff(employee_no="E2", name="Other", department="D1"))
    assert "E2" not in mine.ds.staff  # not seen yet
    mine.put(Staff(employee_no="E3", name="Mine", department="D1"))
    assert {"E2", "E3"} <= set(mine.ds.staff)
    assert {"E2", "E3"} <= set(open_repo().ds.staff)


def test_a_record_changed_elsewhere_meanwhile_is_not_overwritten(open_repo) -> None:
    repo, other = open_repo(), open_repo("other")
    seen = repo.put(Department(code="D1", name="Start"))
    other.put(Department(code="D1", name="Theirs"))
    with pytest.raises(ConflictError, match="changed by someone else"):
        repo.put(seen.model_copy(update={"name": "Mine"}), expected=seen)
    with pytest.raises(ConflictError):
        repo.delete("departments", "D1", expected=seen)
    assert open_repo().ds.departments["D1"].name == "Theirs"
    current = repo.ds.departments["D1"]
    repo.put(current.model_copy(update={"name": "Mine"}), expected=current)
    assert open_repo().ds.departments["D1"].name == "Mine"


def test_history_keeps_every_record_and_the_later_one_counts(open_repo) -> None:
    repo = open_repo()
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="A", department="D1"))
    repo.put(Robot(code="RB", name="Bot", department="D1"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=DAY))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=4, date=DAY, note="corrected"))
    repo.record(RobotBenefit(robot="RB", month="2026-01", hours_saved=3))
    repo.record(RobotBenefit(robot="RB", month="2026-01", hours_saved=5, runs=2))

    ds = open_repo().ds
    assert [(a.level, a.note, a.seq) for a in ds.assessments] == [(2, "", 0), (4, "corrected", 1)]
    assert ds.robot_benefits["RB|2026-01"].hours_saved == 5


def test_a_summary_transaction_writes_one_counting_entry(open_repo) -> None:
    repo = open_repo()
    before = len(repo.audit_entries())
    with repo.transaction(summary="setup") as tx:
        tx.put(Department(code="D1", name="A"))
        tx.put(Department(code="D2", name="B"))
    entries = open_repo().audit_entries()
    assert len(entries) == before + 1
    assert entries[-1].changes == {"counts": [None, {"create:departments": 2}]}


def _outputs(target: Path | str, capsys) -> dict[str, str]:
    """What `kapabel export` of every kind and `kapabel report` print for a database."""
    from store.importing import KINDS

    outputs = {}
    commands = [["export", kind] for kind in KINDS]
    commands += [
        ["report", kind, "--format", "json", "--as-of", "2026-11-01"]
        for kind in ("gaps", "training", "robots", "strategy")
    ]
    for argv in commands:
        assert main([*argv, "--db", str(target)]) == 0, argv
        outputs[" ".join(argv)] = capsys.readouterr().out
    return outputs


def test_the_demo_gives_the_same_exports_and_figures_on_both_backends(
    tmp_path: Path, pg_url: str, capsys
) -> None:
    """The same writes give the same database: every export and report byte for byte."""
    from store import open_store
    from store.demo import generate
    from store.postgres.migrate import migrate

    migrate(pg_url, user="demo")
    folder = tmp_path / "db"
    for target in (folder, pg_url):
        repo = open_store(target, create=True, user="demo")
        generate(repo, staff=40, seed=3)
        repo.storage.close()
    on_folder, on_server = _outputs(folder, capsys), _outputs(pg_url, capsys)
    assert on_folder.keys() == on_server.keys()
    for command, text in on_folder.items():
        assert on_server[command] == text, command
    assert '"department"' in on_folder["report gaps --format json --as-of 2026-11-01"]


WRITERS = ("anna", "bent", "carl", "dora")
CHANGES = 300


def test_four_programs_saving_at_once_lose_nothing_and_share_no_key(store_target, open_repo):
    """4 processes x 300 changes (staff, a department renamed, plans with generated ids,
    assessments) at the same time: every change is there once, with its audit entry."""
    from tests.store.test_concurrency import ROOT, spawn

    setup = open_repo("setup")
    setup.put(Department(code="D1", name="Start"))
    setup.put(Staff(employee_no="E0", name="Ea", department="D1"))
    script = str(ROOT / "tests" / "store" / "concurrent_writer.py")
    writers = [spawn([script, str(store_target), name, str(CHANGES)]) for name in WRITERS]
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    handed_out: dict[str, list[str]] = {}
    for name, writer in zip(WRITERS, writers, strict=True):
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        handed_out[name] = orjson.loads(out)["plans"]

    reopened = open_repo("checker")
    ds = reopened.ds
    for name in WRITERS:
        assert {f"{name}-{i}" for i in range(0, CHANGES, 4)} <= set(ds.staff)
        notes = [r.note for r in ds.assessments if r.note.startswith(f"{name}-")]
        assert sorted(notes) == sorted(f"{name}-{i}" for i in range(3, CHANGES, 4))
    all_plans = [plan for plans in handed_out.values() for plan in plans]
    assert len(all_plans) == len(WRITERS) * CHANGES // 4
    assert len(set(all_plans)) == len(all_plans)
    assert set(all_plans) == set(ds.training_plans)
    assert ds.departments["D1"].name in {f"{name} {CHANGES - 3:04d}" for name in WRITERS}
    per_writer = Counter(e.user for e in reopened.audit_entries())
    assert {name: per_writer[name] for name in WRITERS} == dict.fromkeys(WRITERS, CHANGES)


def test_a_robots_dated_phases_new_fields_and_the_hourly_rate_are_stored(open_repo) -> None:
    """Every backend keeps a robot's phase history, KLE number, run frequency and the
    database's hourly rate (schema 3 of each)."""
    from store.robots import change_phase, hourly_rate, save_robot, set_hourly_rate

    repo = open_repo()
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="A", department="D1"))
    robot = Robot(
        code="R1", name="Robot", department="D1", owner="E1", operators=["E1"],
        kle="27.24.08", run_frequency="hver nat", yearly_cost=50_000,
    )  # fmt: skip
    save_robot(repo, robot, on=DAY)
    change_phase(repo, "R1", "production", dt.date(2026, 2, 1))
    paused = change_phase(repo, "R1", "paused", dt.date(2026, 3, 1))
    set_hourly_rate(repo, 400)

    reopened = open_repo()
    assert reopened.ds.robots["R1"] == paused
    assert [str(c.phase) for c in paused.phases()] == ["idea", "production", "paused"]
    assert hourly_rate(reopened.ds) == 400
    assert reopened.problems() == []


def test_a_backup_into_a_new_folder_is_a_folder_database_with_the_same_data(
    open_repo, tmp_path: Path
) -> None:
    """`Storage.backup(into)` on every backend: a folder database anyone can open, holding what
    the database holds (the server's too: `kapabel backup --db URL` writes one)."""
    from store import open_store

    repo = open_repo()
    repo.put(Department(code="D1", name="Borgerservice"))
    target = repo.storage.backup(tmp_path / "portable" / "copy")
    copy = open_store(target)
    assert copy.ds.counts() == repo.ds.counts()
    assert copy.ds.departments == repo.ds.departments
    assert [e.model_dump() for e in copy.audit_entries()] == [
        e.model_dump() for e in repo.audit_entries()
    ]
    copy.storage.close()
