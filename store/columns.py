"""The assessment history as numpy columns, so that figures over a million assessments are a
few array operations rather than a million Python steps (issue 14).

Row `i` of the columns is position `i` of the history (`Dataset.assessments[i]`): staff and
competency as indexes into their lists of codes, the date and `valid_until` as day ordinals
(`NEVER` for no end), the source as its precedence (`SOURCE_PRECEDENCE`, -1 for an unknown
one), the level and `seq` (recording order).

`current(as_of)` is docs/rules.md's *current level on a date D* (`reports.rules.
current_assessment`, which stays the readable definition, pinned to this by property tests) for
every (person, competency) at once: the rows sorted once by (person, competency, date, source
precedence, seq), and per date one pass keeping the last valid row of each pair.

A history only grows (a save appends), so the columns of a `HistoryView` are kept with the list
its versions share and catch up with the rows appended since (`columns_of`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from functools import partial
from itertools import islice
from operator import itemgetter

import numpy as np
import orjson

from store.dataset import AssessmentRow, HistoryView, parse_iso_date
from store.models import SOURCE_PRECEDENCE

NEVER = np.iinfo(np.int32).max
"""The `valid_until` ordinal of an assessment that does not expire."""

NUMBERS = (
    "staff", "competency", "date", "rank", "level", "valid_until", "seq", "source", "assessor",
    "note",
)  # fmt: skip
"""The columns (`Columns.arrays`): the rule's, then the rest of a row (`source`, `assessor`
and `note` as indexes into their lists of values, like staff and competency)."""

CODED = ("staff", "competency", "source", "assessor", "note")
"""The columns held as an index into a list of distinct values (first seen, first)."""

DTYPES = {
    "staff": np.int32,
    "competency": np.int32,
    "date": np.int32,
    "rank": np.int8,
    "level": np.int16,
    "valid_until": np.int32,
    "seq": np.int64,
    "source": np.int32,
    "assessor": np.int32,
    "note": np.int32,
}


_KINDS = {
    "staff": {str},
    "competency": {str},
    "source": {str},
    "assessor": {str, type(None)},
    "note": {str},
}
"""The types each coded column's values may have (as read from JSON: exactly these)."""
_LAST_DAY = dt.date.max.toordinal()


class _Ordinals(dict):
    """Date -> day ordinal (None -> NEVER), each distinct date worked out once."""

    def __missing__(self, day: dt.date | None) -> int:
        value = self[day] = NEVER if day is None else day.toordinal()
        return value


class _Ranks(dict):
    """Source -> precedence (`SOURCE_PRECEDENCE`; -1 for a source it does not name)."""

    def __missing__(self, source: str) -> int:
        return SOURCE_PRECEDENCE.get(source, -1)


_RANKS = _Ranks(SOURCE_PRECEDENCE)


def _ids(values: Sequence, codes: dict) -> list[int]:
    """Each value's index in `codes`, adding new values at the end (first seen, first)."""
    return [codes.setdefault(v, len(codes)) for v in values]


PARSED_AT_ONCE = 1 << 18
"""Bytes of JSON lines parsed in one call by `Columns.from_lines`: small enough that the
records are still in the processor's cache when their fields are taken (1 MB pieces were
slower, the whole file in one piece twice as slow)."""


class Numbering(dict):
    """Value -> its number, a new value numbered next (first seen, first: as `_ids`)."""

    def __missing__(self, value: object) -> int:
        number = self[value] = len(self)
        return number


class _TextDays(dict):
    """ISO date text -> day ordinal (None -> NEVER), each distinct text parsed once."""

    def __missing__(self, text: str | None) -> int:
        day = parse_iso_date(text)
        ordinal = self[text] = NEVER if day is None else day.toordinal()
        return ordinal


class _Builder:
    """Columns made from a history's records, a batch at a time, in order."""

    def __init__(self) -> None:
        self.codes: dict[str, Numbering] = {name: Numbering() for name in CODED}
        self.ordinals = _TextDays()
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in NUMBERS}

    def add(self, records: list[dict]) -> None:
        """Append the columns of `records` (one pass in C per field: a value is looked up in
        C and only a new one worked out in Python). Raises where `rows_from_records` would,
        OverflowError for a level its column cannot hold and ValueError for a record without
        a date (a row could not be made back from it)."""
        parts, codes, day = self.parts, self.codes, self.ordinals.__getitem__
        for name, default in _CODED_DEFAULTS:
            parts[name].append(_column(records, name, default, codes[name].__getitem__))
        levels = _column(records, "level", _REQUIRED, int, np.int64)
        if len(levels) and (levels.min() < _LEVELS.min or levels.max() > _LEVELS.max):
            raise OverflowError("a level does not fit its column")
        parts["level"].append(levels.astype(DTYPES["level"]))
        dates = _column(records, "date", _REQUIRED, day)
        if NEVER in dates:
            raise ValueError("an assessment without a date")
        parts["date"].append(dates)
        parts["valid_until"].append(_column(records, "valid_until", None, day))

    def finish(self, first_seq: int) -> Columns:
        columns = Columns()
        data, parts = columns._data, self.parts
        for name in NUMBERS:
            if parts[name]:
                data[name] = np.concatenate(parts[name]).astype(DTYPES[name], copy=False)
        count = len(data["staff"])
        for name in CODED:
            columns.codes[name].update(self.codes[name])  # plain dicts from here on
            columns._lists[name] = list(self.codes[name])
        ranks = np.array([_RANKS[s] for s in columns._lists["source"]], np.int8)
        data["rank"] = ranks[data["source"]] if count else np.empty(0, np.int8)
        data["seq"] = np.arange(first_seq, first_seq + count, dtype=DTYPES["seq"])
        columns.count = count
        return columns


_LEVELS = np.iinfo(DTYPES["level"])

_ROW_KINDS = (
    (0, _KINDS["staff"]), (1, _KINDS["competency"]), (3, {dt.date}), (4, _KINDS["source"]),
    (5, _KINDS["assessor"]), (7, _KINDS["note"]),
)  # fmt: skip
"""AssessmentRow fields (by position) and the types the columns and reports can hold."""


def unfit_row(rows: Sequence[AssessmentRow]) -> int | None:
    """The position of the first row the columns cannot hold (no date, a value of the wrong
    kind such as a list for a note, a level outside its column), None if all fit: rows the
    careful way (`rows_from_records`) made from hand-edited lines, refused when read rather
    than failing in a report. One pass in C per field."""
    for index, kinds in _ROW_KINDS:
        values = list(map(itemgetter(index), rows))
        if not set(map(type, values)) <= kinds:
            return next(i for i, v in enumerate(values) if type(v) not in kinds)
    levels = list(map(itemgetter(2), rows))
    if levels and (min(levels) < _LEVELS.min or max(levels) > _LEVELS.max):
        return next(i for i, v in enumerate(levels) if not _LEVELS.min <= v <= _LEVELS.max)
    return None


_REQUIRED = object()
"""A field every record must have (`rows_from_records` reads it with `record[name]`)."""

_CODED_DEFAULTS = (
    ("staff", _REQUIRED), ("competency", _REQUIRED), ("source", "self"), ("assessor", None),
    ("note", ""),
)  # fmt: skip
"""The coded columns, and the value `rows_from_records` gives a record without the field."""


def _column(records: list[dict], name: str, default: object, value, dtype=np.int32) -> np.ndarray:
    """`value(field)` of every record's `name` in one pass in C (`default` for a record
    without it; KeyError if _REQUIRED). The store writes every field, so the slower pass with
    a default is for files written otherwise."""
    try:
        return np.fromiter(map(value, map(itemgetter(name), records)), dtype, len(records))
    except KeyError:
        if default is _REQUIRED:
            raise
    found = [r.get(name, default) for r in records]
    return np.fromiter(map(value, found), dtype, len(records))


class Columns:
    """The columns of one history's first `len(self)` rows (see the module's note).

    Appending is amortised (the arrays grow by doubling); the sort `current` needs is kept until
    rows are appended or cut. Safe to read from several threads while one appends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.codes: dict[str, dict] = {name: {} for name in CODED}
        """Per coded column: value -> index (`None` is a value of `assessor`)."""
        self._lists: dict[str, list] = {name: [] for name in CODED}
        """Per coded column: the values in index order (the keys of `codes`)."""
        self.staff_codes: dict[str, int] = self.codes["staff"]
        self.competency_codes: dict[str, int] = self.codes["competency"]
        self._data = {name: np.empty(0, DTYPES[name]) for name in NUMBERS}
        self._sorted: tuple | None = None

    # ------------------------------------------------------------- building
    @classmethod
    def from_rows(cls, rows: Sequence[AssessmentRow]) -> Columns:
        columns = cls()
        columns.extend(rows)
        return columns

    @classmethod
    def from_arrays(
        cls,
        codes: dict[str, list],
        arrays: dict[str, np.ndarray],
        order: np.ndarray | None = None,
        count: int | None = None,
    ) -> Columns:
        """Columns from stored arrays (a snapshot's), and the order that sorts them if stored;
        ValueError when they do not add up (the precedence column is worked out again from the
        sources, the order checked). `count`: the rows, when the arrays are longer: the rest
        is room for rows appended later (default: none)."""
        columns = cls()
        lengths = {len(arrays[name]) for name in NUMBERS if name != "rank"}
        if len(lengths) != 1:
            raise ValueError("the columns differ in length")
        capacity = lengths.pop()
        count = capacity if count is None else count
        if not 0 <= count <= capacity:
            raise ValueError("the columns hold fewer rows than they should")
        for name in NUMBERS:
            if name == "rank":
                continue
            array = arrays[name]
            if array.dtype != DTYPES[name] or array.ndim != 1:
                raise ValueError(f"column {name} is not {np.dtype(DTYPES[name])}")
            columns._data[name] = array
        for name in CODED:
            values = codes[name]
            index = columns.codes[name]
            index.update(zip(values, range(len(values)), strict=True))  # in C
            columns._lists[name] = list(values)
            if len(index) != len(values):
                raise ValueError(f"a value of {name} is listed twice")
            if not set(map(type, values)) <= _KINDS[name]:  # in C: ~1 ms for 45,000
                raise ValueError(f"a value of {name} is of the wrong type")
            ids = columns._data[name][:count]
            if count and (ids.min() < 0 or ids.max() >= len(values)):
                raise ValueError(f"column {name} points past its values")
        data = columns._data
        for name in ("date", "valid_until"):
            days = data[name][:count]
            days = days[days != NEVER] if name == "valid_until" else days
            if len(days) and (days.min() < 1 or days.max() > _LAST_DAY):
                raise ValueError(f"column {name} holds a day that is no date")
        ranks = np.array([SOURCE_PRECEDENCE.get(s, -1) for s in codes["source"]], np.int8)
        data["rank"] = np.empty(capacity, np.int8)
        if count:
            data["rank"][:count] = ranks[data["source"][:count]]
        columns.count = count
        if order is not None:
            columns._sorted = columns._checked_sort(np.asarray(order, np.intp))
        return columns

    @classmethod
    def from_records(cls, records: list[dict], first_seq: int = 0) -> Columns:
        """The columns of `rows_from_records(records, first_seq)` (a history's stored lines, as
        parsed) without making a row. Raises where `rows_from_records` would (KeyError,
        ValueError, TypeError), and also for what its rows' columns would refuse or not give
        back (see `_Builder.add`)."""
        builder = _Builder()
        builder.add(records)
        return builder.finish(first_seq)

    @classmethod
    def from_lines(cls, data: bytes, size: int | None = None) -> Columns | None:
        """The columns of a history's JSON lines (`data`, whole lines) as the store writes
        them, parsed `size` bytes at a time (default PARSED_AT_ONCE) and taken into columns
        while they are fresh in the processor's cache; None when a line is not one such
        record (bad JSON, a field missing or of the wrong kind): `store.history.parse_lines`
        and `rows_from_records` then read them as before and name the line or record.

        At 845,253 lines (116 MB) ~1.1-1.3 s CPU, against ~2.3 s for parsing the file in one
        piece, making the rows and then their columns (and a tenth of the memory).
        """
        if not data:
            return None
        size = size or PARSED_AT_ONCE
        builder, start, end = _Builder(), 0, len(data)
        try:
            while start < end:
                stop = data.rfind(b"\n", start, start + size) + 1
                if stop <= start:  # a line longer than `size`
                    stop = data.find(b"\n", start) + 1 or end
                piece = data[start:stop]
                records = orjson.loads(b"[" + piece.rstrip(b"\n").replace(b"\n", b",") + b"]")
                if len(records) != piece.count(b"\n") or set(map(type, records)) != {dict}:
                    return None
                builder.add(records)
                start = stop
            columns = builder.finish(0)
        except (orjson.JSONDecodeError, KeyError, ValueError, TypeError, OverflowError):
            return None
        # A value the store never writes (a number for a name) is the careful way's to read:
        # numbered here, 1 and True (or 2 and 2.0) would be one value.
        if all(set(map(type, columns._lists[name])) <= _KINDS[name] for name in CODED):
            return columns
        return None

    def sort_order(self, count: int) -> np.ndarray:
        """The positions below `count` in the order `current` sorts them (to save with the
        columns: `from_arrays` checks it and spares the sort)."""
        order = self._by_pair()[1]
        return order if len(order) == count else order[order < count]

    def _checked_sort(self, order: np.ndarray) -> tuple:
        """`_by_pair`'s tuple from a stored order, once it is shown to be a permutation of the
        positions that sorts them (ValueError if not, or if the key does not fit to check it).

        The key is packed in row order and gathered once; the pair and the date in sorted
        order are read back out of it rather than gathered too (scattered reads of a million
        rows are the cost): ~27 -> ~13 ms at 844,808 rows. Sorted by the key with ties in
        rising `seq` also shows that no position is listed twice (a position's key and seq
        are its own, so a repeat would be a tie with equal seq): with as many positions as
        rows, all within range, that makes it a permutation, without marking each seen."""
        count, data = self.count, self._data
        if len(order) != count or (count and (order.min() < 0 or order.max() >= count)):
            raise ValueError("the stored order is not one of the positions")
        rows = {name: data[name][:count] for name in ("staff", "competency", "date", "rank")}
        key = _packed(rows["staff"], rows["competency"], rows["date"], rows["rank"])
        if key is None:
            raise ValueError("the stored order cannot be checked")
        key = key[order]
        # sorted by the key, rows of an equal key by seq (ties are few: checked apart)
        ties = np.flatnonzero(key[1:] == key[:-1])
        seq = data["seq"][:count][order[ties]], data["seq"][:count][order[ties + 1]]
        if not (np.all(key[1:] >= key[:-1]) and np.all(seq[1] > seq[0])):
            raise ValueError("the stored order does not sort the rows")
        return (count, order, *_unpacked(key), data["valid_until"][:count][order], key)

    def rows(self, start: int = 0, stop: int | None = None) -> list[AssessmentRow]:
        """The AssessmentRows of positions `start` to `stop` (default: the end)."""
        stop = self.count if stop is None else stop
        data = {name: array[start:stop] for name, array in self.arrays(stop).items()}
        fields = {}
        for name in CODED:
            values = np.empty(len(self._lists[name]), object)
            values[:] = self._lists[name]
            fields[name] = values[data[name]].tolist()
        for name in ("date", "valid_until"):
            days, index = np.unique(data[name], return_inverse=True)
            dates = np.empty(len(days), object)
            dates[:] = [None if d == NEVER else dt.date.fromordinal(d) for d in days.tolist()]
            fields[name] = dates[index].tolist()
        new = partial(tuple.__new__, AssessmentRow)
        return list(
            map(
                new,
                zip(
                    fields["staff"],
                    fields["competency"],
                    data["level"].tolist(),
                    fields["date"],
                    fields["source"],
                    fields["assessor"],
                    fields["valid_until"],
                    fields["note"],
                    data["seq"].tolist(),
                    strict=True,
                ),
            )
        )

    def extend(self, rows: Sequence[AssessmentRow]) -> None:
        """Append `rows` (the history's next rows, in order)."""
        if not rows:
            return
        staff, competency, level, date, source, assessor, valid_until, note, seq = (
            list(map(itemgetter(i), rows)) for i in range(9)
        )  # each column in C (zip(*rows) would be slower: a million iterators)
        ordinal = _Ordinals()
        new = {
            "staff": _ids(staff, self.codes["staff"]),
            "competency": _ids(competency, self.codes["competency"]),
            "level": level,
            "date": list(map(ordinal.__getitem__, date)),
            "rank": list(map(_RANKS.__getitem__, source)),
            "valid_until": list(map(ordinal.__getitem__, valid_until)),
            "seq": seq,
            "source": _ids(source, self.codes["source"]),
            "assessor": _ids(assessor, self.codes["assessor"]),
            "note": _ids(note, self.codes["note"]),
        }
        with self._lock:
            for name in CODED:
                values = self._lists[name]
                values.extend(islice(self.codes[name], len(values), None))
            start, end = self.count, self.count + len(rows)
            data = self._data
            if end > len(data["seq"]):
                capacity = max(end, 2 * len(data["seq"]), 64)
                for name in NUMBERS:
                    grown = np.empty(capacity, DTYPES[name])
                    grown[:start] = data[name][:start]
                    data[name] = grown
            for name in NUMBERS:
                data[name][start:end] = new[name]
            self.count = end
            self._sorted = self._merged(start, end)

    def row(self, index: int) -> AssessmentRow:
        """The AssessmentRow at position `index` (< len(self))."""
        data, lists = self._data, self._lists
        valid_until = int(data["valid_until"][index])
        return AssessmentRow(
            lists["staff"][data["staff"][index]],
            lists["competency"][data["competency"][index]],
            int(data["level"][index]),
            dt.date.fromordinal(int(data["date"][index])),
            lists["source"][data["source"][index]],
            lists["assessor"][data["assessor"][index]],
            None if valid_until == NEVER else dt.date.fromordinal(valid_until),
            lists["note"][data["note"][index]],
            int(data["seq"][index]),
        )

    def truncate(self, count: int) -> None:
        """Forget the rows from position `count` on (the history list was cut back there)."""
        with self._lock:
            if count < self.count:
                self.count = count
                self._sorted = None

    def __len__(self) -> int:
        return self.count

    # ------------------------------------------------------------- reading
    def arrays(self, count: int | None = None) -> dict[str, np.ndarray]:
        """Each column's first `count` (default: all) values (views: do not change them)."""
        count = self.count if count is None else count
        with self._lock:
            return {name: self._data[name][:count] for name in NUMBERS}

    def staff_list(self) -> list[str]:
        return list(self._lists["staff"])

    def competency_list(self) -> list[str]:
        return list(self._lists["competency"])

    def _merged(self, start: int, end: int) -> tuple | None:
        """The sort (`_by_pair`) with the rows `start` to `end` merged in, when it was made and
        they were recorded after every row in it (as a save's are): a save then costs a few
        copies of the arrays, not a new sort. None otherwise (sorted anew on first use)."""
        found = self._sorted
        if found is None or found[0] != start or found[5] is None:
            return None
        _, order, pair, date, valid_until, key = found
        data = self._data
        seq = data["seq"][start:end]
        if start and seq.min() <= data["seq"][:start].max():
            return None
        added = _packed(
            *(data[name][start:end] for name in ("staff", "competency", "date", "rank"))
        )
        if added is None:
            return None
        by_key = np.lexsort((seq, added))
        positions = start + by_key
        at = np.searchsorted(key, added[by_key], side="right")  # after equal keys: recorded later
        staff, competency = data["staff"][positions], data["competency"][positions]
        return (
            end,
            np.insert(order, at, positions),
            np.insert(pair, at, (staff.astype(np.int64) << 32) | competency),
            np.insert(date, at, data["date"][positions]),
            np.insert(valid_until, at, data["valid_until"][positions]),
            np.insert(key, at, added[by_key]),
        )

    def _by_pair(self) -> tuple:
        """The positions sorted by (staff, competency, date, precedence, seq), and the pair key,
        date and valid_until in that order (made on first use after a change)."""
        with self._lock:
            found = self._sorted
            if found is not None:
                return found
            count, data = self.count, self._data
            staff, competency = data["staff"][:count], data["competency"][:count]
            date, rank, seq = data["date"][:count], data["rank"][:count], data["seq"][:count]
            key = _packed(staff, competency, date, rank)
            if key is not None and bool(np.all(seq[1:] > seq[:-1])):
                # seq follows the position (as in a history): a stable sort of the packed key
                # is the same order, in about half the time of the lexsort (0.05 against 0.09 s
                # at 845,253 rows)
                order = np.argsort(key, kind="stable")
                key = key[order]
            else:
                order = np.lexsort((seq, rank, date, competency, staff))
                key = _packed(staff[order], competency[order], date[order], rank[order])
            pair = (staff[order].astype(np.int64) << 32) | competency[order]
            found = (count, order, pair, date[order], data["valid_until"][:count][order], key)
            self._sorted = found
            return found

    def current(
        self, as_of: dt.date, count: int | None = None, staff: np.ndarray | None = None
    ) -> np.ndarray:
        """The positions of the assessments that give the current levels on `as_of`, one per
        (person, competency) assessed, among the first `count` rows (default: all); sorted by
        staff index, then competency index. Given `staff` (sorted, distinct staff indexes):
        those people's only (after a save, a few slices of the sort instead of all of it).

        The rule (`reports.rules.current_assessment`): valid on the date (dated on or before it,
        no `valid_until` before it), then the latest date, the source's precedence, the one
        recorded last: the last valid row of each pair in the sort.
        """
        whole, order, pair, date, valid_until, _ = self._by_pair()
        if staff is not None:
            first = np.asarray(staff, np.int64) << 32
            spans = zip(
                np.searchsorted(pair, first).tolist(),
                np.searchsorted(pair, first + (1 << 32)).tolist(),
                strict=True,
            )
            picked = np.concatenate([np.empty(0, np.intp), *(np.arange(*s) for s in spans)])
            order, pair = order[picked], pair[picked]
            date, valid_until = date[picked], valid_until[picked]
        day = as_of.toordinal()
        valid = (date <= day) & (valid_until >= day)
        if count is not None and count < whole:
            valid &= order < count
        kept = np.flatnonzero(valid)
        pairs = pair[kept]
        last = np.empty(len(kept), bool)
        if len(kept):
            np.not_equal(pairs[1:], pairs[:-1], out=last[:-1])
            last[-1] = True
        return order[kept[last]]


_FIRST_DAY = 700_000  # 1917-07-27: the packed key's day 0


def _packed(
    staff: np.ndarray, competency: np.ndarray, date: np.ndarray, rank: np.ndarray
) -> np.ndarray | None:
    """(staff, competency, date, precedence) as one int64 that sorts as the four do (for
    merging appended rows into the sort); None when a value does not fit its bits."""
    if len(staff) and (
        staff.max() >= 1 << 24
        or competency.max() >= 1 << 16
        or date.min() < _FIRST_DAY
        or date.max() >= _FIRST_DAY + (1 << 20)
        or rank.min() < -1
        or rank.max() >= 7
    ):
        return None
    key = staff.astype(np.int64)  # built in place: a few large temporaries fewer
    key <<= 39
    part = competency.astype(np.int64)
    part <<= 23
    key |= part
    np.subtract(date, _FIRST_DAY, out=part, dtype=np.int64)
    part <<= 3
    key |= part
    np.add(rank, 1, out=part, dtype=np.int64)
    key |= part
    return key


def _unpacked(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (staff << 32 | competency) pair and the date (int32 day ordinal) of `_packed` keys."""
    pair = key >> 39
    pair <<= 32
    competency = key >> 23
    competency &= 0xFFFF
    pair |= competency
    days = key >> 3
    days &= (1 << 20) - 1
    date = days.astype(np.int32)
    date += _FIRST_DAY
    return pair, date


class HistoryColumns:
    """One version's view of a history's columns: its first `count` rows."""

    __slots__ = ("columns", "count")

    def __init__(self, columns: Columns, count: int) -> None:
        self.columns, self.count = columns, count

    def __len__(self) -> int:
        return self.count

    def current(self, as_of: dt.date, staff: np.ndarray | None = None) -> np.ndarray:
        return self.columns.current(as_of, self.count, staff)

    def arrays(self) -> dict[str, np.ndarray]:
        return self.columns.arrays(self.count)

    def staff_list(self) -> list[str]:
        return self.columns.staff_list()

    def competency_list(self) -> list[str]:
        return self.columns.competency_list()

    def staff_index(self, code: str) -> int | None:
        return self.columns.staff_codes.get(code)

    def competency_index(self, code: str) -> int | None:
        return self.columns.competency_codes.get(code)

    def rows_of(self, employee_no: str) -> np.ndarray:
        """The positions of one person's assessments, in history order."""
        index = self.staff_index(employee_no)
        if index is None:
            return np.empty(0, np.intp)
        return np.flatnonzero(self.columns.arrays(self.count)["staff"] == index)


_LOCK = threading.Lock()


def columns_of(rows: Sequence[AssessmentRow]) -> HistoryColumns:
    """The columns of `rows`: for a `HistoryView`, those kept with its shared list, brought up
    to date with the rows appended since they were made; else made now."""
    if not isinstance(rows, HistoryView):
        return HistoryColumns(Columns.from_rows(list(rows)), len(rows))
    history, count = rows._history, len(rows)
    with _LOCK:
        columns = history.columns
        if columns is None:
            columns = history.columns = Columns()
        if len(columns) < count:
            columns.extend(history.rows_between(len(columns), count))
    return HistoryColumns(columns, count)
