"""Backups: timestamped zips under <db>/backups/, the last N kept; restore checks first."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from store.backup import daily_backup, list_backups, make_backup, restore
from store.errors import StoreError
from store.models import Role
from store.repository import FolderRepository, newest_backup
from tests.iohelpers import folder_hashes, populate


def test_backup_then_restore_round_trips(repo: FolderRepository) -> None:
    populate(repo)
    data_before = {k: v for k, v in folder_hashes(repo.path).items() if "/" not in k}
    backup = make_backup(repo)
    assert newest_backup(repo.path) == backup
    repo.put(Role(code="R9", name="Added after the backup"))
    kept = restore(repo, backup)
    now = {k: v for k, v in folder_hashes(repo.path).items() if "/" not in k}
    assert {k: v for k, v in now.items() if k != "audit.jsonl"} == {
        k: v for k, v in data_before.items() if k != "audit.jsonl"
    }
    reopened = FolderRepository.open(repo.path)
    assert "R9" not in reopened.ds.roles and "R9" not in repo.ds.roles
    assert reopened.audit_entries()[-1].action == "restore"
    with zipfile.ZipFile(kept) as zf:  # the state before the restore is kept
        assert b"R9" in zf.read("roles.json")


def test_only_the_last_n_backups_are_kept(repo: FolderRepository) -> None:
    made = [make_backup(repo, keep=3) for _ in range(5)]
    assert list_backups(repo.path) == made[-3:]


def test_daily_backup_is_made_at_most_once_a_day(repo: FolderRepository) -> None:
    today = dt.datetime.now(dt.UTC).date()
    assert daily_backup(repo, today) is not None
    assert daily_backup(repo, today) is None
    assert daily_backup(repo, today + dt.timedelta(days=1)) is not None


def test_a_damaged_backup_is_refused_and_nothing_changes(repo: FolderRepository, tmp_path) -> None:
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("meta.json", b'{"meta": {"1": {"schema_version": 1}}}')
        zf.writestr("roles.json", b"{not json")
    before = folder_hashes(repo.path)
    with pytest.raises(StoreError, match="not restored: roles.json: not valid JSON"):
        restore(repo, bad)
    assert folder_hashes(repo.path) == before


def test_a_file_that_is_not_a_backup_is_refused(repo: FolderRepository, tmp_path) -> None:
    other = tmp_path / "x.zip"
    other.write_bytes(b"PK not really")
    with pytest.raises(StoreError, match="not a readable backup"):
        restore(repo, other)
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("passwords.txt", b"")
    with pytest.raises(StoreError, match=r"not a Kapabel backup \(holds passwords.txt\)"):
        restore(repo, other)
