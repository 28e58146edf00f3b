"""A schema-0 database (one TinyDB file) is brought to the current schema when opened, losing
nothing."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import orjson
import pytest

from store.dataset import row_from_record
from store.errors import CorruptFileError
from store.models import MODELS_BY_TABLE, AuditEntry, RobotBenefit, TrainingPlan
from store.repository import SCHEMA_VERSION, FolderRepository

FIXTURE = Path(__file__).parent / "fixtures" / "kapabel_schema0.json"
OLD = orjson.loads(FIXTURE.read_bytes())


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    db = tmp_path / "db"
    db.mkdir(mode=0o755)
    os.chmod(db, 0o755)
    shutil.copyfile(FIXTURE, db / "kapabel.json")
    os.chmod(db / "kapabel.json", 0o644)
    return db


def docs(table: str) -> list[dict]:
    old = OLD.get(table, {})  # a table added since schema 0 (settings) starts empty
    return [old[k] for k in sorted(old, key=int)]


def test_every_record_is_there_in_the_new_layout(old_db: Path) -> None:
    repo = FolderRepository.open(old_db, user="migrator")
    for table in repo.storage.tables:
        model = MODELS_BY_TABLE[table]
        expected = {m.key(): m for m in map(model.model_validate, docs(table))}
        assert repo.ds.table(table) == expected, table
    assert repo.ds.assessments == [row_from_record(r, i) for i, r in enumerate(docs("assessments"))]
    benefits = [RobotBenefit.model_validate(r) for r in docs("robot_benefits")]
    assert repo.ds.robot_benefits == {b.key(): b for b in benefits}
    audit = repo.audit_entries()
    assert audit[:-1] == [AuditEntry.model_validate(r) for r in docs("audit")]
    assert (audit[-1].action, audit[-1].user, audit[-1].key) == (
        "migrate",
        "migrator",
        "schema 0 -> 1",
    )
    assert audit[-1].changes == {"schema_version": [0, 1]}
    assert repo.problems() == []


def test_the_layout_meta_and_the_kept_old_file(old_db: Path) -> None:
    FolderRepository.open(old_db)
    assert not (old_db / "kapabel.json").exists()
    assert (old_db / "kapabel.json.schema0").read_bytes() == FIXTURE.read_bytes()
    meta = orjson.loads((old_db / "meta.json").read_bytes())["meta"]["1"]
    assert meta["schema_version"] == SCHEMA_VERSION and meta["counters"] == {"TP": 1, "MS": 1}
    assert set(meta["history"]) == {"assessments.jsonl", "robot_benefits.jsonl", "audit.jsonl"}
    for name in (
        "staff.json",
        "departments.json",
        "robots.json",
        "assessments.jsonl",
        "audit.jsonl",
    ):
        assert (old_db / name).is_file(), name
    assert stat.S_IMODE(old_db.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in old_db.rglob("*") if p.is_file()}
    assert set(modes.values()) == {0o600}, modes
    folders = {p.name: stat.S_IMODE(p.stat().st_mode) for p in old_db.rglob("*") if p.is_dir()}
    assert set(folders.values()) <= {0o700}, folders  # the cache (store.trusted)


def test_the_migrated_database_keeps_working(old_db: Path) -> None:
    repo = FolderRepository.open(old_db)
    plan = repo.put(TrainingPlan(staff="E1", competency="DC4.2", target_level=3))
    assert plan.id == "TP-000002"  # the old counter carries on
    reopened = FolderRepository.open(old_db)
    assert set(reopened.ds.training_plans) == {"TP-000001", "TP-000002"}
    assert [e.action for e in reopened.audit_entries()].count("migrate") == 1


def test_a_migration_interrupted_before_meta_runs_again_cleanly(old_db: Path) -> None:
    FolderRepository.open(old_db)
    (old_db / "meta.json").unlink()  # as if killed just before meta.json was written
    os.replace(old_db / "kapabel.json.schema0", old_db / "kapabel.json")
    repo = FolderRepository.open(old_db)
    assert [e.action for e in repo.audit_entries()].count("migrate") == 1
    assert len(repo.ds.assessments) == 3 and repo.problems() == []


def test_a_migration_interrupted_after_meta_keeps_the_old_file(old_db: Path) -> None:
    FolderRepository.open(old_db)
    os.replace(old_db / "kapabel.json.schema0", old_db / "kapabel.json")  # killed before rename
    repo = FolderRepository.open(old_db)
    assert not (old_db / "kapabel.json").exists()
    assert (old_db / "kapabel.json.schema0").read_bytes() == FIXTURE.read_bytes()
    assert [e.action for e in repo.audit_entries()].count("migrate") == 1


def test_a_damaged_old_database_is_reported_before_anything_is_written(old_db: Path) -> None:
    data = orjson.loads(FIXTURE.read_bytes())
    data["staff"]["2"]["start_date"] = "sometime"
    (old_db / "kapabel.json").write_bytes(orjson.dumps(data))
    before = sorted(p.name for p in old_db.iterdir())
    with pytest.raises(CorruptFileError) as caught:
        FolderRepository.open(old_db)
    assert caught.value.path == old_db / "kapabel.json"
    assert "table 'staff': record 'E2' fails validation: start_date" in str(caught.value)
    assert sorted(p.name for p in old_db.iterdir() if p.name != ".lock") == before
