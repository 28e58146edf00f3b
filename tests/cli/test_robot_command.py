"""`kapabel robot phase|hourly-rate` as a user types them, and `report robots --as-of` reading
the phase history those changes leave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import open_store
from store.repository import FolderRepository
from tests.iohelpers import folder_hashes, populate
from tui.cli import main


@pytest.fixture
def db(repo: FolderRepository) -> Path:
    populate(repo)  # ROB1: in test from 2025-11-03, in production from 2026-02-01
    return repo.path


def test_a_phase_change_in_danish_is_dated_and_the_report_follows_it(db, capsys) -> None:
    args = ["robot", "phase", "ROB1", "pause", "--on", "2026-06-01", "--db", str(db)]
    assert main(args) == 0
    assert capsys.readouterr().out == "ROB1: paused since 2026-06-01\n"

    def phase_on(day: str) -> tuple[str, str]:
        main(["report", "robots", "--db", str(db), "--format", "json", "--as-of", day])
        robot = json.loads(capsys.readouterr().out)["robots"][0]
        return robot["phase"], robot["phase_since"]

    assert phase_on("2026-01-31") == ("test", "2025-11-03")
    assert phase_on("2026-05-31") == ("production", "2026-02-01")
    assert phase_on("2026-06-01") == ("paused", "2026-06-01")


def test_a_refused_phase_change_is_one_line_exit_1(db, capsys) -> None:
    before = folder_hashes(db)
    assert main(["robot", "phase", "ROB1", "test", "--on", "2026-01-01", "--db", str(db)]) == 1
    assert capsys.readouterr().err == (
        "kapabel: robots 'ROB1': phase_since: 2026-01-01 is before the robot's current phase "
        "began (2026-02-01)\n"
    )
    assert main(["robot", "phase", "ROB1", "running", "--db", str(db)]) == 2
    assert "not a phase: 'running'" in capsys.readouterr().err
    assert folder_hashes(db) == before


def test_the_hourly_rate_is_shown_set_and_unset(db, capsys) -> None:
    assert main(["robot", "hourly-rate", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "hourly rate: not set\n"
    assert main(["robot", "hourly-rate", "425,5", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "hourly rate: 425.5\n"
    assert open_store(db).ds.settings["hourly_rate"].value == "425.5"
    assert main(["robot", "hourly-rate", "lots", "--db", str(db)]) == 1
    assert "'lots' is not an amount of at least 0" in capsys.readouterr().err
    assert main(["robot", "hourly-rate", "none", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "hourly rate: not set\n"


def test_a_staff_import_that_deactivates_the_last_qualified_operator_warns(db, tmp_path, capsys):
    """ROB1 (in production) is run by two people; only E2 meets RPA1 2 and DC1.1 3."""
    import datetime as dt

    from store.models import Assessment

    repo = open_store(db)
    for competency, level in (("RPA1", 2), ("DC1.1", 3)):
        repo.record(Assessment(staff="E2", competency=competency, level=level,
                               date=dt.date(2026, 3, 1), source="test"))  # fmt: skip
    file = tmp_path / "staff.csv"
    file.write_text("employee_no,name,department_code,active\nE2,Bo Hansen,D1,nej\n", "utf-8")
    warning = (
        "warning: E2 is the last qualified operator of ROB1 Ydelsesrobot (in production): "
        "deactivated, it has no qualified operator left\n"
    )
    assert main(["import", "staff", str(file), "--db", str(db), "--dry-run"]) == 0
    assert capsys.readouterr().err == warning  # said before anything is written
    assert open_store(db).ds.staff["E2"].active
    assert main(["import", "staff", str(file), "--db", str(db)]) == 0
    assert capsys.readouterr().err == warning
    assert not open_store(db).ds.staff["E2"].active
