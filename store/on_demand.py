"""Register tables whose records are built when first asked for, for a read that needs few.

`kapabel report gaps` over 50,000 staff reads four fields of every person, the names of those
with a gap and five fields of each training plan. Building every person's and every plan's
record (a pydantic model each) took ~0.1 s of the whole command's ~0.7 (issue 14).
`record_fields` reads such fields from the documents the store wrote (known valid by their
hash: `store.trusted`), converted as the records hold them; the records themselves are built,
all at once, only when something asks for one. Such a table is a read-only Mapping: only an
open for one read makes it (`store.open_store(records_on_demand=True)`), and that repository
refuses to save.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from operator import attrgetter, itemgetter
from typing import Any

from store.gcpause import collector_paused
from store.models import Entity
from store.register_columns import StoredColumns
from store.trusted import Convert

__all__ = ["RecordsOnDemand", "record_fields"]


class RecordsOnDemand(Mapping[str, Entity]):
    """A register table (key -> record) read from documents the store wrote, each record built
    when the first one is asked for (`Mapping` reads build them all; `record_fields` does not).
    """

    def __init__(
        self,
        keys: list[str],
        documents: Callable[[], list[dict]],
        build: Callable[[dict], Entity],
        converts: Mapping[str, Convert],
        validate: Callable[[], dict[str, Entity]],
        columns: StoredColumns | None = None,
    ) -> None:
        """`keys`: each record's key, all different, in order; `documents`: their documents
        (called once, when first needed); `build`: a record from its document, without
        validation (may change the document: `store.trusted.constructor`), raising when the
        document is not as the store writes it, and then `validate` gives them all; `columns`:
        the documents' values by field, where kept (`store.register_columns`)."""
        self._keys, self._documents, self._build = keys, documents, build
        self._converts, self._validate, self._columns = converts, validate, columns
        self._docs: list[dict] | None = None
        self._built: dict[str, Entity] | None = None
        self._building = threading.Lock()

    @property
    def built(self) -> bool:
        """Whether the records have been built (for the tests of what a report reads)."""
        return self._built is not None

    @property
    def from_kept_columns(self) -> bool:
        """Whether fields are read from kept columns (for the tests of what a report reads)."""
        return self._columns is not None

    @property
    def _records(self) -> dict[str, Entity]:
        if self._built is None:
            with self._building:  # (once: building changes the documents)
                if self._built is None:
                    self._built = self._records_built()
                    self._docs, self._columns = None, None
        return self._built

    def _records_built(self) -> dict[str, Entity]:
        try:
            with collector_paused():
                docs = self._documents_read()
                return dict(zip(self._keys, map(self._build, docs), strict=True))
        except (KeyError, ValueError, TypeError, AttributeError):
            return self._validate()  # not as the store writes them: validation names it

    def _documents_read(self) -> list[dict]:
        if self._docs is None:
            self._docs = self._documents()
        return self._docs

    def __getitem__(self, key: str) -> Entity:
        return self._records[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys if self._built is None else self._built)

    def __len__(self) -> int:
        return len(self._keys)

    def fields(self, names: tuple[str, ...]) -> list[Any]:
        """`record_fields` of this table."""
        if self._built is not None:
            return list(map(attrgetter(*names), self._built.values()))
        try:
            columns = [self._converted(name, self._values(name)) for name in names]
        except (KeyError, ValueError, TypeError):  # not as the store writes them
            return list(map(attrgetter(*names), self._records.values()))
        return columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))

    def _values(self, name: str) -> list[Any]:
        """Field `name`'s JSON value in each document, from the kept columns if there."""
        columns = self._columns
        kept = None if columns is None else columns.column(name)
        return list(map(itemgetter(name), self._documents_read())) if kept is None else kept

    def _converted(self, name: str, values: list[Any]) -> list[Any]:
        """A field's JSON values as its records hold them (dates as dates, enumeration
        members as members)."""
        convert = self._converts[name]
        if convert is None:
            return values
        if None not in values:
            return list(map(convert, values))
        return [None if value is None else convert(value) for value in values]


def record_fields(table: Mapping[str, Entity], names: tuple[str, ...]) -> list[Any]:
    """The values of the fields `names` of every record of `table`, in its order: a tuple per
    record, or the value itself when one field is named (as `attrgetter` gives them). A table
    of `RecordsOnDemand` gives them without building its records."""
    if isinstance(table, RecordsOnDemand):
        return table.fields(names)
    return list(map(attrgetter(*names), table.values()))
