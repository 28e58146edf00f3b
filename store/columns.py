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
from operator import itemgetter

import numpy as np

from store.dataset import AssessmentRow, HistoryView
from store.models import SOURCE_PRECEDENCE

NEVER = np.iinfo(np.int32).max
"""The `valid_until` ordinal of an assessment that does not expire."""

NUMBERS = ("staff", "competency", "date", "rank", "level", "valid_until", "seq")
"""The columns, in the order `Columns.arrays` gives them (and a snapshot stores them)."""

DTYPES = {
    "staff": np.int32,
    "competency": np.int32,
    "date": np.int32,
    "rank": np.int8,
    "level": np.int16,
    "valid_until": np.int32,
    "seq": np.int64,
}


def _ids(values: Sequence, codes: dict) -> list[int]:
    """Each value's index in `codes`, adding new values at the end (first seen, first)."""
    return [codes.setdefault(v, len(codes)) for v in values]


class Columns:
    """The columns of one history's first `len(self)` rows (see the module's note).

    Appending is amortised (the arrays grow by doubling); the sort `current` needs is kept until
    rows are appended or cut. Safe to read from several threads while one appends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.staff_codes: dict[str, int] = {}
        self.competency_codes: dict[str, int] = {}
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
        cls, staff_codes: list[str], competency_codes: list[str], arrays: dict[str, np.ndarray]
    ) -> Columns:
        """Columns from stored arrays (a snapshot); ValueError when they do not add up."""
        columns = cls()
        columns.staff_codes = {code: i for i, code in enumerate(staff_codes)}
        columns.competency_codes = {code: i for i, code in enumerate(competency_codes)}
        if len(columns.staff_codes) != len(staff_codes) or len(columns.competency_codes) != len(
            competency_codes
        ):
            raise ValueError("a code is listed twice")
        lengths = {len(arrays[name]) for name in NUMBERS}
        if len(lengths) != 1:
            raise ValueError("the columns differ in length")
        count = lengths.pop()
        for name in NUMBERS:
            array = np.asarray(arrays[name])
            if array.dtype != DTYPES[name] or array.ndim != 1:
                raise ValueError(f"column {name} is not {np.dtype(DTYPES[name])}")
            columns._data[name] = array
        for name, codes in (("staff", staff_codes), ("competency", competency_codes)):
            ids = columns._data[name]
            if count and (ids.min() < 0 or ids.max() >= len(codes)):
                raise ValueError(f"column {name} points past its codes")
        columns.count = count
        return columns

    def extend(self, rows: Sequence[AssessmentRow]) -> None:
        """Append `rows` (the history's next rows, in order)."""
        if not rows:
            return
        new = {
            "staff": _ids(list(map(itemgetter(0), rows)), self.staff_codes),
            "competency": _ids(list(map(itemgetter(1), rows)), self.competency_codes),
            "level": list(map(itemgetter(2), rows)),
            "date": list(map(dt.date.toordinal, map(itemgetter(3), rows))),
            "rank": [SOURCE_PRECEDENCE.get(source, -1) for source in map(itemgetter(4), rows)],
            "valid_until": [
                NEVER if v is None else v.toordinal() for v in map(itemgetter(6), rows)
            ],
            "seq": list(map(itemgetter(8), rows)),
        }
        with self._lock:
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
            self._sorted = None

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
        return list(self.staff_codes)

    def competency_list(self) -> list[str]:
        return list(self.competency_codes)

    def _by_pair(self) -> tuple:
        """The positions sorted by (staff, competency, date, precedence, seq), and the pair key,
        date and valid_until in that order (made on first use after a change)."""
        with self._lock:
            found = self._sorted
            if found is not None:
                return found
            count, data = self.count, self._data
            staff, competency = data["staff"][:count], data["competency"][:count]
            order = np.lexsort(
                (data["seq"][:count], data["rank"][:count], data["date"][:count], competency, staff)
            )
            pair = (staff[order].astype(np.int64) << 32) | competency[order]
            found = (
                count,
                order,
                pair,
                data["date"][:count][order],
                data["valid_until"][:count][order],
            )
            self._sorted = found
            return found

    def current(self, as_of: dt.date, count: int | None = None) -> np.ndarray:
        """The positions of the assessments that give the current levels on `as_of`, one per
        (person, competency) assessed, among the first `count` rows (default: all); sorted by
        staff index, then competency index.

        The rule (`reports.rules.current_assessment`): valid on the date (dated on or before it,
        no `valid_until` before it), then the latest date, the source's precedence, the one
        recorded last: the last valid row of each pair in the sort.
        """
        whole, order, pair, date, valid_until = self._by_pair()
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


class HistoryColumns:
    """One version's view of a history's columns: its first `count` rows."""

    __slots__ = ("columns", "count")

    def __init__(self, columns: Columns, count: int) -> None:
        self.columns, self.count = columns, count

    def __len__(self) -> int:
        return self.count

    def current(self, as_of: dt.date) -> np.ndarray:
        return self.columns.current(as_of, self.count)

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
            columns.extend(history.rows[len(columns) : count])
    return HistoryColumns(columns, count)
