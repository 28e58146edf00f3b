"""The command line in Danish (issue #13): its help, argparse's own words, a usage error and a
message for people all in Danish; machine output and English unchanged."""

from __future__ import annotations

import argparse
import gettext
import re
from pathlib import Path

import pytest

import i18n
from store.models import Department
from store.repository import FolderRepository
from tui.cli import main


@pytest.fixture
def danish(monkeypatch: pytest.MonkeyPatch):
    """Danish as a user chooses it for every command (`kapabel` reads it as it starts)."""
    monkeypatch.setenv("KAPABEL_LANG", "da")
    yield
    i18n.set_language("en")


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_kapabel_help_is_danish_with_argparse_words_too(danish, capsys) -> None:
    out = help_of([], capsys)
    assert out.startswith("brug: kapabel [-h]")
    assert "Digitale kompetencer, uddannelse og robotter" in out
    assert "\ntilvalg:\n" in out and "\nkommandoer:\n" in out
    assert re.search(r"-h, --help +vis denne hjælpetekst og afslut\n", out)
    assert "--as-of ÅÅÅÅ-MM-DD" in out and "skriv en rapport (gaps, heatmap" in out
    for english in ("usage:", "options:", "show this help", "write a report"):
        assert english not in out


def test_report_help_is_danish_with_lang(capsys) -> None:
    try:
        out = help_of(["report", "--lang", "da"], capsys)
    finally:
        i18n.set_language("en")
    assert out.startswith("brug: kapabel report [-h] [--db STI]")
    assert "\npositionelle argumenter:\n" in out
    assert re.search(r"--employee NR +medarbejdernummer \(personrapport\)\n", out)
    assert "positional arguments" not in out and "employee number" not in out


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["report", "gaps", "--format", "pdf"],
            "kapabel report: --format: ugyldigt valg: 'pdf' (vælg mellem 'text', 'md', 'csv', "
            "'json', 'xlsx'); se kapabel report --help",
        ),
        (["import"], "kapabel import: følgende argumenter skal angives: kind, file; se "),
        (["check", "--bogus"], "kapabel check: ukendte argumenter: --bogus; se kapabel check"),
        (["report", "gaps", "--as-of", "2026-02-30"], "--as-of: ikke en dato (ÅÅÅÅ-MM-DD)"),
        (["report", "gaps", "--employee", "E1"], "--employee er kun til personrapporten"),
    ],
    ids=["argparse choice", "argparse required", "unknown option", "our type", "our check"],
)
def test_a_usage_error_is_one_danish_line(danish, tmp_path, capsys, argv, line) -> None:
    assert main([*argv, "--db", str(tmp_path / "db")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and line in captured.err, captured.err


def test_a_message_for_people_is_danish_and_the_data_is_not(
    danish, repo: FolderRepository, tmp_path: Path, capsys
) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    out = tmp_path / "afdelinger.csv"
    assert main(["export", "departments", "--db", str(repo.path), "-o", str(out)]) == 0
    assert capsys.readouterr().err == f"departments: 1 række skrevet til {out}\n"
    assert out.read_text(encoding="utf-8").startswith("code,name")  # CSV keeps its English keys


def test_argparse_speaks_its_own_language_again_after_kapabel(danish, capsys) -> None:
    help_of(["check"], capsys)
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert "usage:" in argparse.ArgumentParser(prog="other").format_help()


def test_every_count_an_erasure_reports_is_in_danish(tmp_path: Path) -> None:
    """What `kapabel person erase` says it removed names each kind in Danish, including the
    partial backups and torn lines files (their English names showed in a Danish sentence)."""
    from store.erasure import erase_person
    from tests.iohelpers import EMPLOYEE_NO, populate
    from tui.commands.options import table_count

    repo = FolderRepository.open(tmp_path / "db", create=True, user="tester")
    populate(repo)
    names = set(erase_person(repo, EMPLOYEE_NO)["counts"])
    assert {"partial backups removed", "torn lines files"} <= names
    i18n.set_language("da")
    try:
        english = {name: name for name in names if name in table_count(name, 2)}
    finally:
        i18n.set_language("en")
    assert not english, f"counts in English in a Danish sentence: {sorted(english)}"


def test_a_missing_file_to_import_is_explained_in_danish(danish, tmp_path, capsys) -> None:
    """The system's reason (English strerror) is said in Danish for the common cases."""
    code = main(["--db", str(tmp_path / "db"), "import", "staff", str(tmp_path / "nope.csv")])
    err = capsys.readouterr().err
    assert code == 1
    assert "findes ikke" in err and "No such file" not in err
