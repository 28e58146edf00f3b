"""Export -> import changes nothing, for every kind; formula-like cells are escaped."""

from __future__ import annotations

import pytest

from store.exporting import export_csv
from store.importing import KINDS, import_file
from store.importing.cells import escape_cell, unescape_cell
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, folder_hashes, populate


@pytest.mark.parametrize("kind", list(KINDS))
def test_export_then_import_is_a_no_op(repo: FolderRepository, tmp_path, kind: str) -> None:
    populate(repo)
    path = tmp_path / f"{kind}.csv"
    path.write_text(export_csv(kind, repo.ds), encoding="utf-8")
    before = folder_hashes(repo.path)
    plan = import_file(repo, kind, path)
    assert plan.problems == []
    assert (len(plan.added), len(plan.updated), len(plan.deactivated)) == (0, 0, 0)
    assert plan.unchanged == len(path.read_text(encoding="utf-8").splitlines()) - 1 - _newlines(
        kind
    )
    assert folder_hashes(repo.path) == before


def _newlines(kind: str) -> int:
    """Quoted cells in the fixture that hold a line break (one note of E2)."""
    return 1 if kind == "assessments" else 0


def test_formula_like_cells_are_escaped_and_read_back(repo: FolderRepository) -> None:
    populate(repo)
    text = export_csv("assessments", repo.ds)
    assert f"{EMPLOYEE_NO},RPA1,1,2026-01-05,self,,,'=1+1" in text.splitlines()


@pytest.mark.parametrize(
    "value", ["=SUM(A1)", "+45 1234", "-3", "@cmd", "'", "'=x", "''", "plain", ""]
)
def test_escape_round_trips_every_value(value: str) -> None:
    escaped = escape_cell(value)
    assert not escaped.startswith(("=", "+", "-", "@"))
    assert unescape_cell(escaped) == value


def test_a_hand_typed_apostrophe_before_text_is_kept() -> None:
    assert unescape_cell("'tis") == "'tis"


def test_two_plans_sharing_person_competency_and_due_export_and_import_back_unchanged(
    repo: FolderRepository, tmp_path
) -> None:
    import datetime as dt

    from store.models import TrainingPlan

    populate(repo)
    due = dt.date(2027, 3, 1)
    cancelled = repo.put(
        TrainingPlan(
            staff=EMPLOYEE_NO, competency="DC1.1", target_level=3, due=due, status="cancelled"
        )
    )
    again = repo.put(TrainingPlan(staff=EMPLOYEE_NO, competency="DC1.1", target_level=4, due=due))
    text = export_csv("training", repo.ds)
    rows = [line for line in text.splitlines() if f",{EMPLOYEE_NO},DC1.1," in line]
    assert sorted(rows) == [
        f"{cancelled.id},{EMPLOYEE_NO},DC1.1,3,,2027-03-01,cancelled,",
        f"{again.id},{EMPLOYEE_NO},DC1.1,4,,2027-03-01,planned,",
    ]
    path = tmp_path / "training.csv"
    path.write_text(text, encoding="utf-8")
    before = folder_hashes(repo.path)
    plan = import_file(repo, "training", path)
    assert plan.problems == [] and (plan.added, plan.updated) == ([], [])
    assert folder_hashes(repo.path) == before


def test_a_plan_id_names_one_plan_and_an_unknown_one_is_refused(
    repo: FolderRepository, tmp_path
) -> None:
    populate(repo)
    plan_id = next(p.id for p in repo.ds.training_plans.values() if p.staff == EMPLOYEE_NO)
    path = tmp_path / "plans.csv"
    path.write_text(
        "plan_id,employee_no,competency,target_level,due,status\n"
        f"{plan_id},{EMPLOYEE_NO},RPA1,3,2027-03-01,in_progress\n"
        f",{EMPLOYEE_NO},DC1.1,5,2028-01-01,planned\n",
        encoding="utf-8",
    )
    plan = import_file(repo, "training", path)
    assert plan.summary() == "training: 1 added, 1 updated, 0 unchanged"
    updated = repo.ds.training_plans[plan_id]
    assert (updated.target_level, updated.status) == (3, "in_progress")

    path.write_text(
        f"plan_id,employee_no,competency,target_level\nTP-999999,{EMPLOYEE_NO},RPA1,2\n",
        encoding="utf-8",
    )
    refused = import_file(repo, "training", path)
    assert refused.problems == [
        f"{path}:2: plan_id: no 'TP-999999' here (leave it empty for a new one)"
    ]


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_xlsx_export_imports_back_as_a_no_op(
    repo: FolderRepository, tmp_path, kind: str
) -> None:
    from store.exporting import export_xlsx

    populate(repo)
    data, rows = export_xlsx(kind, repo.ds)
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(data)
    before = folder_hashes(repo.path)
    plan = import_file(repo, kind, path)
    assert plan.problems == []
    assert (plan.added, plan.updated, plan.deactivated, plan.unchanged) == ([], [], [], rows)
    assert rows == len(list(KINDS[kind].records(repo.ds))) > 0
    assert folder_hashes(repo.path) == before


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_an_xlsx_export_writes_formula_like_text_as_text(
    repo: FolderRepository, tmp_path, start: str
) -> None:
    import io
    import zipfile

    from python_calamine import CalamineWorkbook

    from store.exporting import export_xlsx
    from store.models import Role

    populate(repo)
    name = f'{start}HYPERLINK("http://x";"y")'
    repo.put(Role(code="R9", name=name))
    data, _ = export_xlsx("roles", repo.ds)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert ["R9", name] in rows  # the value itself: no apostrophe, no formula
    path = tmp_path / "roles.xlsx"
    path.write_bytes(data)
    assert import_file(repo, "roles", path).unchanged == len(rows) - 1
