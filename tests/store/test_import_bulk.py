"""An import of the history checks each row once and writes it once (`Transaction.record_all`):
the same history, audit and problems as recording the rows one by one."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import orjson
import pytest

import store.importing.plan
import store.unit_of_work
from store.errors import ValidationProblem
from store.importing import import_file
from store.models import Assessment, Source
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, populate


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the records `record_problems` checks, by where it was called from."""
    calls: Counter[str] = Counter()
    for module in (store.importing.plan, store.unit_of_work):
        real = module.record_problems

        def counting(ds, record, real=real, where=module.__name__):
            calls[where] += 1
            return real(ds, record)

        monkeypatch.setattr(module, "record_problems", counting)
    return calls


def assessments() -> list[Assessment]:
    """Every kind of value an assessment line holds, twice for one key (a correction)."""
    return [
        Assessment(staff=EMPLOYEE_NO, competency="RPA1", level=2, date=dt.date(2026, 3, 1)),
        Assessment(
            staff="E2",
            competency="DC1.1",
            level=0,
            date=dt.date(2026, 3, 2),
            source=Source.MANAGER,
            assessor="Leder Ærø",
            valid_until=dt.date(2028, 3, 2),
            note="efter samtale; [b]ikke markup[/b]",
        ),
        Assessment(staff="E2", competency="DC1.1", level=3, date=dt.date(2026, 3, 2), note="x"),
    ]


def new_db(tmp_path: Path, name: str) -> FolderRepository:
    repo = FolderRepository.open(tmp_path / name, create=True, user="tester")
    populate(repo)
    return repo


def without_time(path: Path) -> list[dict]:
    return [{**orjson.loads(line), "at": None} for line in path.read_bytes().splitlines()]


def test_recording_many_writes_what_recording_one_by_one_writes(tmp_path: Path) -> None:
    one, many = new_db(tmp_path, "one"), new_db(tmp_path, "many")
    with one.transaction() as tx:
        for record in assessments():
            tx.record(record)
    with many.transaction() as tx:
        tx.record_all(assessments(), checked_on=many.version.stamp)

    assert (many.path / "assessments.jsonl").read_bytes() == (
        one.path / "assessments.jsonl"
    ).read_bytes()
    assert without_time(many.path / "audit.jsonl") == without_time(one.path / "audit.jsonl")
    assert list(many.ds.assessments) == list(one.ds.assessments)
    assert list(FolderRepository.open(many.path).ds.assessments) == list(one.ds.assessments)


def test_records_not_checked_on_this_version_are_checked(
    tmp_path: Path, checked: Counter[str]
) -> None:
    repo = new_db(tmp_path, "db")
    before = (repo.path / "assessments.jsonl").read_bytes()
    unknown = Assessment(staff="E404", competency="RPA1", level=1, date=dt.date(2026, 3, 1))
    stale = repo.version.stamp
    repo.put(repo.ds.staff["E2"].model_copy(update={"name": "Bo Hansen-Ærø"}))
    checked.clear()

    for checked_on in (None, stale):
        with pytest.raises(ValidationProblem, match="E404"), repo.transaction() as tx:
            tx.record_all([*assessments(), unknown], checked_on=checked_on)
    assert checked["store.unit_of_work"] > 0
    with pytest.raises(ValidationProblem, match="E404"), repo.transaction() as tx:
        tx.put(repo.ds.staff["E2"].model_copy(update={"name": "Bo"}))  # a change of its own
        tx.record_all([unknown], checked_on=repo.version.stamp)
    assert (repo.path / "assessments.jsonl").read_bytes() == before


def test_an_import_of_assessments_checks_each_row_once(
    tmp_path: Path, checked: Counter[str]
) -> None:
    repo = new_db(tmp_path, "db")
    rows = [f"{EMPLOYEE_NO};RPA1;{1 + day % 3};{day:02d}.04.2026;selv" for day in range(1, 21)]
    path = tmp_path / "in.csv"
    path.write_text("medarbejdernr;kompetence;niveau;dato;kilde\n" + "\n".join(rows) + "\n")
    checked.clear()

    plan = import_file(repo, "assessments", path)

    assert plan.problems == [] and len(plan.added) == 20
    # Checked once, column by column (store.importing.columnar: no record_problems per row),
    # and not again when recorded.
    assert checked == Counter()
    history = FolderRepository.open(repo.path).ds.assessments
    assert [(r.date.day, r.level) for r in history[-20:]] == [
        (day, 1 + day % 3) for day in range(1, 21)
    ]
    audit = without_time(repo.path / "audit.jsonl")[-20:]
    assert [entry["key"] for entry in audit] == [
        f"{EMPLOYEE_NO}|RPA1|2026-04-{day:02d}|self" for day in range(1, 21)
    ]


def test_a_competency_removed_while_the_import_waits_is_a_problem_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program removes a competency the file names between the plan and the write:
    the import plans again on what is there and refuses the rows, naming them."""
    from store import open_store
    from store.models import Competency

    repo = new_db(tmp_path, "db")
    repo.put(Competency(code="RPA2", framework="RPA", name="Builds a robot"))
    other = open_store(repo.path, user="someone-else")
    monkeypatch.setattr(
        "store.backup.make_backup", lambda *_a, **_k: other.delete("competencies", "RPA2")
    )
    path = tmp_path / "in.csv"
    path.write_text(f"employee_no,competency,level,date\n{EMPLOYEE_NO},RPA2,2,2026-04-01\n")
    before = (repo.path / "assessments.jsonl").read_bytes()

    plan = import_file(repo, "assessments", path)

    assert plan.problems == [f"{path}:2: competency: unknown competency 'RPA2'"]
    assert (repo.path / "assessments.jsonl").read_bytes() == before
