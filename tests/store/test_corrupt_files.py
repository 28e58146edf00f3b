"""A damaged file is reported (which file, what is wrong, newest backup) and never changed."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from store.errors import CorruptFileError
from store.models import Assessment, Department, Requirement, Staff
from store.repository import FolderRepository
from tui import cli


def build(path: Path) -> FolderRepository:
    repo = FolderRepository.open(path, create=True, user="tester")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Department(code="D2", name="Jobcenter"))
        tx.put(Staff(employee_no="E1", name="Åse Ørum", department="D1"))
        tx.put(Requirement(competency="DC1.1", level=3, department="D1"))
        for day in (1, 2, 3):
            tx.record(
                Assessment(staff="E1", competency="DC1.1", level=day, date=dt.date(2026, 1, day))
            )
    return repo


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def replace_in(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def duplicate_department(path: Path) -> None:
    data = orjson.loads(path.read_bytes())
    docs = data["departments"]
    docs["99"] = dict(next(iter(docs.values())))
    path.write_bytes(orjson.dumps(data))


def not_an_object(path: Path) -> None:
    """The first department stored as a list (its key and name): no field to name."""
    data = orjson.loads(path.read_bytes())
    docs = data["departments"]
    first = next(iter(docs))
    docs[first] = [docs[first]["code"], docs[first]["name"]]
    path.write_bytes(orjson.dumps(data))


def bad_middle_line(path: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = b"{oops\n"
    path.write_bytes(b"".join(lines))


DAMAGE: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "truncated table": ("staff.json", truncate, "not valid JSON"),
    "not JSON": ("departments.json", lambda p: p.write_bytes(b"hello world"), "not valid JSON"),
    "wrong type in a table": (
        "requirements.json",
        lambda p: replace_in(p, b'"level":3', b'"level":"abc"'),
        "record 'DC1.1|D1|' fails validation: level: 'abc' is not a whole number",
    ),
    "record that is not an object": (
        "departments.json",
        not_an_object,
        "fails validation: record: Input should be a valid dictionary",
    ),
    "duplicate key": (
        "departments.json",
        duplicate_department,
        "duplicate key 'D1' in departments",
    ),
    "wrong type in history": (
        "assessments.jsonl",
        lambda p: replace_in(p, b'"level":2', b'"level":"abc"'),
        "record 2 is not an assessment: level: 'abc' is not a whole number",
    ),
    "bad line in the middle": (
        "assessments.jsonl",
        bad_middle_line,
        "line 2 is not valid JSON",
    ),
    "history cut short": ("assessments.jsonl", truncate, "shorter than the last save left it"),
    "audit log cut short": ("audit.jsonl", truncate, "shorter than the last save left it"),
    "history emptied": ("assessments.jsonl", lambda p: p.write_bytes(b""), "shorter than the"),
    "empty meta": ("meta.json", lambda p: p.write_bytes(b""), "the file is empty"),
    "meta not a TinyDB file": ("meta.json", lambda p: p.write_bytes(b"[1, 2]"), "not a TinyDB"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every data file's bytes (the lock file is the lock's, not data)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.mark.parametrize("case", DAMAGE)
def test_a_damaged_file_is_reported_and_left_unchanged(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file, damage, problem = DAMAGE[case]
    db = tmp_path / "db"
    earlier = build(db)  # opened before the damage, as a colleague's running Kapabel would be
    damage(db / file)
    before = snapshot(db)

    with pytest.raises(CorruptFileError) as caught:
        FolderRepository.open(db)
    message = str(caught.value)
    assert message.startswith(f"{db / file}: ")
    assert problem in message
    assert "left unchanged; no backup found" in message
    assert "\n" not in message

    with pytest.raises(CorruptFileError, match=problem):
        earlier.put(Staff(employee_no="E2", name="Ny", department="D1"))
    if file != "meta.json":
        with pytest.raises(CorruptFileError, match=problem):
            earlier.record(
                Assessment(staff="E1", competency="DC1.2", level=1, date=dt.date(2026, 2, 1))
            )

    capsys.readouterr()
    assert cli.main(["check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert f"problem: {message}" in out

    assert snapshot(db) == before


def test_the_message_points_to_the_newest_backup(tmp_path: Path) -> None:
    db = tmp_path / "db"
    repo = build(db)
    repo.backup()
    newest = repo.backup()
    truncate(db / "staff.json")
    with pytest.raises(CorruptFileError) as caught:
        FolderRepository.open(db)
    assert caught.value.backup == newest
    assert str(caught.value).endswith(f"(the file was left unchanged; newest backup: {newest})")
    assert (newest / "staff.json").read_bytes() != (db / "staff.json").read_bytes()
    assert snapshot(newest) == {
        name: data
        for name, data in snapshot(db).items()
        if "/" not in name and not name.startswith(".") and name != "staff.json"
    } | {"staff.json": (newest / "staff.json").read_bytes()}


def test_a_backup_restores_a_working_database(tmp_path: Path) -> None:
    db = tmp_path / "db"
    backup = build(db).backup()
    copy = tmp_path / "restored"
    copy.mkdir(mode=0o700)
    for file in backup.iterdir():
        (copy / file.name).write_bytes(file.read_bytes())
    restored = FolderRepository.open(copy)
    assert restored.ds.staff["E1"].name == "Åse Ørum" and len(restored.ds.assessments) == 3
    assert restored.problems() == []


def test_a_newer_schema_is_refused_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db"
    build(db)
    (db / "meta.json").write_bytes(orjson.dumps({"meta": {"1": {"schema_version": 7}}}))
    before = snapshot(db)
    with pytest.raises(
        Exception,
        match=r"written by a newer Kapabel \(schema 7; this one reads up to 4\): upgrade Kapabel",
    ):
        FolderRepository.open(db)
    assert cli.main(["check", "--db", str(db)]) == 1
    assert "newer Kapabel" in capsys.readouterr().out
    assert snapshot(db) == before


def test_an_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "db"
    build(db)
    real_open = os.open

    def refusing(path, *args, **kwargs):  # as for a file another user made 0600
        if Path(path).name == "staff.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    with pytest.raises(CorruptFileError, match="staff.json: cannot be read: Permission denied"):
        FolderRepository.open(db)


@pytest.mark.parametrize("name", ["journal.json", "staff.json", "assessments.jsonl", "meta.json"])
@pytest.mark.parametrize("special", ["fifo", "device"])
def test_a_named_pipe_or_device_in_place_of_a_file_is_refused_not_read(
    tmp_path: Path, name: str, special: str
) -> None:
    """A named pipe, or a link to /dev/zero, as journal.json or a table: `kapabel check` waited
    for ever (or read without end). Refused, naming the file; nothing else is touched."""
    import subprocess
    import sys

    db = tmp_path / "db"
    build(db)
    target = db / name
    target.unlink(missing_ok=True)
    if special == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    result = subprocess.run(  # a hang here is the defect; the timeout only ends the test
        [sys.executable, "-m", "tui.cli", "check", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"{target}: not a regular file" in result.stdout + result.stderr
