"""`kapabel import coverage-rules`: Danish headers and yes/no words, refusals naming the row
with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.importing import import_file
from store.models import Competency, Department
from store.repository import FolderRepository
from tests.iohelpers import folder_hashes


@pytest.fixture
def office(repo: FolderRepository) -> FolderRepository:
    with repo.transaction() as tx:
        tx.put(Department(code="ORG", name="Kommune"))
        tx.put(Department(code="SOC", name="Social", parent_code="ORG"))
        tx.put(Competency(code="SAGS", framework="DIGCOMP", name="Fagsystem"))
    return repo


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_danish_headers_and_ja_nej(office: FolderRepository, tmp_path: Path) -> None:
    path = write(tmp_path, "afdeling;kompetence;niveau;min_antal;hver\nORG;SAGS;3;2;ja\n"
                           "SOC;SAGS;5;1;nej\nSOC;SAGS;2;4;\n")  # fmt: skip
    plan = import_file(office, "coverage-rules", path)
    assert plan.problems == [] and len(plan.added) == 3
    rules = office.ds.coverage_rules
    assert (rules["ORG|SAGS|3"].min_people, rules["ORG|SAGS|3"].each) == (2, True)
    assert rules["SOC|SAGS|5"].each is False and rules["SOC|SAGS|2"].each is False


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("NOPE,SAGS,3,1,no", "NOPE"),
        ("SOC,NOPE,3,1,no", "NOPE"),
        ("SOC,SAGS,9,1,no", "highest level"),
        ("SOC,SAGS,0,1,no", "level"),
        ("SOC,SAGS,3,0,no", "min_people"),
        ("SOC,SAGS,3,1,maybe", "each"),
    ],
)
def test_refusals_name_the_row_and_nothing_is_written(
    office: FolderRepository, tmp_path: Path, row: str, words: str
) -> None:
    path = write(
        tmp_path, f"department_code,competency,level,min_people,each\nORG,SAGS,1,1,yes\n{row}\n"
    )
    before = folder_hashes(office.path)
    plan = import_file(office, "coverage-rules", path)
    assert plan.problems, row
    text = " ".join(str(p) for p in plan.problems)
    assert "3" in text and words in text  # line 3 of the file
    assert folder_hashes(office.path) == before
    assert office.ds.coverage_rules == {}
