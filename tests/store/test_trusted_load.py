"""Register tables are validated when written, not at every open (store.trusted): a table file
the store wrote is read without validation and gives the same records; anything else (a hand
edit, a missing or foreign record of hashes) is validated as before. The hashes are recorded in
`cache/register.trusted.json` and, by every save, in meta.json (a first start has no cache/)."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import zlib
from collections import Counter
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import snapshot, trusted
from store.demo import generate
from store.enums import PlanStatus
from store.errors import CorruptFileError, StoreError
from store.folder import reading
from store.folder.reading import BENEFITS_LOG
from store.models import (
    HOURLY_RATE,
    REGISTER_MODELS,
    CoverageRule,
    Department,
    Requirement,
    RobotBenefit,
    Setting,
    Staff,
    TrainingPlan,
)
from store.register import RegisterTable
from store.repository import FolderRepository

TRUST = Path("cache") / trusted.TRUST_FILE


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts, per table, how often a load validated the table's records."""
    calls: Counter[str] = Counter()
    real = RegisterTable._validate

    def counting(self: RegisterTable, raw):
        calls[self.name] += 1
        return real(self, raw)

    monkeypatch.setattr(RegisterTable, "_validate", counting)
    return calls


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo municipality: every register table holds records."""
    path = tmp_path_factory.mktemp("demo") / "db"
    repo = FolderRepository.open(path, create=True, user="demo")
    generate(repo, staff=60, seed=3)
    empty = [model.table for model in REGISTER_MODELS if not repo.ds.table(model.table)]
    department, competency = next(iter(repo.ds.departments)), next(iter(repo.ds.competencies))
    with repo.transaction() as tx:
        if "coverage_rules" in empty:
            tx.put(
                CoverageRule(department=department, competency=competency, level=2, min_people=1)
            )
        if "settings" in empty:
            tx.put(Setting(name=HOURLY_RATE, value="412.5"))
    return path


def copy_of(demo: Path, tmp_path: Path, name: str = "db") -> Path:
    """A copy of the demo database, its files' modes and cache included."""
    return Path(shutil.copytree(demo, tmp_path / name, ignore=shutil.ignore_patterns(".lock")))


def meta_of(db: Path) -> dict:
    return orjson.loads((db / "meta.json").read_bytes())["meta"]["1"]


def set_tables_entry(db: Path, entry: object) -> None:
    """meta.json with this "tables" entry (None: without one, as an older Kapabel writes it)."""
    data = orjson.loads((db / "meta.json").read_bytes())
    data["meta"]["1"].pop("tables", None)
    if entry is not None:
        data["meta"]["1"]["tables"] = entry
    (db / "meta.json").write_bytes(orjson.dumps(data))


def without_written_hashes(db: Path) -> Path:
    """The folder as an older Kapabel left it: meta.json records no table's hash."""
    set_tables_entry(db, None)
    return db


def recorded_hashes_are_the_files(db: Path) -> dict[str, str]:
    """The hashes meta.json records, each that of its table file as it is now."""
    hashes = meta_of(db).get("tables", {}).get("hashes", {})
    for name, digest in hashes.items():
        file = db / (name if name.endswith(".jsonl") else f"{name}.json")  # a log: its name
        content = file.read_bytes() if file.exists() or file.suffix == ".json" else b""
        assert trusted.content_hash(content) == digest, name  # (a log not made yet: empty)
    return hashes


def every_file_known(db: Path) -> set[str]:
    """What a save records the hashes of, once an open has read every file: each table file,
    and the robot benefits log (under its file name)."""
    tables = {m.table for m in REGISTER_MODELS if (db / f"{m.table}.json").exists()}
    return tables | ({BENEFITS_LOG} if (db / BENEFITS_LOG).exists() else set())


def register_of(repo: FolderRepository) -> dict[str, dict]:
    return {model.table: dict(repo.ds.table(model.table)) for model in REGISTER_MODELS}


def same_objects(trusted_tables: dict[str, dict], checked: dict[str, dict]) -> None:
    """Equal, and equal the way equality does not look: enumeration members rather than their
    text, floats rather than whole numbers, nested models, every field set."""
    assert trusted_tables == checked
    for name, records in checked.items():
        for key, record in records.items():
            other = trusted_tables[name][key]
            assert repr(other) == repr(record), (name, key)
            assert other.model_fields_set == record.model_fields_set, (name, key)


def test_tables_the_store_wrote_open_without_validation_and_equal_the_validated_records(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    db = without_written_hashes(copy_of(demo, tmp_path))
    (db / TRUST).unlink(missing_ok=True)
    checked = register_of(FolderRepository.open(db))
    assert validated["staff"] == 1 and validated["robots"] == 1  # nothing recorded: validated
    validated.clear()

    reopened = FolderRepository.open(db)

    assert sum(validated.values()) == 0
    assert all(checked[model.table] for model in REGISTER_MODELS)  # every table was tried
    same_objects(register_of(reopened), checked)


def test_a_table_edited_by_hand_is_validated(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    db = copy_of(demo, tmp_path)
    FolderRepository.open(db)
    staff = orjson.loads((db / "staff.json").read_bytes())
    first = next(iter(staff["staff"].values()))
    first["name"] = "Rettet I Hånden"
    (db / "staff.json").write_bytes(orjson.dumps(staff))
    validated.clear()

    repo = FolderRepository.open(db)

    assert validated == Counter({"staff": 1})
    assert repo.ds.staff[first["employee_no"]].name == "Rettet I Hånden"
    validated.clear()
    FolderRepository.open(db)  # validated once, and known valid since
    assert sum(validated.values()) == 0


def test_a_hand_edit_validation_reads_otherwise_is_read_as_validation_reads_it_at_every_open(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    """Validation strips the spaces around a department code typed by hand; the next opens
    (and the file once the store rewrites it) hold the stripped code, never the spaces."""
    db = copy_of(demo, tmp_path)
    staff = orjson.loads((db / "staff.json").read_bytes())
    first, second = list(staff["staff"].values())[:2]
    first["department"] = f" {first['department']} "
    (db / "staff.json").write_bytes(orjson.dumps(staff))
    expected = first["department"].strip()

    assert FolderRepository.open(db).ds.staff[first["employee_no"]].department == expected
    reopened = FolderRepository.open(db)
    assert reopened.ds.staff[first["employee_no"]].department == expected
    assert validated["staff"] == 2  # not as the store writes it: validated again

    changed = reopened.ds.staff[second["employee_no"]].model_copy(update={"name": "Ny Navn"})
    reopened.put(changed)  # rewrites staff.json
    validated.clear()
    again = FolderRepository.open(db)
    assert again.ds.staff[first["employee_no"]].department == expected
    assert again.ds.staff[second["employee_no"]].name == "Ny Navn"
    assert validated["staff"] == 0
    assert f'"{expected}"'.encode() in (db / "staff.json").read_bytes()
    assert f'" {expected} "'.encode() not in (db / "staff.json").read_bytes()


def test_a_bad_value_edited_in_by_hand_is_still_refused_naming_the_file_and_record(
    demo: Path, tmp_path: Path
) -> None:
    db = copy_of(demo, tmp_path)
    FolderRepository.open(db)
    staff = orjson.loads((db / "staff.json").read_bytes())
    first = next(iter(staff["staff"].values()))
    first["start_date"] = "2026-13-45"
    (db / "staff.json").write_bytes(orjson.dumps(staff))

    with pytest.raises(CorruptFileError) as caught:
        FolderRepository.open(db)
    message = str(caught.value)
    assert message.startswith(f"{db / 'staff.json'}: record '{first['employee_no']}' fails")
    assert "start_date" in message


def test_the_record_of_hashes_is_private_and_deleting_it_only_costs_validation(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    db = without_written_hashes(copy_of(demo, tmp_path))
    (db / TRUST).unlink(missing_ok=True)
    first = register_of(FolderRepository.open(db))
    assert stat.S_IMODE((db / TRUST).stat().st_mode) == 0o600
    assert stat.S_IMODE((db / "cache").stat().st_mode) == 0o700

    (db / TRUST).unlink()
    validated.clear()
    again = register_of(FolderRepository.open(db))

    assert validated["staff"] == 1
    same_objects(again, first)
    assert (db / TRUST).exists()  # recorded again
    (db / TRUST).write_bytes(b"{damaged")
    validated.clear()
    same_objects(register_of(FolderRepository.open(db)), first)
    assert validated["staff"] == 1


def test_hashes_recorded_under_other_rules_are_not_trusted(
    demo: Path, tmp_path: Path, validated: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = copy_of(demo, tmp_path)
    FolderRepository.open(db)
    monkeypatch.setattr(trusted, "RULES", "rules of another Kapabel")
    validated.clear()
    FolderRepository.open(db)
    assert validated["staff"] == 1


def test_a_save_records_the_table_it_wrote(tmp_path: Path, validated: Counter[str]) -> None:
    repo = FolderRepository.open(tmp_path / "db", create=True, user="tester")
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    validated.clear()

    reopened = register_of(FolderRepository.open(tmp_path / "db"))

    assert sum(validated.values()) == 0
    assert reopened == register_of(repo)
    assert set(recorded_hashes_are_the_files(tmp_path / "db")) >= {"departments", "staff"}
    snapshot.remove(tmp_path / "db")  # the whole cache/: meta.json's hashes still hold
    same_objects(reopened, register_of(FolderRepository.open(tmp_path / "db")))
    assert sum(validated.values()) == 0
    same_objects(
        reopened, register_of(FolderRepository.open(without_written_hashes(tmp_path / "db")))
    )
    assert validated["staff"] == 1


def test_a_table_written_by_an_older_kapabel_without_every_field_is_read_whole(
    tmp_path: Path, validated: Counter[str]
) -> None:
    db = tmp_path / "db"
    FolderRepository.open(db, create=True, user="tester").put(Department(code="D1", name="A"))
    older = {"staff": {"1": {"employee_no": "E1", "name": "Åse", "department": "D1"}}}
    (db / "staff.json").write_bytes(orjson.dumps(older))
    first = FolderRepository.open(db).ds.staff
    validated.clear()

    second = FolderRepository.open(db).ds.staff  # known valid, yet not as this Kapabel writes

    assert validated["staff"] == 1
    same_objects({"staff": dict(second)}, {"staff": dict(first)})


def test_a_record_changed_without_validation_is_refused_before_it_is_written(
    tmp_path: Path,
) -> None:
    repo = FolderRepository.open(tmp_path / "db", create=True, user="tester")
    repo.put(Department(code="D1", name="Borgerservice"))
    before = (tmp_path / "db" / "departments.json").read_bytes()
    bad = Department(code="D2", name="Jobcenter").model_copy(update={"name": ""})

    with pytest.raises(StoreError, match="D2"):
        repo.put(bad)

    assert (tmp_path / "db" / "departments.json").read_bytes() == before
    assert FolderRepository.open(tmp_path / "db").ds.departments.keys() == {"D1"}


def test_a_read_only_open_trusts_the_record_but_never_writes_it(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    from store import open_store

    db = copy_of(demo, tmp_path)
    validated.clear()
    open_store(db, read_only=True)
    assert sum(validated.values()) == 0  # a record the store wrote is trusted here too
    snapshot.remove(db)
    open_store(db, read_only=True)
    assert sum(validated.values()) == 0  # and meta.json's
    without_written_hashes(db)

    open_store(db, read_only=True)

    assert validated["staff"] == 1
    assert not (db / TRUST).exists()  # nothing is written on a read-only open


def test_records_built_without_validation_change_apart() -> None:
    """Frozen records built from trusted bytes share their set of fields given (it is never
    changed); a copy with a change, or a record that can be changed, has its own."""
    from store.models import Framework

    build = trusted.constructor(Staff)
    doc = Staff(employee_no="E1", name="Ann", department="D").model_dump(mode="json")
    first, second = build(doc), build(dict(doc))
    changed = first.model_copy(update={"name": "Bo"})
    assert changed.name == "Bo" and first.name == second.name == "Ann"
    assert first.model_fields_set == second.model_fields_set == set(Staff.model_fields)
    scale = [{"level": 1, "label": "a"}, {"level": 2, "label": "b"}]
    framework = trusted.constructor(Framework)(
        Framework(code="F", name="F", scale=scale).model_dump(mode="json")
    )
    one, two = framework.scale
    one.label = "changed"
    assert one.model_fields_set is not two.model_fields_set and two.label == "b"


_codes = st.from_regex(r"[A-Z][A-Z0-9.-]{0,6}", fullmatch=True)
_days = st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))
_plans = st.builds(
    lambda id_, staff, competency, level, course, due, status, done: TrainingPlan(
        id=id_, staff=staff, competency=competency, target_level=level, course=course, due=due,
        status=status, completed=done if status == PlanStatus.COMPLETED else None,
    ),
    _codes, _codes, _codes, st.integers(1, 20), st.none() | _codes, _days,
    st.sampled_from(PlanStatus), _days,
)  # fmt: skip
_staff = st.builds(
    Staff, employee_no=_codes, name=st.text("abcæøå ", min_size=1, max_size=8).map(str.strip)
    .filter(bool), department=_codes, role=st.none() | _codes, digital_agent=st.booleans(),
    active=st.booleans(), start_date=_days,
)  # fmt: skip


@pytest.mark.parametrize(("model", "records"), [(TrainingPlan, _plans), (Staff, _staff)])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_records_adopting_their_documents_are_validations_and_write_back_the_same_bytes(
    model, records, data: st.DataObject
) -> None:
    """Built in place from the documents the store wrote (dates and plan states converted in
    the document itself): the same objects validation makes, and the documents, held to be
    written again, still write the same bytes."""
    written = [r.model_dump(mode="json") for r in data.draw(st.lists(records, max_size=12))]
    as_read = orjson.loads(orjson.dumps(written))

    adopted = list(map(trusted.constructor(model, adopt=True), as_read))

    validated = [model.model_validate(doc) for doc in written]
    same_objects({"t": dict(enumerate(adopted))}, {"t": dict(enumerate(validated))})
    assert all(record.__dict__ is doc for record, doc in zip(adopted, as_read, strict=True))
    assert orjson.dumps(as_read) == orjson.dumps(written)


def test_a_model_whose_values_would_not_write_back_is_not_adopted() -> None:
    """A robot's phase history (nested models) and its yearly cost (a float the file may hold
    as a whole number) would be written back otherwise: built from a copy instead."""
    from store.models import Robot

    assert trusted.constructor(Robot, adopt=True) is None
    assert trusted.constructor(Robot) is not None


def test_a_table_read_without_validation_is_written_back_byte_for_byte(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    db = copy_of(demo, tmp_path)
    record = trusted.TrustRecord(db)
    record.read()
    record.take_written(meta_of(db).get("tables"))
    for model in REGISTER_MODELS:
        table = RegisterTable(model, db / f"{model.table}.json", record)
        table.load()
        assert table.storage.dump() == table.path.read_bytes(), model.table
    assert sum(validated.values()) == 0


def test_a_save_after_an_open_without_validation_keeps_each_records_document_id(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    """The table's document ids (worked out when a save first needs them) are the file's: a
    changed record keeps its id, a removed one's goes, a new one gets the next."""
    db = copy_of(demo, tmp_path)
    before = orjson.loads((db / "requirements.json").read_bytes())["requirements"]
    ids = {Requirement.model_validate(doc).key(): doc_id for doc_id, doc in before.items()}
    repo = FolderRepository.open(db)
    assert sum(validated.values()) == 0
    changed, removed = list(repo.ds.requirements.values())[1:3]
    taken = {(r.competency, r.department, r.role) for r in repo.ds.requirements.values()}
    new = next(
        changed.model_copy(update={"competency": code})
        for code in repo.ds.competencies
        if (code, changed.department, changed.role) not in taken
    )
    with repo.transaction() as tx:
        tx.put(changed.model_copy(update={"level": changed.level % 5 + 1}))
        tx.delete(Requirement.table, removed.key(), expected=removed)
        tx.put(new)

    after = orjson.loads((db / "requirements.json").read_bytes())["requirements"]
    keys = {doc_id: Requirement.model_validate(doc).key() for doc_id, doc in after.items()}
    assert keys[ids[changed.key()]] == changed.key()
    assert ids[removed.key()] not in keys
    assert keys[str(max(map(int, before)) + 1)] == new.key()
    assert len(after) == len(before)


# --------------------------------------------------------------------------- meta.json's hashes
def test_a_first_start_without_cache_reads_the_tables_the_store_wrote_without_validation(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    db = copy_of(demo, tmp_path)
    checking = without_written_hashes(copy_of(demo, tmp_path, "checking"))
    snapshot.remove(db)
    snapshot.remove(checking)
    checked = register_of(FolderRepository.open(checking))
    assert validated["staff"] == 1 and validated["robots"] == 1
    validated.clear()

    first_start = FolderRepository.open(db)

    assert sum(validated.values()) == 0
    assert set(recorded_hashes_are_the_files(db)) == every_file_known(db)
    same_objects(register_of(first_start), checked)
    assert not (db / TRUST).exists()  # nothing new to record


@pytest.mark.parametrize("edit", ["bad value", "spaces"])
def test_a_hand_edit_without_cache_is_validated_and_refused_or_read_as_before(
    demo: Path, tmp_path: Path, validated: Counter[str], edit: str
) -> None:
    db = copy_of(demo, tmp_path)
    snapshot.remove(db)
    staff = orjson.loads((db / "staff.json").read_bytes())
    first = next(iter(staff["staff"].values()))
    if edit == "bad value":
        first["start_date"] = "2026-13-45"
    else:
        first["department"] = f" {first['department']} "
    (db / "staff.json").write_bytes(orjson.dumps(staff))

    if edit == "bad value":
        with pytest.raises(CorruptFileError) as caught:
            FolderRepository.open(db)
        message = str(caught.value)
        assert message.startswith(f"{db / 'staff.json'}: record '{first['employee_no']}' fails")
        assert "start_date" in message
        return
    repo = FolderRepository.open(db)
    assert validated == Counter({"staff": 1})
    assert repo.ds.staff[first["employee_no"]].department == first["department"].strip()


@pytest.mark.parametrize(
    "entry",
    [
        "other rules",
        "other format",
        "not an entry",
        "hashes not text",
    ],
)
def test_hashes_meta_json_records_otherwise_are_not_trusted_and_refuse_nothing(
    demo: Path, tmp_path: Path, validated: Counter[str], entry: str
) -> None:
    db = copy_of(demo, tmp_path)
    snapshot.remove(db)
    recorded = meta_of(db)["tables"]
    foreign = {
        "other rules": {**recorded, "rules": "rules of another Kapabel"},
        "other format": {**recorded, "format": trusted.FORMAT + 1},
        "not an entry": "staff",
        "hashes not text": {**recorded, "hashes": {"staff": 1}},
    }[entry]
    set_tables_entry(db, foreign)
    checked = register_of(
        FolderRepository.open(without_written_hashes(copy_of(demo, tmp_path, "c")))
    )
    validated.clear()

    repo = FolderRepository.open(db)

    assert validated["staff"] == 1 and validated["robots"] == 1
    same_objects(register_of(repo), checked)


def test_a_save_records_every_table_known_valid_in_meta_json_and_replaces_foreign_hashes(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    """An older Kapabel's folder (no hashes in meta.json): its first save records them all."""
    db = without_written_hashes(copy_of(demo, tmp_path))
    repo = FolderRepository.open(db)
    department = next(iter(repo.ds.departments.values()))
    repo.put(department.model_copy(update={"name": "Omdøbt"}))

    hashes = recorded_hashes_are_the_files(db)
    assert meta_of(db)["tables"]["rules"] == trusted.RULES
    assert set(hashes) == every_file_known(db)
    snapshot.remove(db)
    validated.clear()
    assert FolderRepository.open(db).ds.departments[department.code].name == "Omdøbt"
    assert sum(validated.values()) == 0


def test_a_failed_save_records_no_hash_of_what_it_did_not_write(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.folder.storage import FolderStorage

    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db)
    before = (db / "meta.json").read_bytes()

    def failing(self, replacements, appends, **options):
        raise OSError(28, "No space left on device")

    department = next(iter(repo.ds.departments.values()))
    with monkeypatch.context() as patched, pytest.raises(StoreError):
        patched.setattr(FolderStorage, "_commit_files", failing)
        repo.put(department.model_copy(update={"name": "Omdøbt"}))

    assert (db / "meta.json").read_bytes() == before
    assert repo.storage.meta == FolderRepository.open(db).storage.meta
    repo.put(department.model_copy(update={"name": "Alligevel"}))
    recorded_hashes_are_the_files(db)


@pytest.mark.parametrize("crash", ["at the commit point", "after the tables were replaced"])
def test_a_save_a_crash_interrupted_is_finished_with_the_hashes_of_its_tables(
    demo: Path, tmp_path: Path, validated: Counter[str], monkeypatch: pytest.MonkeyPatch, crash
) -> None:
    """The hashes are in the journal's meta.json: the files a crash left, rolled forward by the
    next open, are read without validation."""
    from store.folder.storage import FolderStorage

    db = copy_of(demo, tmp_path)
    crashed = tmp_path / "crashed"
    point = "_apply_journal" if crash == "at the commit point" else "_write_meta"
    real = getattr(FolderStorage, point)

    def copy_then_go_on(self, *args, **options):
        if not crashed.exists() and (self.path / "journal.json").exists():
            shutil.copytree(self.path, crashed, ignore=shutil.ignore_patterns(".lock", "cache"))
        return real(self, *args, **options)

    repo = FolderRepository.open(db)
    department = next(iter(repo.ds.departments.values()))
    with monkeypatch.context() as patched, repo.transaction() as tx:
        patched.setattr(FolderStorage, point, copy_then_go_on)
        tx.put(department.model_copy(update={"name": "Omdøbt"}))
        tx.put(Setting(name=HOURLY_RATE, value="500"))
    assert (crashed / "journal.json").exists()
    validated.clear()

    reopened = FolderRepository.open(crashed)

    # The journal's check validates the new tables it has yet to put in place (as always); the
    # open that follows reads them by meta.json's hashes.
    journal_checked = Counter({"departments": 1, "settings": 1})
    assert validated == (journal_checked if crash == "at the commit point" else Counter())
    assert reopened.ds.departments[department.code].name == "Omdøbt"
    assert (crashed / "departments.json").read_bytes() == (db / "departments.json").read_bytes()
    assert recorded_hashes_are_the_files(crashed) == recorded_hashes_are_the_files(db)
    same_objects(register_of(reopened), register_of(FolderRepository.open(db)))
    validated.clear()
    snapshot.remove(crashed)
    FolderRepository.open(crashed)
    assert sum(validated.values()) == 0


def test_an_erasure_and_a_restore_leave_no_hash_but_those_of_the_files(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    from store.backup import make_backup, restore
    from store.erasure import erase_person

    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db)
    backup = make_backup(repo)
    person = next(iter(repo.ds.staff))
    erase_person(repo, person)
    assert "staff" not in recorded_hashes_are_the_files(db)  # rewritten as bytes: validated
    snapshot.remove(db)
    validated.clear()
    assert person not in FolderRepository.open(db).ds.staff
    assert validated["staff"] == 1

    restore(repo, backup)  # (the erasure reached the backup too)
    recorded_hashes_are_the_files(db)
    snapshot.remove(db)
    restored = register_of(FolderRepository.open(db))
    checking = without_written_hashes(copy_of(db, tmp_path, "checking"))
    same_objects(restored, register_of(FolderRepository.open(checking)))
    repo.put(next(iter(repo.ds.departments.values())).model_copy(update={"name": "Efter"}))
    assert set(recorded_hashes_are_the_files(db)) == every_file_known(db)


def test_the_rules_name_the_pydantic_that_validated(monkeypatch):
    """A record made where another pydantic validated (a copy, a backup from another
    installation) is not trusted: the fingerprint changes with its version."""
    import pydantic_core

    assert trusted._rules_fingerprint() == trusted.RULES
    monkeypatch.setattr(pydantic_core, "__version__", "0.0.1")
    assert trusted._rules_fingerprint() not in (None, trusted.RULES)


def test_another_programs_save_is_read_without_validation_and_not_recorded_again(
    demo: Path, tmp_path: Path, validated: Counter[str]
) -> None:
    """Two programs on one folder: the one that refreshes after the other's save reads the
    table it wrote by the hash meta.json now records (not validated again), and a save leaves
    the cache's record of tables as it was (meta.json holds what it wrote)."""
    db = copy_of(demo, tmp_path)
    reader, writer = FolderRepository.open(db), FolderRepository.open(db)
    record = (db / TRUST).read_bytes() if (db / TRUST).exists() else None
    validated.clear()
    department = next(iter(writer.ds.departments.values()))
    renamed = department.model_copy(update={"name": "Borgerservice Nord"})
    writer.put(renamed)
    assert ((db / TRUST).read_bytes() if (db / TRUST).exists() else None) == record

    assert reader.refresh()
    assert reader.ds.departments[department.code].name == "Borgerservice Nord"
    assert sum(validated.values()) == 0


# --------------------------------------------------------------------------- the benefits log
@pytest.fixture
def benefits_validated(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of records each open validated of the robot benefits log."""
    calls: list[int] = []
    real = reading.records_of

    class Counting:
        def __init__(self, model) -> None:
            self.adapter = real(model)

        def validate_python(self, records):
            calls.append(len(records))
            return self.adapter.validate_python(records)

        def dump_python(self, *args, **kwargs):
            return self.adapter.dump_python(*args, **kwargs)

    monkeypatch.setattr(reading, "records_of", Counting)
    return calls


def benefits_of(repo: FolderRepository) -> dict:
    return dict(repo.ds.robot_benefits)


def test_the_benefits_log_is_validated_once_then_read_as_the_same_records_without(
    demo: Path, tmp_path: Path, benefits_validated: list[int]
) -> None:
    db = without_written_hashes(copy_of(demo, tmp_path))  # as an older Kapabel left it
    shutil.rmtree(db / "cache", ignore_errors=True)
    checked = benefits_of(FolderRepository.open(db))
    assert checked and benefits_validated == [len((db / BENEFITS_LOG).read_bytes().splitlines())]

    again = benefits_of(FolderRepository.open(db))

    assert len(benefits_validated) == 1  # known valid since
    assert again == checked
    for key, benefit in checked.items():
        assert repr(again[key]) == repr(benefit)  # hours as floats, every field set
        assert again[key].model_fields_set == benefit.model_fields_set


def test_a_benefit_saved_is_read_at_the_next_open_without_validating_the_log(
    demo: Path, tmp_path: Path, benefits_validated: list[int]
) -> None:
    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db)
    robot = next(iter(repo.ds.robots))
    saved = RobotBenefit(robot=robot, month="2031-01", hours_saved=12.5, runs=4, failed_runs=1)
    repo.record(saved)
    benefits_validated.clear()

    shutil.rmtree(db / "cache")  # meta.json alone: the save recorded the log's new hash
    reopened = FolderRepository.open(db)
    assert reopened.ds.robot_benefits[saved.key()] == saved
    assert benefits_validated == []
    assert BENEFITS_LOG in recorded_hashes_are_the_files(db)
    assert benefits_of(reopened) == benefits_of(repo)


def test_a_benefit_line_not_as_the_store_writes_it_is_validated_at_every_open(
    demo: Path, tmp_path: Path, benefits_validated: list[int]
) -> None:
    """Spaces around a robot's code (another program's line, its checksum recorded as a save
    records it): validation strips them, so the log is never read without it."""
    db = copy_of(demo, tmp_path)
    log = db / BENEFITS_LOG
    lines = log.read_bytes().splitlines(keepends=True)
    first = orjson.loads(lines[0])
    first["robot"] = f"  {first['robot']} "
    log.write_bytes(orjson.dumps(first) + b"\n" + b"".join(lines[1:]))
    data = orjson.loads((db / "meta.json").read_bytes())
    data["meta"]["1"]["history"][BENEFITS_LOG] = [log.stat().st_size, zlib.crc32(log.read_bytes())]
    (db / "meta.json").write_bytes(orjson.dumps(data))

    for _ in range(2):
        benefits = FolderRepository.open(db).ds.robot_benefits
        assert f"{first['robot'].strip()}|{first['month']}" in benefits
    assert len(benefits_validated) == 2


def test_benefits_another_program_saved_keep_the_log_known_valid_for_this_ones_next_save(
    demo: Path, tmp_path: Path, benefits_validated: list[int]
) -> None:
    """This program reads what the other appended (validated, as appended lines are); its own
    next save then records the whole log's hash, and an open without cache/ trusts it."""
    db = copy_of(demo, tmp_path)
    here, other = FolderRepository.open(db), FolderRepository.open(db, user="other")
    robot = next(iter(here.ds.robots))
    theirs = RobotBenefit(robot=robot, month="2031-02", hours_saved=3.0, runs=2)
    other.record(theirs)
    assert here.refresh() and here.ds.robot_benefits[theirs.key()] == theirs
    mine = RobotBenefit(robot=robot, month="2031-03", hours_saved=4.5, runs=3)
    here.record(mine)
    shutil.rmtree(db / "cache")
    benefits_validated.clear()

    reopened = FolderRepository.open(db)

    assert benefits_validated == []
    assert {theirs.key(), mine.key()} <= set(reopened.ds.robot_benefits)
    assert recorded_hashes_are_the_files(db)[BENEFITS_LOG]


def test_a_benefit_changed_without_validation_leaves_the_log_validated_at_the_next_open(
    demo: Path, tmp_path: Path
) -> None:
    """A record copied with a change (`model_copy(update=...)` does not validate) is appended
    as it is: the log is not vouched for, so the next open refuses the record as before rather
    than build it without validation."""
    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db)
    valid = RobotBenefit(robot=next(iter(repo.ds.robots)), month="2031-04", hours_saved=2, runs=2)
    repo.record(valid.model_copy(update={"failed_runs": 5}))  # more failed runs than runs
    assert BENEFITS_LOG not in recorded_hashes_are_the_files(db)  # (nor the log's hash before)

    for without_cache in (False, True):
        if without_cache:
            shutil.rmtree(db / "cache")  # meta.json alone
        with pytest.raises(CorruptFileError, match="failed_runs"):
            FolderRepository.open(db)


def test_no_benefit_read_makes_no_validator_at_an_open_or_a_refresh(
    demo: Path, tmp_path: Path, benefits_validated: list[int]
) -> None:
    """A database without robot benefits, and a refresh that finds none new, validate nothing
    (making the validator cost ~15 ms of a process)."""
    db = copy_of(demo, tmp_path)
    repo = FolderRepository.open(db)
    benefits_validated.clear()
    department = next(iter(repo.ds.departments.values()))
    FolderRepository.open(db, user="other").put(department.model_copy(update={"name": "Ny"}))
    assert repo.refresh()
    assert benefits_validated == []

    (db / BENEFITS_LOG).unlink()
    data = orjson.loads((db / "meta.json").read_bytes())
    del data["meta"]["1"]["history"][BENEFITS_LOG]
    (db / "meta.json").write_bytes(orjson.dumps(data))
    assert FolderRepository.open(db).ds.robot_benefits == {}
    assert benefits_validated == []
