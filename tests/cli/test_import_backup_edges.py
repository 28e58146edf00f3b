"""Inputs that hang or slip through: import reads regular files only, up to a limit; a dry run or
a failed import creates no database; bad backup counts are refused; restore finds a backup by the
name `ls backups/` shows and refuses the database itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import store.importing as importing
from store.folder.backups import list_backups
from store.repository import FolderRepository
from tests.iohelpers import folder_hashes, populate
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
ROLES = "code,name\nR7,Ny\n"


@pytest.fixture
def db(repo: FolderRepository) -> Path:
    populate(repo)
    return repo.path


def run_cli(argv: list[str], env: dict | None = None, timeout: float = 60) -> tuple[int, str]:
    """`kapabel` in its own process, as a user runs it; exit status and stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", *argv], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})}, timeout=timeout,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


# ----------------------------------------------------------------- item 14: regular files only


def test_a_named_pipe_in_a_separate_process_does_not_hang(db, tmp_path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    before = folder_hashes(db)
    status, err = run_cli(["import", "staff", str(fifo), "--db", str(db)], timeout=30)
    assert status == 1
    assert err.splitlines() == [
        f"{fifo}: not a regular file (a named pipe)",
        "1 problem(s): nothing was imported",
    ]
    assert folder_hashes(db) == before


@pytest.mark.parametrize(
    ("path", "why"), [("/dev/zero", "a device"), ("/dev/null", "a device"), (".", "a folder")]
)
def test_devices_and_folders_are_refused(db, tmp_path, path, why, capsys) -> None:
    target = tmp_path if path == "." else Path(path)
    assert main(["import", "roles", str(target), "--db", str(db)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"{target}: not a regular file ({why})"


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(
    db, tmp_path, monkeypatch, capsys
) -> None:
    big = tmp_path / "roles.csv"
    big.write_text(ROLES + "".join(f"R{n},Mere\n" for n in range(10, 30)))
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", len(ROLES) + 10)
    assert main(["import", "roles", str(big), "--db", str(db)]) == 1
    limit = f"{len(ROLES) + 10:,}"
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{big}: larger than the import limit of {limit} bytes"
    )
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", big.stat().st_size)
    assert main(["import", "roles", str(big), "--db", str(db)]) == 0  # exactly the limit: read


# ----------------------------------------------------------------- item 17: nothing created


@pytest.mark.parametrize(
    "case", ["dry run", "missing file", "file with problems", "not a regular file"]
)
def test_an_import_that_writes_nothing_creates_no_database(
    tmp_path, case, capsys, monkeypatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    new_db = tmp_path / "new" / "db"
    file = tmp_path / "roles.csv"
    file.write_text(ROLES if case == "dry run" else "code,name\nR|7,Ny\n")
    argv = ["import", "roles", str(file), "--db", str(new_db)]
    if case == "dry run":
        argv.append("--dry-run")
    elif case == "missing file":
        argv[2] = str(tmp_path / "missing.csv")
    elif case == "not a regular file":
        argv[2] = str(tmp_path)
    status = main(argv)
    out = capsys.readouterr()
    assert status == (0 if case == "dry run" else 1), out.err
    if case == "dry run":
        assert out.out == "roles: 1 added, 0 updated, 0 unchanged (dry run, nothing written)\n"
    assert not (tmp_path / "new").exists()
    assert list(scratch.iterdir()) == []  # the scratch database is gone too


def test_an_import_that_writes_creates_the_database(tmp_path, capsys) -> None:
    new_db = tmp_path / "new"
    file = tmp_path / "roles.csv"
    file.write_text(ROLES)
    assert main(["import", "roles", str(file), "--db", str(new_db)]) == 0
    assert capsys.readouterr().out == "roles: 1 added, 0 updated, 0 unchanged (imported)\n"
    assert FolderRepository.open(new_db).ds.roles["R7"].name == "Ny"


# ----------------------------------------------------------------- item 18: backup counts


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--keep", "0"], {}, "must be at least 1 (got 0)"),
        (["--keep", "-1"], {}, "must be at least 1 (got -1)"),
        (["--keep", "x"], {}, "not a whole number: 'x'"),
        ([], {"KAPABEL_KEEP_BACKUPS": "x"}, "KAPABEL_KEEP_BACKUPS: not a whole number: 'x'"),
        ([], {"KAPABEL_KEEP_BACKUPS": "0"}, "KAPABEL_KEEP_BACKUPS: must be at least 1 (got 0)"),
    ],
)
def test_a_bad_number_of_backups_to_keep_is_refused(db, argv, env, message) -> None:
    for _ in range(2):
        assert main(["backup", "--db", str(db)]) == 0
    before = folder_hashes(db)
    status, err = run_cli(["backup", "--db", str(db), *argv], env=env)
    assert status == 2 and err.count("\n") == 1 and message in err, err
    assert folder_hashes(db) == before  # no backup made, none deleted


def test_the_default_and_a_good_number_still_work(db, monkeypatch) -> None:
    monkeypatch.setenv("KAPABEL_KEEP_BACKUPS", "2")
    for _ in range(3):
        assert main(["backup", "--db", str(db)]) == 0
    assert len(list_backups(db)) == 2
    monkeypatch.delenv("KAPABEL_KEEP_BACKUPS")
    assert main(["backup", "--db", str(db), "--keep", "1"]) == 0
    assert len(list_backups(db)) == 1


# ----------------------------------------------------------------- item 19: restore's argument


def test_restoring_the_database_onto_itself_is_refused(db, capsys) -> None:
    before = folder_hashes(db)
    assert main(["restore", str(db), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is the database itself, not a backup" in err
    assert folder_hashes(db) == before


def test_a_backup_is_found_by_its_bare_folder_name(db, capsys, monkeypatch, tmp_path) -> None:
    assert main(["backup", "--db", str(db)]) == 0
    name = list_backups(db)[-1].name
    capsys.readouterr()
    repo = FolderRepository.open(db)
    with repo.transaction() as tx:
        tx.delete("requirements", "RPA1|D1|R1")
    monkeypatch.chdir(tmp_path)  # the name is not a path from here
    assert main(["restore", name, "--db", str(db)]) == 0
    assert "RPA1|D1|R1" in FolderRepository.open(db).ds.requirements
    assert capsys.readouterr().out.startswith(f"restored {name};")
