"""Coverage rules in the store: add, edit, re-key, remove, refusals as problems, on both
backends; and a folder of schema 3 is brought to 4."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from store.coverage import remove_coverage_rule, save_coverage_rule
from store.errors import ValidationProblem
from store.models import Competency, CoverageRule, Department
from store.problems import render_line
from store.repository import META_FILE, SCHEMA_VERSION, FolderRepository


def setup(repo) -> None:
    with repo.transaction() as tx:
        tx.put(Department(code="ORG", name="Kommune"))
        tx.put(Department(code="SOC", name="Social", parent_code="ORG"))
        tx.put(Competency(code="SAGS", framework="DIGCOMP", name="Fagsystem"))


def test_a_rule_is_added_edited_rekeyed_and_removed_on_each_backend(open_repo) -> None:
    repo = open_repo()
    setup(repo)
    rule = save_coverage_rule(
        repo, CoverageRule(department="SOC", competency="SAGS", level=3, min_people=2)
    )
    edited = save_coverage_rule(repo, rule.model_copy(update={"min_people": 4, "each": True}), rule)
    reopened = open_repo()
    assert list(reopened.ds.coverage_rules.values()) == [edited]
    moved = save_coverage_rule(reopened, edited.model_copy(update={"level": 4}), edited)
    assert set(reopened.ds.coverage_rules) == {moved.key()} == {"SOC|SAGS|4"}
    remove_coverage_rule(reopened, moved)
    assert open_repo().ds.coverage_rules == {}
    actions = [(e.action, e.entity) for e in open_repo().audit_entries()[-4:]]
    assert all(entity == "coverage_rules" for _, entity in actions)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"department": "NOPE"}, "department", "NOPE"),
        ({"competency": "NOPE"}, "competency", "NOPE"),
        ({"level": 9}, "level", "highest level"),
    ],
)
def test_refusals_are_problems_at_the_field_and_nothing_is_written(
    repo: FolderRepository, fields: dict, field: str, words: str
) -> None:
    setup(repo)
    values = {"department": "SOC", "competency": "SAGS", "level": 3, "min_people": 1, **fields}
    with pytest.raises(ValidationProblem) as refused:
        save_coverage_rule(repo, CoverageRule(**values))
    [found] = refused.value.problems
    assert found.field == field and words in render_line(found)
    assert repo.ds.coverage_rules == {}


def test_a_second_rule_with_the_same_key_is_refused(repo: FolderRepository) -> None:
    setup(repo)
    rule = CoverageRule(department="SOC", competency="SAGS", level=3, min_people=1)
    save_coverage_rule(repo, rule)
    with pytest.raises(ValidationProblem):
        save_coverage_rule(repo, rule.model_copy(update={"min_people": 5}))


def test_a_department_or_competency_in_a_rule_is_in_use(repo: FolderRepository) -> None:
    from store.integrity import usages

    setup(repo)
    save_coverage_rule(
        repo, CoverageRule(department="SOC", competency="SAGS", level=3, min_people=1)
    )
    assert usages(repo.ds, "departments", "SOC") == {"coverage_rule": 1}
    assert usages(repo.ds, "competencies", "SAGS") == {"coverage_rule": 1}


def test_a_schema_3_folder_is_brought_to_4_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "db"
    repo = FolderRepository.open(path, create=True, user="setup")
    setup(repo)
    repo.storage.close()
    meta = orjson.loads((path / META_FILE).read_bytes())
    meta["meta"]["1"]["schema_version"] = 3
    (path / META_FILE).write_bytes(orjson.dumps(meta))
    repo = FolderRepository.open(path, user="tester")
    assert "SOC" in repo.ds.departments
    assert orjson.loads((path / META_FILE).read_bytes())["meta"]["1"]["schema_version"] == 4
    assert SCHEMA_VERSION == 4
    save_coverage_rule(
        repo, CoverageRule(department="SOC", competency="SAGS", level=3, min_people=1)
    )
    assert FolderRepository.open(path).ds.coverage_rules
