"""A folder opened for one read (`read_current_levels`, as `kapabel report` does) builds its
register's records only when asked for one (`store.on_demand`): the reports read the same
figures, the fields they read without records are the records' own, and nothing can be saved.
"""

from __future__ import annotations

import datetime as dt
import shutil
from operator import attrgetter
from pathlib import Path

import orjson
import pytest

from reports import ALL_REPORT_KINDS, CURRENT_LEVEL_KINDS, build_report
from reports.render import FORMATS, render_file
from store import read_current_levels, register, register_columns
from store.demo import generate
from store.errors import CorruptFileError, ReadOnlyError
from store.models import REGISTER_MODELS, Staff
from store.on_demand import RecordsOnDemand, record_fields
from store.repository import FolderRepository
from store.trusted import constructor, field_converters

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module", params=["documents", "kept columns"])
def demo(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A small demo municipality, opened once so that its tables are known valid; read either
    from its table files' documents, or with every table's columns kept by an earlier read
    (`store.register_columns`: tables this small keep none)."""
    path = tmp_path_factory.mktemp("demo") / "db"
    generate(FolderRepository.open(path, create=True, user="demo"), staff=80, seed=5)
    FolderRepository.open(path)
    if request.param == "kept columns":
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(register_columns, "COLUMNS_FROM", 1)
            FolderRepository.open(path, records_on_demand=True)
        for model in REGISTER_MODELS:
            kept = register_columns.columns_path(path / f"{model.table}.json")
            assert kept.exists() == (path / f"{model.table}.json").exists(), model.table
    return path


def kept(demo: Path) -> bool:
    return (demo / "cache" / "staff.columns").exists()


def copy_of(demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo, tmp_path / "db", ignore=shutil.ignore_patterns(".lock")))


def test_every_table_of_an_open_for_one_read_is_the_whole_opens_in_order(demo: Path) -> None:
    whole = FolderRepository.open(demo).ds
    read = FolderRepository.open(demo, records_on_demand=True).ds
    for model in REGISTER_MODELS:
        table, records = getattr(read, model.table), whole.table(model.table)
        assert isinstance(table, RecordsOnDemand), model.table
        assert table.from_kept_columns == (kept(demo) and bool(records)), model.table
        assert (len(table), list(table)) == (len(records), list(records)), model.table
        assert not table.built, model.table
        assert dict(table.items()) == records, model.table
        for key, record in records.items():
            assert repr(table[key]) == repr(record), (model.table, key)
            assert table[key].model_fields_set == record.model_fields_set, (model.table, key)


def test_fields_read_without_records_are_the_records_own(demo: Path) -> None:
    """Each field alone and all together, converted as the records hold them (dates as dates,
    enumeration members as members): before the records are built and after."""
    whole = FolderRepository.open(demo).ds
    read = FolderRepository.open(demo, records_on_demand=True).ds
    for model in REGISTER_MODELS:
        table, records = getattr(read, model.table), whole.table(model.table).values()
        every = tuple(model.model_fields)
        for names in [*((name,) for name in every), every]:
            expected = list(map(attrgetter(*names), records))
            found = record_fields(table, names)
            assert found == expected, (model.table, names)
            assert list(map(repr, found)) == list(map(repr, expected)), (model.table, names)
        assert not table.built, model.table
        assert record_fields(table, every) == list(map(attrgetter(*every), table.values()))
        assert table.built


def test_record_fields_of_a_plain_table_are_its_records_fields(demo: Path) -> None:
    staff = FolderRepository.open(demo).ds.staff
    assert record_fields(staff, ("name",)) == [person.name for person in staff.values()]
    assert record_fields(staff, ("name", "active")) == [(p.name, p.active) for p in staff.values()]


@pytest.mark.parametrize("kind", ALL_REPORT_KINDS)
def test_every_report_reads_the_same_from_an_open_for_one_read(demo: Path, kind: str) -> None:
    """The reports `kapabel report` opens this way (the current levels' kinds) and every other
    kind, handed such a Dataset: the same bytes in every format."""
    whole = FolderRepository.open(demo).ds
    read = (
        read_current_levels(demo, AS_OF)
        if kind in CURRENT_LEVEL_KINDS
        else FolderRepository.open(demo, records_on_demand=True).ds
    )
    options = {
        "person": {"employee": next(iter(whole.staff))},
        "experts": {"competency": next(iter(whole.competencies))},
        "compare": {"from_date": AS_OF - dt.timedelta(days=365)},
    }.get(kind, {})
    for fmt in FORMATS:
        expected = render_file(build_report(kind, whole, AS_OF, **options), fmt)
        assert render_file(build_report(kind, read, AS_OF, **options), fmt) == expected, fmt


def test_the_gaps_report_builds_no_record_of_a_person_or_a_plan(demo: Path) -> None:
    """What makes `kapabel report gaps` quick at 50,000 staff: the grid's fields and the names
    of the people with a gap are read from the documents (issue 14)."""
    ds = read_current_levels(demo, AS_OF)
    gaps = build_report("gaps", ds, AS_OF)
    assert orjson.loads(render_file(gaps, "json"))["staff"]  # there are gaps, with names
    render_file(gaps, "text")
    assert not ds.staff.built
    assert not ds.training_plans.built


def test_an_open_for_one_read_refuses_to_save(demo: Path, tmp_path: Path) -> None:
    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db, records_on_demand=True)
    person = next(iter(repo.ds.staff.values()))
    before = (db / "staff.json").read_bytes()
    with pytest.raises(ReadOnlyError):
        repo.put(person.model_copy(update={"name": "Ny Navn"}))
    assert (db / "staff.json").read_bytes() == before


def test_a_hand_edited_table_is_validated_at_the_open_as_before(demo: Path, tmp_path: Path) -> None:
    db = copy_of(demo, tmp_path)
    data = orjson.loads((db / "staff.json").read_bytes())
    first = next(iter(data["staff"].values()))
    first["name"] = "  Hånd Redigeret  "  # validation strips it: read as validation reads it
    (db / "staff.json").write_bytes(orjson.dumps(data))
    staff = FolderRepository.open(db, records_on_demand=True).ds.staff
    assert staff[first["employee_no"]].name == "Hånd Redigeret"
    assert record_fields(staff, ("name",))[0] == "Hånd Redigeret"

    first["start_date"] = "2026-02-30"
    (db / "staff.json").write_bytes(orjson.dumps(data))
    with pytest.raises(CorruptFileError, match="staff.json"):
        FolderRepository.open(db, records_on_demand=True)


def _documents_of(staff: dict[str, Staff]) -> list[dict]:
    return [person.model_dump(mode="json") for person in staff.values()]


def test_documents_not_as_the_store_writes_them_are_validated_when_first_needed(
    demo: Path,
) -> None:
    """(A file known valid is as the store wrote it; should one not be, its records come from
    validation, never from a guess.)"""
    staff = FolderRepository.open(demo).ds.staff
    docs = _documents_of(staff)
    docs[1]["start_date"] = "not a date"
    validated = []

    def validate() -> dict[str, Staff]:
        validated.append(True)
        return staff

    table = RecordsOnDemand(
        list(staff), lambda: docs, constructor(Staff), field_converters(Staff), validate
    )
    assert record_fields(table, ("employee_no",)) == list(staff)  # no conversion: as read
    assert validated == []
    assert record_fields(table, ("start_date",)) == [p.start_date for p in staff.values()]
    assert validated == [True] and table.built

    docs = _documents_of(staff)
    del docs[0]["email"]
    table = RecordsOnDemand(
        list(staff), lambda: docs, constructor(Staff), field_converters(Staff), validate
    )
    assert table[docs[1]["employee_no"]] is staff[docs[1]["employee_no"]]


def test_a_read_keeps_the_columns_of_large_tables_only_owner_readable(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = copy_of(demo, tmp_path)
    shutil.rmtree(db / "cache")
    read_current_levels(db, AS_OF)
    assert not list(db.glob("cache/*.columns"))  # (80 people: parsed whole, nothing kept)

    counts = FolderRepository.open(db).ds.counts()
    monkeypatch.setattr(register_columns, "COLUMNS_FROM", counts["staff"])
    ds = read_current_levels(db, AS_OF)
    assert not ds.staff.from_kept_columns
    large = {n for n, count in counts.items() if count >= counts["staff"] and n != "assessments"}
    assert {p.stem for p in db.glob("cache/*.columns")} == large
    assert (db / "cache" / "staff.columns").stat().st_mode & 0o777 == 0o600
    assert read_current_levels(db, AS_OF).staff.from_kept_columns


def test_kept_columns_of_other_bytes_are_not_read(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save since (here another program's) changed the table file: its columns are made
    again by the next read."""
    monkeypatch.setattr(register_columns, "COLUMNS_FROM", 1)
    db = copy_of(demo, tmp_path)
    read_current_levels(db, AS_OF)
    repo = FolderRepository.open(db, user="other")
    person = next(iter(repo.ds.staff.values()))
    repo.put(person.model_copy(update={"name": "Nyt Navn"}))
    staff = read_current_levels(db, AS_OF).staff
    assert not staff.from_kept_columns
    assert record_fields(staff, ("name",))[0] == "Nyt Navn"
    staff = read_current_levels(db, AS_OF).staff  # kept again, of the new bytes
    assert staff.from_kept_columns
    assert record_fields(staff, ("name",))[0] == "Nyt Navn"


@pytest.mark.parametrize("where", ["header", "keys", "a column"])
def test_damaged_kept_columns_are_not_read(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(register_columns, "COLUMNS_FROM", 1)
    db = copy_of(demo, tmp_path)
    read_current_levels(db, AS_OF)
    names = record_fields(FolderRepository.open(db).ds.staff, ("name",))
    kept = db / "cache" / "staff.columns"
    data = bytearray(kept.read_bytes())
    at = {
        "header": data.index(b'"rows"') + 1,
        "keys": data.index(b"\n") + 3,
        "a column": data.rindex(names[-1].encode()),  # a name, in the last column but one
    }[where]
    data[at] ^= 0x01
    kept.write_bytes(bytes(data))
    staff = read_current_levels(db, AS_OF).staff
    assert list(staff) == list(FolderRepository.open(db).ds.staff)
    assert record_fields(staff, ("name",)) == names


def test_documents_of_different_shapes_keep_no_columns() -> None:
    docs = [{"a": 1, "b": 2}, {"b": 2, "a": 1}]
    assert register_columns.encode("t", "hash", ["1", "2"], docs) is None
    assert register_columns.encode("t", "hash", ["1"], [{"a": 1}, {"a": 1, "b": 2}][:1])
    assert register_columns.encode("t", "hash", ["1", "2"], [{"a": 1}, {"a": 1, "b": 2}]) is None


def test_a_whole_open_gives_the_records_validation_gives(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's open: with kept columns (a report kept them) the records are built from
    them, and the table files' documents are not parsed at all until a save needs them."""
    parsed: list[str] = []
    real = register.parse_json_object
    monkeypatch.setattr(
        register, "parse_json_object", lambda path, raw: parsed.append(path.name) or real(path, raw)
    )
    whole = FolderRepository.open(demo).ds
    assert ("staff.json" in parsed) != kept(demo)
    checked = FolderRepository.open(demo, validate_everything=True).ds
    for model in REGISTER_MODELS:
        records, expected = whole.table(model.table), checked.table(model.table)
        assert list(records) == list(expected), model.table
        for key, record in expected.items():
            assert repr(records[key]) == repr(record), (model.table, key)
            assert records[key].model_fields_set == record.model_fields_set, (model.table, key)


def test_a_save_after_a_whole_open_keeps_every_document_id(demo: Path, tmp_path: Path) -> None:
    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db, user="tester")
    before = orjson.loads((db / "staff.json").read_bytes())["staff"]
    first = next(iter(repo.ds.staff.values()))
    repo.put(Staff.model_validate({**first.model_dump(), "name": "Nyt Navn"}))
    for number in ("E999998", "E999999"):
        repo.put(Staff(employee_no=number, name="Ny Person", department=first.department))
    repo.delete("staff", "E999998")
    after = orjson.loads((db / "staff.json").read_bytes())["staff"]
    ids = {doc["employee_no"]: doc_id for doc_id, doc in after.items()}
    assert {doc["employee_no"]: doc_id for doc_id, doc in before.items()}.items() <= ids.items()
    assert "E999998" not in ids
    assert ids["E999999"] == str(max(map(int, before)) + 2)
    assert after[ids[first.employee_no]]["name"] == "Nyt Navn"
    assert FolderRepository.open(db, validate_everything=True).ds.staff == repo.ds.staff


def test_a_save_after_a_whole_open_holds_each_document_once(demo: Path, tmp_path: Path) -> None:
    """The records of an unchanged person are what the table will write again, as after an
    open that parsed the file: records built from kept columns do not leave the documents
    parsed for the save beside them (~48 MB more at 50,000 staff)."""
    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db, user="tester")
    first, *others = repo.ds.staff.values()
    repo.put(Staff.model_validate({**first.model_dump(), "name": "Nyt Navn"}))
    table = repo.storage.tables["staff"]
    held = table.storage.data["staff"]
    for record in others:
        assert held[str(table.doc_ids[record.employee_no])] is vars(record), record.employee_no
