"""Append-only JSON Lines logs: assessments, robot benefit logs, audit entries.

A save appends one line and fsyncs, so its cost does not grow with the history. A crash can
leave a torn last line (no newline): readers ignore it, `check` reports it, and the next writer
moves it aside to `<file>.torn` before appending, so the file stays valid and nothing is lost.

A reader remembers the last bytes it read; if they changed, the file was edited or replaced
rather than appended to, and it is read again from the start (and refused if now damaged).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import orjson

from store.errors import CorruptFileError
from store.files import append_durably, file_signature

TAIL_CHECK = 64
"""How many bytes before the read position must be unchanged for the file to count as appended."""


class HistoryLog:
    """Reads a JSON Lines file incrementally and remembers how far it has read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.lines_read = 0
        self.inode: int | None = None
        self.torn_tail = b""
        self.last_bytes = b""
        self.crc = 0
        """CRC-32 of the bytes read so far (what a snapshot of them is checked against)."""

    def reset(self) -> None:
        self.offset = 0
        self.lines_read = 0
        self.inode = None
        self.torn_tail = b""
        self.last_bytes = b""
        self.crc = 0

    def invalidate(self) -> None:
        """What was read could not be used: read the whole file again next time."""
        self.inode = -1

    def read_new(self) -> tuple[list[dict], bool]:
        """Records appended since the last call, and whether the file was rewritten meanwhile.

        When it was rewritten (an erasure) the whole file is returned and the flag is True.
        """
        try:
            return self._read_new()
        except CorruptFileError:
            self.invalidate()
            raise

    def _read_new(self) -> tuple[list[dict], bool]:
        signature = file_signature(self.path)
        if signature is None:
            rewritten = self.offset > 0
            self.reset()
            return [], rewritten
        inode, size, _ = signature
        rewritten = False
        if self.inode is not None and (
            inode != self.inode or size < self.offset or not self._unchanged_before_offset()
        ):
            self.reset()
            rewritten = True
        self.inode = inode
        if size == self.offset:
            self.torn_tail = b""
            return [], rewritten
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read(size - self.offset)
        end = chunk.rfind(b"\n") + 1
        self.torn_tail = chunk[end:]
        records = parse_lines(self.path, chunk[:end], self.lines_read)
        self._advance(chunk[:end])
        return records, rewritten

    def _unchanged_before_offset(self) -> bool:
        """The bytes just before the read position are still the ones read (appends only)."""
        if not self.last_bytes:
            return True
        with open(self.path, "rb") as handle:
            handle.seek(self.offset - len(self.last_bytes))
            return handle.read(len(self.last_bytes)) == self.last_bytes

    def _advance(self, data: bytes) -> None:
        self.offset += len(data)
        self.lines_read += data.count(b"\n")
        self.last_bytes = (self.last_bytes + data[-TAIL_CHECK:])[-TAIL_CHECK:]
        self.crc = zlib.crc32(data, self.crc)

    def appended(self, data: bytes) -> None:
        """After our own append of `data` (under the lock, after reading all before it)."""
        signature = file_signature(self.path)
        self.inode = signature[0] if signature else None
        self.offset = (signature[1] if signature else 0) - len(data)
        self._advance(data)

    def prepare_append(self) -> int:
        """Under the write lock: set a torn tail aside, and return the size to append at."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return 0
        if size == 0:
            return 0
        with open(self.path, "rb+") as handle:
            window = min(size, 65536)
            while True:
                handle.seek(size - window)
                tail = handle.read(window)
                if tail.endswith(b"\n"):
                    return size
                cut = tail.rfind(b"\n")
                if cut >= 0 or window == size:
                    break
                window = min(size, window * 4)
            start = size - window + cut + 1
            append_durably(self.torn_path, tail[cut + 1 :] + b"\n")
            handle.truncate(start)
            handle.flush()
            os.fsync(handle.fileno())
        self.torn_tail = b""
        return start

    @property
    def torn_path(self) -> Path:
        return self.path.with_name(self.path.name + ".torn")

    def read_all(self) -> list[dict]:
        """Every complete record, without touching the incremental position."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        return parse_lines(self.path, data[:end], 0)


def parse_lines(path: Path, data: bytes, first_line: int) -> list[dict]:
    """Parse complete JSON lines; a bad line names the file and the line number."""
    if not data:
        return []
    records = _parse_as_one_array(data)
    if records is not None:
        return records
    lines = [line for line in data.split(b"\n") if line.strip()]
    try:
        records = orjson.loads(b"[" + b",".join(lines) + b"]")
        if len(records) == len(lines) and all(isinstance(r, dict) for r in records):
            return records
    except orjson.JSONDecodeError:
        pass
    for number, line in enumerate(data.split(b"\n")[:-1], start=first_line + 1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise CorruptFileError(path, f"line {number} is not valid JSON: {error}") from error
        if not isinstance(record, dict):
            raise CorruptFileError(path, f"line {number} is not a JSON object")
    raise CorruptFileError(path, "unreadable JSON lines")  # pragma: no cover - both paths agree


def _parse_as_one_array(data: bytes) -> list[dict] | None:
    """The usual case in one orjson call, without splitting a million lines first.

    None when the lines need a closer look (a blank line, a line that is not one object):
    the careful path then handles or names them.
    """
    try:
        records = orjson.loads(b"[" + data.rstrip(b"\n").replace(b"\n", b",") + b"]")
    except orjson.JSONDecodeError:
        return None
    if len(records) != data.count(b"\n") or not all(type(r) is dict for r in records):
        return None
    return records


def encode_lines(records: list[dict]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)
