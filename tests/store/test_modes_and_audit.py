"""Personal data stays private (folder 0700, files 0600) and every change says who did what."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import stat
from pathlib import Path

import pytest

from store import repository
from store.files import write_temp
from store.folder.storage import FolderStorage
from store.models import Assessment, Department, Robot, RobotBenefit, Staff
from store.repository import FolderRepository


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The most permissive umask: modes must not depend on the user's."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_every_folder_is_0700_and_every_file_0600(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_during_commit: dict[str, int] = {}
    apply_journal = FolderStorage._apply_journal

    def watching(self, journal, journal_path=None):
        for file in self.path.iterdir():  # the journal and its temporaries, mid-commit
            if file.is_file():
                seen_during_commit[file.name] = mode(file)
        return apply_journal(self, journal, journal_path)

    monkeypatch.setattr(FolderStorage, "_apply_journal", watching)
    db = tmp_path / "new" / "db"
    repo = FolderRepository.open(db, create=True, user="tester")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Staff(employee_no="E1", name="Åse", department="D1"))
        tx.put(Robot(code="RB1", name="Bot", department="D1"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 1)))
    repo.record(RobotBenefit(robot="RB1", month="2026-01", hours_saved=2))
    with open(db / "assessments.jsonl", "ab") as handle:
        handle.write(b'{"staff": "E1", "compet')  # a torn line, set aside by the next save
    repo.record(Assessment(staff="E1", competency="DC1.1", level=3, date=dt.date(2026, 2, 1)))
    assert repo.save_snapshot(min_new_rows=0)  # cache/
    repo.backup()

    assert "journal.json" in seen_during_commit
    assert any(name.endswith(".txn") for name in seen_during_commit)
    assert set(seen_during_commit.values()) == {0o600}
    assert (db / "assessments.jsonl.torn").exists() and (db / ".lock").exists()
    assert mode(db) == 0o700
    found = {p.relative_to(db).as_posix(): mode(p) for p in db.rglob("*")}
    folders = {name: m for name, m in found.items() if (db / name).is_dir()}
    assert len(folders) == 3 and set(folders.values()) == {0o700}  # backups/, one, cache/
    files = {name: m for name, m in found.items() if (db / name).is_file()}
    assert len(files) > 15 and set(files.values()) == {0o600}, files
    assert oct(mode(write_temp(db / "x.json", b"{}"))) == oct(0o600)


def test_the_audit_log_records_who_when_and_what_changed(tmp_path: Path) -> None:
    repo = FolderRepository.open(tmp_path / "db", create=True)  # the OS user
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    repo.put(Staff(employee_no="E1", name="Åse Ørum", department="D1", digital_agent=True))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 1)))
    repo.put(Department(code="D2", name="Midlertidig"))
    repo.delete("departments", "D2")

    entries = FolderRepository.open(repo.path).audit_entries()
    assert entries[0].action == "import" and "DigComp" in entries[0].key
    mine = entries[1:]
    assert {e.user for e in mine} == {getpass.getuser()}
    assert all(start <= e.at <= dt.datetime.now(dt.UTC) for e in mine)
    assert [(e.action, e.entity, e.key) for e in mine] == [
        ("create", "departments", "D1"),
        ("create", "staff", "E1"),
        ("update", "staff", "E1"),
        ("create", "assessments", "E1|DC1.1|2026-01-01|self"),
        ("create", "departments", "D2"),
        ("delete", "departments", "D2"),
    ]
    assert mine[1].changes["name"] == [None, "Åse"]
    assert mine[2].changes == {"digital_agent": [False, True], "name": ["Åse", "Åse Ørum"]}
    assert mine[5].changes["name"] == ["Midlertidig", None]
    assert mine[3].changes == {"level": [None, 2]}  # what was recorded, beside the key


def test_a_corrected_assessment_is_audited_with_its_new_values(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    day = dt.date(2026, 1, 1)
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=day, source="manager"))
    repo.record(
        Assessment(
            staff="E1",
            competency="DC1.1",
            level=3,
            date=day,
            source="manager",
            assessor="Bo",
            note="typo: it was 3",
        )
    )
    recorded = [e for e in repo.audit_entries() if e.entity == "assessments"]
    assert [e.key for e in recorded] == ["E1|DC1.1|2026-01-01|manager"] * 2
    assert recorded[1].changes == {
        "level": [None, 3],
        "assessor": [None, "Bo"],
        "note": [None, "typo: it was 3"],
    }


def test_a_summary_transaction_writes_one_counting_entry(repo: FolderRepository) -> None:
    before = len(repo.audit_entries())
    with repo.transaction(summary="demo data") as tx:
        tx.put(Department(code="D1", name="A"))
        tx.put(Department(code="D2", name="B"))
    added = repo.audit_entries()[before:]
    assert [(e.action, e.key) for e in added] == [("import", "demo data")]
    assert added[0].changes == {"counts": [None, {"create:departments": 2}]}


def test_the_lock_file_is_private_even_when_made_by_a_reader(
    tmp_path: Path, open_umask: None
) -> None:
    db = tmp_path / "db"
    FolderRepository.open(db, create=True)
    (db / repository.LOCK_FILE).unlink()
    FolderRepository.open(db).refresh()
    assert mode(db / repository.LOCK_FILE) == 0o600
