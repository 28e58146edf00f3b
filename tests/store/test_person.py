"""A person's data on request: the export holds all of it, the erasure leaves none of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.backup import make_backup
from store.erasure import erase_person
from store.errors import NotFoundError
from store.person import person_data, person_text
from store.repository import FolderRepository
from tests.iohelpers import EMAIL, EMPLOYEE_NO, NAME, folder_hashes, populate


def test_export_holds_profile_assessments_plans_robots_and_audit(repo: FolderRepository) -> None:
    populate(repo)
    data = person_data(repo, EMPLOYEE_NO)
    assert (
        data["profile"]["name"] == NAME and data["profile"]["department_name"] == "Ydelser, team 1"
    )
    assert [(a["competency"], a["level"]) for a in data["assessments"]] == [
        ("RPA1", 1),
        ("DC1.1", 3),
    ]
    assert [p["competency"] for p in data["training_plans"]] == ["RPA1"]
    assert data["robots"] == [{"code": "ROB1", "name": "Ydelsesrobot", "as": ["owner", "operator"]}]
    keys = {(e["entity"], e["key"]) for e in data["audit_entries"]}
    assert {("staff", EMPLOYEE_NO), ("robots", "ROB1"), ("training_plans", "TP-000001")} <= keys
    assert ("assessments", f"{EMPLOYEE_NO}|RPA1|2026-01-05|self") in keys
    text = person_text(data)
    assert NAME in text and "Assessments (2)" in text and "Robots (1)" in text


def test_nobody_by_that_number_is_not_found(repo: FolderRepository) -> None:
    with pytest.raises(NotFoundError):
        person_data(repo, "E404")


def _raw(path: Path) -> bytes:
    """Every byte in the database folder, backups included."""
    return b"\n".join(file.read_bytes() for file in sorted(path.rglob("*")) if file.is_file())


def test_erase_leaves_none_of_the_person_anywhere(repo: FolderRepository) -> None:
    populate(repo)
    make_backup(repo)
    assert repo.save_snapshot(min_new_rows=0)  # the history snapshot holds the person too
    torn = repo.path / "assessments.jsonl.torn"  # a line a crash tore, set aside earlier
    torn.write_text(f'{{"staff": "{EMPLOYEE_NO}", "competency": "DC1.1", "note": "{NAME}\n')
    raw = _raw(repo.path)
    assert all(s.encode() in raw for s in (NAME, EMAIL, f'"{EMPLOYEE_NO}"'))

    result = erase_person(repo, EMPLOYEE_NO)

    raw = _raw(repo.path)
    for secret in (NAME, EMAIL, EMPLOYEE_NO, NAME.upper()):
        assert secret.encode() not in raw, secret
    reopened = FolderRepository.open(repo.path)
    assert [p for p in reopened.problems() if not p.startswith("assessments.jsonl.torn")] == []
    assert (
        reopened.ds.robots["ROB1"].operators == ["E2"] and reopened.ds.robots["ROB1"].owner is None
    )
    assert [a.staff for a in reopened.ds.assessments] == ["E2"]
    assert (
        reopened.ds.assessments[0].note
        == f"talked with {result['pseudonym']}, line one\nline two; done"
    )
    assert reopened.ds.departments["D1"].name == "Borgerservice"  # 'Bo' is no word in it
    last = reopened.audit_entries()[-1]
    assert (last.action, last.entity, last.key) == ("erase", "staff", result["pseudonym"])
    counts = result["counts"]
    assert (counts["assessments"], counts["robots"], counts["training plans"]) == (2, 1, 1)
    assert (counts["staff record"], counts["backups rewritten"]) == (1, 1)


def test_erase_leaves_a_namesake_alone(repo: FolderRepository) -> None:
    from store.models import Staff

    populate(repo)
    repo.put(Staff(employee_no="E3", name=NAME, department="D1"))
    erase_person(repo, EMPLOYEE_NO)
    reopened = FolderRepository.open(repo.path)
    assert reopened.ds.staff["E3"].name == NAME
    created = [e for e in reopened.audit_entries() if e.key == "E3"]
    assert created[0].changes["name"] == [None, NAME]


def test_erasing_an_unknown_person_changes_nothing(repo: FolderRepository) -> None:
    populate(repo)
    before = folder_hashes(repo.path)
    with pytest.raises(NotFoundError):
        erase_person(repo, "E404")
    assert folder_hashes(repo.path) == before


def test_text_export_reads_as_sections_of_aligned_labels(repo: FolderRepository) -> None:
    """What `person export --format text` prints: headings, `Label: value` lines whose values
    line up, yes/no (never Python's True/False), never `key=value` runs."""
    import re

    populate(repo)
    text = person_text(person_data(repo, EMPLOYEE_NO))
    lines = text.splitlines()
    assert lines[:2] == [f"Data held about employee {EMPLOYEE_NO}", "=" * len(lines[0])]
    for heading in ("Profile", "Assessments (2)", "Training plans (1)", "Robots (1)"):
        at = lines.index(heading)
        assert lines[at + 1] == "-" * len(heading)
    assert "True" not in text and "False" not in text and "None" not in text
    assert not re.search(r"\w=", text), "key=value runs"
    profile = lines[lines.index("Profile") + 2 :]
    profile = profile[: profile.index("")]
    starts = {len(line) - len(line.split(":", 1)[1].lstrip()) for line in profile}
    assert len(starts) == 1, profile  # every value starts in the same column
    assert f"Name:{' ' * (starts.pop() - 5)}{NAME}" in profile
    assert any(re.fullmatch(r"Digital agent: +no", line) for line in profile)
    assert any(re.fullmatch(r"Active: +yes", line) for line in profile)
    robots = lines[lines.index("Robots (1)") + 2 :]
    assert re.match(r"1\. +Code: +ROB1$", robots[0])
    assert any(re.search(r"Role: +owner, operator$", line) for line in robots)
    assert any(re.search(r"digital agent: no$", line) for line in lines)  # inside an audit change
