"""Fixtures shared across the test packages. Keep additions small and generally useful."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.repository import FolderRepository
from tests.pgserver import fresh_database, server_url


@pytest.fixture(autouse=True)
def english_without_user_settings(monkeypatch, tmp_path_factory) -> Iterator[None]:
    """Every test starts in English, whatever the locale or remembered language of the person
    running the suite, with a settings folder of its own (created only if a test writes it)."""
    import uuid

    import i18n

    for name in ("KAPABEL_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    config = tmp_path_factory.getbasetemp() / "config" / uuid.uuid4().hex
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def user_settings_env() -> dict[str, str]:
    """For a test's subprocess given an environment of its own: the test's settings folder and
    language, so that the language a person chose in their own app does not reach it."""
    return {"XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"], "LANG": "C.UTF-8"}


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


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL test server's URL (skips without one, except in CI: tests/pgserver.py)."""
    return server_url()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database of this test's own, dropped afterwards."""
    yield from fresh_database(pg_server)


@pytest.fixture
def pg_url_2(pg_server: str) -> Iterator[str]:
    """A second new database, for a test that needs two."""
    yield from fresh_database(pg_server)


@pytest.fixture(params=["folder", "postgres"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A new database (DigComp 2.2 only) on each backend in turn: a folder, or a PostgreSQL
    database made by `kapabel migrate` (the repository contract holds on both)."""
    if request.param == "folder":
        path = tmp_path / "db"
        FolderRepository.open(path, create=True, user="setup").storage.close()
        return path
    from store.postgres.migrate import migrate

    url = request.getfixturevalue("pg_url")
    migrate(url, user="setup")
    return url


@pytest.fixture
def open_repo(store_target: Path | str) -> Iterator:
    """Opens `store_target` as a program would (`store.open_store`); closed afterwards."""
    from store import open_store

    opened = []

    def opener(user: str = "tester"):
        repo = open_store(store_target, user=user)
        opened.append(repo)
        return repo

    yield opener
    for repo in opened:
        repo.storage.close()
