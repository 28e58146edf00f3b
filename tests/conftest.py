"""Fixtures shared across the test packages. Keep additions small and generally useful."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store.repository import FolderRepository


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    """A new, empty database (DigComp 2.2 only) in a temporary folder."""
    return FolderRepository.open(tmp_path / "db", create=True, user="tester")


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo municipality (1,200 staff, seed 1), generated once per test process."""
    from store.demo import generate

    path = tmp_path_factory.mktemp("demo") / "db"
    generate(FolderRepository.open(path, create=True, user="demo"), staff=1200, seed=1)
    return path


@pytest.fixture
def demo_repo(demo_db_template: Path, tmp_path: Path) -> FolderRepository:
    """A private copy of the demo database that a test may change."""
    path = tmp_path / "demo"
    shutil.copytree(demo_db_template, path)
    return FolderRepository.open(path, user="tester")
