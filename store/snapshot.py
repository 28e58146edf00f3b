"""A column snapshot of the assessment history, so a large database opens in a fraction of the time.

`assessments.jsonl` stays the record of truth. Parsing it line by line is most of opening a big
database (845,000 lines at 50,000 staff: ~2.2 s). The snapshot holds the same rows as columns,
each a list of distinct values and an index into it, which loads in ~0.6 s; whatever was
appended after the snapshot is read from the JSON lines as usual.

The snapshot records where in the history file it ends (the file's inode, the byte offset, the
line count and the last bytes before the offset). `HistoryLog.read_new` checks exactly that before
reading on, so a history that was rewritten (an erasure, a restore) or replaced is read whole
again and the snapshot is ignored. A snapshot that is damaged, of another format or does not add
up is ignored too: it can only make opening faster, never change what is read.

It is JSON rather than pickle so that a database folder from someone else cannot run code. It
holds personal data like the history: owner-only, deleted when the history is rewritten (so an
erased person does not linger in it), and not copied into backups (it is rebuilt when needed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from pathlib import Path

import orjson

from store.dataset import AssessmentRow
from store.files import atomic_write, ensure_private_dir, file_signature
from store.history import HistoryLog

FORMAT = 1
CACHE_DIR = "cache"
SNAPSHOT_FILE = "assessments.snapshot.json"
WORTH_SAVING_ROWS = 20_000
"""Rows read from the JSON lines beyond the snapshot that make saving a new one worthwhile
(~50 ms of opening time each time the database is opened)."""

_COLUMNS = AssessmentRow._fields[:-1]  # `seq` is the row's position: not stored
_DATE_COLUMNS = {"date", "valid_until"}
_TYPES = {
    # what each column's values must be (checked on the few distinct values only)
    "staff": lambda v: isinstance(v, str),
    "competency": lambda v: isinstance(v, str),
    "level": lambda v: type(v) is int,
    "date": lambda v: isinstance(v, dt.date),
    "source": lambda v: isinstance(v, str),
    "assessor": lambda v: v is None or isinstance(v, str),
    "valid_until": lambda v: v is None or isinstance(v, dt.date),
    "note": lambda v: isinstance(v, str),
}


@dataclass(frozen=True)
class Position:
    """How far into a history file the rows go (what `HistoryLog` remembers after reading)."""

    inode: int
    offset: int
    lines_read: int
    last_bytes: bytes

    @classmethod
    def of(cls, log: HistoryLog) -> Position | None:
        if log.inode is None or log.inode < 0:
            return None
        return cls(log.inode, log.offset, log.lines_read, log.last_bytes)

    def resume(self, log: HistoryLog) -> None:
        """Make `log` read on from here; its own check rejects a rewritten file."""
        log.inode, log.offset = self.inode, self.offset
        log.lines_read, log.last_bytes = self.lines_read, self.last_bytes

    def still_holds(self, path: Path) -> bool:
        """The file is the one the rows came from, only (maybe) appended to since."""
        signature = file_signature(path)
        if signature is None or signature[0] != self.inode or signature[1] < self.offset:
            return False
        with open(path, "rb") as handle:
            handle.seek(self.offset - len(self.last_bytes))
            return handle.read(len(self.last_bytes)) == self.last_bytes


def snapshot_path(db: Path) -> Path:
    return db / CACHE_DIR / SNAPSHOT_FILE


# --------------------------------------------------------------------------- writing
def encode(rows: list[AssessmentRow], position: Position) -> bytes:
    """The snapshot of `rows`, which are the history up to `position`."""
    columns = {}
    for column, name in enumerate(_COLUMNS):
        values = list(map(itemgetter(column), rows))
        distinct = {value: i for i, value in enumerate(dict.fromkeys(values))}
        index = list(map(distinct.__getitem__, values))
        if name in _DATE_COLUMNS:
            listed = [None if d is None else d.isoformat() for d in distinct]
        else:
            listed = list(distinct)
        columns[name] = {"values": listed, "index": index}
    return orjson.dumps(
        {
            "format": FORMAT,
            "rows": len(rows),
            "inode": position.inode,
            "offset": position.offset,
            "lines_read": position.lines_read,
            "last_bytes": position.last_bytes.hex(),
            "columns": columns,
        }
    )


def write(db: Path, data: bytes) -> None:
    """Write an encoded snapshot (owner-only, atomically)."""
    ensure_private_dir(db / CACHE_DIR)
    atomic_write(snapshot_path(db), data)


def remove(db: Path) -> None:
    """Delete the snapshot (the history was rewritten: it may hold erased data)."""
    with contextlib.suppress(FileNotFoundError):
        snapshot_path(db).unlink()


# --------------------------------------------------------------------------- reading
def load(db: Path) -> tuple[list[AssessmentRow], Position] | None:
    """The rows and where they end; None when there is no usable snapshot."""
    try:
        data = orjson.loads(snapshot_path(db).read_bytes())
        return _decode(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _decode(data: dict) -> tuple[list[AssessmentRow], Position] | None:
    if data.get("format") != FORMAT:
        return None
    count = data["rows"]
    position = Position(
        int(data["inode"]),
        int(data["offset"]),
        int(data["lines_read"]),
        bytes.fromhex(data["last_bytes"]),
    )
    if position.offset and not position.last_bytes.endswith(b"\n"):
        return None  # a snapshot always ends at the end of a line
    columns = []
    for name in _COLUMNS:
        stored = data["columns"][name] if count else {"values": [], "index": []}
        values = stored["values"]
        if name in _DATE_COLUMNS:
            values = [None if v is None else dt.date.fromisoformat(v) for v in values]
        if not all(_TYPES[name](v) for v in values):
            return None
        index = stored["index"]
        if len(index) != count:
            return None
        columns.append(list(map(values.__getitem__, index)))  # IndexError: damaged
    columns.append(range(count))  # seq: each row's position in the history
    make_row = partial(tuple.__new__, AssessmentRow)  # all in C: a third faster than a loop
    rows = list(map(make_row, zip(*columns, strict=False)))  # lengths checked above
    return rows, position
