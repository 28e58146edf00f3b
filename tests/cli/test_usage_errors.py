"""Bad usage of any command: one line on stderr naming the problem and pointing to --help, exit 2.

The README promises it for every command, so each is tried with a bad choice, a bad date, a
missing argument or an unknown option, as a user would mistype them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import user_settings_env
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]

CASES = [
    (["--as-of", "2026-02-30"], "kapabel: --as-of: not a date", "kapabel --help"),
    (["frobnicate"], "invalid choice: 'frobnicate'", "kapabel --help"),
    (["demo", "--staff", "0"], "kapabel demo: --staff: must be at least 1", "kapabel demo --help"),
    (["check", "--bogus"], "kapabel check: unrecognized arguments: --bogus", "check --help"),
    (["report", "pdfs"], "kapabel report: KIND: invalid choice: 'pdfs'", "report --help"),
    (["report", "gaps", "--format", "pdf"], "--format: invalid choice: 'pdf'", "report --help"),
    (["report", "gaps", "--as-of", "2026-02-30"], "--as-of: not a date", "report --help"),
    (["report", "gaps", "--employee", "E1"], "--employee is only for the person report", ""),
    (["report", "person", "--employee", "E1", "--department", "K"], "--department", ""),
    (["report", "gaps", "--width", "ten"], "--width: not a whole number", "report --help"),
    (["report", "gaps", "--width", "20"], "--width: must be at least 40", "report --help"),
    (
        ["report", "gaps", "--format", "csv", "--width", "80"],
        "--width is only for --format text",
        "",
    ),
    (["report", "gaps", "-o", "x.txt"], "unrecognized arguments: -o x.txt", "report --help"),
    (["import", "nonsense", "f.csv"], "kapabel import: kind: invalid choice", "import --help"),
    (["import"], "the following arguments are required: kind, file", "import --help"),
    (["export", "nonsense"], "kapabel export: kind: invalid choice", "export --help"),
    (["backup", "--bogus"], "kapabel backup: unrecognized arguments: --bogus", "backup --help"),
    (["restore"], "kapabel restore: the following arguments are required", "restore --help"),
    (["person"], "kapabel person: the following arguments are required", "person --help"),
    (["person", "export", "E1", "--format", "pdf"], "invalid choice: 'pdf'", "export --help"),
    (["person", "erase"], "kapabel person erase: the following arguments", "erase --help"),
    (["audit", "--since", "2026-02-30"], "kapabel audit: --since: not a date", "audit --help"),
    (["audit", "--bogus", "x"], "kapabel audit: unrecognized arguments: --bogus x", "audit --help"),
]


@pytest.mark.parametrize(("argv", "problem", "help_hint"), CASES, ids=lambda v: str(v))
def test_bad_usage_is_one_line_naming_the_problem_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    problem: str,
    help_hint: str,
) -> None:
    db = ["--db", str(tmp_path / "db")] if argv and argv[0] == "report" else []
    status = main([*argv, *db])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert problem in lines[0]
    assert help_hint in lines[0]
    assert not (tmp_path / "db").exists()  # refused before the database was opened


def test_the_installed_command_prints_one_line_too() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "report", "gaps", "--format", "pdf"],
        capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **user_settings_env()},
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("kapabel report: --format: invalid choice: 'pdf'")
