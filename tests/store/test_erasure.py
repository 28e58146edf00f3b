"""Erasure (GDPR art. 17): by field, never by equal strings; the audit keeps only that it
happened; half-made backups never linger; an interrupted erasure is finished by the next open."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import get_args, get_origin

from pydantic import BaseModel

from store import read_current_levels, register_columns
from store.backup import make_backup
from store.erasure import FIELDS, OWN_RECORDS, erase_person
from store.models import (
    MODELS_BY_TABLE,
    Assessment,
    Code,
    Department,
    Requirement,
    Robot,
    Role,
    Staff,
)
from store.repository import FolderRepository
from tests.iohelpers import (
    EMAIL,
    EMPLOYEE_NO,
    NAME,
    check_erased_cleanly,
    populate,
    spread_person,
)


def test_a_staff_number_equal_to_other_codes_is_erased_by_field(repo: FolderRepository) -> None:
    with repo.transaction() as tx:
        tx.put(Department(code="10000", name="Økonomi"))
        tx.put(Department(code="10001", name="Løn", parent_code="10000", lead="10000"))
        tx.put(Role(code="10000", name="Controller"))
        tx.put(Staff(employee_no="10000", name="Ida Berg", department="10000", role="10000"))
        tx.put(Staff(employee_no="20000", name="Jens Mo", department="10000", role="10000"))
        tx.put(Requirement(competency="DC1.1", level=3, department="10000", role="10000"))
        tx.put(
            Robot(
                code="10000",
                name="Lønrobot",
                department="10000",
                owner="10000",
                operators=["10000", "20000"],
            )
        )
        for staff in ("10000", "20000"):
            tx.record(
                Assessment(staff=staff, competency="DC1.1", level=2, date=dt.date(2026, 1, 5))
            )

    pseudonym = erase_person(repo, "10000")["pseudonym"]

    reopened = FolderRepository.open(repo.path)
    assert reopened.problems() == []
    ds = reopened.ds
    assert set(ds.staff) == {"20000"}
    assert (ds.staff["20000"].department, ds.staff["20000"].role) == ("10000", "10000")
    assert set(ds.departments) >= {"10000", "10001"} and "10000" in ds.roles
    assert ds.departments["10001"].parent_code == "10000"
    assert ds.departments["10001"].lead == pseudonym  # a field that names a person
    assert list(ds.requirements) == ["DC1.1|10000|10000"]
    robot = ds.robots["10000"]
    assert (robot.owner, robot.operators, robot.department) == (None, ["20000"], "10000")
    assert [row.staff for row in ds.assessments] == ["20000"]
    keys = {(e.entity, e.key) for e in reopened.audit_entries()}
    assert {("departments", "10000"), ("roles", "10000"), ("robots", "10000")} <= keys


def test_the_audit_keeps_only_that_an_erasure_happened_when_and_by_whom(
    repo: FolderRepository,
) -> None:
    populate(repo)
    person = repo.ds.staff[EMPLOYEE_NO]
    repo.put(person.model_copy(update={"start_date": dt.date(2019, 8, 1)}))

    pseudonym = erase_person(repo, EMPLOYEE_NO)["pseudonym"]

    entries = FolderRepository.open(repo.path).audit_entries()
    erasures = [e for e in entries if e.action == "erase"]
    assert [(e.entity, e.key, e.user, e.changes) for e in erasures] == [
        ("staff", pseudonym, "tester", {})
    ]
    assert erasures[0].at.date() == dt.datetime.now(dt.UTC).date()
    # The entries about the person's own records say what happened, when and by whom; no
    # department, role, start date, level or plan is left under the pseudonym.
    own = [e for e in entries if e.key.split("|")[0] == pseudonym or e.key == "TP-000001"]
    assert {e.entity for e in own} == {"staff", "assessments", "training_plans"}
    assert all(e.changes == {} and e.key in (pseudonym, "TP-000001") for e in own)


def test_half_made_backups_are_removed_at_the_next_open_and_backup(
    repo: FolderRepository,
) -> None:
    populate(repo)
    folder = make_backup(repo).parent
    for stamp in ("20260101T000000000000Z", "20260102T000000000000Z"):
        left = folder / f".{stamp}.partial"
        left.mkdir(mode=0o755)
        (left / "staff.json").write_bytes((repo.path / "staff.json").read_bytes())
    FolderRepository.open(repo.path)
    assert not (folder / ".20260101T000000000000Z.partial").exists()
    (folder / ".20260103T000000000000Z.partial").mkdir()
    make_backup(repo)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_backup_is_private_from_its_first_byte(repo: FolderRepository, monkeypatch) -> None:
    """A crash part-way leaves only owner-only files: no file is made private afterwards."""
    populate(repo)
    monkeypatch.setattr(os, "chmod", lambda *args, **kwargs: None)  # as if killed before it
    umask = os.umask(0)
    try:
        backup = make_backup(repo)
    finally:
        os.umask(umask)
    assert backup.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in backup.iterdir()} == {0o600}


def test_an_interrupted_erasure_is_finished_by_the_next_open(tmp_path: Path) -> None:
    """Killed right after it wrote down what it will erase (before touching any data)."""
    repo = interrupted_erasure(tmp_path)
    FolderRepository.open(repo.path)
    check_erased_cleanly(repo.path)


def test_an_interrupted_erasure_is_finished_by_a_reports_open(tmp_path: Path) -> None:
    """`kapabel report` opens for one read (`store.on_demand`), refusing saves: the erasure is
    finished first all the same, and the report does not show the person."""
    repo = interrupted_erasure(tmp_path)
    ds = read_current_levels(repo.path, dt.date(2026, 11, 1))
    assert EMPLOYEE_NO not in ds.staff
    check_erased_cleanly(repo.path)


def test_an_erasure_leaves_nothing_of_the_person_in_the_columns_a_report_kept(
    tmp_path: Path, monkeypatch
) -> None:
    """`kapabel report` keeps a large table's columns in cache/ (`store.register_columns`)."""
    monkeypatch.setattr(register_columns, "COLUMNS_FROM", 1)
    repo = FolderRepository.open(tmp_path / "db", create=True, user="tester")
    spread_person(repo)
    read_current_levels(repo.path, dt.date(2026, 11, 1))
    assert any(NAME.encode() in p.read_bytes() for p in repo.path.glob("cache/*.columns"))
    erase_person(repo, EMPLOYEE_NO)
    check_erased_cleanly(repo.path)


def test_an_erasure_leaves_nothing_of_the_person_in_a_backups_cache(
    tmp_path: Path, monkeypatch
) -> None:
    """A backup is a database folder: `kapabel report --db <db>/backups/<time>` (a look at the
    past) keeps its large tables' columns in that backup's own cache/, which the erasure of a
    backup, file by file, did not reach."""
    monkeypatch.setattr(register_columns, "COLUMNS_FROM", 1)
    repo = FolderRepository.open(tmp_path / "db", create=True, user="tester")
    spread_person(repo)
    backups = [p for p in (repo.path / "backups").iterdir() if not p.name.startswith(".")]
    oldest = min(backups)  # the person's first name and e-mail
    read_current_levels(oldest, dt.date(2026, 11, 1))
    assert any(NAME.encode() in p.read_bytes() for p in oldest.glob("cache/*.columns"))
    erase_person(repo, EMPLOYEE_NO)
    check_erased_cleanly(repo.path)


def interrupted_erasure(tmp_path: Path) -> FolderRepository:
    repo = FolderRepository.open(tmp_path / "db", create=True, user="tester")
    spread_person(repo)
    real_replace = os.replace

    class Killed(BaseException):
        pass

    def replace(source, target) -> None:
        real_replace(source, target)
        if Path(target).name == "erasure.json":
            raise Killed

    os.replace = replace
    try:
        erase_person(repo, EMPLOYEE_NO)
    except Killed:
        pass
    finally:
        os.replace = real_replace
    return repo


def _can_hold_text(annotation: object, metadata: list) -> bool:
    """A field typed `str` (or a list of them, or of objects) that is no `Code`."""
    if list(metadata) == list(Code.__metadata__) or getattr(annotation, "__metadata__", None):
        return False  # a Code (or an Annotated one inside Optional/list, seen below)
    if annotation is str:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    args = get_args(annotation)
    if get_origin(annotation) is dict:
        args = args[1:]  # the keys are codes
    return any(_can_hold_text(arg, []) for arg in args)


def test_every_field_that_can_hold_a_name_is_in_the_erasure_map() -> None:
    """A new text field must say how an erasure treats it (`store.erasure.FIELDS`)."""
    not_text = {("robot_benefits", "month")}  # YYYY-MM, checked by its model
    missing = [
        f"{table}.{name}"
        for table, model in MODELS_BY_TABLE.items()
        if table not in OWN_RECORDS or table == "assessments"
        for name, info in model.model_fields.items()
        if name not in model.key_fields
        and (table, name) not in not_text
        and _can_hold_text(info.annotation, info.metadata)
        and name not in FIELDS.get(table, {})
    ]
    assert missing == []


def test_a_name_in_other_text_goes_in_any_case_and_only_as_a_whole_word(
    repo: FolderRepository,
) -> None:
    populate(repo)
    note = f"met {NAME.upper()}; {EMAIL.upper()} wrote. Bo at Borgerservice"
    repo.put(repo.ds.staff[EMPLOYEE_NO].model_copy(update={"name": "Bo"}))
    repo.record(
        Assessment(staff="E2", competency="DC1.2", level=1, date=dt.date(2026, 4, 1), note=note)
    )
    pseudonym = erase_person(repo, EMPLOYEE_NO)["pseudonym"]
    notes = [row.note for row in FolderRepository.open(repo.path).ds.assessments]
    assert notes[-1] == f"met {pseudonym}; {pseudonym} wrote. {pseudonym} at Borgerservice"


def test_a_name_or_code_a_backup_holds_is_not_taken_for_an_employee_held_there(
    repo: FolderRepository,
) -> None:
    """`person erase "Åse Hansen"` (a name, not a number) found the name as a value in a backup,
    so it reported 'erased' and audited an erasure while the person stayed everywhere; so did
    an employee number equal only to a department code in the backup."""
    import pytest

    from store.erasure import erasure_scope
    from store.errors import NotFoundError

    populate(repo)
    make_backup(repo)
    department = next(iter(repo.ds.departments))
    backups = sorted((repo.path / "backups").iterdir())
    before = {p: p.read_bytes() for p in repo.path.rglob("*") if p.is_file()}
    for not_a_person in (NAME, EMAIL, department):
        with pytest.raises(NotFoundError):
            erasure_scope(repo, not_a_person)
        with pytest.raises(NotFoundError):
            erase_person(repo, not_a_person)
    assert {p: p.read_bytes() for p in repo.path.rglob("*") if p.is_file()} == before
    assert erasure_scope(repo, EMPLOYEE_NO)["backups"] == len(backups)


def test_an_erasure_after_another_process_saved_keeps_no_columns_of_the_person(
    tmp_path: Path, monkeypatch
) -> None:
    """Every open keeps a large table's columns in cache/; the erasure's own reload of the
    rewritten files must not keep those of the bytes it replaced (read in when another
    process's save was taken in)."""
    monkeypatch.setattr(register_columns, "COLUMNS_FROM", 1)
    repo = FolderRepository.open(tmp_path / "db", create=True, user="tester")
    spread_person(repo)
    other = FolderRepository.open(repo.path, user="other")
    person = other.ds.staff[EMPLOYEE_NO]
    other.put(person.model_copy(update={"active": not person.active}))
    erase_person(repo, EMPLOYEE_NO)
    check_erased_cleanly(repo.path)
