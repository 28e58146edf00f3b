"""`kapabel copy SOURCE TARGET`: folder -> PostgreSQL and back, exactly (every export and
report byte for byte, the audit log too); a target holding data is not overwritten unasked."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from reports import CURRENT_LEVEL_KINDS
from store import location, open_store
from store.demo import generate
from store.importing import KINDS
from store.postgres.migrate import migrate
from tui.cli import main

PASSWORD = "n0t-Shown-pw"


def _outputs(target: Path | str, capsys) -> dict[str, str]:
    commands = [["export", kind] for kind in KINDS]
    # the reports that read only current levels (a server picks them) at a date with
    # assessments and at one before any (everyone 'not assessed', and the note says why)
    for kind in sorted(CURRENT_LEVEL_KINDS):
        for day in ("2026-11-01", "2000-01-01"):
            commands += [["report", kind, "--format", "json", "--as-of", day]]
    commands += [["report", kind, "--as-of", "2026-11-01"] for kind in ("trend", "strategy")]
    commands += [["audit"], ["check"]]
    outputs = {}
    for argv in commands:
        assert main([*argv, "--db", str(target)]) == 0, argv
        out = capsys.readouterr().out
        outputs[" ".join(argv)] = out.replace(location(target), "DB").replace(str(target), "DB")
    return outputs


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    repo = open_store(folder, create=True, user="demo")
    generate(repo, staff=30, seed=5)
    repo.storage.close()
    return folder


def test_folder_to_server_and_back_is_exact(demo_folder, tmp_path, pg_url, capsys) -> None:
    migrate(pg_url, user="hr")
    back = tmp_path / "back"

    assert main(["copy", str(demo_folder), pg_url]) == 0
    assert "copied" in capsys.readouterr().out
    assert main(["copy", pg_url, str(back)]) == 0
    capsys.readouterr()

    original = _outputs(demo_folder, capsys)
    assert _outputs(pg_url, capsys) == original
    assert _outputs(back, capsys) == original


def test_a_target_holding_data_is_refused_unless_replace(demo_folder, pg_url, capsys) -> None:
    migrate(pg_url, user="hr")
    assert main(["copy", str(demo_folder), pg_url]) == 0
    other = demo_folder.parent / "other"
    main(["demo", "--db", str(other), "--staff", "5", "--seed", "9", "--no-open"])
    capsys.readouterr()
    before = _outputs(pg_url, capsys)

    assert main(["copy", str(other), pg_url]) == 1
    err = capsys.readouterr().err
    assert "already holds data" in err and "--replace" in err and err.count("\n") == 1
    assert _outputs(pg_url, capsys) == before

    assert main(["copy", str(other), pg_url, "--replace"]) == 0
    capsys.readouterr()
    assert _outputs(pg_url, capsys) == _outputs(other, capsys)


def test_copy_never_shows_the_password(demo_folder, pg_url, capsys) -> None:
    migrate(pg_url, user="hr")
    parts = urlsplit(pg_url)
    secret = urlunsplit(parts._replace(netloc=f"{parts.username}:{PASSWORD}@"))
    assert main(["copy", str(demo_folder), secret]) == 0
    assert main(["copy", str(demo_folder), secret]) == 1  # refused: it holds data now
    out, err = capsys.readouterr()
    assert "copied" in out and "already holds data" in err
    assert PASSWORD not in out + err


def test_a_database_is_not_copied_onto_itself(demo_folder, capsys) -> None:
    assert main(["copy", str(demo_folder), str(demo_folder)]) == 2
    assert "the same database" in capsys.readouterr().err
