"""Backups: timestamped copies under <db>/backups/, the last N kept; restore checks first."""

from __future__ import annotations

import datetime as dt

import pytest

from store.backup import daily_backup, make_backup, restore
from store.errors import StoreError
from store.folder.backups import list_backups
from store.models import Role
from store.repository import FolderRepository, newest_backup
from tests.iohelpers import folder_hashes, populate


def _data(repo: FolderRepository) -> dict[str, str]:
    """Hashes of the database's own files (not backups, not the audit log, which gets the
    restore's entry, nor meta.json, which records the audit log's new length)."""
    return {
        k: v
        for k, v in folder_hashes(repo.path).items()
        if "/" not in k and k not in ("audit.jsonl", "meta.json")
    }


def test_backup_then_restore_round_trips(repo: FolderRepository) -> None:
    populate(repo)
    before, counters = _data(repo), dict(repo.storage.meta["counters"])
    backup = make_backup(repo)
    assert newest_backup(repo.path) == backup
    repo.put(Role(code="R9", name="Added after the backup"))
    kept = restore(repo, backup)
    assert _data(repo) == before and repo.storage.meta["counters"] == counters
    reopened = FolderRepository.open(repo.path)
    assert "R9" not in reopened.ds.roles and "R9" not in repo.ds.roles
    assert reopened.audit_entries()[-1].action == "restore"
    assert b"R9" in (kept / "roles.json").read_bytes()  # the state before the restore is kept


def test_only_the_last_n_backups_are_kept(repo: FolderRepository) -> None:
    made = [make_backup(repo, keep=3) for _ in range(5)]
    assert list_backups(repo.path) == made[-3:]


def test_daily_backup_is_made_at_most_once_a_day(repo: FolderRepository) -> None:
    today = dt.datetime.now(dt.UTC).date()
    assert daily_backup(repo, today) is not None
    assert daily_backup(repo, today) is None
    assert daily_backup(repo, today + dt.timedelta(days=1)) is not None


def test_a_damaged_backup_is_refused_and_nothing_changes(repo: FolderRepository, tmp_path) -> None:
    bad = make_backup(repo)
    (bad / "roles.json").write_bytes(b"{not json")
    before = folder_hashes(repo.path)
    with pytest.raises(StoreError, match="not restored: roles.json: not valid JSON"):
        restore(repo, bad)
    assert folder_hashes(repo.path) == before


def test_a_folder_that_is_not_a_backup_is_refused(repo: FolderRepository, tmp_path) -> None:
    with pytest.raises(StoreError, match="not a backup"):
        restore(repo, tmp_path / "nothing-here")
    other = tmp_path / "other"
    other.mkdir()
    (other / "passwords.txt").write_bytes(b"")
    with pytest.raises(StoreError, match=r"not a Kapabel backup \(holds passwords.txt\)"):
        restore(repo, other)
    (other / "passwords.txt").unlink()
    with pytest.raises(StoreError, match=r"not a Kapabel backup \(no meta.json\)"):
        restore(repo, other)


def test_a_backup_into_a_given_folder_is_a_private_database_anyone_can_open(
    repo: FolderRepository, tmp_path
) -> None:
    import stat

    populate(repo)
    target = repo.storage.backup(tmp_path / "portable" / "copy")
    assert target == tmp_path / "portable" / "copy"
    copy = FolderRepository.open(target)
    for name in ("departments", "staff", "training_plans", "robots"):
        assert copy.ds.table(name) == repo.ds.table(name)
    assert copy.ds.assessments == repo.ds.assessments
    assert copy.audit_entries() == repo.audit_entries()
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in target.iterdir() if p.is_file()} == {0o600}
    assert not (repo.path / "backups").exists()  # not among the database's own backups
    with pytest.raises(StoreError, match="exists already"):
        repo.storage.backup(target)
