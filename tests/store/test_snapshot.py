"""The history snapshot makes opening faster and never changes what is read."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
import tokenize
import zipfile
import zlib
from pathlib import Path

import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import snapshot
from store.backup import make_backup, restore
from store.errors import CorruptFileError
from store.models import Assessment
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, populate


def read_without_snapshot(repo: FolderRepository) -> list:
    """The rows as the JSON lines alone give them."""
    kept = snapshot.snapshot_path(repo.path)
    moved = kept.with_name("moved-away")
    kept.rename(moved)
    try:
        return FolderRepository.open(repo.path).ds.assessments
    finally:
        moved.rename(kept)


def record(repo: FolderRepository, staff: str, level: int, day: int) -> None:
    repo.record(
        Assessment(staff=staff, competency="DC1.1", level=level, date=dt.date(2026, 3, day))
    )


@pytest.fixture
def saved(repo: FolderRepository) -> FolderRepository:
    """The small municipality with a snapshot of its three assessments."""
    populate(repo)
    assert repo.save_snapshot(min_new_rows=0)
    return repo


def test_a_reopened_database_reads_the_same_rows_from_the_snapshot(saved):
    reopened = FolderRepository.open(saved.path)
    assert reopened.storage.snapshot_rows == 3
    assert reopened.ds.assessments == saved.ds.assessments == read_without_snapshot(saved)
    notes = {row.note for row in reopened.ds.assessments}
    assert "talked with Søren Ærø-Østergård, line one\nline two; done" in notes
    assert {row.valid_until for row in reopened.ds.assessments} == {None, dt.date(2027, 2, 1)}


def test_saves_after_opening_from_the_snapshot_go_into_room_its_columns_kept(saved):
    """A snapshot's columns are read with room after their rows: a session's saves go there
    (making every column twice as long on the first save took ~40 ms at 50,000 staff), and
    every figure reads them as recorded."""
    from store.columns import columns_of

    reopened = FolderRepository.open(saved.path)
    columns = columns_of(reopened.ds.assessments).columns
    memory = {name: array for name, array in columns._data.items()}
    assert len(memory["seq"]) == 3 + snapshot.room_for(3)
    record(reopened, "E2", 2, 10)
    record(reopened, EMPLOYEE_NO, 4, 11)
    grown = columns_of(reopened.ds.assessments).columns
    assert grown is columns and all(grown._data[n] is a for n, a in memory.items())
    assert [(row.staff, row.level) for row in reopened.ds.assessments[3:]] == [
        ("E2", 2), (EMPLOYEE_NO, 4)
    ]  # fmt: skip
    assert reopened.ds.assessments == FolderRepository.open(saved.path).ds.assessments
    assert len(grown.current(dt.date(2026, 3, 31))) == len(
        {(row.staff, row.competency) for row in reopened.ds.assessments}
    )


def test_the_snapshot_is_owner_only(saved):
    path = snapshot.snapshot_path(saved.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_what_was_recorded_after_the_snapshot_is_read_from_the_history(saved):
    record(saved, "E2", 2, 10)
    other = FolderRepository.open(saved.path, user="other")  # another process appends too
    record(other, EMPLOYEE_NO, 4, 11)

    reopened = FolderRepository.open(saved.path)
    assert reopened.storage.snapshot_rows == 3
    rows = reopened.ds.assessments
    assert [row.seq for row in rows] == list(range(5))
    assert [(row.staff, row.level) for row in rows[3:]] == [("E2", 2), (EMPLOYEE_NO, 4)]
    assert rows == read_without_snapshot(saved)


def record_as_saved(history: Path) -> None:
    """Record the history's length and checksum in meta.json, as a save that rewrote it would."""
    meta_path = history.with_name("meta.json")
    meta = orjson.loads(meta_path.read_bytes())
    data = history.read_bytes()
    meta["meta"]["1"]["history"][history.name] = [len(data), zlib.crc32(data)]
    meta_path.write_bytes(orjson.dumps(meta))


def test_a_history_replaced_behind_the_snapshots_back_is_read_whole(saved):
    history = saved.path / "assessments.jsonl"
    lines = history.read_bytes().splitlines(keepends=True)
    replacement = history.with_name("new")
    replacement.write_bytes(lines[2] + lines[0])  # another file, not an append
    os.replace(replacement, history)
    record_as_saved(history)

    reopened = FolderRepository.open(saved.path)
    assert reopened.storage.snapshot_rows == 0
    assert [row.staff for row in reopened.ds.assessments] == ["E2", EMPLOYEE_NO]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not json at all",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:],  # no CRC to match
        lambda data: _edit(data, lambda h, c: h.update(format=99)),
        lambda data: _edit(data, lambda h, c: c.update(level=c["level"].astype(float))),
        lambda data: _edit(data, lambda h, c: c.update(staff=c["staff"][:-1])),
        lambda data: _edit(data, lambda h, c: c["staff"].__setitem__(0, 99)),
        lambda data: _edit(data, lambda h, c: c["date"].__setitem__(0, 0)),
        lambda data: _edit(data, lambda h, c: c["codes"]["staff"].__setitem__(0, 7)),
        lambda data: _edit(data, lambda h, c: c["seq"].__setitem__(0, 5)),
        lambda data: _edit(data, lambda h, c: c.pop("note")),
        lambda data: _edit(data, lambda h, c: c.update(order=c["order"][::-1].copy())),
        lambda data: _edit(data, lambda h, c: c["order"].__setitem__(0, c["order"][1])),
        lambda data: _edit(data, lambda h, c: c.pop("order")),
        lambda data: _edit(data, lambda h, c: h.pop("offset")),
        lambda data: _edit(data, lambda h, c: h.update(offset=-5)),
        lambda data: _edit(data, lambda h, c: h.update(rows=0)),
        lambda data: _edit(data, _mid_line),
    ],
    ids=[
        "not-json", "cut", "bit-rot", "format", "level", "short", "index", "date", "code-type",
        "seq", "no-column", "order-unsorted", "order-repeats", "no-order", "no-offset", "negative-offset", "no-rows", "mid-line",
    ],
)  # fmt: skip
def test_a_damaged_snapshot_is_ignored(saved, damage):
    path = snapshot.snapshot_path(saved.path)
    path.write_bytes(damage(path.read_bytes()))
    reopened = FolderRepository.open(saved.path)
    assert reopened.storage.snapshot_rows == 0
    assert reopened.ds.assessments == saved.ds.assessments


def _compressed(data: bytes) -> bytes:
    """The same columns in a compressed archive (not what Kapabel writes)."""
    header_line, _, stored = data.partition(b"\n")
    with np.load(io.BytesIO(stored), allow_pickle=False) as archive:
        columns = {name: archive[name] for name in archive.files}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **columns)
    header = orjson.loads(header_line)
    header["data_crc"] = zlib.crc32(buffer.getvalue())
    return orjson.dumps(header) + b"\n" + buffer.getvalue()


def _unknown_zip_version(data: bytes) -> bytes:
    """The archive's first entry claims a zip version no reader knows (checksums kept right)."""
    header_line, _, stored = data.partition(b"\n")
    at = stored.index(b"PK\x01\x02") + 6  # the central directory's "version needed"
    stored = stored[:at] + bytes([249]) + stored[at + 1 :]
    header = orjson.loads(header_line)
    header["data_crc"] = zlib.crc32(stored)
    return orjson.dumps(header) + b"\n" + stored


def _npy_header(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """Change text in one array's .npy header (same length), keeping the checksums right."""
    header_line, _, stored = data.partition(b"\n")
    start = stored.index(member.encode() + b".npy")
    at = stored.index(old, start)
    stored = stored[:at] + new + stored[at + len(old) :]
    header = orjson.loads(header_line)
    header["data_crc"] = zlib.crc32(stored)
    return orjson.dumps(header) + b"\n" + stored


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: _npy_header(data, "level", b"'shape': (", b"'shape': (9"),  # longer
        lambda data: _npy_header(data, "level", b"'descr': '<i2'", b"'descr': '|O'"),
        lambda data: _npy_header(data, "level", b"'fortran_order': False", b"'fortran_order': True "),
        lambda data: _npy_header(data, "level", b"\x93NUMPY", b"\x93NUMPX"),
        _compressed,
        lambda data: _npy_header(data, "level", b"}", b"("),  # numpy's parser: TokenError
        _unknown_zip_version,  # zipfile: NotImplementedError
    ],
    ids=["longer-than-stored", "objects", "fortran", "magic", "compressed", "unclosed",
         "zip-version"],
)  # fmt: skip
def test_a_snapshot_whose_arrays_are_not_as_written_is_ignored(saved, damage):
    path = snapshot.snapshot_path(saved.path)
    path.write_bytes(damage(path.read_bytes()))
    reopened = FolderRepository.open(saved.path)
    assert reopened.storage.snapshot_rows == 0
    assert reopened.ds.assessments == saved.ds.assessments


def _mid_line(header: dict, columns: dict) -> None:
    """Claim to end 5 bytes before the end of a line (with the bytes the file has there)."""
    header["offset"] -= 5
    header["last_bytes"] = (bytes.fromhex(header["last_bytes"])[:-5]).hex()


def _edit(data: bytes, change) -> bytes:
    """Change the header and columns (arrays, and `codes`: the lists of values), keeping the
    data checksum right (so it does not tell)."""
    header_line, _, stored = data.partition(b"\n")
    header = orjson.loads(header_line)
    with np.load(io.BytesIO(stored), allow_pickle=False) as archive:
        columns = {name: archive[name] for name in archive.files}
    columns["codes"] = orjson.loads(columns["codes"].tobytes())
    change(header, columns)
    columns["codes"] = np.frombuffer(orjson.dumps(columns["codes"]), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **columns)
    stored = buffer.getvalue()
    header["data_crc"] = zlib.crc32(stored)
    return orjson.dumps(header) + b"\n" + stored


def test_the_snapshot_holds_no_pickled_objects(saved):
    """A database folder from someone else cannot run code through its snapshot."""
    _, _, stored = snapshot.snapshot_path(saved.path).read_bytes().partition(b"\n")
    with np.load(io.BytesIO(stored), allow_pickle=False) as archive:
        assert all(archive[name].dtype != object for name in archive.files)


def test_a_history_edited_in_place_is_read_from_its_lines_and_the_snapshot_deleted(saved):
    history = saved.path / "assessments.jsonl"
    inode = history.stat().st_ino
    data = history.read_bytes()
    with open(history, "r+b") as handle:  # same file, same size, same last bytes: level 3 -> 2
        handle.write(data.replace(b'"level":1', b'"level":2', 1))
    assert history.stat().st_ino == inode
    kept = snapshot.snapshot_path(saved.path).read_bytes()
    with pytest.raises(CorruptFileError, match="changed since the last save"):
        FolderRepository.open(saved.path)  # not as the last save left it: refused...
    assert snapshot.snapshot_path(saved.path).read_bytes() == kept  # ...and nothing deleted

    record_as_saved(history)  # as if a save had made the change
    reopened = FolderRepository.open(saved.path)
    assert reopened.storage.snapshot_rows == 0
    assert reopened.ds.assessments[0].level == 2
    assert not snapshot.snapshot_path(saved.path).exists()


def test_a_snapshot_is_saved_only_when_enough_rows_were_read_from_the_history(saved):
    reopened = FolderRepository.open(saved.path)
    assert not reopened.save_snapshot(min_new_rows=1)  # everything came from the snapshot
    record(reopened, "E2", 1, 12)
    assert not reopened.save_snapshot(min_new_rows=2)
    assert reopened.save_snapshot(min_new_rows=1)
    assert FolderRepository.open(saved.path).storage.snapshot_rows == 4


def test_erasure_and_restore_delete_the_snapshot_and_backups_leave_it_out(saved):
    left_by_a_crash = snapshot.snapshot_path(saved.path).with_name(".snapshot.123.tmp")
    left_by_a_crash.write_bytes(snapshot.snapshot_path(saved.path).read_bytes())
    backup = make_backup(saved)
    assert not (backup / snapshot.CACHE_DIR).exists()
    assert snapshot.SNAPSHOT_FILE not in {p.name for p in backup.rglob("*")}

    restore(saved, backup)
    assert not snapshot.snapshot_path(saved.path).exists()
    assert not left_by_a_crash.exists()

    saved.save_snapshot(min_new_rows=0)
    saved.storage.rewrite_history("assessments", lambda records: records[1:])
    assert not snapshot.snapshot_path(saved.path).exists()
    assert saved.storage.snapshot_rows == 0


def test_erasing_a_person_saves_a_new_snapshot_without_them(saved, monkeypatch):
    from store.erasure import erase_person

    monkeypatch.setattr(snapshot, "WORTH_SAVING_ROWS", 1)
    erase_person(saved, EMPLOYEE_NO)
    path = snapshot.snapshot_path(saved.path)
    assert EMPLOYEE_NO.encode() not in path.read_bytes()
    reopened = FolderRepository.open(saved.path)
    assert reopened.storage.snapshot_rows == len(reopened.ds.assessments) == 1
    assert reopened.ds.assessments == read_without_snapshot(saved)


def test_a_save_racing_an_erasure_elsewhere_writes_nothing(saved):
    from store.erasure import erase_person

    def erase_meanwhile(columns, position):
        """Another process erases the person while this one encodes, then records more."""
        other = FolderRepository.open(saved.path, user="other")
        erase_person(other, EMPLOYEE_NO)
        for day in range(1, 4):
            record(other, "E2", 2, day)
        return snapshot.encode(columns, position)

    record(saved, "E2", 1, 20)  # something new to save
    assert not saved.save_snapshot(min_new_rows=0, encode=erase_meanwhile)
    reopened = FolderRepository.open(saved.path)
    assert EMPLOYEE_NO not in {row.staff for row in reopened.ds.assessments}
    path = snapshot.snapshot_path(saved.path)
    assert not path.exists() or EMPLOYEE_NO.encode() not in path.read_bytes()


def test_a_copied_database_folder_still_opens_from_its_snapshot(saved, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(saved.path, copy)  # new files, new inodes, the same bytes
    reopened = FolderRepository.open(copy)
    assert reopened.storage.snapshot_rows == 3
    assert reopened.ds.assessments == saved.ds.assessments
    record(reopened, "E2", 3, 21)  # and it reads on and appends as usual
    assert len(FolderRepository.open(copy).ds.assessments) == 4


def _by_numpy(data: bytes) -> dict[str, np.ndarray]:
    """The arrays as numpy's own reader reads the archive (which also checks each member's
    CRC-32 inside the zip)."""
    with np.load(io.BytesIO(data.partition(b"\n")[2]), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_snapshot_with_any_byte_changed_is_read_as_numpy_reads_it_or_ignored(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """The snapshot's reader (each array straight into its own memory, the data checksummed
    while read) gives what numpy's reader gives; a changed byte, with the data checksum made
    right again so that it does not tell, is either read as numpy reads it or ignored, never
    an error."""
    original = _snapshot_bytes(tmp_path_factory)
    changed = bytearray(original)
    at = data.draw(st.integers(original.index(b"\n") + 1, len(original) - 1))
    changed[at] = data.draw(st.integers(0, 255).filter(lambda b: b != original[at]))
    line, _, stored = bytes(changed).partition(b"\n")
    header = orjson.loads(line)
    header["data_crc"] = zlib.crc32(stored)
    changed = orjson.dumps(header) + b"\n" + stored
    for content in (original, changed):
        path = tmp_path_factory.mktemp("snapshot") / "s.npz"
        path.write_bytes(content)
        try:
            with open(path, "rb", buffering=0) as handle:
                read = snapshot._read_checked(handle)
        except (ValueError, KeyError, TypeError, EOFError, OSError, IndexError, AttributeError,
                zipfile.BadZipFile, NotImplementedError, tokenize.TokenError):  # fmt: skip
            assert content is changed  # what `snapshot.load` takes as an unusable snapshot
            continue
        assert read is not None
        try:
            expected = _by_numpy(content)
        except Exception:  # noqa: BLE001 - numpy refuses more (a member's own CRC-32)
            assert content is changed
            continue
        arrays = read[1]
        assert arrays.keys() <= expected.keys()
        for name, array in arrays.items():
            rows = len(expected[name])  # a column's rows, then room for a session's saves
            room = snapshot.room_for(rows) if name in snapshot._STORED else 0
            assert array.dtype == expected[name].dtype and len(array) == rows + room
            assert np.array_equal(array[:rows], expected[name])
            assert array.flags.writeable and array.flags.aligned and array.base is None


_SNAPSHOT: list[bytes] = []


def _snapshot_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small municipality's snapshot (made once)."""
    if not _SNAPSHOT:
        repo = FolderRepository.open(tmp_path_factory.mktemp("db") / "db", create=True)
        populate(repo)
        assert repo.save_snapshot(min_new_rows=0)
        _SNAPSHOT.append(snapshot.snapshot_path(repo.path).read_bytes())
    return _SNAPSHOT[0]


def test_the_history_is_read_for_its_snapshot_again_only_once_something_wrote_to_it(
    saved, monkeypatch
):
    """An open keeps that the history starts with the snapshot's bytes, with the file's stamp
    (`cache/history.checked.json`): the next opens do not read 116 MB again to compare their
    checksum while nothing has written to the file; a save or an edit in place makes them."""
    monkeypatch.setattr(snapshot, "SETTLED_NS", 0)  # (the history was written just now)
    checked = saved.path / "cache" / snapshot.CHECKED_FILE
    checked.unlink(missing_ok=True)
    reads: list[int] = []
    real = snapshot.crc_of
    monkeypatch.setattr(snapshot, "crc_of", lambda path, n: reads.append(n) or real(path, n))
    FolderRepository.open(saved.path, read_only=True)
    assert len(reads) == 1 and not checked.exists()  # a read-only open writes nothing
    assert FolderRepository.open(saved.path).storage.snapshot_rows == 3
    assert len(reads) == 2 and stat.S_IMODE(checked.stat().st_mode) == 0o600
    assert FolderRepository.open(saved.path).storage.snapshot_rows == 3
    assert FolderRepository.open(saved.path, read_only=True).storage.snapshot_rows == 3
    assert len(reads) == 2

    record(saved, EMPLOYEE_NO, 4, 20)  # appended: the snapshot's bytes read again, once
    for _ in range(2):
        reopened = FolderRepository.open(saved.path)
        assert reopened.storage.snapshot_rows == 3
        assert reopened.ds.assessments == saved.ds.assessments
    assert len(reads) == 3

    history = saved.path / "assessments.jsonl"
    data = history.read_bytes()
    with open(history, "r+b") as handle:  # same file, same size: level 1 -> 2
        handle.write(data.replace(b'"level":1', b'"level":2', 1))
    with pytest.raises(CorruptFileError, match="changed since the last save"):
        FolderRepository.open(saved.path)
    assert len(reads) == 4


def test_the_stamp_of_a_history_written_moments_ago_is_not_kept(saved, monkeypatch):
    """A write in the same tick of the file system's clock as the one before keeps the file's
    times: the stamp is kept only of a file that last changed a while ago."""
    checked = saved.path / "cache" / snapshot.CHECKED_FILE
    checked.unlink(missing_ok=True)
    FolderRepository.open(saved.path)
    assert not checked.exists()  # the history was written just now
    monkeypatch.setattr(snapshot, "SETTLED_NS", 0)
    FolderRepository.open(saved.path)
    assert checked.exists()
