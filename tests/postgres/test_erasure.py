"""`kapabel person erase` on PostgreSQL: the folder's rules, in one transaction, backups too."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from store import open_store
from store.erasure import erase_person
from store.importing import KINDS
from store.postgres.migrate import migrate
from tui.cli import main

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg is not installed: pip install -e '.[test]'"
)


def _everything_stored(url: str) -> str:
    """Every row of every table, as text."""
    with psycopg.connect(url) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        return "\n".join(
            str(row) for table in tables for row in conn.execute(f"SELECT * FROM {table}")
        )


def _exports(target, capsys) -> dict[str, str]:
    outputs = {}
    for kind in KINDS:
        assert main(["export", kind, "--db", str(target)]) == 0
        outputs[kind] = re.sub(r"ERASED-[0-9a-f]+", "ERASED", capsys.readouterr().out)
    return outputs


def test_erasing_a_person_on_a_server_leaves_no_trace_of_them(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "demo"
    assert main(["demo", "--db", str(folder), "--staff", "20", "--no-open"]) == 0
    migrate(pg_url, user="hr")
    assert main(["copy", str(folder), pg_url, "--replace"]) == 0
    repo = open_store(pg_url)
    owners = {robot.owner for robot in repo.ds.robots.values()} - {None}
    person = next(
        s
        for s in sorted(repo.ds.staff.values(), key=lambda s: s.employee_no)
        if s.employee_no in owners
    )
    repo.storage.close()
    assert main(["backup", "--db", pg_url]) == 0
    backup = Path(capsys.readouterr().out.split("backup written to ", 1)[1].strip())
    assert person.name in _everything_stored(pg_url)

    assert main(["person", "erase", person.employee_no, "--yes", "--db", pg_url]) == 0
    assert main(["person", "erase", person.employee_no, "--yes", "--db", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "ERASED-" in out and "1 backups rewritten" in out

    stored = _everything_stored(pg_url)
    assert person.name not in stored and f"'{person.employee_no}'" not in stored
    assert person.name.encode() not in b"".join(
        p.read_bytes() for p in backup.rglob("*") if p.is_file()
    )
    repo = open_store(pg_url)
    assert person.employee_no not in repo.ds.staff
    assert all(r.staff != person.employee_no for r in repo.ds.assessments)
    assert repo.audit_entries()[-1].action == "erase"
    assert repo.problems() == []
    repo.storage.close()
    # the same rules as a folder's (each erasure draws its own pseudonym)
    assert _exports(pg_url, capsys) == _exports(folder, capsys)

    assert main(["person", "erase", person.employee_no, "--yes", "--db", pg_url]) == 0
    assert "nothing is held" in capsys.readouterr().out
    with psycopg.connect(pg_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM audit")  # the history is insert-only again


def test_an_erasure_interrupted_before_the_backups_is_finished_with_the_names_they_hold(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    """Killed after the server's transaction, before the backups were rewritten: the next
    `person erase` found the number in a backup but no longer the name (the server had
    forgotten it), so the name stayed where another record held it (a colleague's assessor)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "demo"
    assert main(["demo", "--db", str(folder), "--staff", "20", "--no-open"]) == 0
    migrate(pg_url, user="hr")
    assert main(["copy", str(folder), pg_url, "--replace"]) == 0
    repo = open_store(pg_url)
    person, colleague = sorted(repo.ds.staff.values(), key=lambda s: s.employee_no)[:2]
    repo.storage.close()
    assessed = tmp_path / "assessed.csv"
    assessed.write_text(
        "employee_no,competency,level,date,source,assessor,note\n"
        f'{colleague.employee_no},DC1.1,3,2026-01-02,manager,{person.name},"ask {person.email}"\n'
    )
    assert main(["import", "assessments", str(assessed), "--db", pg_url]) == 0
    assert main(["backup", "--db", pg_url]) == 0
    backup = Path(capsys.readouterr().out.split("backup written to ", 1)[1].strip())

    import store.folder.erasure as folder_erasure

    class Killed(BaseException):
        """The process dies here: the server's part is committed."""

    def killed(folder, identity):
        raise Killed

    with monkeypatch.context() as patches:
        patches.setattr(folder_erasure, "erase_in_folder", killed)
        with pytest.raises(Killed):
            main(["person", "erase", person.employee_no, "--yes", "--db", pg_url])
    assert person.name not in _everything_stored(pg_url)

    assert main(["person", "erase", person.employee_no, "--yes", "--db", pg_url]) == 0
    held = b"".join(p.read_bytes() for p in backup.rglob("*") if p.is_file())
    for trace in (person.employee_no, person.name, person.email):
        assert trace.encode() not in held, trace


def _served_with_a_backup(pg_url: str, tmp_path: Path, monkeypatch, capsys):
    """A demo on the server, and one `kapabel backup` of it; (a robot owner with an e-mail,
    the backup folder)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "demo"
    assert main(["demo", "--db", str(folder), "--staff", "20", "--no-open"]) == 0
    migrate(pg_url, user="hr")
    assert main(["copy", str(folder), pg_url, "--replace"]) == 0
    repo = open_store(pg_url)
    owners = {robot.owner for robot in repo.ds.robots.values()} - {None}
    person = next(
        s
        for s in sorted(repo.ds.staff.values(), key=lambda s: s.employee_no)
        if s.employee_no in owners and s.email
    )
    repo.storage.close()
    assert main(["backup", "--db", pg_url]) == 0
    backup = Path(capsys.readouterr().out.split("backup written to ", 1)[1].strip())
    return person, backup


def _traces_in(backup: Path, person) -> list[str]:
    """Which of the person's number, name and e-mail any backup file still holds."""
    held = b"".join(p.read_bytes() for p in backup.iterdir() if p.is_file()).decode().lower()
    return [
        value for value in (person.employee_no, person.name, person.email) if value.lower() in held
    ]


def _pending(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT employee_no FROM kapabel_pending_erasures").fetchall()


def _crash_after_the_transaction(pg_url: str, person, monkeypatch) -> None:
    """`person erase` dies after the server's transaction committed, before the backups."""

    def crash(*_args, **_kwargs):
        raise RuntimeError("the machine went down")

    repo = open_store(pg_url)
    with monkeypatch.context() as patched:
        patched.setattr("store.folder.erasure.erase_in_folder", crash)
        with pytest.raises(RuntimeError):
            erase_person(repo, person.employee_no)
    repo.refresh()
    assert person.employee_no not in repo.ds.staff  # the transaction committed
    repo.storage.close()
    assert _pending(pg_url) == [(person.employee_no,)]


def test_an_erasure_stopped_before_the_backups_is_finished_when_the_server_is_opened(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    person, backup = _served_with_a_backup(pg_url, tmp_path, monkeypatch, capsys)
    _crash_after_the_transaction(pg_url, person, monkeypatch)
    assert _traces_in(backup, person) == [person.employee_no, person.name, person.email]

    repo = open_store(pg_url)
    assert repo.finished_erasure["employee_no"] == person.employee_no
    repo.storage.close()
    assert _traces_in(backup, person) == []
    assert _pending(pg_url) == []
    assert person.name not in _everything_stored(pg_url)


def test_person_erase_finishes_an_erasure_stopped_before_the_backups(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    person, backup = _served_with_a_backup(pg_url, tmp_path, monkeypatch, capsys)
    _crash_after_the_transaction(pg_url, person, monkeypatch)

    assert main(["person", "erase", person.employee_no, "--yes", "--db", pg_url]) == 0
    out = capsys.readouterr().out
    assert f"finished the interrupted erasure of {person.employee_no}" in out
    assert "1 backups rewritten" in out
    assert _traces_in(backup, person) == []
    assert _pending(pg_url) == []


def _rows(url: str, table: str) -> dict[int, tuple]:
    with psycopg.connect(url) as conn:
        return {row[0]: row[1:] for row in conn.execute(f"SELECT * FROM {table} ORDER BY seq")}


def _plant_everywhere(repo) -> None:
    """`populate`'s person renamed, then named by number, name and e-mail in every field of
    another record that can name a person: notes and assessors, a department's lead, a
    theme's owner and stakeholders, a milestone's owner, governance, free text, and an audit
    summary; every one of these changes is in the audit log too."""
    from store.models import (
        Archetype,
        Assessment,
        Course,
        DecisionDomain,
        GovernanceDecision,
        Milestone,
        Stakeholder,
        Theme,
    )
    from tests.iohelpers import EMAIL, EMPLOYEE_NO, NAME, NEW_EMAIL, NEW_NAME, populate

    populate(repo)
    renamed = repo.ds.staff[EMPLOYEE_NO].model_copy(update={"name": NEW_NAME, "email": NEW_EMAIL})
    repo.put(renamed)
    with repo.transaction() as tx:
        tx.put(repo.ds.departments["D2"].model_copy(update={"lead": EMPLOYEE_NO}))
        tx.put(
            Theme(
                code="T1",
                rank=1,
                title=f"Self-service, led by {NAME}",
                end_state=f"Ask {EMAIL} or {NEW_NAME}",
                owner=EMPLOYEE_NO,
                stakeholders=[Stakeholder(name=NEW_NAME, role=f"writes to {NEW_EMAIL}")],
            )
        )
        tx.create(Milestone(theme="T1", title=f"{NAME} signs", due=dt.date(2026, 6, 1), owner=NAME))
        tx.put(
            GovernanceDecision(
                domain=DecisionDomain.IT_PRINCIPLES,
                decision_rights=Archetype.FEDERAL,
                people=[EMPLOYEE_NO, NEW_EMAIL, "Bo Hansen"],
            )
        )
        tx.put(Course(code="C1", name=f"Intro by {NEW_NAME}", provider=EMAIL))
        tx.record(
            Assessment(
                staff="E2",
                competency="RPA1",
                level=2,
                date=dt.date(2026, 3, 1),
                source="manager",
                assessor=EMPLOYEE_NO,
                note=f"{NEW_NAME} <{NEW_EMAIL}> agreed",
            )
        )
    with repo.transaction(summary=f"import sent by {NEW_EMAIL}") as tx:
        tx.record(Assessment(staff="E2", competency="DC1.2", level=1, date=dt.date(2026, 3, 2)))


def test_an_erasure_on_a_server_takes_the_person_out_of_every_field_and_only_there(
    pg_url: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    """The person named in every field that can name someone, on a server: afterwards no
    table holds their number, any of their names or e-mails (the audit and the pending
    erasures included), and the history rows that never held them are left as they were."""
    from tests.iohelpers import EMPLOYEE_NO, PERSON_SECRETS

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    migrate(pg_url, user="hr")
    repo = open_store(pg_url, user="hr")
    _plant_everywhere(repo)
    repo.storage.close()
    before = {table: _rows(pg_url, table) for table in ("assessments", "audit")}
    stored = _everything_stored(pg_url).lower()
    assert all(secret.lower() in stored for secret in PERSON_SECRETS)

    assert main(["person", "erase", EMPLOYEE_NO, "--yes", "--db", pg_url]) == 0

    stored = _everything_stored(pg_url).lower()
    left = [s for s in PERSON_SECRETS if re.search(rf"(?<!\w){re.escape(s.lower())}(?!\w)", stored)]
    assert left == []
    assert _pending(pg_url) == []
    for table, rows in before.items():
        untouched = {
            seq: row
            for seq, row in rows.items()
            if not any(s.lower() in str(row).lower() for s in PERSON_SECRETS)
        }
        after = _rows(pg_url, table)
        assert {seq: after.get(seq) for seq in untouched} == untouched, table
    repo = open_store(pg_url)
    pseudonym = next(e.key for e in repo.audit_entries() if e.action == "erase")
    assert repo.ds.departments["D2"].lead == pseudonym
    assert repo.ds.themes["T1"].owner == pseudonym
    assert [row.assessor for row in repo.ds.assessments if row.competency == "RPA1"] == [pseudonym]
    assert repo.problems() == []
    repo.storage.close()
