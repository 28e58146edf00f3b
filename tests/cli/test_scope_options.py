"""`kapabel --department CODE` and `--read-only` on the commands that read: nothing outside the
department's subtree comes out (reports, exports, a person's data, the audit log); an unknown
department is one line; commands that write or copy the whole database refuse both options."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import open_store
from tests.tui.conftest import small_records
from tui.cli import main


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db"
    repo = open_store(path, create=True, user="setup")
    register, assessments = small_records()
    with repo.transaction() as tx:
        for record in register:
            tx.put(record)
        for assessment in assessments:
            tx.record(assessment)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_commands_in_a_scope_show_nothing_outside_it(db: Path, capsys) -> None:
    scope = ("--db", str(db), "--department", "SOC")
    status, out, _ = run(capsys, *scope, "report", "gaps", "--as-of", "2026-06-30")
    assert status == 0 and "Åse Ørsted" in out and "Dorte Dahl" not in out
    status, out, _ = run(capsys, *scope, "export", "staff")
    assert status == 0 and "E1," in out and "E4" not in out and "Dorte" not in out
    status, out, _ = run(capsys, *scope, "audit")
    assert status == 0 and "E1" in out and "E4" not in out and "Dorte" not in out
    status, out, err = run(capsys, *scope, "report", "gaps", "--department", "MRK")
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and "MRK" in err
    status, out, err = run(capsys, *scope, "report", "person", "--employee", "E4")
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    status, out, err = run(capsys, *scope, "person", "export", "E4")
    assert status == 1 and out == "" and err.strip() == "kapabel: no staff with key 'E4'"


def test_an_unknown_department_is_one_line(db: Path, capsys) -> None:
    status, out, err = run(capsys, "--db", str(db), "--department", "NOPE", "report", "gaps")
    assert (status, out) == (1, "")
    assert err == "kapabel: no department with code 'NOPE' here to limit the view to\n"


@pytest.mark.parametrize(
    "command",
    [["import", "roles", "roles.csv"], ["backup"], ["person", "erase", "E1", "--yes"]],
)
@pytest.mark.parametrize("option", [["--department", "SOC"], ["--read-only"]])
def test_commands_that_write_refuse_the_options(db: Path, capsys, command, option) -> None:
    status, out, err = run(capsys, "--db", str(db), *option, *command)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and f"{option[0]} apply only to the app" in err
    assert "E1" in open_store(db).ds.staff


def test_read_only_commands_read_and_write_nothing(db: Path, capsys) -> None:
    from tests.iohelpers import folder_hashes

    before = folder_hashes(db)
    status, out, _ = run(capsys, "--db", str(db), "--read-only", "export", "staff")
    assert status == 0 and "Dorte Dahl" in out
    status, out, _ = run(capsys, "--db", str(db), "--read-only", "check")
    assert status == 0
    assert folder_hashes(db) == before


def test_serve_checks_the_database_and_department_before_listening(db: Path, capsys) -> None:
    status, out, err = run(capsys, "serve", "--db", str(db), "--department", "NOPE")
    assert (status, out) == (1, "")
    assert err == "kapabel: no department with code 'NOPE' here to limit the view to\n"
    status, out, err = run(capsys, "serve", "--db", str(db), "--port", "70000")
    assert (status, out) == (2, "") and "not a port (1-65535): 70000" in err


def test_serve_says_who_can_reach_it() -> None:
    from tui.commands.serve import listening_message

    assert "(loopback only:" in listening_message("127.0.0.1", 8000, None)
    assert "(loopback only:" in listening_message("::1", 8000, None)
    wide = listening_message("0.0.0.0", 8000, "https://intra.example.dk/kapabel")
    assert "anyone who can reach this machine can open it" in wide
    assert wide.endswith("browsers use https://intra.example.dk/kapabel. Ctrl+C stops it.")


def test_each_browser_session_runs_the_app_with_the_same_options(db: Path, monkeypatch) -> None:
    """The database goes to the sessions in their environment (a URL's password would be on
    every command line the machine lists)."""
    from tui.commands import serve

    served: list[str] = []

    class Server:
        def __init__(self, command: str) -> None:
            self.command = command

        def serve(self) -> None:
            served.append(self.command)

    monkeypatch.setattr(serve, "_server", lambda command, *_: Server(command))
    monkeypatch.setattr(serve.os, "environ", {})
    args = ["--as-of", "2026-11-01", "serve", "--db", str(db), "--department", "SOC"]
    assert main([*args, "--read-only", "--lang", "da"]) == 0
    (command,) = served
    assert command.endswith("-m tui.cli --as-of 2026-11-01 --department SOC --read-only")
    assert str(db) not in command
    assert serve.os.environ == {"KAPABEL_DB": str(db), "KAPABEL_LANG": "da"}
