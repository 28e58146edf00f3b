"""The Overview's figures read from the analysis's arrays at once equal their readable forms
on random organisations: the largest gaps (each department's own figures, one by one), the
departments without a digital agent (each department's own active people), the ratings
expiring in every scope, and the grid's employee numbers and names of chosen rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import rules
from reports.analysis import analyse
from reports.coverage import lacks_agent, people_meeting
from reports.overview import GapCell, largest_gaps
from reports.ratings import expiring_pairs
from tests.reports.factory import Builder
from tests.reports.test_analysis_property import (
    COMPETENCIES,
    FIRST,
    TREE,
    expiring_by_rule,
    organisations,
)


def largest_gaps_by_definition(analysis, count: int) -> list[GapCell]:
    """Every department's own figures in tree order, the cells short, most short first."""
    cells = []
    for department in analysis.tree.walk():
        for code, fig in analysis.own_figures(department).competencies.items():
            if fig.staff_short > 0:
                cells.append(GapCell(code, department, fig.staff_short, fig.staff_required))
    cells.sort(key=lambda c: -c.staff_short)
    return cells[:count]


@settings(max_examples=150, deadline=None)
@given(organisations(), st.integers(-2, 40), st.integers(0, 8), st.lists(st.booleans()))
def test_largest_gaps_and_agents_as_defined(b, day: int, count: int, agents: list[bool]) -> None:
    for person, agent in zip(list(b.ds.staff.values()), agents, strict=False):
        b.ds.staff[person.employee_no] = person.model_copy(update={"digital_agent": agent})
    ds, as_of = b.ds, FIRST + dt.timedelta(days=day)
    analysis = analyse(ds, as_of)
    assert largest_gaps(analysis, count) == largest_gaps_by_definition(analysis, count)
    for code in [*TREE, "GONE", "NOWHERE"]:
        own = [p.digital_agent for p in ds.staff.values() if p.department == code and p.active]
        assert lacks_agent(analysis, code) == rules.without_digital_agent(own)


@settings(max_examples=150, deadline=None)
@given(
    organisations(),
    st.integers(-2, 40),
    st.integers(0, 6),
    st.sampled_from([*COMPETENCIES, "UNREQUIRED", "NEVER-ASSESSED"]),
)
def test_people_meeting_a_level_counted_as_defined(b, day: int, level: int, competency: str):
    """The coverage rules' counts (every department's subtree at once) are `people_meeting`'s,
    for a competency required of people, one assessed but required of nobody, and one never
    assessed."""
    analysis = analyse(b.ds, FIRST + dt.timedelta(days=day))
    departments = list(TREE)
    expected = [people_meeting(analysis, d, competency, level) for d in departments]
    assert analysis.meeting_counts(competency, level, departments) == expected


@st.composite
def expiring_soon(draw) -> Builder:
    """Everyone required every competency, many ratings lapsing within days of each other (the
    organisations of `test_analysis_property` seldom have two people with one lapsing)."""
    b = Builder()
    for code, parent in TREE.items():
        b.department(code, parent)
    for code in COMPETENCIES:
        b.competency(code).require(code, 1, "ROOT")
    people = st.tuples(
        st.sampled_from([*TREE, *TREE, "GONE"]), st.sampled_from([True, True, False])
    )
    for i, (department, active) in enumerate(draw(st.lists(people, min_size=2, max_size=6))):
        b.staff(f"E{i + 1}", department, active=active)
    staff = [*b.ds.staff] * 3
    for person, competency, day, valid in draw(
        st.lists(
            st.tuples(
                st.sampled_from([*staff, "NOT-IN-REGISTER"]),
                st.sampled_from([*COMPETENCIES * 3, "UNREQUIRED"]),
                st.integers(0, 10),
                st.sampled_from([None, *range(13)]),
            ),
            min_size=6,
            max_size=30,
        )
    ):
        date = FIRST + dt.timedelta(days=day)
        until = None if valid is None else date + dt.timedelta(days=valid)
        b.assess(person, competency, 2, date, "manager", until)
    return b


@settings(max_examples=200, deadline=None)
@given(st.one_of(organisations(), expiring_soon()), st.integers(-2, 16), st.integers(0, 12))
def test_expiring_ratings_in_every_scope_follow_the_rule(b, day: int, within: int) -> None:
    ds, as_of = b.ds, FIRST + dt.timedelta(days=day)
    analysis = analyse(ds, as_of)
    for scope in [None, *TREE]:
        expected = expiring_by_rule(ds, analysis, scope, as_of, within)
        last = as_of + dt.timedelta(days=within)
        assert analysis.current_valid_until(scope, as_of, last) == expected  # person, competency
        expected.sort(key=lambda p: p[2])
        assert [tuple(p) for p in expiring_pairs(analysis, scope, within)] == expected


@settings(max_examples=100, deadline=None)
@given(organisations(), st.data())
def test_numbers_and_names_of_rows(b, data) -> None:
    grid = analyse(b.ds, FIRST).grid
    rows = np.array(data.draw(st.lists(st.integers(0, len(grid.people) - 1), max_size=8)), np.intp)
    people = [grid.people[r] for r in rows.tolist()]
    assert grid.employee_nos_of(rows) == [p.employee_no for p in people]
    assert grid.numbers_and_names(rows) == (
        [p.employee_no for p in people],
        [p.name for p in people],
    )
