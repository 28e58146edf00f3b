"""store and reports never load Textual (docs/architecture.md: dependencies point down only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
import store, reports
for package in (store, reports):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "tui"))
print(len([m for m in sys.modules if m.startswith(("store.", "reports."))]), loaded)
"""


def test_store_and_reports_load_neither_textual_nor_tui() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    modules, loaded = result.stdout.split(" ", 1)
    assert int(modules) >= 10  # the probe really imported the packages' modules
    assert loaded.strip() == "[]"


BACKENDS = {"folder", "postgres", "repository", "history", "register", "snapshot"}
"""store's backend modules: the folder's (its repository and file formats) and PostgreSQL's."""


def test_every_module_of_store_is_a_backend_the_opening_or_kept_off_the_backends() -> None:
    """A new module of store is backend-neutral unless it says otherwise: it must be in the
    import-linter contract that keeps the neutral modules off the backends (pyproject.toml)."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    neutral = next(
        c for c in contracts["contracts"] if c["name"].startswith("store's backend-neutral")
    )
    assert set(neutral["forbidden_modules"]) == {f"store.{name}" for name in BACKENDS}
    modules = {p.stem for p in (ROOT / "store").glob("*.py")} - {"__init__"}
    modules |= {p.name for p in (ROOT / "store").iterdir() if (p / "__init__.py").exists()}
    assert modules - BACKENDS - {"opening"} == {
        name.removeprefix("store.") for name in neutral["source_modules"]
    }
