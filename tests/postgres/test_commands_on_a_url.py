"""The commands on a PostgreSQL URL (`--db URL` or KAPABEL_DB), as on a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import open_store
from store.models import Department
from store.postgres.migrate import migrate
from tui.cli import main


def test_demo_writes_into_a_server_database_and_replaces_it_only_with_force(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    migrate(pg_url, user="hr")
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--db", pg_url, "--staff", "8", "--no-open"]) == 0
    assert "demo database written to postgresql://" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []  # the URL was not taken for a folder's name
    repo = open_store(pg_url)
    assert len(repo.ds.staff) == 8
    repo.storage.close()

    assert main(["demo", "--db", pg_url, "--staff", "5", "--no-open"]) == 2
    err = capsys.readouterr().err
    assert "already holds data" in err and "--force" in err

    assert (
        main(["demo", "--db", pg_url, "--staff", "5", "--seed", "2", "--force", "--no-open"]) == 0
    )
    capsys.readouterr()
    repo = open_store(pg_url)
    assert len(repo.ds.staff) == 5
    assert [e.key for e in repo.audit_entries()] == [
        "demo municipality, seed 2, 5 staff"
    ]  # a new database's history: the earlier demo's is gone with it
    repo.storage.close()


def test_check_report_export_and_audit_read_a_url(pg_url: str, monkeypatch, capsys) -> None:
    migrate(pg_url, user="hr")
    monkeypatch.setenv("KAPABEL_DB", pg_url)
    assert main(["demo", "--db", pg_url, "--staff", "6", "--no-open"]) == 0
    capsys.readouterr()
    for argv in (["check"], ["report", "gaps", "--format", "csv"], ["export", "staff"], ["audit"]):
        assert main(argv) == 0, argv
        assert capsys.readouterr().out, argv


def test_the_apps_daily_backup_leaves_a_server_database_to_its_server(pg_url: str) -> None:
    """The app makes a folder's daily backup when it opens; a server's are pg_dump's."""
    from store.backup import daily_backup

    migrate(pg_url, user="hr")
    repo = open_store(pg_url)
    assert daily_backup(repo) is None
    repo.storage.close()


def test_backup_of_a_server_database_is_a_folder_database(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    """`kapabel backup --db URL`: a portable copy in the user data directory, the last N kept."""
    from store.importing import KINDS

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    migrate(pg_url, user="hr")
    main(["demo", "--db", pg_url, "--staff", "6", "--no-open"])
    capsys.readouterr()
    assert main(["backup", "--db", pg_url, "--keep", "1"]) == 0
    first = Path(capsys.readouterr().out.removeprefix("backup written to ").strip())
    assert first.is_relative_to(tmp_path / "data") and (first / "meta.json").exists()
    assert oct(first.stat().st_mode & 0o777) == "0o700"
    for kind in KINDS:
        assert main(["export", kind, "--db", pg_url]) == 0
        on_server = capsys.readouterr().out
        assert main(["export", kind, "--db", str(first)]) == 0
        assert capsys.readouterr().out == on_server, kind

    assert main(["backup", "--db", pg_url, "--keep", "1"]) == 0
    second = Path(capsys.readouterr().out.removeprefix("backup written to ").strip())
    assert second.exists() and not first.exists()  # --keep 1
    assert [p.name for p in second.parent.iterdir()] == [second.name]


def test_restore_puts_a_backup_back_on_a_server_database(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    migrate(pg_url, user="hr")
    main(["demo", "--db", pg_url, "--staff", "6", "--no-open"])
    assert main(["backup", "--db", pg_url]) == 0
    backup = Path(capsys.readouterr().out.split("backup written to ", 1)[1].strip())
    before = {kind: _export(kind, pg_url, capsys) for kind in ("staff", "departments")}
    repo = open_store(pg_url, user="hr")
    repo.put(Department(code="NEW", name="Made after the backup"))
    repo.storage.close()

    assert main(["restore", backup.name, "--db", pg_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"restored {backup.name}")
    assert {kind: _export(kind, pg_url, capsys) for kind in before} == before
    repo = open_store(pg_url)
    assert "NEW" not in repo.ds.departments
    last = repo.audit_entries()[-1]
    assert (last.action, last.key) == ("restore", backup.name)
    repo.storage.close()

    assert main(["restore", "no-such-backup", "--db", pg_url]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def _export(kind: str, target: str, capsys) -> str:
    assert main(["export", kind, "--db", target]) == 0
    return capsys.readouterr().out


def _damaged(backup: Path, name: str) -> None:
    """A backup file damaged as a disk or a careless copy does: cut short, or not JSON."""
    data = (backup / name).read_bytes()
    (backup / name).write_bytes(data[: len(data) // 2] if name.endswith(".jsonl") else b"{not")


@pytest.mark.parametrize("name", ["roles.json", "assessments.jsonl"])
def test_a_damaged_backup_is_refused_on_a_server_as_on_a_folder_and_nothing_changes(
    name: str, pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    """Restoring a damaged backup: the same one-line refusal, naming the file and what is wrong
    with it, on a server as on a folder; nothing is restored, no backup is made."""
    from store.importing import KINDS

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "demo"
    assert main(["demo", "--db", str(folder), "--staff", "6", "--no-open"]) == 0
    migrate(pg_url, user="hr")
    assert main(["copy", str(folder), pg_url, "--replace"]) == 0
    refusals = {}
    for target in (str(folder), pg_url):
        assert main(["backup", "--db", target]) == 0
        backup = Path(capsys.readouterr().out.split("backup written to ", 1)[1].strip())
        _damaged(backup, name)
        before = {kind: _export(kind, target, capsys) for kind in KINDS}
        backups = sorted(backup.parent.iterdir())

        assert main(["restore", str(backup), "--db", target]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        refusals[target] = err.replace(str(backup), "BACKUP")
        assert {kind: _export(kind, target, capsys) for kind in KINDS} == before
        assert sorted(backup.parent.iterdir()) == backups
    assert refusals[pg_url] == refusals[str(folder)]
    assert f"not restored: {name}: " in refusals[pg_url]
