"""A save reported as failed never appears later: a file system error (here "No space left on
device") at any write point of a commit either leaves the database exactly as before, or -- once
a file was replaced, when the commit is complete in its journal -- the save reports success."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
from pathlib import Path

import pytest

from store import files
from store.errors import StoreError
from store.folder import locking as folder_locking
from store.models import Assessment, Department, Robot, RobotBenefit, Staff
from store.repository import FolderRepository
from tests.store.test_history_loss import files_of


class DiskFull:
    """Counts write points as a commit passes them and fails the `fail_at`-th with ENOSPC."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_at: int) -> None:
        self.fail_at, self.calls, self.failed = fail_at, 0, ""
        write_temp, append_durably = files.write_temp, files.append_durably
        replace, fsync, pwrite = os.replace, os.fsync, os.pwrite

        def temp(path, data, suffix=".tmp"):
            self.hit("temporary " + path.name)
            return write_temp(path, data, suffix)

        def append(path, data):
            if self.due("append to " + path.name):
                append_durably(path, data[: len(data) // 2])  # part of it got there
                self.full()
            return append_durably(path, data)

        def rename(source, target):
            self.hit(f"rename to {Path(target).name}")
            return replace(source, target)

        def sync(fd):
            self.hit("fsync")
            return fsync(fd)

        def write_at(fd, data, offset):
            if self.due("write meta.json in place"):
                pwrite(fd, bytes(data[: len(data) // 2]), offset)  # part of it got there
                self.full()
            return pwrite(fd, data, offset)

        monkeypatch.setattr(files, "write_temp", temp)
        monkeypatch.setattr(folder_locking, "write_temp", temp)
        monkeypatch.setattr(folder_locking, "append_durably", append)
        monkeypatch.setattr(os, "replace", rename)
        monkeypatch.setattr(os, "fsync", sync)
        monkeypatch.setattr(os, "fdatasync", sync)
        monkeypatch.setattr(os, "pwrite", write_at)

    def due(self, where: str) -> bool:
        self.calls += 1
        if self.calls == self.fail_at:
            self.failed = where
            return True
        return False

    def hit(self, where: str) -> None:
        if self.due(where):
            self.full()

    @staticmethod
    def full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


def save(repo: FolderRepository) -> None:
    """One save that replaces a table and meta.json and appends to all three history files."""
    with repo.transaction() as tx:
        tx.put(Staff(employee_no="E2", name="Bo", department="D1"))
        tx.record(Assessment(staff="E2", competency="DC1.1", level=3, date=dt.date(2026, 2, 1)))
        tx.record(RobotBenefit(robot="RB1", month="2026-02", hours_saved=5))


def saved(repo: FolderRepository) -> bool:
    ds = repo.ds
    parts = (
        "E2" in ds.staff,
        any(row.staff == "E2" for row in ds.assessments),
        "RB1|2026-02" in ds.robot_benefits,
        any(entry.key == "E2" for entry in repo.audit_entries()),
    )
    assert len(set(parts)) == 1, parts  # all or nothing
    return parts[0]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("full") / "db"
    repo = FolderRepository.open(db, create=True, user="tester")
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Staff(employee_no="E1", name="Åse", department="D1"))
        tx.put(Robot(code="RB1", name="Bot", department="D1"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 1)))
    return db


def test_a_full_disk_at_any_write_point_never_half_saves(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcomes = {}
    for fail_at in range(1, 100):
        db = tmp_path / f"db{fail_at}"
        shutil.copytree(template, db)
        repo = FolderRepository.open(db, user="tester")
        before = files_of(db)
        with monkeypatch.context() as patches:
            disk = DiskFull(patches, fail_at)
            try:
                save(repo)
                failed = False
            except StoreError as error:
                assert "No space left on device" in str(error)
                failed = True
        if not disk.failed:
            assert not failed and saved(FolderRepository.open(db))
            break
        outcomes[disk.failed] = failed
        if failed:  # reported as failed: it never appears, and nothing is left to finish it
            assert not (db / "journal.json").exists(), disk.failed
            # nor a temporary holding the unsaved records (names) until the next open
            assert not [p.name for p in db.glob(".*.txn")], disk.failed
            repo.refresh()
            assert not saved(repo), disk.failed
            reopened = FolderRepository.open(db)
            assert not saved(reopened), disk.failed
            assert reopened.problems() == [], disk.failed
            assert files_of(db) == before, disk.failed
        else:  # reported as saved (a file was already replaced): it is there
            assert saved(repo)
            reopened = FolderRepository.open(db)
            assert saved(reopened) and reopened.problems() == [], disk.failed
    else:
        pytest.fail("the save never got past the injected faults")
    failed_at = {where for where, failed in outcomes.items() if failed}
    assert {"append to assessments.jsonl", "append to audit.jsonl"} <= failed_at
    assert any(where.startswith("temporary") for where in failed_at)
    assert "rename to journal.json" in failed_at
    # meta.json written over in place is past the point of no return: the journal finishes it
    assert outcomes["write meta.json in place"] is False
    assert any(not failed for failed in outcomes.values())  # a late rename: saved
