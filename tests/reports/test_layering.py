"""`reports` stands on `store` only: no Textual, no TUI, so the command line stays quick."""

from __future__ import annotations

import ast
from pathlib import Path

import reports

PACKAGE = Path(reports.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_reports_import_neither_tui_nor_textual() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top not in {"tui", "textual", "rich"}, f"{path.name} imports {name}"
