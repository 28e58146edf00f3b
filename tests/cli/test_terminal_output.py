"""Nothing the command line prints can act on the terminal: escape sequences and reordering
characters in stored text (a database written before the input rules) are shown, not run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import integrity
from store.models import Requirement, Staff
from store.repository import FolderRepository
from tests.iohelpers import populate
from tui.cli import main

EVIL_NAME = "Eve\x1b[2J\x1b]0;owned\x07 \u202eevil"
UNSAFE = ("\x1b", "\x07", "\u202e")


@pytest.fixture
def db(repo: FolderRepository, monkeypatch: pytest.MonkeyPatch) -> Path:
    populate(repo)
    # Written as an older Kapabel (or the JSON import before the rule) could: unchecked.
    with monkeypatch.context() as older_kapabel:
        older_kapabel.setattr(integrity, "text_problems", lambda record: [])
        repo.put(Staff(employee_no="E9", name=EVIL_NAME, department="D1"))
    return repo.path


def assert_safe(text: str) -> None:
    assert text, "nothing was printed"
    for char in UNSAFE:
        assert char not in text


@pytest.mark.parametrize(
    "argv",
    [
        ["audit"],
        ["audit", "--employee", "E9"],
        ["check"],
        ["person", "export", "E9", "--format", "text"],
        ["report", "person", "--employee", "E9"],
        ["report", "person", "--employee", "E9", "--format", "md"],
        ["report", "heatmap"],
    ],
)
def test_stored_escape_sequences_are_shown_not_run(db, argv, capsys) -> None:
    main([*argv, "--db", str(db)])
    out = capsys.readouterr()
    assert_safe(out.out + out.err)


@pytest.mark.parametrize("argv", [["audit"], ["person", "export", "E9", "--format", "text"]])
def test_what_is_stored_is_shown_escaped_so_a_reader_sees_it(db, argv, capsys) -> None:
    assert main([*argv, "--db", str(db)]) == 0
    assert "Eve\\x1b[2J\\x1b]0;owned\\x07 \\u202eevil" in capsys.readouterr().out


def test_json_output_escapes_them_and_stays_the_same_json(db, capsys) -> None:
    assert main(["person", "export", "E9", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert_safe(out)
    assert json.loads(out)["profile"]["name"] == EVIL_NAME


def test_an_error_line_never_carries_an_escape_sequence(db, capsys) -> None:
    assert main(["restore", "/nowhere/\x1b[2Jbackup", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert_safe(err)
    assert err.count("\n") == 1 and "\\x1b[2Jbackup" in err


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_report_of_gaps_shows_escapes_in_every_format(db, repo, fmt, capsys) -> None:
    repo.put(Requirement(competency="DC1.1", level=4, department="D1"))  # E9 falls short
    assert main(["report", "gaps", "--format", fmt, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert_safe(out)
    if fmt == "json":  # the same JSON: the name reads back as stored
        names = {row["name"] for row in json.loads(out)["staff"]}
        assert EVIL_NAME in names
