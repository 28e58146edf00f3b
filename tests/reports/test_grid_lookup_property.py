"""The grid looks employee numbers up as integers when they are all of one shape
(`Grid.rows_of`, `_packed`): the rows it finds are those of the register's dict
(`Grid.row_of`) for any numbers, of one shape or not, known or not; and a person's level
found through the history's codes is the one the rules give (`tests/reports/
test_analysis_property.py` holds every figure; this holds the lookups on their own)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.analysis import Structure, _packed
from tests.reports.factory import Builder

SHAPED = st.builds(
    lambda prefix, number, width: f"{prefix}{number:0{width}d}",
    st.sampled_from(["E", "e", "X-", ""]),
    st.integers(0, 999),
    st.sampled_from([3, 3, 3, 7]),
)
ANY = st.text(st.sampled_from("E0129 é\n\x00-"), min_size=0, max_size=9)
NUMBERS = st.one_of(
    st.lists(SHAPED, max_size=12, unique=True), st.lists(ANY, max_size=12, unique=True)
)


@st.composite
def registers(draw) -> Builder:
    b = Builder().competency("C1")
    b.department("D1").department("D2", "D1")
    for no in draw(NUMBERS):
        if no.strip() and no == no.strip() and "\n" not in no and "\x00" not in no:
            b.staff(no, draw(st.sampled_from(["D1", "D2", "GONE"])), active=draw(st.booleans()))
    return b


@settings(max_examples=300, deadline=None)
@given(registers(), st.one_of(NUMBERS, st.lists(st.one_of(SHAPED, ANY), max_size=12)), st.data())
def test_rows_are_the_dicts_rows(b: Builder, asked: list[str], data) -> None:
    known = list(b.ds.staff)
    asked = asked + data.draw(st.lists(st.sampled_from(known), max_size=6)) if known else asked
    grid = Structure(b.ds).grid
    assert grid.rows_of(asked).tolist() == [grid.row_of.get(no, -1) for no in asked]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(SHAPED, ANY), min_size=1, max_size=12))
def test_packed_numbers_are_equal_exactly_when_the_texts_are(texts: list[str]) -> None:
    packed = _packed(texts)
    shape = {(len(t), t.isascii() and all(c >= " " for c in t)) for t in texts}
    assert (packed is not None) == (len(shape) == 1 and 0 < len(texts[0]) <= 8 and shape.pop()[1])
    if packed is not None:
        for i, a in enumerate(texts):
            for j, b in enumerate(texts):
                assert (packed[i] == packed[j]) == (a == b)


@settings(max_examples=150, deadline=None)
@given(registers(), st.data())
def test_levels_found_through_the_historys_codes(b: Builder, data) -> None:
    from reports import rules
    from reports.analysis import analyse

    people = [*b.ds.staff, "NOT-IN-REGISTER"]
    for no, competency, level in data.draw(
        st.lists(
            st.tuples(st.sampled_from(people), st.sampled_from(["C1", "C2"]), st.integers(0, 4)),
            max_size=8,
        )
    ):
        b.assess(no, competency, level, dt.date(2026, 1, 1))
        if no in b.ds.staff:
            b.plan(
                no,
                competency,
                level + 1,
                status=data.draw(st.sampled_from(["planned", "cancelled"])),
            )
    b.require("C1", 2, "D1")
    ds = b.ds
    analysis = analyse(ds, dt.date(2026, 1, 2))
    for no in [*people, "NEVER-SEEN"]:
        expected = {}
        for competency in ["C1", "C2", "C3"]:
            mine = [r for r in ds.assessments if (r.staff, r.competency) == (no, competency)]
            found = rules.current_assessment(mine, analysis.as_of)
            assert analysis.current_level(no, competency) == (found and found.level)
            assert analysis.current_for(no, competency) == found
            if found is not None:
                expected[competency] = found
        assert analysis.current_of(no) == expected  # one person's, worked out alone
        if no in ds.staff:
            assert [(r.competency, r.current) for r in analysis.person_rows(no)] == [
                (c, None if c not in expected else expected[c].level)
                for c in analysis.required_for(no)
            ]
            assert analysis.plans_for(no) == [
                p for p in ds.training_plans.values() if p.staff == no
            ]
