"""The demo municipality: deterministic for a seed, valid, and exercising every feature."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import orjson
import pytest

from reports.analysis import current_index
from reports.rules import has_key_person_risk, operator_qualified
from store.dataset import Dataset
from store.demo import DEMO_AS_OF, department_count, generate, robot_count, tree_shape
from store.models import (
    DecisionDomain,
    MilestoneStatus,
    PlanStatus,
    RobotPhase,
)
from store.repository import FolderRepository
from tui.cli import main

OPEN = {PlanStatus.PLANNED, PlanStatus.IN_PROGRESS}
ROOT = Path(__file__).resolve().parents[2]


def _generate(path: Path, staff: int, seed: int) -> FolderRepository:
    repo = FolderRepository.open(path, create=True, user="demo")
    generate(repo, staff=staff, seed=seed)
    return repo


def _audit_without_time(path: Path) -> list[dict]:
    lines = [orjson.loads(line) for line in (path / "audit.jsonl").read_bytes().splitlines()]
    return [{k: v for k, v in line.items() if k != "at"} for line in lines]


def _meta_without_audit_checksum(path: Path) -> dict:
    """meta.json, but for the audit log's checksum (its lines hold the time they were made)."""
    meta = orjson.loads((path / "meta.json").read_bytes())
    meta["meta"]["1"]["history"]["audit.jsonl"].pop()
    return meta


def _ancestors(ds: Dataset, code: str) -> list[str]:
    chain = []
    while code is not None:
        chain.append(code)
        code = ds.departments[code].parent_code
    return chain


# ---------------------------------------------------------------------------- determinism
def test_same_seed_gives_identical_files(demo_db_template: Path, tmp_path: Path) -> None:
    """Also in another process with another string-hash seed: no set or hash order leaks in."""
    again = tmp_path / "again"
    script = (
        "import sys; from store.repository import FolderRepository; from store.demo import "
        "generate; generate(FolderRepository.open(sys.argv[1], create=True, user='demo'))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(again)], env=env, check=True)
    register = sorted(p.name for p in demo_db_template.glob("*.json"))
    assert "staff.json" in register and "training_plans.json" in register
    register.remove("meta.json")
    for name in register + ["assessments.jsonl", "robot_benefits.jsonl"]:
        assert (again / name).read_bytes() == (demo_db_template / name).read_bytes(), name
    assert _audit_without_time(again) == _audit_without_time(demo_db_template)
    assert _meta_without_audit_checksum(again) == _meta_without_audit_checksum(demo_db_template)


def test_another_seed_gives_another_municipality(tmp_path: Path) -> None:
    one = _generate(tmp_path / "one", 200, 1)
    two = _generate(tmp_path / "two", 200, 2)
    assert [s.name for s in one.ds.staff.values()] != [s.name for s in two.ds.staff.values()]
    assert (one.path / "assessments.jsonl").read_bytes() != (
        two.path / "assessments.jsonl"
    ).read_bytes()


# ---------------------------------------------------------------------------- validity
def test_demo_passes_check(demo_repo: FolderRepository, capsys: pytest.CaptureFixture) -> None:
    assert demo_repo.problems() == []
    assert main(["check", "--db", str(demo_repo.path)]) == 0
    assert "clean" in capsys.readouterr().out


def test_small_sizes_still_make_a_valid_municipality(tmp_path: Path) -> None:
    repo = _generate(tmp_path / "tiny", 25, 3)
    assert repo.problems() == []
    assert len(repo.ds.staff) == 25
    assert {r.phase for r in repo.ds.robots.values()} == set(RobotPhase)


def test_one_summary_audit_entry_for_the_whole_generation(demo_repo: FolderRepository) -> None:
    entries = demo_repo.audit_entries()
    demo = [e for e in entries if "demo municipality" in e.key]
    assert len(demo) == 1
    counts = demo[0].changes["counts"][1]
    assert counts["create:staff"] == 1200
    assert counts["create:assessments"] == len(demo_repo.ds.assessments)


# ---------------------------------------------------------------------------- organisation
def test_organisation_has_three_levels_with_leads(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    depth = Counter(len(_ancestors(ds, code)) for code in ds.departments)
    assert set(depth) == {1, 2, 3}
    assert 5 <= depth[1] <= 7 and 35 <= len(ds.departments) <= 45
    names = {d.name for d in ds.departments.values()}
    assert {"Social- og Sundhedsforvaltningen", "Ældre og Pleje"} <= names
    for dept in ds.departments.values():
        lead = ds.staff[dept.lead]
        assert (lead.department, lead.role) == (dept.code, "LED")


def test_staff_roles_agents_and_leavers(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    assert len(ds.staff) == 1200
    assert 8 <= len({s.role for s in ds.staff.values()}) <= 10
    assert any(set(s.name) & set("æøåÆØÅ") for s in ds.staff.values())
    emails = [s.email for s in ds.staff.values()]
    assert len(set(emails)) == len(emails) and all(e.isascii() for e in emails)
    with_agent = {s.department for s in ds.staff.values() if s.digital_agent}
    assert len(with_agent) > len(ds.departments) / 2
    inactive = [s for s in ds.staff.values() if not s.active]
    assert 0 < len(inactive) < len(ds.staff) / 10


# ---------------------------------------------------------------------------- competencies
def test_local_framework_on_its_own_scale(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    local = [c for c in ds.competencies.values() if c.framework != "DIGCOMP"]
    assert len(local) == 4
    assert {ds.frameworks[c.framework].max_level for c in local} == {5}
    assert ds.frameworks["DIGCOMP"].max_level == 8


def test_requirements_per_role_inherit_and_highest_wins(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    reqs = list(ds.requirements.values())
    assert any(r.role for r in reqs) and any(r.role is None for r in reqs)
    assert {r.theme for r in reqs} == {t for t in ds.themes}
    top = {code for code, d in ds.departments.items() if d.parent_code is None}
    assert any(r.department in top for r in reqs), "directorates pass requirements down"
    # someone has two requirements on one competency at different levels: the highest wins
    conflicts = 0
    for person in ds.staff.values():
        levels = defaultdict(set)
        for code in _ancestors(ds, person.department):
            for r in reqs:
                if r.department == code and r.role in (None, person.role):
                    levels[r.competency].add(r.level)
        conflicts += sum(len(v) > 1 for v in levels.values())
        if conflicts:
            break
    assert conflicts


# ---------------------------------------------------------------------------- history
def test_assessment_history(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    rows = ds.assessments
    assert 15 <= len(rows) / len(ds.staff) <= 20
    dates = [r.date for r in rows]
    assert dates == sorted(dates), "recorded in date order"
    assert max(dates) <= DEMO_AS_OF and min(dates) < DEMO_AS_OF - dt.timedelta(days=2 * 365)
    assert {r.source for r in rows} == {"self", "manager", "test", "training"}
    assert any(r.valid_until and r.valid_until < DEMO_AS_OF for r in rows), "some expired"
    assessed = {r.staff for r in rows}
    never = [s for s in ds.staff.values() if s.active and s.employee_no not in assessed]
    assert 0 < len(never) < len(ds.staff) / 5
    by_day = defaultdict(set)
    for r in rows:
        by_day[(r.staff, r.competency, r.date)].add(r.source)
    assert any(len(sources) > 1 for sources in by_day.values()), "same date, another source"
    keys = [r.key() for r in rows]
    assert len(set(keys)) == len(keys)


def test_training_plans_in_every_status_some_overdue(demo_repo: FolderRepository) -> None:
    plans = list(demo_repo.ds.training_plans.values())
    assert {p.status for p in plans} == set(PlanStatus)
    overdue = {p.status for p in plans if p.status in OPEN and p.due < DEMO_AS_OF}
    assert overdue == OPEN
    assert all(p.completed and p.completed <= DEMO_AS_OF for p in plans if p.status == "completed")
    assert all(p.course in demo_repo.ds.courses for p in plans if p.course)


# ---------------------------------------------------------------------------- robots
def test_robots_in_every_phase_with_benefits(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    assert 25 <= len(ds.robots) <= 35
    assert {r.phase for r in ds.robots.values()} == set(RobotPhase)
    production = [r for r in ds.robots.values() if r.phase == RobotPhase.PRODUCTION]
    assert all(r.operators and r.go_live for r in production)
    months = defaultdict(list)
    for b in ds.robot_benefits.values():
        months[b.robot].append(b)
    for robot in production:
        logged = sorted(b.month for b in months[robot.code])
        assert logged[0] == f"{robot.go_live:%Y-%m}" and logged[-1] == "2026-10"
    realisation = {
        r.code: sum(b.hours_saved for b in months[r.code] if b.month >= "2025-11")
        / r.expected_hours_per_year
        for r in production
        if r.go_live < dt.date(2025, 10, 1)
    }
    assert any(v < 0.75 for v in realisation.values()), "some robots under-deliver"
    assert any(v >= 0.9 for v in realisation.values())


def test_some_production_robots_carry_key_person_risk(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    current = current_index(ds.assessments, DEMO_AS_OF)

    def qualified(robot) -> int:
        return sum(
            operator_qualified(
                ds.staff[op].active,
                robot.required_competencies,
                {c: row.level for c, row in current.get(op, {}).items()},
            )
            for op in robot.operators
        )

    production = [r for r in ds.robots.values() if r.phase == RobotPhase.PRODUCTION]
    at_risk = [r for r in production if has_key_person_risk(r.phase, qualified(r))]
    assert at_risk and len(at_risk) < len(production)


# ---------------------------------------------------------------------------- strategy
def test_themes_milestones_and_governance(demo_repo: FolderRepository) -> None:
    ds = demo_repo.ds
    assert len(ds.themes) == 4
    assert all(t.end_state and t.stakeholders and t.target_date for t in ds.themes.values())
    for theme in ds.themes.values():
        dues = [m.due for m in ds.milestones.values() if m.theme == theme.code]
        assert len(dues) >= 3 and max(dues) == theme.target_date, "backcast from the end state"
    open_ = {MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS}
    assert any(m.due < DEMO_AS_OF and m.status in open_ for m in ds.milestones.values())
    assert set(ds.governance) == {str(d) for d in DecisionDomain}


# ---------------------------------------------------------------------------- scaling
@pytest.mark.parametrize("staff", [30, 1200, 5000, 50000])
def test_scaling_keeps_three_levels_and_proportions(staff: int) -> None:
    departments = department_count(staff)
    directorates, areas, units = tree_shape(departments)
    assert directorates + areas + units == departments
    assert min(directorates, areas, units) >= 1
    assert robot_count(departments) >= 6
    if staff >= 1200:
        assert directorates == 6
        assert 25 <= robot_count(departments) / departments * 40 <= 35
    assert department_count(50000) in range(250, 351)


# ---------------------------------------------------------------------------- issue 15 figures
def test_coverage_rules_some_met_and_some_not(demo_repo: FolderRepository) -> None:
    from reports import build_report

    coverage = build_report("coverage", demo_repo.ds, DEMO_AS_OF).to_dict()["rules"]
    results = [r["met"] for rule in coverage for r in rule["results"]]
    assert len(coverage) >= 3 and True in results and False in results
    each = [rule for rule in coverage if rule["each"]]
    assert each and len(each[0]["results"]) >= 3, "an each rule over departments below"
    robot_departments = {r.department for r in demo_repo.ds.robots.values()}
    assert any(
        rule["competency"] == "LOK-RPA" and rule["department"] in robot_departments
        for rule in coverage
    )


def test_ratings_lapse_within_60_days_without_changing_any_level(
    demo_repo: FolderRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lapsing ratings are renewals on the current level dated after every other rating of
    the pair: every level on every date up to DEMO_AS_OF, the stale ratings and the
    disagreements are those of the demo without them."""
    from reports import build_report

    ratings = build_report("ratings", demo_repo.ds, DEMO_AS_OF).to_dict()
    assert 20 <= len(ratings["expiring"]) <= 60
    monkeypatch.setattr("store.demo.municipality.renewals", lambda *args: [])
    without = _generate(tmp_path / "without", 1200, 1).ds
    assert len(without.assessments) + len(ratings["expiring"]) <= len(demo_repo.ds.assessments)
    for day in [DEMO_AS_OF - dt.timedelta(days=days) for days in range(0, 3 * 365, 30)]:
        levels = {
            (s, c): row.level
            for s, rows in current_index(demo_repo.ds.assessments, day).items()
            for c, row in rows.items()
        }
        before = {
            (s, c): row.level
            for s, rows in current_index(without.assessments, day).items()
            for c, row in rows.items()
        }
        assert levels == before, day
    again = build_report("ratings", without, DEMO_AS_OF).to_dict()
    assert again["expiring"] == []
    assert (again["stale"], again["disagreements"]) == (
        ratings["stale"],
        ratings["disagreements"],
    )
