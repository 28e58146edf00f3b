"""Importing robots, their operators and their required competencies (issue 12's column
tables, Danish headers), refusing bad files whole with the row named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.importing import import_file
from store.models import PhaseChange
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, folder_hashes, populate


@pytest.fixture
def db(repo: FolderRepository) -> FolderRepository:
    populate(repo)
    return repo


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(plan) -> list[str]:
    """The problems without the file's path."""
    return [line.split(":", 1)[1] for line in plan.problems]


def test_robots_with_danish_headers_and_phases(db, tmp_path) -> None:
    text = (
        "Kode;Navn;Afdeling;Fase;Proces;Platform;Ejer;Idriftsat;Fase_siden;Forventede_timer;"
        "Årlig_udgift;KLE_nummer;Kørselsfrekvens\n"
        "ROB2;Journalrobot;D1;Udvikling;Journalisering;UiPath;E2;;2026-04-01;1200,5;"
        "75000;27.24.08;hver nat\n"
        "ROB3;Idérobot;D2;idé;;;;;;;;;\n"
    )
    plan = import_file(db, "robots", write(tmp_path, text))
    assert plan.problems == []
    assert plan.summary() == "robots: 2 added, 0 updated, 0 unchanged"
    robots = FolderRepository.open(db.path).ds.robots
    two = robots["ROB2"]
    assert (str(two.phase), two.phase_since, two.owner, two.expected_hours_per_year) == (
        "development", dt.date(2026, 4, 1), "E2", 1200.5,
    )  # fmt: skip
    assert (two.yearly_cost, two.kle, two.run_frequency) == (75000, "27.24.08", "hver nat")
    three = robots["ROB3"]
    assert (str(three.phase), three.phase_since) == ("idea", dt.date.today())


def test_a_phase_change_by_import_is_dated_and_the_old_phase_kept(db, tmp_path) -> None:
    header = "code,name,department_code,phase,phase_since\n"
    dated = import_file(
        db, "robots", write(tmp_path, header + "ROB1,Ydelsesrobot,D2,pause,2026-05-04\n")
    )
    assert dated.summary() == "robots: 0 added, 1 updated, 0 unchanged"
    robot = FolderRepository.open(db.path).ds.robots["ROB1"]
    assert [(str(c.phase), c.since) for c in robot.phases()] == [
        ("test", dt.date(2025, 11, 3)),
        ("production", dt.date(2026, 2, 1)),
        ("paused", dt.date(2026, 5, 4)),
    ]
    undated = "code,name,department_code,phase\nROB1,Ydelsesrobot,D2,drift\n"
    import_file(db, "robots", write(tmp_path, undated))
    robot = FolderRepository.open(db.path).ds.robots["ROB1"]
    assert (str(robot.phase), robot.phase_since) == ("production", dt.date.today())
    assert robot.phase_history[-1] == PhaseChange(phase="paused", since=dt.date(2026, 5, 4))
    again = import_file(db, "robots", write(tmp_path, undated))  # same phase: date kept
    assert again.summary() == "robots: 0 added, 0 updated, 1 unchanged"


def test_bad_robot_rows_are_refused_whole_naming_each_row(db, tmp_path) -> None:
    text = (
        "code,name,department_code,phase,owner,phase_since\n"
        "ROB7,Ny,D1,idea,,\n"
        "ROB8,Ny,NOPE,running,E9,\n"
        "ROB1,Ydelsesrobot,D2,paused,,2026-01-01\n"
    )
    before = folder_hashes(db.path)
    plan = import_file(db, "robots", write(tmp_path, text))
    assert problems(plan) == [
        "3: department_code: unknown department 'NOPE'",
        "3: phase: 'running' is not one of idea (idé), analysis (foranalyse), development "
        "(udvikling), test (test), production (drift), paused (pause), retired (taget ud af drift)",
        "3: owner: unknown employee 'E9'",
        "4: phase_since: a phase cannot begin before the phase before it began",
    ]
    assert folder_hashes(db.path) == before


def test_operators_are_set_exactly_for_the_robots_in_the_file(db, tmp_path) -> None:
    import_file(db, "robots", write(tmp_path, "code,name,department_code,phase\nROB2,To,D1,test\n"))
    db.refresh()
    text = "Robot;Medarbejdernr\nROB1;E2\nROB2;E2\nROB2;" + EMPLOYEE_NO + "\n"
    plan = import_file(db, "robot-operators", write(tmp_path, text))
    assert plan.problems == []
    assert plan.summary() == "robot-operators: 0 added, 2 updated, 0 unchanged"
    robots = FolderRepository.open(db.path).ds.robots
    assert robots["ROB1"].operators == ["E2"]
    assert robots["ROB2"].operators == ["E2", EMPLOYEE_NO]


def test_bad_operator_rows_name_the_row_and_write_nothing(db, tmp_path) -> None:
    text = "robot,employee_no\nROB1,E2\nNOPE,E2\nROB1,E9\nROB1,E2\n"
    before = folder_hashes(db.path)
    plan = import_file(db, "robot-operators", write(tmp_path, text))
    assert problems(plan) == [
        "3: robot: unknown robot 'NOPE'",
        "4: employee_no: unknown employee 'E9'",
        "5: robot/employee_no: duplicate key 'ROB1|E2' (first on line 2)",
    ]
    assert folder_hashes(db.path) == before


def test_required_competencies_are_set_exactly_and_levels_checked(db, tmp_path) -> None:
    good = "Robot;Kompetence;Niveau\nROB1;RPA1;3\n"
    plan = import_file(db, "robot-competencies", write(tmp_path, good))
    assert plan.problems == []
    assert FolderRepository.open(db.path).ds.robots["ROB1"].required_competencies == {"RPA1": 3}
    bad = "robot,competency,level\nROB1,RPA1,4\nROB1,NOPE,1\nROB1,DC1.1,x\n"
    before = folder_hashes(db.path)
    plan = import_file(db, "robot-competencies", write(tmp_path, bad))
    assert problems(plan) == [
        "2: level: 4 is above RPA's highest level, 3 (RPA1)",
        "3: competency: unknown competency 'NOPE'",
        "4: level: 'x' is not a whole number",
    ]
    assert folder_hashes(db.path) == before
