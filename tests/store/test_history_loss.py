"""The history cannot lose rows silently: each save records how long each history file is and a
checksum of it, so a file cut short or changed is refused (and never written over), while bytes
past the last save -- an interrupted save's -- are only set aside."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import orjson
import pytest

from store.errors import CorruptFileError
from store.models import Assessment, Department, Robot, RobotBenefit, Staff
from store.repository import HISTORY_FILES, META_FILE, SCHEMA_VERSION, FolderRepository
from tui import cli

ROOT = Path(__file__).resolve().parents[2]
FILES = list(HISTORY_FILES.values())


def build(path: Path) -> FolderRepository:
    """A small database whose three history files each hold several saves."""
    repo = FolderRepository.open(path, create=True, user="tester")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Staff(employee_no="E1", name="Åse Ørum", department="D1"))
        tx.put(Robot(code="RB1", name="Fakturabot", department="D1"))
    for day in range(1, 5):
        repo.record(
            Assessment(staff="E1", competency="DC1.1", level=day, date=dt.date(2026, 1, day))
        )
    for month in range(1, 4):
        repo.record(RobotBenefit(robot="RB1", month=f"2026-{month:02d}", hours_saved=month))
    return repo


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (the lock file is the lock's, not data)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def cut(path: Path, size: int) -> None:
    with open(path, "rb+") as handle:
        handle.truncate(size)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    build(tmp_path / "db")
    return tmp_path / "db"


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize("keep", [0.5, 0.0])
def test_a_history_file_cut_short_is_refused_and_left_alone(
    db: Path, file: str, keep: float
) -> None:
    earlier = FolderRepository.open(db)  # a colleague's Kapabel, open before the damage
    path = db / file
    cut(path, int(path.stat().st_size * keep))
    before = files_of(db)
    with pytest.raises(CorruptFileError, match="shorter than the last save left it") as caught:
        FolderRepository.open(db)
    assert caught.value.path == path
    with pytest.raises(CorruptFileError, match="shorter than the last save left it"):
        earlier.put(Staff(employee_no="E2", name="Bo", department="D1"))
    with pytest.raises(CorruptFileError, match="shorter than the last save left it"):
        earlier.record(
            Assessment(staff="E1", competency="DC1.2", level=1, date=dt.date(2026, 2, 1))
        )
    assert files_of(db) == before


@pytest.mark.parametrize("file", FILES)
def test_a_missing_history_file_is_refused(db: Path, file: str) -> None:
    (db / file).unlink()
    before = files_of(db)
    with pytest.raises(CorruptFileError, match="missing, but the last save left it"):
        FolderRepository.open(db)
    assert files_of(db) == before


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("assessments.jsonl", b'"level":2', b'"level":3'),
        ("robot_benefits.jsonl", b'"hours_saved":2.0', b'"hours_saved":9.0'),
        ("audit.jsonl", b'"user":"tester"', b'"user":"hacker"'),
    ],
)
def test_a_history_file_changed_in_place_is_refused(
    db: Path, file: str, old: bytes, new: bytes
) -> None:
    path = db / file
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))  # same length: only the checksum tells
    before = files_of(db)
    with pytest.raises(CorruptFileError, match="changed since the last save") as caught:
        FolderRepository.open(db)
    assert caught.value.path == path
    assert cli.main(["check", "--db", str(db)]) == 1
    assert files_of(db) == before


def test_complete_lines_past_the_last_save_are_set_aside_not_read(db: Path) -> None:
    """An interrupted or failed save may leave whole lines past the recorded length: they were
    never committed, so they are not history."""
    path = db / "assessments.jsonl"
    good = path.read_bytes()
    stray = orjson.dumps({"staff": "E1", "competency": "DC1.3", "level": 5, "date": "2026-03-01"})
    path.write_bytes(good + stray + b"\n")
    reader = FolderRepository.open(db)
    assert [r.level for r in reader.ds.assessments] == [1, 2, 3, 4]
    assert reader.problems() == [
        f"assessments.jsonl: {len(stray) + 1} bytes past the last save "
        "(left by an interrupted save) are ignored"
    ]
    reader.record(Assessment(staff="E1", competency="DC1.1", level=5, date=dt.date(2026, 4, 1)))
    assert (db / "assessments.jsonl.torn").read_bytes() == stray + b"\n"
    assert [r.level for r in FolderRepository.open(db).ds.assessments] == [1, 2, 3, 4, 5]


def test_cuts_that_lose_committed_records_are_refused_everywhere(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each history file cut at 20 random places and to nothing: `check`, `report` and opening
    (what the app does) refuse every cut, and no byte of the folder changes."""
    rng = random.Random(9)
    originals = {file: (db / file).read_bytes() for file in FILES}
    refused = 0
    for file, original in originals.items():
        path = db / file
        for size in [0, *rng.sample(range(1, len(original)), 20)]:
            path.write_bytes(original[:size])
            before = files_of(db)
            with pytest.raises(CorruptFileError) as caught:
                FolderRepository.open(db)
            assert caught.value.path == path, size
            capsys.readouterr()
            assert cli.main(["check", "--db", str(db)]) == 1
            assert f"problem: {path}: " in capsys.readouterr().out
            assert cli.main(["report", "gaps", "--db", str(db)]) == 1
            assert capsys.readouterr().err.startswith(f"kapabel: {path}: ")
            assert files_of(db) == before, (file, size)
            refused += 1
        path.write_bytes(original)
    assert refused == 3 * 21
    assert FolderRepository.open(db).problems() == []


@pytest.mark.parametrize("file", FILES)
def test_the_commands_refuse_a_cut_history_file(db: Path, file: str) -> None:
    path = db / file
    cut(path, path.stat().st_size // 3)
    before = files_of(db)
    for command in (["check"], ["report", "trend"], ["audit"]):
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli", *command, "--db", str(db)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 1, (command, done.stderr)
        assert str(path) in done.stdout + done.stderr
    assert files_of(db) == before


def test_a_database_from_before_recorded_lengths_is_brought_up_to_date(db: Path) -> None:
    """Schema 1: the lengths are recorded when it is opened (a Kapabel reading only schema 1
    then refuses the database, so none appends without recording)."""
    drop_recorded_lengths(db)
    repo = FolderRepository.open(db)
    assert len(repo.ds.assessments) == 4 and repo.problems() == []
    meta = orjson.loads((db / META_FILE).read_bytes())["meta"]["1"]
    assert meta["schema_version"] == SCHEMA_VERSION and set(meta["history"]) == set(FILES)
    cut(db / "audit.jsonl", 10)
    with pytest.raises(CorruptFileError, match="shorter than the last save left it"):
        FolderRepository.open(db)


def test_a_read_only_database_from_before_recorded_lengths_is_read_as_it_is(db: Path) -> None:
    from tests.readonly import read_only

    drop_recorded_lengths(db)
    before = files_of(db)
    with read_only(db.parent):
        repo = FolderRepository.open(db)
        assert repo.read_only and len(repo.ds.assessments) == 4 and repo.problems() == []
    assert files_of(db) == before


def drop_recorded_lengths(db: Path) -> None:
    """meta.json as a Kapabel from before lengths were recorded wrote it (schema 1)."""
    meta_path = db / META_FILE
    meta = orjson.loads(meta_path.read_bytes())
    del meta["meta"]["1"]["history"]
    meta["meta"]["1"]["schema_version"] = 1
    meta_path.write_bytes(orjson.dumps(meta))


def test_a_save_never_appends_to_a_damaged_audit_log(db: Path) -> None:
    earlier = FolderRepository.open(db)
    audit = db / "audit.jsonl"
    lines = audit.read_bytes().splitlines(keepends=True)
    audit.write_bytes(b"".join([lines[0], b'{"at": "2026-01-0\n', *lines[2:]]))
    before = files_of(db)
    for repo in (earlier, None):
        with pytest.raises(CorruptFileError) as caught:
            repo = repo or FolderRepository.open(db)
            repo.put(Staff(employee_no="E2", name="Bo", department="D1"))
        assert caught.value.path == audit
    assert files_of(db) == before


@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "from-before"])
def test_an_audit_line_that_is_not_an_audit_entry_is_a_problem(
    db: Path, recorded: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """Valid JSON, but no audit entry: `check` names it; without a recorded checksum to vouch
    for the file, a save refuses to append to it."""
    if not recorded:
        drop_recorded_lengths(db)
    audit = db / "audit.jsonl"
    count = audit.read_bytes().count(b"\n")
    audit.write_bytes(audit.read_bytes() + b'{"hello": "world"}\n')
    if recorded:
        data = audit.read_bytes()
        meta = orjson.loads((db / META_FILE).read_bytes())
        meta["meta"]["1"]["history"]["audit.jsonl"] = [len(data), zlib.crc32(data)]
        (db / META_FILE).write_bytes(orjson.dumps(meta))
    problem = f"audit.jsonl: record {count + 1} is not an audit entry: "
    assert cli.main(["check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert problem in out and "at: required, but missing" in out
    if not recorded:
        before = files_of(db)
        with pytest.raises(CorruptFileError, match=problem):
            FolderRepository.open(db).put(Staff(employee_no="E2", name="Bo", department="D1"))
        assert files_of(db) == before


def test_erasing_keeps_every_backup_whole(db: Path) -> None:
    """An erasure rewrites the history in the database and its backups: each records the new
    lengths with it, so every one still opens and restores."""
    from store.backup import make_backup, restore
    from store.erasure import erase_person

    repo = FolderRepository.open(db)
    backup = make_backup(repo)
    repo.record(Assessment(staff="E1", competency="DC1.2", level=1, date=dt.date(2026, 2, 1)))
    erase_person(repo, "E1")
    assert FolderRepository.open(db).problems() == []
    copy = db.parent / "copy"
    shutil.copytree(backup, copy)
    assert FolderRepository.open(copy).problems() == []
    restore(FolderRepository.open(db), backup)
    assert FolderRepository.open(db).problems() == []
