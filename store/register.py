"""The register: one TinyDB file per table, on a storage that writes with orjson atomically.

A save rewrites only the file of the table it changes (docs/performance.md: TinyDB rewrites a whole
file on every write), so recording a change to one person does not rewrite the departments.
Changes made in one transaction are applied with one TinyDB call per kind (insert, update,
remove) and written once, when the transaction commits.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import orjson
from pydantic import TypeAdapter, ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from i18n import N_, _
from store.errors import CorruptFileError, StoreError, os_reason
from store.files import Pin, file_signature, open_pinned, read_fd
from store.gcpause import collector_paused
from store.models import Entity
from store.problems import from_pydantic, render_line
from store.trusted import TrustRecord, constructor, content_hash, keys_of_documents


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
    path: Path, pin: Pin
) -> tuple[dict | None, tuple[int, int, int] | None, bytes | None]:
    """`read_pinned`, with the bytes the data was parsed from."""
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
        data = parse_json_object(path, raw)
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

    def __init__(self, path: str | Path, initial: dict | None = None) -> None:
        self.path = Path(path)
        self.data: dict = initial if initial is not None else {}
        self.dirty = False

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

    def load(self) -> dict[str, Entity]:
        """Read the file and validate it (unless its bytes are known valid: `store.trusted`);
        raise CorruptFileError (never touching the file) if bad."""
        data, signature, content = read_pinned_bytes(self.path, self.pin)
        if data is None:
            data = {}
        raw = data.get(self.name, {})
        if not isinstance(raw, dict):
            raise CorruptFileError(
                self.path, _("table {name!r} is not an object").format(name=self.name)
            )
        digest = None if content is None else content_hash(content)
        records = None
        if digest is None or self.trust is not None and self.trust.holds(self.name, digest):
            records = self._construct(raw)  # (no file: no records)
        if records is None:
            records = self._validate(raw)
            if not _as_written(self.model, raw, records):
                digest = None  # trusted, it would be read as it is, not as validation reads it
        self.known_valid = digest
        self.storage = HeldStorage(self.path, data)
        self.db = TinyDB(storage=lambda: self.storage)
        self.signature = signature
        return records

    def _construct(self, raw: Mapping[str, dict]) -> dict[str, Entity] | None:
        """The records of a file the store wrote, built without validation; None when they are
        not as the store writes them (then they are validated)."""
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

    def _validate(self, raw: Mapping[str, dict]) -> dict[str, Entity]:
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
        # Keys and document ids in one pass over the records' fields (`Entity.key` of each
        # record cost 0.06 s CPU of validating 50,000 staff); one by one only to name a
        # duplicate or a bad id as the file's first.
        keys = _keys[self.model](map(vars, models))
        records = dict(zip(keys, models, strict=True))
        try:
            index = dict(zip(keys, map(int, doc_ids), strict=True))
        except ValueError:
            index = None
        if index is None or len(records) != len(models):
            records, index = _indexed_one_by_one(self.path, self.name, doc_ids, models)
        self._doc_ids = index
        return records

    def changed_on_disk(self) -> bool:
        return file_signature(self.path) != self.signature

    def mark_written(self, content: bytes) -> None:
        """After we wrote the file (`content`, from `apply`'s validated records): remember (and
        pin) the version now on disk."""
        self.signature = self.pin.hold_current(self.path)
        self.known_valid = content_hash(content)

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
_keys = _PerModel(keys_of_documents)


def _key_hint(doc: object, model: type[Entity]) -> str:
    if isinstance(doc, dict):
        parts = ["" if doc.get(f, "?") is None else str(doc.get(f, "?")) for f in model.key_fields]
        return repr("|".join(parts))
    return "?"
