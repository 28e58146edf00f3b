"""The README's Quick start stays true: two commands, and CI runs the second one."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_quick_start_is_exactly_two_single_line_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    install_and_open, install_and_test = commands
    assert install_and_open.startswith("python3 -m venv .venv && ")
    assert "kapabel demo" in install_and_open
    assert "pytest" in install_and_test and "'.[test]'" in install_and_test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_development_says_how_to_run_the_source_being_edited() -> None:
    """`pip install .` copies the code, so an edited source would not be what `kapabel` runs."""
    section = _section("Development")
    assert "pip install -e '.[test]'" in section


def test_the_framework_json_example_imports_cleanly(tmp_path: Path) -> None:
    from store.repository import FolderRepository
    from tui.cli import main

    section = _section("Importing your data")
    blocks = re.findall(r"```json\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "one framework example in 'Importing your data'"
    command = re.search(r"kapabel import competencies (\S+\.json)", section)
    assert command, "the README shows the command that imports the example"
    example = tmp_path / command.group(1)
    example.write_text(blocks[0], encoding="utf-8")
    db = tmp_path / "db"

    assert main(["import", "competencies", str(example), "--db", str(db)]) == 0

    document = json.loads(blocks[0])
    ds = FolderRepository.open(db).ds
    framework = ds.frameworks[document["code"]]
    assert [s.label for s in framework.scale] == [s["label"] for s in document["scale"]]
    assert len(document["competencies"]) == 2
    for item in document["competencies"]:
        competency = ds.competencies[item["code"]]
        assert (competency.framework, competency.name) == (document["code"], item["name"])


def test_the_readme_pictures_are_the_browser_tests_own() -> None:
    """Each picture the README shows is a PNG the browser test writes (not one made by hand),
    and the README names that test and how to take the pictures again."""
    from tests.e2e.test_browser import REFRESH, SCREENSHOTS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    assert pictures, "the README shows the Overview in Danish"
    for picture in pictures:
        path = ROOT / picture
        assert path.parent == SCREENSHOTS, f"{picture} is not one of the browser test's pictures"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", picture
    section = _section("Languages")
    assert "test_kapabel_serve_in_danish" in section and f"{REFRESH}=1" in section
    source = (ROOT / "tests" / "e2e" / "test_browser.py").read_text(encoding="utf-8")
    assert "def test_kapabel_serve_in_danish(" in source
