"""The columnar history (`store.columns`) picks exactly the assessments the readable rule picks
(`reports.rules.current_assessment`), on random histories and random as-of dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import rules
from store.columns import CODED, Columns, columns_of
from store.dataset import AssessmentRow, HistoryView

SOURCES = ["self", "manager", "test", "training"]
FIRST = dt.date(2024, 1, 1)
_days = st.integers(0, 40)  # few days: many rows share a date, so ties are the common case

_records = st.lists(
    st.tuples(
        st.sampled_from(["E1", "E2", "E3"]),
        st.sampled_from(["C1", "C2"]),
        st.integers(0, 8),
        _days,
        st.sampled_from(SOURCES),
        st.one_of(st.none(), st.integers(-2, 15)),  # valid for so many days (before it: never)
    ),
    max_size=40,
)


def history(records: list) -> list[AssessmentRow]:
    return [
        AssessmentRow(
            staff,
            competency,
            level,
            FIRST + dt.timedelta(days=day),
            source,
            None,
            None if valid is None else FIRST + dt.timedelta(days=day + valid),
            "",
            seq,
        )
        for seq, (staff, competency, level, day, source, valid) in enumerate(records)
    ]


def by_rule(rows: list[AssessmentRow], as_of: dt.date) -> dict[tuple[str, str], AssessmentRow]:
    """The readable rule, pair by pair."""
    pairs = {(r.staff, r.competency) for r in rows}
    found = {}
    for staff, competency in pairs:
        mine = [r for r in rows if r.staff == staff and r.competency == competency]
        best = rules.current_assessment(mine, as_of)
        if best is not None:
            found[(staff, competency)] = best
    return found


def by_columns(
    rows: list[AssessmentRow], positions, as_of_rows=None
) -> dict[tuple[str, str], AssessmentRow]:
    picked = [rows[p] for p in positions.tolist()]
    found = {(r.staff, r.competency): r for r in picked}
    assert len(found) == len(picked), "one row per (person, competency)"
    return found


@settings(max_examples=300, deadline=None)
@given(_records, st.lists(st.integers(-3, 60), min_size=1, max_size=4))
def test_current_is_the_rule_on_every_date(records: list, days: list[int]) -> None:
    rows = history(records)
    columns = Columns.from_rows(rows)
    for day in days:  # one sort serves every date (future rows included: dated after as_of)
        as_of = FIRST + dt.timedelta(days=day)
        assert by_columns(rows, columns.current(as_of)) == by_rule(rows, as_of)


@settings(max_examples=150, deadline=None)
@given(_records, st.integers(0, 40), st.integers(-3, 60))
def test_recording_order_is_seq_not_position(records: list, shift: int, day: int) -> None:
    """Rows given out of recording order (as a server may send them) still rank by `seq`."""
    rows = history(records)
    shuffled = rows[shift % (len(rows) or 1) :] + rows[: shift % (len(rows) or 1)]
    as_of = FIRST + dt.timedelta(days=day)
    assert by_columns(shuffled, Columns.from_rows(shuffled).current(as_of)) == by_rule(rows, as_of)


@settings(max_examples=150, deadline=None)
@given(_records, _records, st.integers(-3, 60))
def test_columns_follow_a_growing_history(first: list, then: list, day: int) -> None:
    """A saved version's columns catch up with the rows a save appended; an older version keeps
    seeing only its own rows; rows a failed save left past the end are cut from the columns."""
    rows = history(first + then)
    as_of = FIRST + dt.timedelta(days=day)
    older = HistoryView(rows[: len(first)])
    assert by_columns(rows, columns_of(older).current(as_of)) == by_rule(rows[: len(first)], as_of)
    newer = older.extended(rows[len(first) :])
    assert by_columns(rows, columns_of(newer).current(as_of)) == by_rule(rows, as_of)
    assert by_columns(rows, columns_of(older).current(as_of)) == by_rule(rows[: len(first)], as_of)

    failed = newer.appender()  # a transaction that appends and is never committed...
    for extra in history(then):
        failed.append(extra._replace(seq=len(failed), level=9))
    columns_of(failed.frozen())
    again = newer.extended([])  # ...is cut off by the next save
    assert by_columns(rows, columns_of(again).current(as_of)) == by_rule(rows, as_of)


def test_codes_map_back_and_columns_hold_the_values() -> None:
    rows = history([("E2", "C1", 3, 0, "test", 5), ("E1", "C2", 1, 1, "bogus", None)])
    columns = Columns.from_rows(rows)
    arrays = columns.arrays()
    assert columns.staff_list() == ["E2", "E1"] and columns.competency_list() == ["C1", "C2"]
    assert arrays["level"].tolist() == [3, 1]
    assert arrays["rank"].tolist() == [rules.SOURCE_PRECEDENCE["test"], -1]
    assert arrays["date"].tolist() == [FIRST.toordinal(), FIRST.toordinal() + 1]
    assert arrays["seq"].tolist() == [0, 1]


@settings(max_examples=150, deadline=None)
@given(_records, _records, st.lists(st.integers(-50, 50), max_size=6), st.booleans())
def test_a_history_over_columns_reads_as_its_rows(
    head: list, tail: list, picks: list[int], whole_first: bool
) -> None:
    """A history opened from a snapshot's columns (rows made only when all are needed) reads,
    appends and cuts exactly as the list of its rows."""
    rows = history(head + tail)
    lazy = HistoryView.over_columns(Columns.from_rows(rows[: len(head)]), rows[len(head) :])
    if whole_first:
        assert list(lazy) == rows  # made whole before anything else
    assert len(lazy) == len(rows)
    for pick in picks:
        if -len(rows) <= pick < len(rows):
            assert lazy[pick] == rows[pick]
    assert lazy[1:4] == rows[1:4] and lazy[len(head) :] == rows[len(head) :]
    assert lazy[::2] == rows[::2]

    more = history(tail)
    more = [r._replace(seq=len(rows) + i) for i, r in enumerate(more)]
    failed = lazy.appender()
    for extra in more:
        failed.append(extra._replace(level=9))  # never committed...
    newer = lazy.extended(more)  # ...and cut off by the next save
    assert list(newer) == rows + more and list(lazy) == rows
    assert newer[len(rows) :] == more
    for day in (0, 20, 60):
        as_of = FIRST + dt.timedelta(days=day)
        assert by_columns(rows + more, columns_of(newer).current(as_of)) == by_rule(
            rows + more, as_of
        )


@settings(max_examples=150, deadline=None)
@given(_records, st.integers(-3, 60), st.randoms(use_true_random=False))
def test_stored_columns_and_their_order_read_back_or_are_refused(
    records: list, day: int, shuffle
) -> None:
    """Columns rebuilt from their arrays and stored sort order (a snapshot) pick what the rule
    picks; an order that does not sort them is refused, never used."""
    rows = history(records)
    columns = Columns.from_rows(rows)
    codes = {name: list(columns.codes[name]) for name in CODED}
    arrays = columns.arrays()
    order = columns.sort_order(len(rows))
    again = Columns.from_arrays(codes, arrays, order)
    as_of = FIRST + dt.timedelta(days=day)
    assert by_columns(rows, again.current(as_of)) == by_rule(rows, as_of)
    assert again.rows() == rows

    shuffled = order.copy()
    shuffle.shuffle(shuffled)
    if not np.array_equal(shuffled, order):
        keys = [(r.staff, r.competency) for r in rows]
        ranked = [
            (columns.staff_codes[r.staff], columns.competency_codes[r.competency])
            + rules.assessment_rank(r)
            for r in rows
        ]
        if [ranked[i] for i in shuffled] != sorted(ranked) and keys:
            with pytest.raises(ValueError):
                Columns.from_arrays(codes, arrays, shuffled)


@settings(max_examples=150, deadline=None)
@given(_records, st.data())
def test_a_stored_order_gives_the_sort_it_stands_for_and_a_repeated_position_is_refused(
    records: list, data: st.DataObject
) -> None:
    """From a stored order, the sort `current` works on is the one sorting the rows makes (the
    pair and the date read back out of the packed key, not gathered); an order listing one
    position twice (and so missing another) is refused, however it is placed."""
    rows = history(records)
    columns = Columns.from_rows(rows)
    codes = {name: list(columns.codes[name]) for name in CODED}
    order = columns.sort_order(len(rows))
    stored = Columns.from_arrays(codes, columns.arrays(), order)._by_pair()
    sorted_ = columns._by_pair()
    assert stored[0] == sorted_[0]
    for mine, theirs in zip(stored[1:], sorted_[1:], strict=True):
        assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs)

    if len(rows) >= 2:
        at, twice = data.draw(st.lists(st.integers(0, len(rows) - 1), min_size=2, max_size=2))
        if order[at] != order[twice]:
            repeated = order.copy()
            repeated[at] = order[twice]
            with pytest.raises(ValueError):
                Columns.from_arrays(codes, columns.arrays(), repeated)
    with pytest.raises(ValueError):
        Columns.from_arrays(codes, columns.arrays(), np.append(order, len(rows)))
