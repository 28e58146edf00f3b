"""`kapabel` and `kapabel demo` open the app: with the folder (loaded after the first frame)
and the as-of date asked for."""

from __future__ import annotations

import datetime as dt
import shutil

from store.demo import DEMO_AS_OF
from tui.cli import main


def capture_run_app(monkeypatch) -> list[dict]:
    calls: list[dict] = []

    def fake_run_app(repo=None, as_of=None, *, db_path=None, **limits) -> int:
        calls.append({"repo": repo, "as_of": as_of, "db_path": db_path, **limits})
        return 0

    monkeypatch.setattr("tui.app.run_app", fake_run_app)
    return calls


def test_in_a_terminal_kapabel_opens_the_app_before_loading_the_folder(monkeypatch, tmp_path):
    calls = capture_run_app(monkeypatch)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["--db", str(tmp_path / "db"), "--as-of", "2026-02-03"]) == 0
    assert main(["--db", str(tmp_path / "db"), "--department", "SOC", "--read-only"]) == 0
    opened = {"repo": None, "db_path": tmp_path / "db"}
    assert calls == [
        {**opened, "as_of": dt.date(2026, 2, 3), "department": None, "read_only": False},
        {**opened, "as_of": None, "department": "SOC", "read_only": True},  # the app opens it
    ]
    assert not (tmp_path / "db").exists()  # the app opens (and creates) it in a worker


def test_without_a_terminal_a_damaged_database_is_one_line_and_exit_1(
    monkeypatch, tmp_path, capsys
):
    calls = capture_run_app(monkeypatch)
    (tmp_path / "db").write_text("not a folder")
    assert main(["--db", str(tmp_path / "db")]) == 1
    assert calls == []
    assert capsys.readouterr().err.strip().endswith("is a file, not a database folder")


def test_demo_opens_at_the_demo_date_unless_told_otherwise(monkeypatch, tmp_path):
    calls = capture_run_app(monkeypatch)
    assert main(["demo", "--db", str(tmp_path / "d1"), "--staff", "40"]) == 0
    assert calls[-1]["as_of"] == DEMO_AS_OF
    assert calls[-1]["repo"].ds.staff
    assert (
        main(["--as-of", "2026-01-31", "demo", "--db", str(tmp_path / "d2"), "--staff", "40"]) == 0
    )
    assert calls[-1]["as_of"] == dt.date(2026, 1, 31)


def test_every_command_opens_the_database_kapabel_db_names(monkeypatch, tmp_path, capsys):
    """One opening point: `$KAPABEL_DB` (a folder or a URL) reaches each command the same way."""
    monkeypatch.setenv("KAPABEL_DB", str(tmp_path / "env-db"))
    assert main(["demo", "--db", str(tmp_path / "env-db"), "--staff", "5", "--no-open"]) == 0
    capsys.readouterr()
    for argv in (["check"], ["audit"], ["export", "staff"], ["report", "gaps", "--format", "csv"]):
        assert main(argv) == 0, argv
    assert "env-db: clean" in capsys.readouterr().out


def test_a_server_url_is_refused_in_one_line_without_its_password(monkeypatch, capsys):
    monkeypatch.setattr("store.opening.POSTGRES_MODULE", "store.no_such_backend")
    monkeypatch.setenv("KAPABEL_DB", "postgresql://hr:pa55word@db.example.org/kapabel")
    for argv in (["audit"], ["export", "staff"], ["report", "gaps"], ["backup"]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "PostgreSQL" in err, argv
        assert "pa55word" not in err


def test_a_first_start_begins_reading_the_history_before_the_app_is_built(
    monkeypatch, demo_db_template, tmp_path
):
    """`kapabel` in a terminal, on a folder without its snapshot: the history's read-ahead is
    under way when the app starts (its modules load meanwhile), and the app's open takes it."""
    from store import snapshot
    from store.folder import reading

    monkeypatch.setattr(reading, "ARROW_FROM", 0)  # the demo's history counts as large
    monkeypatch.setattr(reading, "_BEGUN", {})
    begun_when_run = []

    def fake_run_app(repo=None, as_of=None, *, db_path=None, **limits) -> int:
        begun_when_run.append(set(reading._BEGUN))
        return 0

    monkeypatch.setattr("tui.app.run_app", fake_run_app)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    path = tmp_path / "db"
    shutil.copytree(demo_db_template, path)
    assert main(["--db", str(path)]) == 0
    assert begun_when_run == [set()]  # with the snapshot there is nothing to read ahead
    snapshot.remove(path)
    assert main(["--db", str(path)]) == 0
    assert begun_when_run[1] == {(path / "assessments.jsonl").resolve()}
    for ahead in reading._BEGUN.values():
        ahead.wait()
