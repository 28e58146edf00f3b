"""`kapabel person erase` always finishes: run again after an interruption at any step, it
completes the erasure; run again after it finished, it says so and succeeds."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from store.repository import FolderRepository
from tests.iohelpers import (
    EMPLOYEE_NO,
    check_erased_cleanly,
    folder_hashes,
    leaks,
    spread_person,
)
from tui.cli import main


class Killed(BaseException):
    """Stands for the process being killed: nothing after it runs."""


@pytest.fixture(scope="module")
def spread(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the person in every corner (see `spread_person`), made once."""
    path = tmp_path_factory.mktemp("spread") / "db"
    spread_person(FolderRepository.open(path, create=True, user="tester"))
    return path


def _whole_backups(db: Path) -> dict[str, str]:
    """The folder's files but half-made backups and `cache/` (derived files an open may write:
    the history's stamp of a copied folder, `store.snapshot.CHECKED_FILE`)."""
    return {
        k: v
        for k, v in folder_hashes(db).items()
        if ".partial" not in k and not k.startswith("cache/")
    }


def _erase(db: Path) -> int:
    return main(["person", "erase", EMPLOYEE_NO, "--yes", "--db", str(db)])


def test_erase_twice_the_second_time_says_there_is_nothing_left(spread, tmp_path, capsys) -> None:
    db = tmp_path / "db"
    shutil.copytree(spread, db)
    assert _erase(db) == 0
    assert capsys.readouterr().out.startswith(f"erased {EMPLOYEE_NO} (now ERASED-")
    check_erased_cleanly(db)
    assert _erase(db) == 0
    out = capsys.readouterr().out
    assert out == f"nothing is held about {EMPLOYEE_NO}: erased already, or never recorded\n"


def test_an_erasure_interrupted_at_any_step_is_finished_by_erase_or_by_open(
    spread, tmp_path, monkeypatch, capsys
) -> None:
    """Interrupt the erasure at its 1st, 2nd, ... durable step (every file it replaces), until
    it gets through; each time, running it again -- or only opening the database -- finishes
    it, and nothing of the person is left anywhere in the folder."""
    real_replace = os.replace
    for step in itertools.count(1):
        db = tmp_path / f"run{step}"
        shutil.copytree(spread, db)
        calls = iter(range(1, 10_000))

        def replace(source, target, step=step, calls=calls) -> None:
            if next(calls) == step:
                raise Killed
            real_replace(source, target)

        monkeypatch.setattr(os, "replace", replace)
        try:
            _erase(db)
            finished = True
        except Killed:
            finished = False
        monkeypatch.setattr(os, "replace", real_replace)
        capsys.readouterr()
        if finished:
            check_erased_cleanly(db)
            break
        if step % 2:
            FolderRepository.open(db)
            # Finished, or (killed before it was written down) never begun: then only the
            # half-made backup is gone (and cache/ written), as at every open.
            assert leaks(db) == [] or _whole_backups(db) == _whole_backups(spread), step
        assert _erase(db) == 0, capsys.readouterr().err
        check_erased_cleanly(db)
    assert step > 10  # the erasure has that many steps to be interrupted at
