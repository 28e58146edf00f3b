"""`kapabel demo`: writes the demo municipality, never over a database without --force."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.locations import default_db_path, demo_db_path
from store.models import Department
from store.repository import FolderRepository
from tui.cli import main

SMALL = ["--staff", "40", "--no-open"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home and data directory, so nothing touches the real user's files."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("KAPABEL_DB", raising=False)
    return tmp_path


def test_no_open_writes_the_database_and_exits_0(tmp_path: Path, capsys) -> None:
    db = tmp_path / "db"
    assert main(["demo", "--db", str(db), *SMALL]) == 0
    repo = FolderRepository.open(db)
    assert len(repo.ds.staff) == 40 and repo.problems() == []
    assert str(db) in capsys.readouterr().out


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys) -> None:
    db = tmp_path / "db"
    repo = FolderRepository.open(db, create=True)
    repo.put(Department(code="MINE", name="Precious data"))
    capsys.readouterr()

    assert main(["demo", "--db", str(db), *SMALL]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert list(FolderRepository.open(db).ds.departments) == ["MINE"]


def test_force_replaces_the_database(tmp_path: Path) -> None:
    db = tmp_path / "db"
    FolderRepository.open(db, create=True).put(Department(code="OLD", name="Old"))

    assert main(["demo", "--db", str(db), "--force", *SMALL]) == 0

    repo = FolderRepository.open(db)
    assert "OLD" not in repo.ds.departments and len(repo.ds.staff) == 40
    assert repo.problems() == []


def test_force_will_not_delete_a_folder_that_is_not_a_database(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")

    assert main(["demo", "--db", str(folder), "--force", *SMALL]) == 2

    assert (folder / "letter.txt").read_text() == "keep me"
    assert capsys.readouterr().err.count("\n") == 1


def test_without_db_it_goes_to_the_demo_folder_never_the_default(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAPABEL_DB", str(home / "real"))

    assert main(["demo", *SMALL]) == 0

    assert str(demo_db_path()).startswith(str(home / "data"))
    assert len(FolderRepository.open(demo_db_path()).ds.staff) == 40
    assert not default_db_path().exists()
    assert not (home / "data" / "kapabel" / "db").exists()


def test_bad_staff_count_is_a_usage_error(tmp_path: Path, capsys) -> None:
    status = main(["demo", "--db", str(tmp_path / "db"), "--staff", "zero", "--no-open"])
    assert status == 2
    assert "not a whole number" in capsys.readouterr().err
    assert not (tmp_path / "db").exists()
