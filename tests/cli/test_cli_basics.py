"""`kapabel --version` and `--help` on every command, as a user types them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import user_settings_env
from tui.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("kapabel ") and out.strip() != "kapabel"


def test_every_command_is_offered_in_the_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in _commands():
        assert command in out
    assert {"demo", "check", "report", "import", "export", "backup", "restore", "person"} <= set(
        _commands()
    )


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"usage: kapabel {command}" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", "frobnicate"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **user_settings_env()},
    )
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
