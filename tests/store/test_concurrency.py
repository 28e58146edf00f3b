"""Several processes saving to one database at once lose nothing and never share a key."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest

from store.errors import ConflictError
from store.models import Department, Staff
from store.repository import FolderRepository

ROOT = Path(__file__).resolve().parents[2]
CHANGES = 320
WRITERS = ("anna", "bent")


def spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_simultaneous_writers_lose_no_change(tmp_path: Path) -> None:
    db = tmp_path / "db"
    repo = FolderRepository.open(db, create=True, user="setup")
    repo.put(Department(code="D1", name="Start"))
    repo.put(Staff(employee_no="E0", name="Ea", department="D1"))
    script = str(ROOT / "tests" / "store" / "concurrent_writer.py")
    writers = [spawn([script, str(db), name, str(CHANGES)]) for name in WRITERS]
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    handed_out: dict[str, list[str]] = {}
    for name, writer in zip(WRITERS, writers, strict=True):
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        handed_out[name] = orjson.loads(out)["plans"]

    ds = FolderRepository.open(db).ds
    for name in WRITERS:
        assert {f"{name}-{i}" for i in range(0, CHANGES, 4)} <= set(ds.staff)
        assert {f"{name}-{i}" for i in range(3, CHANGES, 4)} <= {r.note for r in ds.assessments}
    all_plans = [plan for plans in handed_out.values() for plan in plans]
    assert len(all_plans) == len(WRITERS) * CHANGES // 4
    assert len(set(all_plans)) == len(all_plans)
    assert set(all_plans) == set(ds.training_plans)
    last_names = {f"{name} {CHANGES - 3:04d}" for name in WRITERS}
    assert ds.departments["D1"].name in last_names

    audit = FolderRepository.open(db).audit_entries()
    per_writer = Counter(e.user for e in audit)
    assert {name: per_writer[name] for name in WRITERS} == dict.fromkeys(WRITERS, CHANGES)
    updates = Counter(e.user for e in audit if e.entity == "departments" and e.action == "update")
    assert {name: updates[name] for name in WRITERS} == dict.fromkeys(WRITERS, CHANGES // 4)


def run_elsewhere(db: Path, code: str) -> None:
    """Run `code` (with `repo` open on `db`) in another process."""
    prelude = (
        "from store.repository import FolderRepository\n"
        "from store.models import *\n"
        f"repo = FolderRepository.open({str(db)!r}, user='other')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_a_stale_view_is_refreshed_before_writing(repo: FolderRepository) -> None:
    repo.put(Department(code="D1", name="Start"))
    run_elsewhere(repo.path, "repo.put(Staff(employee_no='E2', name='Other', department='D1'))")
    assert "E2" not in repo.ds.staff  # not yet seen
    repo.put(Staff(employee_no="E3", name="Mine", department="D1"))
    assert {"E2", "E3"} <= set(repo.ds.staff)
    assert {"E2", "E3"} <= set(FolderRepository.open(repo.path).ds.staff)


def test_a_record_changed_elsewhere_meanwhile_is_not_overwritten(repo: FolderRepository) -> None:
    mine = repo.put(Department(code="D1", name="Start"))
    run_elsewhere(repo.path, "repo.put(Department(code='D1', name='Theirs'))")
    with pytest.raises(ConflictError, match="changed by someone else"):
        repo.put(mine.model_copy(update={"name": "Mine"}), expected=mine)
    assert FolderRepository.open(repo.path).ds.departments["D1"].name == "Theirs"
    assert repo.ds.departments["D1"].name == "Theirs"
    with pytest.raises(ConflictError):
        repo.delete("departments", "D1", expected=mine)
    current = repo.ds.departments["D1"]
    repo.put(current.model_copy(update={"name": "Mine"}), expected=current)
    assert FolderRepository.open(repo.path).ds.departments["D1"].name == "Mine"
