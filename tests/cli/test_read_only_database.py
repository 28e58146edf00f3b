"""A database that can only be read here -- on a read-only file system, or an auditor's copy in a
folder they may read but not write -- is read without writing anything; writes are refused.

`tests.readonly.read_only` makes the folder really unwritable: a read-only bind mount as root
(root ignores permission bits), the write bits removed for anyone else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.errors import StoreError
from store.models import Role
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, NAME, folder_hashes, populate
from tests.readonly import read_only
from tui.cli import main

READING = {
    "check": ["check"],
    "report": ["report", "person", "--employee", EMPLOYEE_NO],
    "export": ["export", "staff"],
    "person export": ["person", "export", EMPLOYEE_NO],
    "audit": ["audit", "--employee", EMPLOYEE_NO],
}
WRITING = {
    "backup": ["backup"],
    "import": ["import", "roles", "ROLES_FILE"],
    "person erase": ["person", "erase", EMPLOYEE_NO, "--yes"],
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    repo = FolderRepository.open(tmp_path / "shelf" / "db", create=True, user="tester")
    populate(repo)
    (repo.path / ".lock").unlink()  # as copied onto a medium or for an auditor: no lock file
    return repo.path


@pytest.mark.parametrize("command", READING)
def test_reading_commands_work_and_write_nothing(db, command, capsys) -> None:
    before = folder_hashes(db)
    with read_only(db.parent):
        assert main([*READING[command], "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert out.err == "" and (NAME in out.out or "clean" in out.out)
    assert folder_hashes(db) == before and not (db / ".lock").exists()


@pytest.mark.parametrize("command", WRITING)
def test_writing_commands_are_refused_in_one_line(db, tmp_path, command, capsys) -> None:
    roles = tmp_path / "roles.csv"
    roles.write_text("code,name\nR9,Ny\n")
    argv = [str(roles) if arg == "ROLES_FILE" else arg for arg in WRITING[command]]
    before = folder_hashes(db)
    with read_only(db.parent):
        assert main([*argv, "--db", str(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    if command == "import":  # listed as the import's problem, like every other
        assert err[1:] == ["1 problem(s): nothing was imported"]
        assert err[0].startswith(f"{roles}: {db} is read-only here")
    assert len(err) == (2 if command == "import" else 1)
    assert "is read-only here" in err[0] and "nothing was saved" in err[0]
    assert folder_hashes(db) == before


def test_the_repository_says_it_is_read_only_and_refuses_saves(db) -> None:
    with read_only(db.parent):
        repo = FolderRepository.open(db)
        assert repo.read_only
        assert repo.ds.staff[EMPLOYEE_NO].name == NAME
        with pytest.raises(StoreError, match="nothing was saved"):
            repo.put(Role(code="R9", name="Ny"))
        assert repo.refresh() is False
        assert repo.save_snapshot(min_new_rows=0) is False
    assert "R9" not in FolderRepository.open(db).ds.roles
    assert not FolderRepository.open(db).read_only


@pytest.mark.parametrize(
    ("name", "what"), [("journal.json", "a save"), ("erasure.json", "an erasure")]
)
def test_an_interrupted_save_or_erasure_is_named_not_finished(db, name, what, capsys) -> None:
    (db / name).write_text(json.dumps({"replace": [], "append": []}))
    before = folder_hashes(db)
    with read_only(db.parent):
        assert main(["check", "--db", str(db)]) == 1
        assert main(["audit", "--db", str(db)]) == 1
    out = capsys.readouterr()
    assert f"{db / name}: {what} was interrupted" in out.out
    assert "open it once where it can be written" in out.err
    assert folder_hashes(db) == before
