"""Recovery: torn history lines, journals left by a crash, failed commits, threads, stale views."""

from __future__ import annotations

import datetime as dt
import os
import threading
import zlib
from pathlib import Path

import orjson
import pytest

from store import files
from store.errors import CorruptFileError, DiskError, StoreError
from store.folder.storage import FolderStorage
from store.models import Assessment, Course, Department, Robot, RobotBenefit, Staff
from store.repository import JOURNAL_FILE, FolderRepository
from tui import cli

DAY = dt.date(2026, 1, 1)
TORN = b'{"staff":"E1","competency":"DC1'


@pytest.fixture
def staffed(repo: FolderRepository) -> FolderRepository:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Åse", department="D1"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=2, date=DAY))
    return repo


def append_raw(path: Path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


def test_a_torn_last_line_is_ignored_reported_and_set_aside(
    staffed: FolderRepository, capsys: pytest.CaptureFixture[str]
) -> None:
    log = staffed.path / "assessments.jsonl"
    good = log.read_bytes()
    append_raw(log, TORN)
    reader = FolderRepository.open(staffed.path)  # opened while the torn line is there
    assert [r.level for r in reader.ds.assessments] == [2]
    problem = f"assessments.jsonl: torn last line ({len(TORN)} bytes, left by an interrupted save) is ignored"
    assert reader.problems() == [problem]
    assert cli.main(["check", "--db", str(staffed.path)]) == 1
    assert f"problem: {problem}" in capsys.readouterr().out
    assert log.read_bytes() == good + TORN  # reading and checking change nothing

    writer = FolderRepository.open(staffed.path)
    writer.record(Assessment(staff="E1", competency="DC1.1", level=3, date=DAY, source="test"))
    assert (staffed.path / "assessments.jsonl.torn").read_bytes() == TORN + b"\n"
    assert log.read_bytes().startswith(good) and log.read_bytes().endswith(b"\n")
    reader.refresh()
    assert [r.level for r in reader.ds.assessments] == [2, 3]
    assert [r.level for r in FolderRepository.open(staffed.path).ds.assessments] == [2, 3]
    assert reader.problems() == [
        "assessments.jsonl.torn: 1 torn line(s) from interrupted saves were set aside here; "
        "delete the file once you have looked at it"
    ]
    (staffed.path / "assessments.jsonl.torn").unlink()
    assert reader.problems() == []


def test_a_torn_audit_line_does_not_hide_later_entries(staffed: FolderRepository) -> None:
    append_raw(staffed.path / "audit.jsonl", b'{"at": "2026-')
    count = len(staffed.audit_entries())
    staffed.put(Staff(employee_no="E2", name="Bo", department="D1"))
    entries = staffed.audit_entries()
    assert len(entries) == count + 1 and entries[-1].key == "E2"
    assert (staffed.path / "audit.jsonl.torn").exists()


def write_journal(repo: FolderRepository, *, applied: bool, half_appended: bool) -> bytes:
    """A journal as `_commit_files` writes it: add department D2 and one audit line."""
    tables = orjson.loads((repo.path / "departments.json").read_bytes())
    tables["departments"]["99"] = {"code": "D2", "name": "Jobcenter", "parent_code": None,
                                   "lead": None, "active": True}  # fmt: skip
    temp = repo.path / ".departments.json.4242.txn"
    temp.write_bytes(orjson.dumps(tables))
    audit = repo.path / "audit.jsonl"
    line = orjson.dumps(
        {"at": "2026-01-01T00:00:00+00:00", "user": "crashed", "action": "create",
         "entity": "departments", "key": "D2", "changes": {}}
    ) + b"\n"  # fmt: skip
    size = audit.stat().st_size
    meta = orjson.loads((repo.path / "meta.json").read_bytes())
    meta["meta"]["1"]["history"]["audit.jsonl"] = [
        size + len(line),
        zlib.crc32(line, zlib.crc32(audit.read_bytes())),
    ]
    meta_temp = repo.path / ".meta.json.4242.txn"
    meta_temp.write_bytes(orjson.dumps(meta))
    journal = {
        "replace": [[temp.name, "departments.json"], [meta_temp.name, "meta.json"]],
        "append": [["audit.jsonl", size, line.decode()]],
    }
    (repo.path / JOURNAL_FILE).write_bytes(orjson.dumps(journal))
    if applied:
        os.replace(temp, repo.path / "departments.json")
        os.replace(meta_temp, repo.path / "meta.json")
    if half_appended:
        append_raw(audit, line[: len(line) // 2])
    return line


@pytest.mark.parametrize(
    ("applied", "half_appended"), [(False, False), (True, False), (True, True)]
)
def test_a_journal_left_by_a_crash_is_rolled_forward_once(
    staffed: FolderRepository, applied: bool, half_appended: bool
) -> None:
    audit_before = (staffed.path / "audit.jsonl").read_bytes()
    line = write_journal(staffed, applied=applied, half_appended=half_appended)
    reopened = FolderRepository.open(staffed.path)
    assert reopened.ds.departments["D2"].name == "Jobcenter"
    assert (staffed.path / "audit.jsonl").read_bytes() == audit_before + line
    assert reopened.audit_entries()[-1].user == "crashed"
    assert sorted(p.name for p in staffed.path.iterdir() if p.name.startswith(".")) == [".lock"]
    assert not (staffed.path / JOURNAL_FILE).exists()
    assert reopened.problems() == []


def test_a_crash_before_the_first_line_of_a_history_file_is_rolled_forward(
    staffed: FolderRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal of a first robot benefit was written, then the process died before the new
    history file existed: the next open finishes the save (the file's first 0 bytes have no
    checksum to read)."""
    staffed.put(Robot(code="RB1", name="Bot", department="D1"))
    assert not (staffed.path / "robot_benefits.jsonl").exists()

    def died(self, journal, journal_path=None):
        raise OSError(5, "Input/output error")  # the process stops here...

    monkeypatch.setattr(FolderStorage, "_apply_journal", died)
    monkeypatch.setattr(FolderStorage, "_undo", lambda *args: None)  # ...and undoes nothing
    with pytest.raises(DiskError):
        staffed.record(RobotBenefit(robot="RB1", month="2026-01", hours_saved=3))
    monkeypatch.undo()
    assert (staffed.path / JOURNAL_FILE).exists()

    reopened = FolderRepository.open(staffed.path)

    assert [b.hours_saved for b in reopened.ds.robot_benefits.values()] == [3]
    assert not (staffed.path / JOURNAL_FILE).exists()


def test_a_journal_already_applied_is_not_applied_twice(staffed: FolderRepository) -> None:
    line = write_journal(staffed, applied=True, half_appended=False)
    append_raw(staffed.path / "audit.jsonl", line)  # the crash came just before the unlink
    expected = (staffed.path / "audit.jsonl").read_bytes()
    staffed.refresh()
    assert (staffed.path / "audit.jsonl").read_bytes() == expected
    assert "D2" in staffed.ds.departments


def test_a_stale_view_finishes_the_journal_before_writing(staffed: FolderRepository) -> None:
    write_journal(staffed, applied=False, half_appended=False)
    staffed.put(Staff(employee_no="E2", name="Bo", department="D2"))
    assert set(FolderRepository.open(staffed.path).ds.departments) == {"D1", "D2"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b'{"replace": [[".x.txn", "sta', "not valid JSON"),
        (b'{"replace": [["../../outside", "staff.json"]], "append": []}', "not a Kapabel journal"),
        (b'{"replace": [], "append": [["audit.jsonl", -5, "x"]]}', "not a Kapabel journal"),
        (b'{"steps": []}', "not a Kapabel journal"),
    ],
)
def test_an_unusable_journal_stops_the_open_and_is_kept(
    staffed: FolderRepository, content: bytes, problem: str
) -> None:
    (staffed.path / JOURNAL_FILE).write_bytes(content)
    before = {p.name: p.read_bytes() for p in staffed.path.iterdir() if p.is_file()}
    with pytest.raises(CorruptFileError, match=problem) as caught:
        FolderRepository.open(staffed.path)
    assert caught.value.path == staffed.path / JOURNAL_FILE
    with pytest.raises(CorruptFileError, match=problem):
        staffed.put(Staff(employee_no="E2", name="Bo", department="D1"))
    assert {p.name: p.read_bytes() for p in staffed.path.iterdir() if p.is_file()} == before


def test_temporaries_of_a_crash_before_the_commit_point_are_swept(
    staffed: FolderRepository,
) -> None:
    (staffed.path / ".staff.json.999.txn").write_bytes(b'{"staff": {}}')
    (staffed.path / ".meta.json.999.tmp").write_bytes(b"{")
    reopened = FolderRepository.open(staffed.path)
    assert "E1" in reopened.ds.staff
    assert sorted(p.name for p in staffed.path.iterdir() if p.name.startswith(".")) == [".lock"]


def test_a_failed_commit_leaves_no_trace_in_memory_or_on_disk(
    repo: FolderRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files = FolderStorage._commit_files
    calls = []

    def failing_once(self, replacements, appends, **options):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return commit_files(self, replacements, appends, **options)

    monkeypatch.setattr(FolderStorage, "_commit_files", failing_once)
    with pytest.raises(DiskError, match="No space left on device") as caught:
        repo.put(Course(code="C1", name="Første kursus"))
    assert isinstance(caught.value.__cause__, OSError)  # the first write to a new table
    assert repo.ds.courses == {}
    repo.put(Course(code="C2", name="Andet kursus"))
    assert set(repo.ds.courses) == {"C2"}
    assert set(FolderRepository.open(repo.path).ds.courses) == {"C2"}
    assert [e.key for e in repo.audit_entries() if e.entity == "courses"] == ["C2"]


def test_a_commit_that_failed_while_applying_its_journal_never_appears(
    staffed: FolderRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_journal = FolderStorage._apply_journal

    def crash_while_applying(self, journal, journal_path=None):
        if journal_path is None:  # during the commit, not during recovery
            raise OSError(5, "Input/output error")
        return apply_journal(self, journal, journal_path)

    monkeypatch.setattr(FolderStorage, "_apply_journal", crash_while_applying)
    with pytest.raises(DiskError, match="Input/output error"):
        staffed.put(Staff(employee_no="E2", name="Bo", department="D1"))
    assert not (staffed.path / JOURNAL_FILE).exists()  # nothing left to finish it later
    staffed.refresh()
    assert "E2" not in staffed.ds.staff
    assert "E2" not in FolderRepository.open(staffed.path).ds.staff
    assert [e.key for e in staffed.audit_entries()].count("E2") == 0


def test_an_exception_inside_a_transaction_undoes_everything(staffed: FolderRepository) -> None:
    counters = dict(staffed.storage.meta["counters"])
    with pytest.raises(RuntimeError), staffed.transaction() as tx:
        tx.put(Department(code="D2", name="Ny"))
        tx.record(Assessment(staff="E1", competency="DC1.2", level=1, date=DAY))
        tx.put(Course(code="C1", name="Kursus"))
        raise RuntimeError("the user pressed cancel")
    assert set(staffed.ds.departments) == {"D1"} and len(staffed.ds.assessments) == 1
    assert staffed.storage.meta["counters"] == counters and staffed.ds.courses == {}
    reopened = FolderRepository.open(staffed.path)
    assert set(reopened.ds.departments) == {"D1"} and len(reopened.ds.assessments) == 1


def test_threads_of_one_process_take_turns(staffed: FolderRepository) -> None:
    errors: list[BaseException] = []

    def save(prefix: str) -> None:
        try:
            for i in range(25):
                staffed.put(Staff(employee_no=f"{prefix}{i}", name="Tråd", department="D1"))
        except BaseException as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(p,)) for p in ("A", "B", "C")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(FolderRepository.open(staffed.path).ds.staff) == 1 + 75


def test_transactions_still_do_not_nest_in_one_thread(staffed: FolderRepository) -> None:
    with staffed.transaction(), pytest.raises(StoreError, match="do not nest"):
        staffed.put(Department(code="D2", name="Ny"))


def test_a_rewrite_is_seen_even_when_timestamps_are_coarse(staffed: FolderRepository) -> None:
    """Inode numbers are reused at once; with a coarse clock only the pinned inode tells."""
    other = FolderRepository.open(staffed.path)
    table = staffed.path / "departments.json"
    stamp = table.stat().st_mtime_ns
    for i in range(40):
        staffed.refresh()
        for name in (f"Navn {i:02d}a", f"Navn {i:02d}b"):
            other.put(Department(code="D1", name=name))
            os.utime(table, ns=(stamp, stamp))  # same size, same time: only the inode differs
        staffed.refresh()
        assert staffed.ds.departments["D1"].name == f"Navn {i:02d}b"
    assert files.PIN_FILES


def test_an_assessment_seen_by_another_process_when_meta_keeps_its_size_and_time(
    staffed: FolderRepository,
) -> None:
    """A save writes meta.json over itself (padded to its length): same file, same size, and
    with a coarse clock the same time stamp; the other process still sees each save."""
    other = FolderRepository.open(staffed.path)
    meta = staffed.path / "meta.json"
    meta.write_bytes(meta.read_bytes() + b" " * 64)  # room for longer numbers: the size stays
    for i in range(20):
        stat = meta.stat()
        other.record(
            Assessment(staff="E1", competency="DC1.1", level=1 + i % 5, date=DAY, note=f"n{i}")
        )
        assert (meta.stat().st_ino, meta.stat().st_size) == (stat.st_ino, stat.st_size)
        os.utime(meta, ns=(stat.st_mtime_ns, stat.st_mtime_ns))
        staffed.refresh()
        assert staffed.ds.assessments[-1].note == f"n{i}"


def test_a_reader_without_the_lock_reads_meta_again_when_it_caught_it_half_written(
    staffed: FolderRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only here, a reader takes no lock, so it may read meta.json while a writer
    elsewhere writes it over in place: half old, half new. It reads again before it counts
    the database as damaged."""
    from store.folder import storage

    reader = FolderRepository.open(staffed.path, read_only=True)  # takes no lock
    meta = staffed.path / "meta.json"
    old = meta.read_bytes()
    staffed.record(Assessment(staff="E1", competency="DC1.2", level=3, date=DAY))
    mixed = orjson.loads(meta.read_bytes())  # the new length, the old checksum: half of each
    history = mixed["meta"]["1"]["history"]
    history["assessments.jsonl"][1] = orjson.loads(old)["meta"]["1"]["history"][
        "assessments.jsonl"
    ][1]
    torn = [orjson.dumps(mixed)]
    real = storage.read_raw
    monkeypatch.setattr(storage, "read_raw", lambda path: torn.pop() if torn else real(path))

    assert reader.refresh() is not None

    assert not torn  # it was read half-written once
    assert [row.competency for row in reader.ds.assessments] == ["DC1.1", "DC1.2"]


def test_a_meta_json_torn_during_a_save_is_written_again_from_the_journal(
    staffed: FolderRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal holds the new meta.json itself; the process died while writing it over the
    old one (here: zeros where a power cut left no data): the next open writes it whole and
    the save is there."""
    real_write = os.pwrite

    def torn(fd, data, offset):
        real_write(fd, bytes(len(data)), offset)
        raise SystemExit("killed")  # the process stops here, nothing undone

    monkeypatch.setattr(os, "pwrite", torn)
    with pytest.raises(SystemExit):
        staffed.record(Assessment(staff="E1", competency="DC1.2", level=3, date=DAY))
    monkeypatch.undo()
    assert (staffed.path / JOURNAL_FILE).exists()
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads((staffed.path / "meta.json").read_bytes())

    reopened = FolderRepository.open(staffed.path)

    assert [row.competency for row in reopened.ds.assessments] == ["DC1.1", "DC1.2"]
    assert not (staffed.path / JOURNAL_FILE).exists()
    assert reopened.problems() == []


def test_only_our_own_temporaries_are_swept(staffed: FolderRepository) -> None:
    ours = [".staff.json.999.tmp", ".audit.jsonl.12.txn", ".journal.json.5.tmp"]
    others = [".lock.private-v1-0123abcd.tmp", ".notes.txt.3.tmp", ".staff.json.tmp"]
    for name in ours + others:
        (staffed.path / name).write_bytes(b"x")
    FolderRepository.open(staffed.path)
    left = {p.name for p in staffed.path.iterdir() if p.name.startswith(".")}
    assert left == {".lock", *others}


def test_a_new_database_goes_only_into_an_empty_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "letter.txt").write_text("Kære HR")
    with pytest.raises(StoreError, match=r"holds other files \(letter.txt\) and no Kapabel"):
        FolderRepository.open(home, create=True)
    assert sorted(p.name for p in home.iterdir()) == ["letter.txt"]
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    with pytest.raises(StoreError, match="no database at"):
        FolderRepository.open(empty)  # only `create` makes one
    assert "DC1.1" in FolderRepository.open(empty, create=True).ds.competencies
    assert oct(empty.stat().st_mode & 0o777) == oct(0o700)


def test_damaged_counters_in_meta_are_reported(staffed: FolderRepository) -> None:
    (staffed.path / "meta.json").write_bytes(
        orjson.dumps({"meta": {"1": {"schema_version": 1, "counters": ["TP", 3]}}})
    )
    with pytest.raises(CorruptFileError, match="meta.json: counters: not a table of whole"):
        FolderRepository.open(staffed.path)


def test_a_folder_that_cannot_be_made_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DiskError, match=f"^{blocker / 'db'}: Not a directory$"):
        FolderRepository.open(blocker / "db", create=True)


def audit_line(**changes: object) -> str:
    entry = {"at": "2026-01-01T00:00:00+00:00", "user": "x", "action": "create",
             "entity": "departments", "key": "D9", "changes": {}}  # fmt: skip
    return orjson.dumps({**entry, **changes}).decode() + "\n"


def size_of(repo: FolderRepository, name: str) -> int:
    return (repo.path / name).stat().st_size


CRAFTED = {
    "appends to meta.json": (
        lambda repo: {"replace": [], "append": [["meta.json", size_of(repo, "meta.json"), "x\n"]]},
        "it appends to 'meta.json', which is not a history file",
    ),
    "replaces a file not of the database": (
        lambda repo: {"replace": [[".notes.txt.1-ab.txn", "notes.txt"]], "append": []},
        "it replaces 'notes.txt', which is not a file of the database",
    ),
    "a temporary of another file": (
        lambda repo: {"replace": [[".staff.json.1-ab.txn", "roles.json"]], "append": []},
        "'.staff.json.1-ab.txn' is not a temporary of roles.json",
    ),
    "lines that are no audit entries": (
        lambda repo: {
            "replace": [],
            "append": [["audit.jsonl", size_of(repo, "audit.jsonl"), '{"hello": "world"}\n']],
        },  # fmt: skip
        "the lines for audit.jsonl: record 1 is not an audit entry",
    ),
    "lines that are no JSON": (
        lambda repo: {
            "replace": [],
            "append": [["audit.jsonl", size_of(repo, "audit.jsonl"), "garbage\n"]],
        },  # fmt: skip
        "the lines for audit.jsonl: line 1 is not valid JSON",
    ),
    "a size that does not match": (
        lambda repo: {
            "replace": [],
            "append": [["audit.jsonl", size_of(repo, "audit.jsonl") - 9, audit_line()]],
        },  # fmt: skip
        "audit.jsonl holds other bytes where the save appends",
    ),
    "appends without recording their length": (
        lambda repo: {
            "replace": [],
            "append": [["audit.jsonl", size_of(repo, "audit.jsonl"), audit_line()]],
        },  # fmt: skip
        "meta.json records",
    ),
}


@pytest.mark.parametrize("case", CRAFTED)
def test_a_crafted_journal_is_refused_whole_and_nothing_is_written(
    staffed: FolderRepository, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    build, problem = CRAFTED[case]
    (staffed.path / ".staff.json.1-ab.txn").write_bytes(b'{"staff": {}}')  # a temporary to use
    (staffed.path / JOURNAL_FILE).write_bytes(orjson.dumps(build(staffed)))
    before = {p.name: p.read_bytes() for p in staffed.path.iterdir() if p.is_file()}
    assert cli.main(["check", "--db", str(staffed.path)]) == 1  # a reading command
    out = capsys.readouterr().out
    assert f"{staffed.path / JOURNAL_FILE}: not a Kapabel journal ({problem}" in out
    with pytest.raises(CorruptFileError, match="not a Kapabel journal"):
        staffed.put(Staff(employee_no="E2", name="Bo", department="D1"))
    assert {p.name: p.read_bytes() for p in staffed.path.iterdir() if p.is_file()} == before
