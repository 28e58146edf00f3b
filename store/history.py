"""Append-only JSON Lines logs: assessments, robot benefit logs, audit entries.

A save appends lines and fsyncs, so its cost does not grow with the history. Each save also
records, in `meta.json` and in the same journaled commit, how long the file now is and a CRC-32
of its content (`committed`). What lies within that length is the history; bytes past it were
never committed (a torn line, or whole lines of a save that failed): readers ignore them,
`check` reports them, and the next writer moves them aside to `<file>.torn` before appending.
A file shorter than recorded, missing, or whose recorded bytes no longer match their checksum
has lost saved records: it is refused, never written over. The checksum costs no extra pass:
it is the running CRC-32 the reader keeps anyway (also what the history snapshot is checked
against). A database written before lengths were recorded (schema 1) has them recorded when
it is opened (store.folder.migrations); until then, as in a read-only copy, every complete line is read.

A reader remembers the last bytes it read; if they changed, the file was edited or replaced
rather than appended to, and it is read again from the start (and refused if now damaged).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, TypeAdapter, ValidationError

from i18n import N_, _, format_integer
from store.errors import CorruptFileError, format_pydantic_error
from store.files import append_durably, file_signature

TAIL_CHECK = 64
"""How many bytes before the read position must be unchanged for the file to count as appended."""
CHUNK = 1 << 22
"""Read size when only the checksum of committed bytes is needed (the audit log at open)."""

# zlib's CRC-32 (the same values, `tests/store/test_history_crc.py`) from zlib-ng: ~4 times
# faster than the standard library's zlib 1.2 on the history's 116 MB at 50,000 staff (~27 ->
# ~6 ms), checked against the snapshot at every open and read through at a first one.
try:
    from zlib_ng.zlib_ng import crc32
except ImportError:  # an environment installed before the dependency was: slower, same values
    from zlib import crc32

Committed = tuple[int, int]
"""(length, CRC-32 of those bytes) of a history file, as the last save left it."""
Convert = Callable[[list[dict], int, bool], Any]
"""What a reader makes of new records: (records, number of the first, rewritten) -> result."""
Parse = Callable[[Path, bytes, int], Any]
"""How a reader parses whole lines: (file, bytes, number of lines before them) -> what its
`convert` is given (`parse_lines` by default)."""


def crc_of(path: Path, length: int) -> int:
    """CRC-32 of the first `length` bytes of `path` (fewer if it is shorter).

    Read, not mapped: mapping saved ~10 ms on 116 MB, but a file cut short by another program
    while mapped ends the process (SIGBUS) where a read just comes back short. Read into one
    buffer: a new 4 MB `bytes` per read was a fresh mapping of memory to fault in each time."""
    crc, left = 0, length
    buffer = memoryview(bytearray(min(max(length, 0), CHUNK)))
    with open(path, "rb", buffering=0) as handle:
        while left > 0:
            got = handle.readinto(buffer[: min(left, CHUNK)])
            if not got:
                break
            crc = crc32(buffer[:got], crc)
            left -= got
    return crc


class HistoryLog:
    """Reads a JSON Lines file incrementally and remembers how far it has read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.committed: Committed | None = None
        """What the last save recorded; None for a database from before lengths were recorded."""
        self.reset()

    def reset(self) -> None:
        self.offset = 0
        self.lines_read = 0
        self.inode: int | None = None
        self.past_end = 0
        """Bytes after the history (not committed): a torn line, or a failed save's lines."""
        self.last_bytes = b""
        self.crc = 0
        """CRC-32 of the bytes read so far (what a snapshot of them is checked against)."""
        self.verified = False
        """The committed bytes were read and matched their checksum."""
        self.read_whole = False
        """The last read reached the end of the history (so `offset` and `crc` describe it)."""

    def expect(self, committed: Committed | None) -> None:
        """Take what `meta.json` now records for this file (checked as the file is read)."""
        if committed != self.committed:
            self.committed = committed
            self.verified = False

    def invalidate(self) -> None:
        """What was read could not be used: read the whole file again next time."""
        self.inode = -1
        self.read_whole = False

    def read_new(
        self,
        convert: Convert | None = None,
        *,
        parse_committed: bool = True,
        parse: Parse | None = None,
    ) -> tuple[Any, bool]:
        """Records appended since the last call, and whether the file was rewritten meanwhile.

        When it was rewritten (an erasure) the whole file is returned and the flag is True.
        `convert` (records, first record number, rewritten) validates and converts the records
        before they count as read; its result is returned instead of the records. Without
        `parse_committed`, committed bytes are only checked against their checksum, not parsed
        (the audit log: what the last save recorded is what Kapabel wrote). `parse` replaces
        `parse_lines` (it is given the lines read; `convert` what it returns).
        A loss of committed bytes raises CorruptFileError (after any more specific problem
        that parsing or `convert` finds).
        """
        try:
            result = self._read_new(convert, parse_committed, parse or parse_lines)
        except CorruptFileError:
            self.invalidate()
            raise
        self.read_whole = True
        return result

    def _read_new(
        self, convert: Convert | None, parse_committed: bool, parse: Parse
    ) -> tuple[Any, bool]:
        signature = file_signature(self.path)
        rewritten = False
        if signature is None:
            rewritten = self.offset > 0
            self.reset()
            self.check_length(None)
            return self._converted([], convert, rewritten), rewritten
        inode, size, _ = signature
        committed = self.committed
        if self.inode is not None and (
            inode != self.inode
            or size < self.offset
            or (committed is not None and committed[0] < self.offset)
            or not self._unchanged_before_offset()
        ):
            self.reset()
            rewritten = True
        self.inode = inode
        if committed is None:
            return self._read_lines(size, convert, rewritten, parse), rewritten
        self.past_end = max(0, size - committed[0])
        stop = min(size, committed[0])
        if not parse_committed:
            self._stream_to(stop)
            self._check_committed(size, self.crc)
            return self._converted([], convert, rewritten), rewritten
        chunk = self._read_to(stop)
        end = chunk.rfind(b"\n") + 1
        crc = crc32(chunk, self.crc)
        records = parse(self.path, chunk[:end], self.lines_read)
        result = self._converted(records, convert, rewritten)
        self._check_committed(size, crc)  # after parsing: a bad line is the more precise message
        if end < len(chunk):
            raise CorruptFileError(self.path, N_("the last save ends inside a line"))
        self._advance(chunk, crc)
        return result, rewritten

    def _read_lines(self, size: int, convert: Convert | None, rewritten: bool, parse: Parse) -> Any:
        """Every complete line from the read position (no length recorded to go by)."""
        chunk = self._read_to(size)
        end = chunk.rfind(b"\n") + 1
        self.past_end = len(chunk) - end
        data = chunk[:end]
        result = self._converted(parse(self.path, data, self.lines_read), convert, rewritten)
        self._advance(data, crc32(data, self.crc))
        return result

    def _read_to(self, stop: int) -> bytes:
        if stop <= self.offset:
            return b""
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            return handle.read(stop - self.offset)

    def _converted(self, records: list[dict], convert: Convert | None, rewritten: bool) -> Any:
        return records if convert is None else convert(records, self.lines_read, rewritten)

    def _check_committed(self, size: int, crc: int) -> None:
        """Refuse a file that lost or changed what the last save recorded (`crc`: the CRC-32 of
        its bytes up to the recorded length, or up to its end when shorter)."""
        self.check_length(size)
        if self.committed is None or self.verified:
            return
        length, expected = self.committed
        if crc != expected:
            raise CorruptFileError(
                self.path,
                _(
                    "changed since the last save: its first {length} bytes no longer match "
                    "their checksum, so saved records were altered or lost"
                ).format(length=format_integer(length)),
            )
        self.verified = True

    def check_length(self, size: int | None) -> None:
        """Refuse a file shorter than the last save left it (None: missing): records were lost."""
        if self.committed is None or self.committed[0] == 0:
            return
        length = self.committed[0]
        if size is None:
            raise CorruptFileError(
                self.path,
                _("missing, but the last save left it {length} bytes long").format(
                    length=format_integer(length)
                ),
            )
        if size < length:
            raise CorruptFileError(
                self.path,
                _(
                    "shorter than the last save left it ({size} of {length} bytes): saved "
                    "records are missing"
                ).format(size=format_integer(size), length=format_integer(length)),
            )

    def _stream_to(self, stop: int) -> None:
        """Read on to `stop` in chunks, keeping only the position and the checksum."""
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            while self.offset < stop:
                chunk = handle.read(min(stop - self.offset, CHUNK))
                if not chunk:
                    break  # shorter than its size said: the checksum tells
                self._advance(chunk, crc32(chunk, self.crc))

    def _unchanged_before_offset(self) -> bool:
        """The bytes just before the read position are still the ones read (appends only)."""
        if not self.last_bytes:
            return True
        with open(self.path, "rb") as handle:
            handle.seek(self.offset - len(self.last_bytes))
            return handle.read(len(self.last_bytes)) == self.last_bytes

    def _advance(self, data: bytes, crc: int) -> None:
        self.offset += len(data)
        self.lines_read += data.count(b"\n")
        self.last_bytes = (self.last_bytes + data[-TAIL_CHECK:])[-TAIL_CHECK:]
        self.crc = crc

    def after_append(self, data: bytes) -> Committed:
        """What to record once `data` is appended at the end of what was read (all of it)."""
        return self.offset + len(data), crc32(data, self.crc)

    def appended(self, data: bytes) -> None:
        """After our own append of `data` (under the lock, after reading all before it)."""
        committed = self.after_append(data)
        signature = file_signature(self.path)
        self.inode = signature[0] if signature else None
        self._advance(data, committed[1])
        self.committed, self.verified, self.past_end = committed, True, 0

    def prepare_append(self) -> int:
        """Under the write lock: set bytes past the history aside, and return where to append."""
        signature = file_signature(self.path)
        size = signature[1] if signature else 0
        if self.committed is not None:
            self.check_length(size if signature else None)
            start = self.committed[0]
        else:
            start = self._end_of_last_line(size)
        if size > start:
            self._set_aside(start, size)
        self.past_end = 0
        return start

    def _end_of_last_line(self, size: int) -> int:
        """Where the last complete line ends (no record of the committed length to go by)."""
        if size == 0:
            return 0
        with open(self.path, "rb") as handle:
            window = min(size, 65536)
            while True:
                handle.seek(size - window)
                tail = handle.read(window)
                cut = tail.rfind(b"\n")
                if cut == len(tail) - 1:
                    return size
                if cut >= 0 or window == size:
                    return size - window + cut + 1
                window = min(size, window * 4)

    def _set_aside(self, start: int, size: int) -> None:
        """Move bytes `start`..`size` to `<file>.torn` (kept to look at), then cut them off."""
        with open(self.path, "rb+") as handle:
            handle.seek(start)
            tail = handle.read(size - start)
            append_durably(self.torn_path, tail if tail.endswith(b"\n") else tail + b"\n")
            handle.truncate(start)
            handle.flush()
            os.fsync(handle.fileno())

    def read_past_end(self) -> bytes:
        """The bytes after the history as last read (a torn line, a failed save's lines)."""
        if not self.past_end:
            return b""
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            return handle.read(self.past_end)

    @property
    def torn_path(self) -> Path:
        return self.path.with_name(self.path.name + ".torn")

    def read_all(self) -> list[dict]:
        """Every record of the history, without touching the incremental position."""
        try:
            with open(self.path, "rb") as handle:
                data = handle.read() if self.committed is None else handle.read(self.committed[0])
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
            raise CorruptFileError(
                path,
                _("line {number} is not valid JSON: {reason}").format(number=number, reason=error),
            ) from error
        if not isinstance(record, dict):
            raise CorruptFileError(
                path, _("line {number} is not a JSON object").format(number=number)
            )
    raise CorruptFileError(path, N_("unreadable JSON lines"))  # pragma: no cover - both paths agree


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


@cache
def records_of(model: type[BaseModel]) -> TypeAdapter:
    """Validates a list of `model` records in one call."""
    return TypeAdapter(list[model])


def invalid_record(
    records: list[dict], model: type[BaseModel], first: int, noun: str
) -> str | None:
    """'record N is not <noun>: field: problem' for the first record that is not a `model`."""
    if not records:
        return None  # (no validator made for nothing: an open that needs none makes none)
    try:
        records_of(model).validate_python(records)
        return None
    except ValidationError:
        pass
    for number, record in enumerate(records, start=first + 1):
        try:
            model.model_validate(record)
        except ValidationError as error:
            return _("record {number} is not {noun}: {problems}").format(
                number=number, noun=_(noun), problems="; ".join(format_pydantic_error(error))
            )
    return None  # pragma: no cover - the list failed, so one record does


def encode_lines(records: list[dict]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)
