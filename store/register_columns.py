"""A large register table's documents as columns, a derived file in `cache/` beside the
history's snapshot, for a read that needs a few fields of every record (`store.on_demand`).

`kapabel report gaps` at 50,000 staff reads five of a person's eight fields; parsing every
person's whole document (9.6 MB of JSON, 400,000 Python objects) took ~0.07-0.09 s of the
command's ~0.6 s, where parsing the five fields it reads as lists takes ~0.02 s (issue 14).

The file is made from a table file known valid (`store.trusted`) and names that file's hash: it
serves only while the table file holds exactly those bytes, and is made again by the next such
read after a save. Each column is parsed when first asked for and checked against its CRC-32;
anything that does not add up is ignored (the table file is read instead). Deleting `cache/`
is always safe, and an erasure deletes it (`store.snapshot.remove`).

Layout: one line of JSON (format, table, hash, rows, and per part its byte range after that
line and CRC-32), then the parts: the records' keys, then each field's values as one JSON list
(the documents' values, as the table file holds them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zlib import crc32

import orjson

from store.trusted import CACHE_DIR, write_cache_file

__all__ = ["COLUMNS_FROM", "StoredColumns", "columns_path", "encode", "read"]

FORMAT = 1
COLUMNS_FROM = 1_000
"""Tables of fewer records are parsed whole: their file is small."""
KEYS = ""
"""The part holding the records' keys (no field is named so)."""


def columns_path(table_file: Path) -> Path:
    """Where the columns of a table file are kept."""
    return table_file.parent / CACHE_DIR / f"{table_file.stem}.columns"


def encode(table: str, digest: str, keys: Sequence[str], docs: Sequence[dict]) -> bytes | None:
    """The columns file of `docs`, the documents of the records `keys` of the table file whose
    hash is `digest`; None unless each has the same fields in the same order (as the store
    writes them: a file known valid always has)."""
    names = list(docs[0]) if docs else []
    shape = tuple(names)
    if not all(type(doc) is dict and tuple(doc) == shape for doc in docs):
        return None
    parts = [orjson.dumps(list(keys))]
    parts += [orjson.dumps([doc[name] for doc in docs]) for name in names]
    places, at = {}, 0
    for name, part in zip([KEYS, *names], parts, strict=True):
        places[name] = [at, at + len(part), crc32(part)]
        at += len(part)
    header = {"format": FORMAT, "table": table, "hash": digest, "rows": len(keys), "parts": places}
    return b"".join([orjson.dumps(header), b"\n", *parts])


def write(table_file: Path, data: bytes) -> None:
    """Keep `encode`'s columns for `table_file` (a failure only costs time later)."""
    write_cache_file(columns_path(table_file), data)


class StoredColumns:
    """A columns file read for one table file: each part parsed when first asked for."""

    def __init__(self, header: dict, content: bytes, start: int) -> None:
        self.rows: int = header["rows"]
        self._parts: dict[str, list] = header["parts"]
        self._content, self._start = memoryview(content), start

    def keys(self) -> list[str] | None:
        """The records' keys, in the table file's order; None when they do not add up."""
        keys = self._part(KEYS)
        if keys is None or not set(map(type, keys)) <= {str}:  # (in C)
            return None
        return keys

    def column(self, name: str) -> list | None:
        """Field `name`'s value in each document, in order; None when the file holds no such
        column or it does not add up."""
        return None if name == KEYS else self._part(name)

    def _part(self, name: str) -> list | None:
        place = self._parts.get(name)
        try:
            begin, end, check = place
            data = self._content[self._start + begin : self._start + end]
            if len(data) != end - begin or crc32(data) != check:
                return None
            values = orjson.loads(data)
        except (TypeError, ValueError):  # (no such part, a bad range, not JSON)
            return None
        if not isinstance(values, list) or len(values) != self.rows:
            return None
        return values


def read(table_file: Path, table: str, digest: str) -> StoredColumns | None:
    """The columns kept for `table_file` when they were made from the bytes whose hash is
    `digest`; None otherwise (missing, stale, damaged, another format)."""
    try:
        content = columns_path(table_file).read_bytes()
        end = content.index(b"\n")
        header = orjson.loads(content[:end])
    except (OSError, ValueError):
        return None
    if not (
        isinstance(header, dict)
        and header.get("format") == FORMAT
        and header.get("table") == table
        and header.get("hash") == digest
        and type(header.get("rows")) is int
        and isinstance(header.get("parts"), dict)
    ):
        return None
    return StoredColumns(header, content, end + 1)
