"""A whole history's JSON lines read into columns by pyarrow's JSON reader, which parses
blocks of lines on every core without the GIL and gives each field as one array (issue 14: a
first start, with no snapshot, took ~1.2 s CPU for the 116 MB of 50,000 staff with orjson and a
pass in Python per field; this ~0.8 s CPU, ~0.5 s on two cores, its import included).

Imported only for that (`store.folder.reading`): never on a start with the snapshot. It reads
lines exactly as the store writes them and steps aside (None) for anything else, however
slight: `Columns.from_lines`, then the careful way (`parse_lines`, `rows_from_records`), read
those as before and name a bad line. `tests/store/test_json_columns_property.py` holds it to them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from store.columns import CODED, DTYPES, NEVER, Columns
from store.dataset import parse_iso_date

TEXTS = ("staff", "competency", "date", "source", "assessor", "valid_until", "note")
"""The fields that are text, each read as an index into its distinct values."""
MAY_BE_NULL = ("assessor", "valid_until")
"""Fields whose null means None (as a missing one does): any other null or missing field is
the careful way's to read (a missing source means "self" there)."""

_SCHEMA = pa.schema([(name, pa.string()) for name in TEXTS] + [("level", pa.int64())])
_PARSE = pj.ParseOptions(explicit_schema=_SCHEMA, unexpected_field_behavior="error")
_READ = pj.ReadOptions(block_size=1 << 22)
"""4 MB blocks: 28 for 116 MB, enough to keep two cores busy (2 to 16 MB: no faster)."""
_POOL = pa.system_memory_pool()
"""The C library's allocator, not pyarrow's default (mimalloc): with mimalloc the read spent
~0.34 s in the system (fresh pages) against ~0.08 s, the same user time (116 MB, 50,000 staff,
fresh processes in turn: docs/performance.md)."""
_LEVELS = np.iinfo(DTYPES["level"])
_FIRST, _LAST = b'{"staff":"', b'"}\n'


def read_columns(data: bytes, block_size: int | None = None) -> Columns | None:
    """The columns `Columns.from_lines(data)` gives, when every line is one JSON object of
    the store's fields with values of their kinds and nothing else; else None. `block_size`:
    bytes parsed at a time (default 4 MB)."""
    # The store writes the staff first and the note (text) last: every line, one record as
    # the reader gives it (it skips a blank line and gives two rows for two objects on one).
    if not (data.startswith(_FIRST) and data.endswith(_LAST)):
        return None
    records = data.count(_LAST + _FIRST) + 1  # ~0.04 s for 116 MB (b"\n{": ~0.1 s)
    try:
        read = pj.ReadOptions(block_size=block_size) if block_size else _READ
        table = pj.read_json(
            pa.BufferReader(data), read_options=read, parse_options=_PARSE, memory_pool=_POOL
        )
        if table.num_rows != records:
            return None
        return _columns(table)
    except (pa.ArrowException, UnicodeDecodeError, ValueError):
        return None  # not JSON, a field of another kind or twice, bad UTF-8, a bad date


def _columns(table: pa.Table) -> Columns | None:
    arrays: dict[str, np.ndarray] = {}
    codes: dict[str, list] = {}
    for name in TEXTS:
        column = table.column(name)
        if column.null_count and name not in MAY_BE_NULL:
            return None
        # one dictionary for all blocks, in the order first seen (a null is a value too)
        coded = pc.dictionary_encode(column, null_encoding="encode", memory_pool=_POOL)
        values = coded.chunk(coded.num_chunks - 1).dictionary.to_pylist()
        indexes = np.concatenate([np.asarray(chunk.indices) for chunk in coded.chunks])
        if name in CODED:
            arrays[name], codes[name] = indexes.astype(DTYPES[name], copy=False), values
        else:  # a date: each distinct text parsed once (ValueError for one that is no date)
            days = [NEVER if v is None else parse_iso_date(v).toordinal() for v in values]
            arrays[name] = np.array(days, DTYPES[name])[indexes]
    levels = table.column("level")
    if levels.null_count:
        return None
    level = np.asarray(levels.combine_chunks(memory_pool=_POOL))
    if len(level) and (level.min() < _LEVELS.min or level.max() > _LEVELS.max):
        return None
    arrays["level"] = level.astype(DTYPES["level"])
    arrays["seq"] = np.arange(len(level), dtype=DTYPES["seq"])
    return Columns.from_arrays(codes, arrays)
