"""The history's columns saved (`store.columns`), so a large database opens in a fraction of
the time.

`assessments.jsonl` stays the record of truth. Parsing it line by line is most of opening a big
database (845,000 lines at 50,000 staff: ~2.2 s). The snapshot holds the same rows as the
numpy columns the figures are computed from (each text column a list of distinct values and an
index into it), which load in milliseconds; whatever was appended after the snapshot is read
from the JSON lines as usual.

The snapshot applies to exact bytes: it records how far into the history file its rows go and a
checksum (CRC-32) of the bytes up to there, which `HistoryLog` keeps while it reads. It is used
only if the history still starts with exactly those bytes, so an erasure, a restore, an edit by
hand or a replaced file makes it be ignored (and deleted), even where a file system hands out
the same inode again. Its own data has a checksum too, and every column is checked (types,
lengths, indexes within their lists): a damaged snapshot, or one of another format, is ignored.
It can only make opening faster, never change what is read.

The file is a header line (JSON) and the columns as an `.npz` archive (numpy's format, read with
`allow_pickle=False`; the lists of values are JSON inside it), so that a database folder from
someone else cannot run code. It holds personal data like the history: owner-only, deleted
with its folder when the history is rewritten (so an erased person does not linger in it), and
not copied into backups (it is rebuilt when needed).
"""

from __future__ import annotations

import io
import os
import shutil
import time
import tokenize
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import orjson
from numpy.lib import format as npy_format

from store.columns import CODED, NUMBERS, Columns, HistoryColumns
from store.files import atomic_write, ensure_private_dir, file_signature
from store.history import CHUNK, HistoryLog, crc32, crc_of
from store.trusted import write_cache_file

FORMAT = 4
CACHE_DIR = "cache"
SNAPSHOT_FILE = "assessments.snapshot.npz"
WORTH_SAVING_ROWS = 20_000
"""Rows read from the JSON lines beyond the snapshot that make saving a new one worthwhile
(~50 ms of opening time each time the database is opened)."""

LEGACY_FILES = ("assessments.snapshot.json",)
"""Snapshots of earlier formats: deleted when a new one is written (they hold personal data)."""

_STORED = [name for name in NUMBERS if name != "rank"]  # the precedence follows from the source


@dataclass(frozen=True)
class Position:
    """How far into a history file the rows go (what `HistoryLog` remembers after reading)."""

    inode: int
    offset: int
    lines_read: int
    last_bytes: bytes
    crc: int
    """CRC-32 of the file's first `offset` bytes: the bytes the rows were read from."""

    @classmethod
    def of(cls, log: HistoryLog) -> Position | None:
        if log.inode is None or log.inode < 0:
            return None
        return cls(log.inode, log.offset, log.lines_read, log.last_bytes, log.crc)

    def resume(self, log: HistoryLog) -> None:
        """Make `log` read on from here (only once `still_holds` said so)."""
        log.inode, log.offset = self.inode, self.offset
        log.lines_read, log.last_bytes, log.crc = self.lines_read, self.last_bytes, self.crc

    def still_holds(self, path: Path, *, remember: bool = False) -> bool:
        """The file still starts with exactly the bytes the rows were read from. `remember`:
        keep that it did, with the file's stamp (`cache/history.checked.json`), so that the
        next call finds it without reading the file while nothing has written to it."""
        stamp = _stamp(path)  # (before reading: a write meanwhile changes it)
        if stamp is None or stamp[2] < self.offset or self.offset < 0:
            return False
        checked = [stamp, self.offset, self.crc]
        if _last_checked(path) == checked:
            return True
        if crc_of(path, self.offset) != self.crc:
            return False
        if remember and time.time_ns() - stamp[4] > SETTLED_NS:
            write_cache_file(_checked_path(path), orjson.dumps({"format": 1, "checked": checked}))
        return True


SETTLED_NS = 3_000_000_000
"""How long ago the history must have last changed for its stamp to be kept: a file system
stamps times by its clock's tick (milliseconds; seconds on some), so a write in the same tick
as the one before, after the stamp was taken, could leave the stamp as it was ("racy git").
Three seconds on, a write gets a later time than the last."""

CHECKED_FILE = "history.checked.json"
"""The history's stamp when its first bytes were last found to be a snapshot's: reading them
all again to compare their CRC-32 (116 MB at 50,000 staff, ~25 ms) is spared while the file's
stamp is the same. Deleted with the snapshot."""


def _stamp(path: Path) -> list[int] | None:
    """What any write to the file changes: its device, inode, size, and its times of last
    modification and of last change, to the nanosecond (the change time cannot be set back
    by a program; a copied or restored file is another inode)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _checked_path(history: Path) -> Path:
    return history.parent / CACHE_DIR / CHECKED_FILE


def _last_checked(history: Path) -> list | None:
    try:
        data = orjson.loads(_checked_path(history).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data.get("checked") if isinstance(data, dict) and data.get("format") == 1 else None


def snapshot_path(db: Path) -> Path:
    return db / CACHE_DIR / SNAPSHOT_FILE


# --------------------------------------------------------------------------- writing
def encode(columns: HistoryColumns, position: Position) -> bytes:
    """The snapshot of `columns`, which are the history up to `position`."""
    arrays = columns.arrays()
    codes = {name: list(columns.columns.codes[name]) for name in CODED}
    buffer = io.BytesIO()
    np.savez(
        buffer,
        codes=np.frombuffer(orjson.dumps(codes), np.uint8),
        order=columns.columns.sort_order(len(columns)).astype(np.int64),
        **{name: arrays[name] for name in _STORED},
    )
    data = buffer.getvalue()
    header = {
        "format": FORMAT,
        "rows": len(columns),
        "inode": position.inode,
        "offset": position.offset,
        "lines_read": position.lines_read,
        "last_bytes": position.last_bytes.hex(),
        "history_crc": position.crc,
        "data_crc": crc32(data),
    }
    return orjson.dumps(header) + b"\n" + data


def write(db: Path, data: bytes) -> None:
    """Write an encoded snapshot (owner-only, atomically)."""
    ensure_private_dir(db / CACHE_DIR)
    atomic_write(snapshot_path(db), data)
    for name in LEGACY_FILES:
        (db / CACHE_DIR / name).unlink(missing_ok=True)


def remove(db: Path) -> None:
    """Delete the snapshot and anything else in its folder (a temporary left by a crash): the
    history was rewritten, and they may hold erased data."""
    shutil.rmtree(db / CACHE_DIR, ignore_errors=True)


# --------------------------------------------------------------------------- reading
def load(
    db: Path, history: Path, *, discard_stale: bool = True, remember: bool = False
) -> tuple[Position, Columns] | None:
    """Where the rows end in `history`, and the rows as columns (`Columns.rows` makes them);
    None when there is no usable snapshot. `remember`: see `Position.still_holds`.

    A snapshot that no longer matches the history is deleted (call under the write lock),
    unless `discard_stale` is False: the caller then deletes it once it has read the history
    and found it whole (a damaged history is left with everything around it unchanged).
    """
    try:
        with open(snapshot_path(db), "rb", buffering=0) as handle:
            read = _read_checked(handle)
        if read is None:
            return None
        header, arrays = read
        position = _position(header)
        if position is None:
            return None
        if not position.still_holds(history, remember=remember):
            if discard_stale:
                remove(db)  # stale for good: the history's first bytes changed
            return None
        columns = _decode(arrays, header["rows"])
        # The same bytes in another file (a copied database folder) serve just as well.
        return replace(position, inode=file_signature(history)[0]), columns
    except (
        OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, EOFError,
        zipfile.BadZipFile, NotImplementedError, tokenize.TokenError,
    ):  # fmt: skip
        # (a zip version zipfile does not know; numpy's parser of a .npy header left open)
        return None


def _position(header: dict) -> Position | None:
    position = Position(
        int(header["inode"]),
        int(header["offset"]),
        int(header["lines_read"]),
        bytes.fromhex(header["last_bytes"]),
        int(header["history_crc"]),
    )
    rows = header["rows"]
    if type(rows) is not int or not 0 <= rows <= position.lines_read or position.offset < 0:
        return None
    if (rows > 0) != (position.offset > 0):
        return None
    if position.offset and not position.last_bytes.endswith(b"\n"):
        return None  # a snapshot always ends at the end of a line
    return position


def _decode(arrays: dict[str, np.ndarray], count: int) -> Columns:
    """The columns of the archive's arrays; ValueError (or another) when they do not add up."""
    codes = orjson.loads(arrays.pop("codes").tobytes())
    order = arrays.pop("order")
    if order.dtype != np.int64 or order.ndim != 1:
        raise ValueError("the snapshot's order is not a column of positions")
    if not isinstance(codes, dict) or not all(isinstance(codes[n], list) for n in CODED):
        raise ValueError("the snapshot's lists of values are not lists")
    # (the arrays have room after the rows: `_npy_array`; the sort `current` needs, checked)
    columns = Columns.from_arrays(codes, arrays, order, count)
    if len(columns) != count:
        raise ValueError(f"the snapshot has {len(columns)} rows, not {count}")
    seq = columns.arrays()["seq"]
    if not np.array_equal(seq, np.arange(count)):
        raise ValueError("the snapshot's rows are not numbered by their position")
    return columns


_MEMBERS = [*_STORED, "codes", "order"]


def _read_checked(handle: io.RawIOBase) -> tuple[dict, dict[str, np.ndarray]] | None:
    """The header and the arrays of the snapshot file open in `handle`; None when it is of
    another format or its data does not match its checksum; ValueError (or another) when its
    archive is not as `encode` writes it: each member stored, not compressed, a 1-dimensional
    array of numbers (anything else -- objects, a pickle, a header that does not fit its
    member -- is refused).

    The file is read once, in order, each array straight into its own (aligned, writable)
    memory while the checksum of every byte after the header line is kept: reading the whole
    file and copying each array out of it (as `np.load` did too, with a CRC-32 per member the
    header's covers) went through 39 MB of memory twice more at 50,000 staff."""
    first = handle.read(1 << 16)
    end = first.index(b"\n")
    header = orjson.loads(first[:end])
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return None
    size = os.fstat(handle.fileno()).st_size
    members = zipfile.ZipFile(handle).infolist()  # zipfile finds the archive from its end
    wanted = {f"{name}.npy": name for name in _MEMBERS}
    found = {}
    reading = _Checksummed(handle, end + 1)
    for info in sorted((m for m in members if m.filename in wanted), key=_at):
        name = wanted.pop(info.filename)
        if info.compress_type != zipfile.ZIP_STORED or info.file_size != info.compress_size:
            raise ValueError(f"the snapshot's {name} is compressed")
        reading.skip_to(info.header_offset)
        fixed = reading.read(30)
        if fixed[:4] != b"PK\x03\x04":
            raise ValueError(f"the snapshot's {name} is not where its archive says")
        reading.read(
            int.from_bytes(fixed[26:28], "little") + int.from_bytes(fixed[28:30], "little")
        )
        found[name] = _npy_array(reading, info.file_size, room=name in _STORED)
    if wanted:
        raise KeyError(f"the snapshot has no {', '.join(wanted.values())}")
    reading.skip_to(size)
    if reading.crc != header["data_crc"]:
        return None
    return header, found


def _at(info: zipfile.ZipInfo) -> int:
    return info.header_offset


class _Checksummed:
    """Reads a file on from `start`, keeping the CRC-32 of every byte read or skipped."""

    def __init__(self, handle: io.RawIOBase, start: int) -> None:
        self.handle, self.at, self.crc = handle, start, 0

    def read(self, size: int) -> bytes:
        self.handle.seek(self.at)
        data = self.handle.read(size)
        if len(data) != size:
            raise ValueError("the snapshot is cut short")
        self.at += size
        self.crc = crc32(data, self.crc)
        return data

    def read_into(self, array: np.ndarray) -> None:
        view = memoryview(array).cast("B")
        self.handle.seek(self.at)
        done = 0
        while done < len(view):
            got = self.handle.readinto(view[done:])
            if not got:
                raise ValueError("the snapshot is cut short")
            done += got
        self.at += done
        self.crc = crc32(view, self.crc)

    def skip_to(self, offset: int) -> None:
        """Read on to `offset` (ValueError if it lies behind: the members are read in order)."""
        if offset < self.at:
            raise ValueError("the snapshot's members overlap")
        while self.at < offset:
            self.read(min(offset - self.at, CHUNK))


def _npy_array(reading: _Checksummed, size: int, room: bool = False) -> np.ndarray:
    """The 1-dimensional array of numbers in the next `size` bytes of `reading` (a .npy).

    With `room`, the array is longer than the stored one (by `room_for`), its values first:
    the rows a session's saves append go there. Made on the first save instead, the arrays
    twice as long (fresh memory, a copy of every column) took ~40 ms of it at 50,000 staff."""
    start = reading.at
    preamble = reading.read(npy_format.MAGIC_LEN)
    version = npy_format.read_magic(io.BytesIO(preamble))
    if version not in ((1, 0), (2, 0)):
        raise ValueError(f"unknown .npy version {version}")
    length_bytes = reading.read(2 if version == (1, 0) else 4)
    head = io.BytesIO(
        preamble + length_bytes + reading.read(int.from_bytes(length_bytes, "little"))
    )
    npy_format.read_magic(head)
    if version == (1, 0):
        shape, fortran, dtype = npy_format.read_array_header_1_0(head)
    else:
        shape, fortran, dtype = npy_format.read_array_header_2_0(head)
    if dtype.hasobject or dtype.kind not in "iub" or len(shape) != 1 or fortran:
        raise ValueError("the snapshot holds an array that is not a column of numbers")
    if reading.at - start + shape[0] * dtype.itemsize != size:
        raise ValueError("the snapshot's array does not fill its member")
    array = np.empty(shape[0] + (room_for(shape[0]) if room else 0), dtype)
    reading.read_into(array[: shape[0]])
    return array


def room_for(rows: int) -> int:
    """Rows of room after a snapshot's `rows` (their memory is untouched until used)."""
    return 1024 + rows // 64
