"""Register tables the store itself wrote are read without validating them again.

Validating every record of every register table is a large share of opening a big database
(50,000 staff). Yet a table file whose bytes the store wrote (from validated models, validated
once more as they are written: `store.register.RegisterTable.apply`) or validated on an earlier
load, and found to be exactly what the store writes of the records validation made of them,
holds nothing validation would refuse or read otherwise (a code typed with spaces around it is
validated at every open until the table is written again, stripped). So the store records a hash (SHA-256) of each table's
bytes it knows to be valid in a small file beside the history snapshot,
`cache/register.trusted.json` (owner-only, like everything in the folder), and a table whose
bytes hash to the recorded value is built without validation (`constructor`). Anything else -- a
file edited by hand, restored, migrated, written by another version of the rules -- is validated
as always, and its hash recorded once it passes.

The record is only ever a speed-up: deleting it, or a damaged one, costs one validation of each
table at the next open. It names the rules it was made under (`RULES`, a hash of the modules
that define what a record may hold), so bytes validated under older rules are validated again.
Whoever can write the record can write the tables themselves: it protects against mistakes and
hand edits, not against the folder's owner.

A save also records the hashes in the folder's `meta.json` (`written_entry`, under "tables"), in
the same journaled commit as the files: the hash of each table file it writes, and of each other
table whose bytes it knows valid. A folder copied without `cache/`, or whose `cache/` was deleted
(a first start), is then read without validation too; the entry names the rules like the record,
and a meta.json without it (an older Kapabel's) trusts nothing. Nothing but a commit writes it.

The robot benefits log, a history appended to, is recorded the same way under its file name: the
hash of all its bytes, kept as saves append lines that validate as written
(`store.folder.reading.FolderReading._benefits`).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import os
import tempfile
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from store.files import FILE_MODE, ensure_private_dir
from store.text import KEY_SEPARATOR

if typing.TYPE_CHECKING:
    from store.models import Entity

CACHE_DIR = "cache"  # the snapshot's folder (store.snapshot), deleted with it
TRUST_FILE = "register.trusted.json"
FORMAT = 2
"""2: a table is recorded only if its documents are what the store writes of the records
validation makes of them (format 1 recorded hand edits validation changed as they were)."""


def content_hash(data: bytes) -> str:
    """The hash a table's bytes are recognised by."""
    return hashlib.sha256(data).hexdigest()


def _rules_fingerprint() -> str | None:
    """A hash of the source of the modules that define what a record may hold, and of the
    versions of pydantic that validate by them (a record in meta.json travels with copies and
    backups to other installations); None when the source cannot be read (then nothing is
    trusted)."""
    import pydantic
    import pydantic_core

    from store import enums, models, text, text_rules

    digest = hashlib.sha256(f"{pydantic.VERSION} {pydantic_core.__version__}".encode())
    try:
        for module in (models, enums, text, text_rules):
            digest.update(Path(module.__file__).read_bytes())
    except (OSError, TypeError):
        return None
    return digest.hexdigest()


RULES = _rules_fingerprint()


class TrustRecord:
    """The hashes of the table files known to be valid, as `cache/register.trusted.json` keeps
    them (table name -> hash)."""

    def __init__(self, db: Path, *, writable: bool = True) -> None:
        self.path = Path(db) / CACHE_DIR / TRUST_FILE
        self.writable = writable
        self.hashes: dict[str, str] = {}
        self.written: dict[str, str] = {}
        """The hashes meta.json records under these rules (`written_entry`)."""
        self.trusting = True
        """False: every table is validated whatever is recorded (`kapabel check`)."""

    def read(self) -> None:
        """Take in the record as the file holds it now; missing, damaged or of other rules:
        nothing is trusted."""
        self.hashes = _read_hashes(self.path)

    def take_written(self, entry: object) -> None:
        """Take in what meta.json records (its "tables" entry; None when it has none)."""
        self.written = written_hashes(entry)

    def holds(self, table: str, digest: str) -> bool:
        return (
            self.trusting
            and RULES is not None
            and digest in (self.hashes.get(table), self.written.get(table))
        )

    def save(self, known: Mapping[str, str]) -> None:
        """Record `known` (table -> hash of bytes now known valid) with what the file holds
        for other tables (call under the write lock); a failure only costs time later."""
        if RULES is None or not self.writable:
            return
        hashes = {**_read_hashes(self.path), **known}
        self.hashes = hashes
        write_cache_file(
            self.path, orjson.dumps({"format": FORMAT, "rules": RULES, "tables": hashes})
        )


def write_cache_file(path: Path, data: bytes) -> None:
    """Replace the file `path` in `cache/` by `data` (owner-only), never half-written; a
    failure is ignored: what `cache/` holds only saves time. No fsync: after a crash, a file
    lost costs time once."""
    try:
        ensure_private_dir(path.parent)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def written_entry(hashes: Mapping[str, str]) -> dict | None:
    """meta.json's "tables" entry recording `hashes` (table -> hash of bytes known valid);
    None when the rules are unknown (nothing can be recorded)."""
    if RULES is None:
        return None
    return {"format": FORMAT, "rules": RULES, "hashes": dict(sorted(hashes.items()))}


def entry_read(entry: object) -> dict | None:
    """A "tables" entry as meta.json holds it, kept when it has the shape `written_entry`
    gives (whatever its rules); None otherwise (it is only a speed-up: never a reason to refuse
    the folder)."""
    if not (isinstance(entry, dict) and isinstance(entry.get("hashes"), dict)):
        return None
    hashes = entry["hashes"]
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in hashes.items()):
        return None
    return {"format": entry.get("format"), "rules": entry.get("rules"), "hashes": dict(hashes)}


def written_hashes(entry: object) -> dict[str, str]:
    """The hashes a "tables" entry records, if made under these rules and this format."""
    entry = entry_read(entry)
    if entry is None or RULES is None or (entry["format"], entry["rules"]) != (FORMAT, RULES):
        return {}
    return entry["hashes"]


def _read_hashes(path: Path) -> dict[str, str]:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and data.get("rules") == RULES
        and isinstance(data.get("tables"), dict)
    ):
        return {}
    return {k: v for k, v in data["tables"].items() if isinstance(v, str)}


# --------------------------------------------------------------------------- building models
Convert = Callable[[Any], Any] | None
"""Turns a JSON value into the field's Python value; None: the JSON value is the value."""

_SCALARS = (str, int, bool)


def constructor(
    model: type[BaseModel], *, adopt: bool = False
) -> Callable[[dict], BaseModel] | None:
    """A function building `model` from a document the store wrote (`model_dump(mode="json")`
    of a valid record) without validating it: the same object validation gives (dates as
    dates, enumeration members as members, nested models as models, every field set). None for a
    model whose fields it does not know how to build (then validation builds it).

    `adopt`: the record takes the document itself as its fields, its dates and enumeration
    members converted in place, rather than a copy (for documents nothing else changes: the
    register's, held only to be written again, which orjson writes back as they were read).
    None then for a model with a field that would not be written back as read (a nested model,
    a float that was a whole number)."""
    converts = field_converters(model)
    if converts is None:
        return None
    names = tuple(converts)
    converting = tuple((name, convert) for name, convert in converts.items() if convert)
    if adopt and not all(map(_written_back, (convert for _name, convert in converting))):
        return None
    setattr_ = object.__setattr__
    new = model.__new__
    # A frozen record's set of fields given is never changed (a copy gets a copy of it), so
    # its records share one; each of a model that can be changed gets its own. Its slots are
    # set through their descriptors: together ~20% of building 50,000 staff.
    every_field = set(names)
    frozen = bool(model.model_config.get("frozen"))
    set_fields, set_extra, set_private = (
        BaseModel.__dict__[slot].__set__
        for slot in ("__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
    )

    def build(doc: dict) -> BaseModel:
        if tuple(doc) != names:
            raise KeyError("not every field, in order")  # not as the store writes it: validate
        values = doc if adopt else dict(doc)
        for name, convert in converting:
            value = values[name]
            if value is not None:
                values[name] = convert(value)
        record = new(model)
        setattr_(record, "__dict__", values)
        set_fields(record, every_field if frozen else every_field.copy())
        set_extra(record, None)
        set_private(record, None)
        return record

    return build


def field_converters(model: type[BaseModel]) -> dict[str, Convert] | None:
    """Each field's conversion of its JSON value (None: the JSON value is the value), in the
    model's order; None for a model with a field of a type not known here."""
    try:
        return {name: _convert(field.annotation) for name, field in model.model_fields.items()}
    except TypeError:
        return None


def _written_back(convert: Convert) -> bool:
    """Whether orjson writes a value `convert` made as the JSON it was made from: a date as its
    ISO text, an enumeration member of text as its text (the only forms the store writes)."""
    if convert == dt.date.fromisoformat:  # (a new bound method at each look-up)
        return True
    return isinstance(convert, _Members) and all(type(value) is str for value in convert)


class _Members(dict):
    """An enumeration's members by value; called with a JSON value, the member whose value it
    is (KeyError for none): a look-up in a dict, ~0.1 us, where calling the enumeration took
    ~0.6 us (17,679 training plans' status: ~9 ms of an open at 50,000 staff)."""

    __call__ = dict.__getitem__


def _member_of(kind: enum.EnumType) -> Callable[[Any], enum.Enum]:
    members = _Members((member.value, member) for member in kind)
    if not all(type(value) in _SCALARS for value in members):
        return kind  # (a value JSON does not hold as it is: the enumeration converts it)
    return members


def keys_of_documents(model: type[Entity]) -> Callable[[Iterable[dict]], list[str]]:
    """The keys of records (`Entity.key`) from the documents the store wrote for them: the JSON
    values of their key fields are the texts `key` makes of them (ISO dates, enumeration
    values). A single key field of text is taken as it is, without a call per document."""
    fields = model.key_fields
    if len(fields) == 1:
        (only,) = fields
        field = itemgetter(only)

        def texts(docs: Iterable[dict]) -> list[str]:
            keys = list(map(field, docs))
            if set(map(type, keys)) <= {str}:
                return keys
            return ["" if key is None else str(key) for key in keys]

        return texts
    return lambda docs: [
        KEY_SEPARATOR.join("" if doc[f] is None else str(doc[f]) for f in fields) for doc in docs
    ]


def _convert(annotation: Any) -> Convert:
    """The conversion of one field's JSON value; TypeError for a type it does not know."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(annotation)
        return _convert(options[0])  # None stays None (checked before converting)
    if origin is typing.Annotated:
        return _convert(typing.get_args(annotation)[0])
    if origin is list:
        (item,) = typing.get_args(annotation)
        convert = _convert(item)
        return list if convert is None else (lambda value: [convert(v) for v in value])
    if origin is dict:
        key, item = typing.get_args(annotation)
        if _convert(key) is not None:
            raise TypeError(annotation)
        convert = _convert(item)
        return dict if convert is None else (lambda v: {k: convert(x) for k, x in v.items()})
    if origin is not None:
        raise TypeError(annotation)
    if annotation in _SCALARS:
        return None
    if annotation is float:
        return float
    if annotation is dt.date:
        return dt.date.fromisoformat
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _member_of(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        build = constructor(annotation)
        if build is None:
            raise TypeError(annotation)
        return build
    raise TypeError(annotation)
