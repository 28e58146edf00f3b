"""`kapabel --lang da|en` (before or after the command), KAPABEL_LANG, the remembered choice and
the system locale decide the language once, at start (docs/languages.md)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

import i18n
from tui.cli import main


@pytest.fixture
def app_language(monkeypatch) -> list[str]:
    """The language the app was opened in, for each opening."""
    seen: list[str] = []

    def fake_run_app(*args, **kwargs) -> int:
        seen.append(i18n.language())
        return 0

    monkeypatch.setattr("tui.app.run_app", fake_run_app)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    return seen


def test_lang_before_or_after_the_command_opens_the_app_in_that_language(app_language, tmp_path):
    db = str(tmp_path / "db")
    assert main(["--lang", "da", "--db", db]) == 0
    assert main(["--db", db, "--lang=en"]) == 0
    assert main(["--lang", "da", "demo", "--db", str(tmp_path / "d1"), "--staff", "5"]) == 0
    assert main(["demo", "--db", str(tmp_path / "d2"), "--staff", "5", "--lang", "da"]) == 0
    assert main(["--db", db, "--la", "da"]) == 0  # argparse takes abbreviations
    assert app_language == ["da", "en", "da", "da", "da"]


def test_without_lang_the_variable_then_the_remembered_choice_then_the_locale(
    app_language, monkeypatch, tmp_path
):
    db = str(tmp_path / "db")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert main(["--db", db]) == 0
    i18n.remember_language("en")
    assert main(["--db", db]) == 0
    monkeypatch.setenv("KAPABEL_LANG", "da")
    assert main(["--db", db]) == 0
    assert main(["--db", db, "--lang", "en"]) == 0
    assert app_language == ["da", "en", "da", "en"]


def test_a_report_takes_lang_after_its_arguments(tmp_path, capsys):
    db = str(tmp_path / "db")
    assert main(["demo", "--db", db, "--staff", "5", "--no-open"]) == 0
    assert main(["report", "gaps", "--db", db, "--lang", "da", "--format", "json"]) == 0
    assert i18n.language() == "da"
    assert main(["--lang", "en", "report", "gaps", "--db", db, "--format", "json"]) == 0
    assert i18n.language() == "en"


def test_a_bad_lang_is_one_line_and_exit_2(app_language, tmp_path, capsys):
    assert main(["--db", str(tmp_path / "db"), "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--lang" in err and "'fr'" in err and "da or en" in err
    assert app_language == []
    assert not (tmp_path / "db").exists()


def test_a_bad_kapabel_lang_is_one_line_naming_the_variable(
    app_language, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("KAPABEL_LANG", "swedish")
    assert main(["--db", str(tmp_path / "db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "KAPABEL_LANG='swedish'" in err
    assert main(["report", "gaps", "--db", str(tmp_path / "db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "KAPABEL_LANG='swedish'" in err
    assert app_language == []
    assert main(["--db", str(tmp_path / "db"), "--lang", "da"]) == 0  # --lang decides first
    assert app_language == ["da"]


def test_a_damaged_settings_file_is_passed_over_quietly(
    app_language, monkeypatch, tmp_path, capsys
):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    (config / "kapabel").mkdir(parents=True)
    (config / "kapabel" / "settings.json").write_bytes(b'{"language": "da"')
    assert main(["--db", str(tmp_path / "db")]) == 0
    assert app_language == ["en"]
    assert capsys.readouterr().err == ""


def test_serve_passes_its_lang_to_every_session(monkeypatch, tmp_path, app_language):
    """`kapabel serve --lang da`: each browser session's own `kapabel` opens the app in Danish."""
    from tui.commands import serve

    db = tmp_path / "db"
    assert main(["demo", "--db", str(db), "--staff", "5", "--no-open"]) == 0
    served: list[str] = []

    class Server:
        def __init__(self, command: str) -> None:
            self.command = command

        def serve(self) -> None:
            served.append(self.command)

    monkeypatch.setattr(serve, "_server", lambda command, *_: Server(command))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for argv in (["serve", "--db", str(db), "--lang", "da"], ["--lang", "da", "serve"]):
        monkeypatch.delenv("KAPABEL_LANG", raising=False)
        monkeypatch.setenv("KAPABEL_DB", str(db))
        assert main(argv) == 0
        i18n.set_language("en")
        # A session: the command textual-serve runs, in the environment the server left.
        session = shlex.split(served[-1])
        assert session[1:3] == ["-m", "tui.cli"]
        assert main(session[3:]) == 0
    assert app_language == ["da", "da"]


def test_lang_is_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--lang" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "--lang" in capsys.readouterr().out


def test_tests_run_in_english_with_no_settings_of_the_person_running_them(tmp_path: Path):
    """The suite's own isolation (tests/conftest.py): no KAPABEL_LANG, no remembered choice."""
    assert i18n.language() == "en"
    assert i18n.remembered_language() is None
