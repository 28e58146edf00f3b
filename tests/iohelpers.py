"""Helpers for the import/export/backup/person tests (tests/store, tests/cli, tests/tui)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from store.models import (
    Assessment,
    Competency,
    CoverageRule,
    Department,
    Framework,
    GovernanceDecision,
    Milestone,
    PhaseChange,
    Requirement,
    Robot,
    RobotBenefit,
    Role,
    ScaleLevel,
    Staff,
    Stakeholder,
    Theme,
    TrainingPlan,
)
from store.repository import FolderRepository

NAME = "Søren Ærø-Østergård"
EMAIL = "soeren.oestergaard@kommune.dk"
EMPLOYEE_NO = "E4711"


def folder_hashes(path: Path) -> dict[str, str]:
    """sha256 of every file under `path` (the lock file included), by relative name."""
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def populate(repo: FolderRepository) -> None:
    """A small municipality with one record of every kind, and one person to export and erase."""
    with repo.transaction() as tx:
        tx.put(Framework(code="RPA", name="Robot operation", scale=_scale(3)))
        tx.put(Competency(code="RPA1", framework="RPA", name="Runs a robot", area="Drift"))
        tx.put(Department(code="D1", name="Borgerservice", lead=NAME))
        tx.put(Department(code="D2", name="Ydelser, team 1", parent_code="D1"))
        tx.put(Role(code="R1", name="Sagsbehandler"))
        tx.put(Staff(employee_no=EMPLOYEE_NO, name=NAME, email=EMAIL, department="D2", role="R1"))
        tx.put(Staff(employee_no="E2", name="Bo Hansen", department="D1", digital_agent=True))
        tx.put(Requirement(competency="RPA1", level=2, department="D1", role="R1"))
        tx.put(Requirement(competency="DC1.1", level=4, department="D2", due=dt.date(2027, 1, 1)))
        tx.put(CoverageRule(department="D1", competency="RPA1", level=2, min_people=2, each=True))
        tx.put(CoverageRule(department="D2", competency="DC1.1", level=3, min_people=1))
        tx.put(
            TrainingPlan(
                staff=EMPLOYEE_NO, competency="RPA1", target_level=2, due=dt.date(2027, 3, 1)
            )
        )
        tx.put(TrainingPlan(staff="E2", competency="DC1.1", target_level=4))
        tx.put(
            Robot(
                code="ROB1",
                name="Ydelsesrobot",
                department="D2",
                owner=EMPLOYEE_NO,
                operators=[EMPLOYEE_NO, "E2"],
                required_competencies={"RPA1": 2, "DC1.1": 3},
                phase="production",
                phase_since=dt.date(2026, 2, 1),
                phase_history=[PhaseChange(phase="test", since=dt.date(2025, 11, 3))],
                kle="27.24.08",
                run_frequency="daily",
                yearly_cost=40_000,
            )
        )
        tx.record(
            Assessment(
                staff=EMPLOYEE_NO, competency="RPA1", level=1, date=dt.date(2026, 1, 5), note="=1+1"
            )
        )
        tx.record(
            Assessment(
                staff=EMPLOYEE_NO,
                competency="DC1.1",
                level=3,
                date=dt.date(2026, 2, 1),
                source="manager",
                assessor="Bo Hansen",
                valid_until=dt.date(2027, 2, 1),
            )
        )
        tx.record(
            Assessment(
                staff="E2",
                competency="DC1.1",
                level=4,
                date=dt.date(2026, 2, 1),
                assessor=NAME,
                note=f"talked with {NAME}, line one\nline two; done",
            )
        )
        tx.put(
            Theme(
                code="T1",
                rank=1,
                title="Digitale kompetencer, alle",
                end_state="Alle kan; også de nye",
                target_date=dt.date(2027, 12, 31),
                owner="Direktionen",
                stakeholders=[
                    Stakeholder(name="MED-udvalget", role="høres", interest="high"),
                    Stakeholder(name="Borgerne; pårørende", influence="low"),
                ],
            )
        )
        tx.put(Theme(code="T2", rank=2, title="Robotter i drift"))
        tx.put(Milestone(theme="T1", title="Pilot, fase 1", due=dt.date(2027, 3, 31)))
        tx.put(
            Milestone(
                theme="T1",
                title="-Alle",
                due=dt.date(2027, 12, 31),
                owner="HR",
                status="in_progress",
            )
        )
        tx.put(
            GovernanceDecision(
                domain="it_investment",
                input_rights=["feudal", "it_duopoly"],
                decision_rights="business_monarchy",
                people=["Økonomiudvalget", "Direktionen, IT"],
            )
        )
        tx.put(GovernanceDecision(domain="it_principles", decision_rights="it_monarchy"))

        tx.record(RobotBenefit(robot="ROB1", month="2026-01", hours_saved=12.5, runs=40))


def _scale(n: int) -> list[ScaleLevel]:
    return [ScaleLevel(level=i, label=f"Level {i}") for i in range(1, n + 1)]


NEW_NAME = "Søren Holm"
NEW_EMAIL = "soeren.holm@kommune.dk"
PERSON_SECRETS = (EMPLOYEE_NO, NAME, EMAIL, NEW_NAME, NEW_EMAIL)
"""What identifies the person `spread_person` spreads: none of it may survive an erasure."""


def spread_person(repo: FolderRepository) -> None:
    """`populate`, then the person in every corner of the folder: three backups around a change
    of name and e-mail, a backup a crash left half-made, lines a crash tore (set aside in the
    database, and at the end of a backup's audit log), and the history snapshot."""
    import shutil

    from store.backup import make_backup

    populate(repo)
    make_backup(repo)
    renamed = repo.ds.staff[EMPLOYEE_NO].model_copy(update={"name": NEW_NAME, "email": NEW_EMAIL})
    repo.put(renamed)
    make_backup(repo)
    repo.record(
        Assessment(
            staff=EMPLOYEE_NO,
            competency="DC1.2",
            level=2,
            date=dt.date(2026, 3, 1),
            note=f"{NEW_NAME} asked",
        )
    )
    newest = make_backup(repo)
    shutil.copytree(newest, newest.with_name(f".{newest.name}.partial"))
    torn = f'{{"at":"2026-03-02T10:00:00+00:00","key":"{EMPLOYEE_NO}","changes":{{"name":'
    with open(newest / "audit.jsonl", "ab") as handle:
        handle.write(f'{torn}[null,"{NEW_NAME}"'.encode())
    (repo.path / "assessments.jsonl.torn").write_text(
        f'{{"staff":"{EMPLOYEE_NO}","competency":"DC1.1","note":"{NAME} and {NEW_EMAIL}\n',
        encoding="utf-8",
    )
    repo.save_snapshot(min_new_rows=0)


def leaks(db: Path) -> list[str]:
    """`file: secret` for every file under `db` (dot files, backups, cache included) that still
    holds something of what identifies the person `spread_person` spreads."""
    found = []
    for path in sorted(db.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(db)}: {s}" for s in PERSON_SECRETS if s.encode() in data]
    return found


def check_erased_cleanly(db: Path) -> None:
    """After erasing the person `spread_person` spread: nothing of them is left, the database
    opens without problems, everyone else's data is still there, and the audit log has exactly
    one entry saying that an erasure happened."""
    assert leaks(db) == []
    repo = FolderRepository.open(db, user="checker")
    assert [p for p in repo.problems() if ".torn" not in p] == []
    ds = repo.ds
    assert EMPLOYEE_NO not in ds.staff and set(ds.staff) == {"E2"}
    assert [row.staff for row in ds.assessments] == ["E2"]
    assert [p.staff for p in ds.training_plans.values()] == ["E2"]
    assert ds.robots["ROB1"].operators == ["E2"] and ds.robots["ROB1"].owner is None
    assert ds.departments["D1"].name == "Borgerservice"
    erasures = [e for e in repo.audit_entries() if e.action == "erase"]
    assert len(erasures) == 1
    assert ds.departments["D1"].lead == erasures[0].key
