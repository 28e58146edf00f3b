"""`kapabel check`: lists each problem, exit 0 when clean and 1 when not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from store.models import Department, Staff
from store.repository import FolderRepository
from tui import cli

ROOT = Path(__file__).resolve().parents[2]


def test_a_clean_database_passes(
    repo: FolderRepository, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", "--db", str(repo.path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith(f"{repo.path}: clean (")
    assert "21 competencies" in out[0]


def test_each_problem_is_listed_on_its_own_line(
    repo: FolderRepository, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    repo.put(Staff(employee_no="E2", name="Bo", department="D1"))
    # A hand edit (or a merge) that leaves staff pointing to a department that is not there:
    path = repo.path / "departments.json"
    data = orjson.loads(path.read_bytes())
    data["departments"] = {}
    path.write_bytes(orjson.dumps(data))
    with open(repo.path / "assessments.jsonl", "ab") as handle:
        handle.write(b'{"staff": "E1"')
    assert cli.main(["check", "--db", str(repo.path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == [
        "problem: assessments.jsonl: torn last line (14 bytes, left by an interrupted save) is ignored",
        "problem: staff 'E1': department: unknown department 'D1'",
        "problem: staff 'E2': department: unknown department 'D1'",
    ]
    assert out[-1].startswith(f"{repo.path}: 3 problem(s) (0 departments,")


def test_a_missing_database_is_one_problem_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", "--db", str(tmp_path / "nowhere")]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"problem: no database at {tmp_path / 'nowhere'}")
    assert not (tmp_path / "nowhere").exists()


def test_check_as_a_command(tmp_path: Path) -> None:
    db = tmp_path / "db"
    FolderRepository.open(db, create=True)
    (db / "staff.json").write_bytes(b'{"staff": {"1": {"employee_no": "E1"')
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "check", "--db", str(db)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 1 and result.stderr == ""
    assert f"problem: {db / 'staff.json'}: not valid JSON" in result.stdout


def test_themes_sharing_a_rank_and_a_robot_naming_no_one_are_listed(
    repo: FolderRepository, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hand edits the app and imports refuse: two themes at rank 1, a robot whose owner and
    operator are not in the staff register."""
    from store.models import Robot, Theme

    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    repo.put(Theme(code="T1", rank=1, title="Digitale kompetencer"))
    repo.put(Theme(code="T2", rank=2, title="Robotter"))
    repo.put(Robot(code="R1", name="Ydelsesrobot", department="D1", owner="E1", operators=["E1"]))

    def hand_edit(table: str, change) -> None:
        path = repo.path / f"{table}.json"
        data = orjson.loads(path.read_bytes())
        for row in data[table].values():
            change(row)
        path.write_bytes(orjson.dumps(data))

    hand_edit("themes", lambda row: row.update(rank=1))
    hand_edit("robots", lambda row: row.update(owner="E8", operators=["E1", "E9"]))
    assert cli.main(["check", "--db", str(repo.path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == [
        "problem: robots 'R1': owner: unknown employee 'E8'",
        "problem: robots 'R1': operators: unknown employee 'E9'",
        "problem: themes 'T2': rank: rank 1 is also the rank of T1 (Digitale kompetencer): "
        "ranks are unique",
    ]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (b'"date":"2026-01-02"', b'"date":null', "date:"),
        (b'"note":""', b'"note":["x"]', "note:"),
        (b'"level":2', b'"level":70000', "level:"),
    ],
)
def test_a_hand_edited_history_line_is_named_not_called_clean(
    repo: FolderRepository, capsys: pytest.CaptureFixture[str], old: bytes, new: bytes, field: str
) -> None:
    import datetime as dt

    from store.models import Assessment

    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    for day in (1, 2, 3):
        repo.record(
            Assessment(staff="E1", competency="DC1.1", level=day, date=dt.date(2026, 1, day))
        )
    lines = repo.path / "assessments.jsonl"
    data = lines.read_bytes().split(b"\n")
    assert old in data[1]
    data[1] = data[1].replace(old, new, 1)
    lines.write_bytes(b"\n".join(data))
    meta_path = repo.path / "meta.json"  # an older or hand-edited meta: no history checksum
    meta = orjson.loads(meta_path.read_bytes())
    del meta["meta"]["1"]["history"]["assessments.jsonl"]
    meta_path.write_bytes(orjson.dumps(meta))
    before = lines.read_bytes()

    assert cli.main(["check", "--db", str(repo.path)]) == 1
    out = capsys.readouterr().out
    assert f"problem: {lines}: record 2 is not an assessment: {field}" in out
    assert lines.read_bytes() == before


def test_check_validates_a_table_whatever_hash_meta_json_records_for_it(
    repo: FolderRepository, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app reads a table the store wrote without validating it again (meta.json records
    its hash); a check trusts no record: a file given a matching hash by hand is still refused."""
    import hashlib

    repo.put(Department(code="D1", name="Borgerservice"))
    path = repo.path / "departments.json"
    data = orjson.loads(path.read_bytes())
    data["departments"]["1"]["name"] = ""  # a name is required
    path.write_bytes(orjson.dumps(data))
    meta_path = repo.path / "meta.json"
    meta = orjson.loads(meta_path.read_bytes())
    meta["meta"]["1"]["tables"]["hashes"]["departments"] = hashlib.sha256(
        path.read_bytes()
    ).hexdigest()
    meta_path.write_bytes(orjson.dumps(meta))
    assert FolderRepository.open(repo.path).ds.departments["D1"].name == ""  # trusted
    assert cli.main(["check", "--db", str(repo.path)]) == 1
    out = capsys.readouterr().out
    assert "name" in out and "could not be opened" in out
