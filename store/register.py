"""The register: one TinyDB file per table, on a storage that writes with orjson atomically.

A save rewrites only the file of the table it changes (docs/performance.md: TinyDB rewrites a whole
file on every write), so recording a change to one person does not rewrite the departments.
Changes made in one transaction are applied with one TinyDB call per kind (insert, update,
remove) and written once, when the transaction commits.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from pathlib import Path
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from i18n import N_, _
from store import register_columns
from store.errors import CorruptFileError, StoreError, os_reason
from store.files import Pin, file_signature, open_pinned, read_fd
from store.gcpause import collector_paused
from store.models import Entity
from store.on_demand import RecordsOnDemand
from store.problems import from_pydantic, render_line
from store.register_columns import StoredColumns
from store.trusted import (
    TrustRecord,
    constructor,
    content_hash,
    field_converters,
    keys_of_documents,
)


def read_json_object(path: Path) -> dict | None:
    """A JSON object from `path`; None when the file does not exist; CorruptFileError otherwise."""
    raw = read_raw(path)
    return None if raw is None else parse_json_object(path, raw)


def read_raw(path: Path) -> bytes | None:
    """The bytes of `path`; None when it does not exist; CorruptFileError when unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CorruptFileError(
            path, _("cannot be read: {reason}").format(reason=os_reason(error))
        ) from error


def parse_json_object(path: Path, raw: bytes) -> dict:
    """The JSON object in `raw` (read from `path`), or CorruptFileError saying what is wrong."""
    if not raw.strip():
        raise CorruptFileError(path, N_("the file is empty (truncated?)"))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise CorruptFileError(path, _("not valid JSON: {reason}").format(reason=error)) from error
    if not isinstance(data, dict):
        raise CorruptFileError(path, N_("not a TinyDB file: the top level is not an object"))
    return data


def read_pinned(path: Path, pin: Pin) -> tuple[dict | None, tuple[int, int, int] | None]:
    """Like `read_json_object`, also pinning the version read; (data, its signature)."""
    data, signature, _raw = read_pinned_bytes(path, pin)
    return data, signature


def read_pinned_bytes(
    path: Path, pin: Pin, parse: Callable[[Path, bytes], Any] = parse_json_object
) -> tuple[Any, tuple[int, int, int] | None, bytes | None]:
    """`read_pinned`, with the bytes the data was parsed from (by `parse`, which raises
    CorruptFileError for bytes it refuses)."""
    try:
        opened = open_pinned(path)
    except OSError as error:
        raise CorruptFileError(
            path, _("cannot be read: {reason}").format(reason=os_reason(error))
        ) from error
    if opened is None:
        return None, None, None
    fd, signature = opened
    try:
        raw = read_fd(fd)
        data = parse(path, raw)
    except OSError as error:
        os.close(fd)
        raise CorruptFileError(
            path, _("cannot be read: {reason}").format(reason=os_reason(error))
        ) from error
    except CorruptFileError:
        os.close(fd)
        raise
    pin.hold(fd)
    return data, signature, raw


class HeldStorage(Storage):
    """TinyDB storage that keeps the data in memory; the repository decides when to write.

    `read` is served from memory after the first load, so TinyDB's read-before-write costs
    nothing; `write` only updates memory and marks the table dirty. The repository serialises
    dirty tables (`dump`) and commits them atomically, several files at once when needed.
    """

    def __init__(
        self, path: str | Path, initial: dict | None = None, *, content: bytes | None = None
    ) -> None:  # (`content`: the data is parsed from these bytes when first needed)
        self.path = Path(path)
        self._data: dict = initial if initial is not None else {}
        self._content = content
        """The file's bytes, when `data` is parsed from them only once it is needed (a table
        validated straight from its bytes: a save or a query needs the documents, an open not)."""
        self._parsing = threading.Lock()
        self.dirty = False

    @property
    def data(self) -> dict:
        if self._content is not None:
            with self._parsing:
                if self._content is not None:
                    self._data, self._content = orjson.loads(self._content), None
        return self._data

    @data.setter
    def data(self, data: dict) -> None:
        self._data, self._content = data, None

    def read(self) -> dict:
        return self.data

    def write(self, data: dict) -> None:
        self.data = data
        self.dirty = True

    def dump(self) -> bytes:
        return orjson.dumps(self.data)

    def close(self) -> None:
        pass


STALE = (-1, -1, -1)
"""A signature no file has: forces a reload."""


class RegisterTable:
    """One entity table: its TinyDB file, the key -> doc_id index and the validated models."""

    def __init__(self, model: type[Entity], path: Path, trust: TrustRecord | None = None) -> None:
        self.model = model
        self.name = model.table
        self.path = path
        self.trust = trust
        """The hashes of table files known valid (`store.trusted`); None: validate every load."""
        self.known_valid: str | None = None
        """The hash of the bytes last loaded or written, once known valid (for `trust`)."""
        self.signature: tuple[int, int, int] | None = None
        self.pin = Pin()
        self.storage = HeldStorage(path)
        self.db = TinyDB(storage=lambda: self.storage)
        self._doc_ids: dict[str, int] | Callable[[], dict[str, int]] = {}
        self._columns_to_keep: tuple[str, list[str], list[dict]] | None = None

    @property
    def doc_ids(self) -> dict[str, int]:
        """Key -> TinyDB document id; after a load without validation, worked out when a save
        first needs it (~15 ms of opening 50,000 staff)."""
        if callable(self._doc_ids):
            self._doc_ids = self._doc_ids()
        return self._doc_ids

    @property
    def table(self):
        return self.db.table(self.name)

    def load(self, *, on_demand: bool = False) -> Mapping[str, Entity]:
        """Read the file and validate it (unless its bytes are known valid: `store.trusted`);
        raise CorruptFileError (never touching the file) if bad. `on_demand`: the records of a
        file known valid are built when first asked for, and its fields read from the columns
        kept of it where there are (`store.on_demand`: for one read; the table cannot be
        saved)."""
        self._columns_to_keep = None  # only the bytes this load reads (those read before may
        # hold what an erasure since removed: the erasure's reload keeps the table's columns)
        parsed, signature, content = read_pinned_bytes(self.path, self.pin, self._parse)
        data, digest = ({}, None) if parsed is None else parsed
        records = None
        if isinstance(data, StoredColumns):  # known valid, its columns kept
            kept = data
            records = self._on_demand_from(kept, content) if on_demand else self._built_from(kept)
            data = None if records is not None else parse_json_object(self.path, content)
        if records is None:
            records, data, digest = self._records_of(data, content, digest, on_demand)
        self.known_valid = digest
        self.storage = HeldStorage(self.path, data, content=None if data is not None else content)
        self.db = TinyDB(storage=lambda: self.storage)
        self.signature = signature
        return records

    def _records_of(
        self, data: dict | None, content: bytes | None, digest: str | None, on_demand: bool
    ) -> tuple[Mapping[str, Entity], dict | None, str | None]:
        """(the records, the file's data, the hash it is known valid by) of a file's `data`
        (None: not known valid) or else its `content`."""
        records = None
        if data is not None:  # known valid (or no file: no records)
            raw = _table_in(self.path, self.name, data)
            records = self._on_demand(raw, digest) if on_demand else None
            records = records if records is not None else self._construct(raw)
        else:
            raw = _TableFile(self.path, self.name, content)
        if records is None:
            records = self._validate(raw)
            if isinstance(raw, _TableFile):
                data = raw.data  # None: validated straight from the bytes, as the store wrote them
                raw = raw.documents
            if raw is not None and not _as_written(self.model, raw, records):
                digest = None  # trusted, it would be read as it is, not as validation reads it
        return records, data, digest

    def _parse(self, path: Path, content: bytes) -> tuple[Any, str]:
        """(the file's data, the hash of its bytes); the data only when the bytes are known
        valid (others are validated, straight from their bytes where they can be), and then
        the columns kept of them (unparsed) where there are."""
        digest = content_hash(content)
        if self.trust is not None and self.trust.holds(self.name, digest):
            kept = register_columns.read(path, self.name, digest)
            return (parse_json_object(path, content) if kept is None else kept), digest
        return None, digest

    def _construct(self, raw: Mapping[str, dict]) -> dict[str, Entity] | None:
        """The records of a file the store wrote, built without validation; None when they are
        not as the store writes them (then they are validated). (Its columns are kept only by
        an open for one read, `_on_demand`: encoding and writing them cost ~0.15 s at 50,000
        staff, which the app's first start after a change would wait for.)"""
        build = _constructors[self.model]
        if build is None:
            return None
        try:
            # Pays little since the history is columns: the open at 50,000 staff, which pauses
            # around this too, is 0.73 s CPU paused against 0.77 s running (`benchmarks/
            # bench_collector.py --only open`); kept for a table reloaded on its own.
            with collector_paused():
                keys = _keys[self.model](raw.values())  # before `build` converts the documents
                records = dict(zip(keys, map(build, raw.values()), strict=True))
        except (KeyError, ValueError, TypeError, AttributeError):
            return None
        if len(records) != len(raw):
            return None  # a key twice: validation names it
        ids = list(raw)  # numbers, as the store writes them (validation checks a file's)
        self._doc_ids = lambda: dict(zip(keys, map(int, ids), strict=True))
        return records

    def _on_demand(self, raw: Mapping[str, dict], digest: str) -> RecordsOnDemand | None:
        """The records of a file the store wrote, to be built when first asked for; None when
        they cannot be (then they are built now). A large table's columns are kept for the
        next such read (`keep_columns`)."""
        docs = list(raw.values())
        try:
            keys = _keys[self.model](docs)
        except (KeyError, TypeError):
            return None
        records = self._records_on_demand(keys, lambda: docs, lambda: self._validate(raw))
        if records is not None and len(docs) >= register_columns.COLUMNS_FROM:
            self._columns_to_keep = (digest, keys, docs)
        return records

    def _built_from(self, kept: StoredColumns) -> dict[str, Entity] | None:
        """The records of a file the store wrote whose columns are `kept`, built from them (the
        file's documents are parsed only if a save needs them: `HeldStorage`); None when the
        columns do not serve."""
        build, keys = _constructors[self.model], kept.keys()
        names = list(self.model.model_fields)
        columns = [kept.column(name) for name in names]
        if build is None or keys is None or any(column is None for column in columns):
            return None
        try:
            with collector_paused():
                docs = map(dict, map(zip, repeat(names), zip(*columns, strict=True)))
                records = dict(zip(keys, map(build, docs), strict=True))
        except (KeyError, ValueError, TypeError, AttributeError):
            return None
        if len(records) != len(keys):
            return None
        self._doc_ids = lambda: self._file_doc_ids(keys, records)
        return records

    def _file_doc_ids(self, keys: list[str], records: dict[str, Entity]) -> dict[str, int]:
        """The document ids of records built from kept columns, from the file's documents
        (parsed now, before a save changes them). Records that adopt their documents take the
        place of those parsed: one copy of each in memory, as after an open that parsed the
        file (the parsed ones kept ~48 MB more at 50,000 staff)."""
        raw = _table_in(self.path, self.name, self.storage.data)
        doc_ids = dict(zip(keys, map(int, raw), strict=True))
        if _adopting[self.model]:  # (their documents: what the file holds, orjson writes so)
            raw.update(zip(list(raw), map(vars, records.values()), strict=True))
        return doc_ids

    def _on_demand_from(self, kept: StoredColumns, content: bytes) -> RecordsOnDemand | None:
        """The records of a file the store wrote whose columns are `kept`, to be built (from
        its `content`) when first asked for; None when the columns do not serve."""
        keys = kept.keys()
        if keys is None:
            return None
        table_file = _TableFile(self.path, self.name, content)
        return self._records_on_demand(
            keys,
            lambda: list(table_file.values()),
            lambda: self._validate(_TableFile(self.path, self.name, content)),
            kept,
        )

    def _records_on_demand(
        self,
        keys: list[str],
        documents: Callable[[], list[dict]],
        validate: Callable[[], dict[str, Entity]],
        columns: StoredColumns | None = None,
    ) -> RecordsOnDemand | None:
        """`RecordsOnDemand` of this table's model; None when its records cannot be built
        without validation, or a key is there twice (validation names it)."""
        build, converts = _constructors[self.model], _converters[self.model]
        if build is None or converts is None or len(set(keys)) != len(keys):
            return None
        return RecordsOnDemand(keys, documents, build, converts, validate, columns)

    def keep_columns(self) -> None:
        """Keep the columns of the large table last read from its documents
        (`store.register_columns`). (Records built since may have converted the documents in
        place: dates and enumeration members, which orjson writes as the text they were.)"""
        pending, self._columns_to_keep = self._columns_to_keep, None
        if pending is not None:
            data = register_columns.encode(self.name, *pending)
            if data is not None:
                register_columns.write(self.path, data)

    def _validate(self, raw: Mapping[str, dict]) -> dict[str, Entity]:
        """The records of the documents `raw` (document id -> document), validated. A table
        file's (`_TableFile`) exactly as the store writes them are validated straight from the
        file's bytes, never parsed into documents."""
        if isinstance(raw, _TableFile):
            by_id = _validated_as_written(self.model, self.name, raw.content)
            keyed = None if by_id is None else _keyed(self.model, list(by_id), list(by_id.values()))
            if keyed is not None:
                records, self._doc_ids = keyed
                return records
        doc_ids = list(raw.keys())
        docs = list(raw.values())
        try:
            models = validate_documents(self.model, docs)
        except InvalidDocument as error:
            raise CorruptFileError(
                self.path,
                _("record {key} fails validation: {problem}").format(
                    key=error.key, problem=error.detail
                ),
            ) from error
        keyed = _keyed(self.model, doc_ids, models)
        records, self._doc_ids = keyed or _indexed_one_by_one(self.path, self.name, doc_ids, models)
        return records

    def changed_on_disk(self) -> bool:
        return file_signature(self.path) != self.signature

    def mark_written(self, digest: str) -> None:
        """After we wrote the file (from `apply`'s validated records; `digest`: the hash of its
        bytes, `store.trusted.content_hash`): remember (and pin) the version now on disk."""
        self.signature = self.pin.hold_current(self.path)
        self.known_valid = digest

    def mark_stale(self) -> None:
        """Memory may hold changes that never reached the disk: reload on the next refresh."""
        self.signature = STALE
        self.known_valid = None

    def apply(
        self,
        upserts: Mapping[str, Entity],
        deletes: Iterable[str],
    ) -> None:
        """Apply a transaction's changes to the held TinyDB data in memory.

        Works on TinyDB's raw table (string doc ids, the file's own layout) rather than through
        `Table.update`/`insert_multiple`, which convert every doc id of the table to int and back
        on each call: 0.1 s per save at 50,000 staff (docs/performance.md). The file written is the
        same; new doc ids follow TinyDB's rule (highest id + 1).
        """
        docs = {key: model.model_dump(mode="json") for key, model in upserts.items()}
        try:
            validate_documents(self.model, list(docs.values()))  # what is written reads back
        except InvalidDocument as error:  # a model changed without validation: a bug
            refused = f"{self.name}: record {error.key} would not read back: {error.detail}"  # i18n: not shown
            raise StoreError(refused) from error
        raw = self.storage.data.setdefault(self.name, {})
        for key in deletes:
            doc_id = self.doc_ids.pop(key, None)
            if doc_id is not None:
                raw.pop(str(doc_id), None)
        next_id = 0
        for key, doc in docs.items():
            doc_id = self.doc_ids.get(key)
            if doc_id is None:
                next_id = next_id or max(self.doc_ids.values(), default=0) + 1
                doc_id = self.doc_ids[key] = next_id
                next_id += 1
            raw[str(doc_id)] = doc
        self.storage.dirty = True
        self.db = TinyDB(storage=lambda: self.storage)  # drop TinyDB's cached ids and queries


def _table_in(path: Path, name: str, data: dict) -> dict:
    """The documents of table `name` in a file's `data`; CorruptFileError if not an object."""
    raw = data.get(name, {})
    if not isinstance(raw, dict):
        raise CorruptFileError(path, _("table {name!r} is not an object").format(name=name))
    return raw


class _TableFile(Mapping):
    """The documents of a table file not known valid, parsed from its bytes only when first
    looked at (`RegisterTable._validate` validates a file exactly as the store writes it
    straight from its bytes); a file that is not JSON, or whose table is not an object, is
    refused as it is looked at, as when it was parsed first."""

    def __init__(self, path: Path, name: str, content: bytes) -> None:
        self.path, self.name, self.content = path, name, content
        self.data: dict | None = None
        """The file's data, once parsed."""
        self.documents: dict | None = None

    def _parsed(self) -> dict:
        if self.documents is None:
            self.data = parse_json_object(self.path, self.content)
            self.documents = _table_in(self.path, self.name, self.data)
        return self.documents

    def __getitem__(self, doc_id: str) -> dict:
        return self._parsed()[doc_id]

    def __iter__(self):
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def keys(self):
        return self._parsed().keys()

    def values(self):
        return self._parsed().values()


def _as_written(model: type[Entity], raw: dict[str, dict], records: Mapping[str, Entity]) -> bool:
    """Whether the documents are exactly what the store writes of the records validation made
    of them; if not (spaces around a code typed by hand, which validation strips; a field an
    older Kapabel did not write) they are replaced by those in memory, so that the table is
    written as the store writes it when it is next saved.

    pydantic's own JSON of the records is compared first: bytes equal to orjson's of the
    documents mean the documents are what the store writes (0.04 s CPU at 50,000 staff against
    0.065 s for the records as documents, then orjson twice); the documents are made only when
    they differ."""
    adapter = _adapters[model]
    documents = orjson.dumps(list(raw.values()))
    if adapter.dump_json(list(records.values())) == documents:
        return True
    written = adapter.dump_python(list(records.values()), mode="json")
    if orjson.dumps(written) == documents:
        return True  # pydantic writes a value otherwise than orjson (not one the store holds)
    raw.update(zip(list(raw), written, strict=True))
    return False


def _keyed(
    model: type[Entity], doc_ids: list[str], models: list[Entity]
) -> tuple[dict[str, Entity], dict[str, int]] | None:
    """The records and document ids by key, in one pass over the records' fields (`Entity.key`
    of each record cost 0.06 s CPU of validating 50,000 staff); None when a key is there twice
    or an id is not a number (`_indexed_one_by_one` names the first)."""
    keys = _keys[model](map(vars, models))
    records = dict(zip(keys, models, strict=True))
    try:
        index = dict(zip(keys, map(int, doc_ids), strict=True))
    except ValueError:
        return None
    return (records, index) if len(records) == len(models) else None


def _validated_as_written(model: type[Entity], name: str, content: bytes) -> dict | None:
    """The records by document id of a table file that is byte for byte what the store writes
    of them, validated straight from its bytes (pydantic parses the JSON itself); None for any
    other file (validation through orjson's documents then reads it, or names what is wrong).

    Bytes equal to pydantic's JSON of the records are the documents `_as_written` accepts:
    pydantic and orjson write text, whole numbers, booleans and null alike (a test compares them
    over every character), and only models whose values are such (`store.trusted.constructor`'s
    `adopt`) are read this way. At 50,000 staff: 0.15 + 0.035 s CPU, against 0.22 s for orjson's
    documents and their validation, then 0.045 s for the as-written check."""
    adapter = _file_adapters[model]
    if adapter is None:
        return None
    try:
        tables = adapter.validate_json(content)
    except ValidationError:
        return None
    if adapter.dump_json(tables) != content:
        return None
    return tables.get(name, {})


def _indexed_one_by_one(
    path: Path, table: str, doc_ids: list[str], models: list[Entity]
) -> tuple[dict[str, Entity], dict[str, int]]:
    """The records and document ids by key, or CorruptFileError naming the first duplicate
    key or document id that is not a number, in the file's order."""
    records: dict[str, Entity] = {}
    index: dict[str, int] = {}
    for doc_id, model in zip(doc_ids, models, strict=True):
        key = model.key()
        if key in records:
            raise CorruptFileError(
                path, _("duplicate key {key!r} in {table}").format(key=key, table=table)
            )
        records[key] = model
        try:
            index[key] = int(doc_id)
        except ValueError as error:
            raise CorruptFileError(
                path, _("document id {id!r} is not a number").format(id=doc_id)
            ) from error
    return records, index


class InvalidDocument(Exception):
    """A document validation refuses: `key` names its record, `detail` the first problem."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


def validate_documents(model: type[Entity], docs: list) -> list[Entity]:
    """The records `docs` stand for, validated; InvalidDocument naming the first one refused."""
    try:
        return _adapters[model].validate_python(docs)
    except ValidationError as error:
        first = error.errors()[0]
        index = first["loc"][0] if first["loc"] else 0
        detail = render_line(from_pydantic(error, skip=1)[0])
        key = _key_hint(docs[index] if isinstance(index, int) else None, model)
        raise InvalidDocument(key, detail) from error


class _PerModel(dict):
    """Made once per model, when first needed."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, model):
        made = self[model] = self.make(model)
        return made


_adapters = _PerModel(lambda model: TypeAdapter(list[model]))
_constructors = _PerModel(lambda model: constructor(model, adopt=True) or constructor(model))
"""The records adopt the documents held to be written again (no copy) where they can."""
_adopting = _PerModel(lambda model: constructor(model, adopt=True) is not None)
_keys = _PerModel(keys_of_documents)
_converters = _PerModel(field_converters)
_file_adapters = _PerModel(
    lambda model: (
        TypeAdapter(dict[str, dict[str, model]])
        if constructor(model, adopt=True) is not None
        else None
    )
)
"""A table file's JSON as the records it holds (table -> document id -> record)."""


def _key_hint(doc: object, model: type[Entity]) -> str:
    if isinstance(doc, dict):
        parts = ["" if doc.get(f, "?") is None else str(doc.get(f, "?")) for f in model.key_fields]
        return repr("|".join(parts))
    return "?"
