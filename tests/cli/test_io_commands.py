"""`kapabel import/export/backup/restore/person/audit` as a user types them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import open_store
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, NAME, folder_hashes, populate
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(repo: FolderRepository) -> Path:
    populate(repo)
    return repo.path


def test_import_prints_the_summary(db, tmp_path, capsys) -> None:
    file = tmp_path / "roles.csv"
    file.write_text("kode;navn\nR1;Sagsbehandler\nR2;Leder\n", encoding="utf-8")
    assert main(["import", "roles", str(file), "--db", str(db)]) == 0
    assert capsys.readouterr().out == "roles: 1 added, 0 updated, 1 unchanged (imported)\n"


def test_import_lists_problems_exits_1_and_writes_nothing(db, tmp_path, capsys) -> None:
    file = tmp_path / "staff.csv"
    file.write_text("employee_no,name,department_code\nE9,X,NOPE\nE9,Y,D1\n", encoding="utf-8")
    before = folder_hashes(db)
    assert main(["import", "staff", str(file), "--db", str(db)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{file}:2: department_code: unknown department 'NOPE'",
        f"{file}:3: employee_no: duplicate key 'E9' (first on line 2)",
        "2 problem(s): nothing was imported",
    ]
    assert folder_hashes(db) == before


def test_import_names_every_problem_of_a_row_in_its_own_words(db, tmp_path, capsys) -> None:
    file = tmp_path / "vurderinger.csv"
    file.write_text(
        f"employee_no;competency;level;date\n{EMPLOYEE_NO};DC1.1;99;2026-13-45\n", encoding="utf-8"
    )
    assert main(["import", "assessments", str(file), "--db", str(db)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{file}:2: level: 99 is above DIGCOMP's highest level, 8 (DC1.1)",
        f"{file}:2: date: '2026-13-45' is not a real date",
        "2 problem(s): nothing was imported",
    ]


def test_dry_run_summarises_without_writing(db, tmp_path, capsys) -> None:
    file = tmp_path / "roles.csv"
    file.write_text("code,name\nR7,Ny\n", encoding="utf-8")
    before = folder_hashes(db)
    assert main(["import", "roles", str(file), "--db", str(db), "--dry-run"]) == 0
    assert "1 added" in capsys.readouterr().out and folder_hashes(db) == before


def test_export_to_a_file_then_import_changes_nothing(db, tmp_path, capsys) -> None:
    out = tmp_path / "staff.csv"
    assert main(["export", "staff", "--db", str(db), "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "employee_no,name,department_code,email,role,digital_agent,active"
    )
    assert main(["import", "staff", str(out), "--db", str(db)]) == 0
    assert "0 added, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_backup_and_restore(db, capsys) -> None:
    assert main(["backup", "--db", str(db)]) == 0
    backup = Path(capsys.readouterr().out.split(" to ")[1].strip())
    assert backup.parent == db / "backups"
    assert main(["restore", str(backup), "--db", str(db)]) == 0
    assert "the state before is kept in" in capsys.readouterr().out


def test_person_export_json_and_text(db, capsys) -> None:
    assert main(["person", "export", EMPLOYEE_NO, "--db", str(db)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["name"] == NAME and len(data["assessments"]) == 2
    assert main(["person", "export", EMPLOYEE_NO, "--db", str(db), "--format", "text"]) == 0
    assert "Training plans (1)" in capsys.readouterr().out
    assert main(["person", "export", "E404", "--db", str(db)]) == 1


def test_person_erase_refuses_without_a_terminal_and_without_yes(db) -> None:
    before = folder_hashes(db)
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "person", "erase", EMPLOYEE_NO, "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 2
    assert "add --yes" in result.stderr
    assert folder_hashes(db) == before


def test_person_erase_with_yes_then_audit(db, capsys) -> None:
    assert main(["person", "erase", EMPLOYEE_NO, "--yes", "--db", str(db)]) == 0
    pseudonym = capsys.readouterr().out.split("(now ")[1].split(" ")[0]
    assert main(["audit", "--db", str(db), "--employee", pseudonym]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"erase staff {pseudonym}" in lines[-1]
    assert not any(NAME in line or EMPLOYEE_NO in line for line in lines)


def test_audit_filters_by_employee_and_date(db, capsys) -> None:
    assert main(["audit", "--db", str(db), "--employee", "E2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("create staff E2" in line for line in lines)
    assert any("update robots ROB1" in line or "create robots ROB1" in line for line in lines)
    assert not any(f"staff {EMPLOYEE_NO}" in line for line in lines)
    assert main(["audit", "--db", str(db), "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == "no audit entries match\n"


def test_audit_tells_a_summary_entry_in_words(db, capsys) -> None:
    """A new database's one summary entry counts what it created: in words, never a dict."""
    frameworks = {c.framework for c in open_store(db).ds.competencies.values()}
    built_in = sum(c.framework == "DIGCOMP" for c in open_store(db).ds.competencies.values())
    assert "DIGCOMP" in frameworks
    assert main(["audit", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    summary = next(line for line in lines if "import * new database" in line)
    assert f"({built_in} competencies created, 1 frameworks created)" in summary
    assert "{" not in summary and "counts" not in summary


def test_import_reads_a_workbook_sheet_named_by_sheet(db, tmp_path, capsys) -> None:
    from tests.workbooks import write_xlsx

    file = write_xlsx(
        tmp_path / "roller.xlsx",
        {"Noter": [["Fortroligt"]], "Roller": [["Kode", "Navn"], ["R1", "Sagsbehandler"]]},
    )
    assert main(["import", "roles", str(file), "--sheet", "Roller", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "roles: 0 added, 0 updated, 1 unchanged (imported)\n"
    before = folder_hashes(db)
    assert main(["import", "roles", str(file), "--sheet", "Ark9", "--db", str(db)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{file}: no sheet 'Ark9': the sheets are 'Noter', 'Roller'",
        "1 problem(s): nothing was imported",
    ]
    assert folder_hashes(db) == before


def test_export_to_an_xlsx_file_writes_a_private_workbook(db, tmp_path, capsys) -> None:
    from python_calamine import CalamineWorkbook

    out = tmp_path / "personale.xlsx"
    assert main(["export", "staff", "--db", str(db), "--output", str(out)]) == 0
    assert capsys.readouterr().err == f"staff: 2 row(s) written to {out}\n"
    assert out.stat().st_mode & 0o777 == 0o600
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("staff").to_python()
    assert rows[0][:3] == ["employee_no", "name", "department_code"]
    assert [EMPLOYEE_NO, NAME, "D2"] in [row[:3] for row in rows]
