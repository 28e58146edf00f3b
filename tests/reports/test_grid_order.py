"""The analysis's grid lists people by department (departments in the order their first person
comes), each department's people by employee number in natural order ('E2' before 'E10',
case ignored, ties in the register's order): `Structure.staff_by_department` and the grid rows
are built from columns in one pass over the register (issue 14), and must stay exactly that."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import rules
from reports.analysis import Structure, _natural_order, analyse
from reports.tree import natural_key
from tests.reports.factory import Builder

DEPARTMENTS = ["D1", "D2", "D10", "GONE"]  # GONE: a department not in the register
NUMBERS = st.text(st.sampled_from("eE0129a"), min_size=1, max_size=4)


@st.composite
def registers(draw) -> Builder:
    b = Builder()
    for code in DEPARTMENTS[:3]:
        b.department(code, None if code == "D1" else "D1")
    for code in ("C1", "C2", "C10"):
        b.competency(code)
    for no in draw(st.lists(NUMBERS, min_size=0, max_size=12, unique=True)):
        department = draw(st.sampled_from(DEPARTMENTS))
        b.staff(no, department, draw(st.sampled_from([None, "r1", "r2"])), draw(st.booleans()))
    for department, role, competency in draw(
        st.lists(
            st.tuples(
                st.sampled_from(DEPARTMENTS),
                st.sampled_from([None, "r1"]),
                st.sampled_from(["C1", "C2", "C10"]),
            ),
            max_size=4,
        )  # fmt: skip
    ):
        b.require(competency, 2, department, role)
    return b


@given(registers())
@settings(max_examples=300, deadline=None)
def test_people_are_grouped_by_department_in_natural_order(b: Builder) -> None:
    ds = b.ds
    expected: dict[str, list] = {}
    for no in sorted(ds.staff, key=natural_key):
        expected.setdefault(ds.staff[no].department, []).append(ds.staff[no])
    structure = Structure(ds)
    assert structure.staff_by_department == expected
    assert list(structure.staff_by_department) == list(expected)

    grid = structure.grid
    people = [p for d in expected for p in expected[d]]
    assert grid.people == people
    assert grid.row_of == {p.employee_no: i for i, p in enumerate(people)}
    assert grid.active.tolist() == [p.active for p in people]
    for row, person in enumerate(people):
        required = structure.required_for_pair(person.department, person.role)
        for column, competency in enumerate(grid.competencies):
            wanted = required.get(competency, 0) if person.active else 0
            assert grid.required[row, column] == wanted
    assert np.array_equal(grid.starts, np.cumsum([0, *(len(expected[d]) for d in expected)]))
    analysis = analyse(ds, dt.date(2026, 1, 1))
    assert analysis.department_figures(None).staff_count == sum(p.active for p in people)
    gaps = {(g.employee_no, g.competency) for g in analysis.gap_rows(None)}
    assert gaps == {
        (p.employee_no, c)
        for p in people
        for c, level in structure.required_for_pair(p.department, p.role).items()
        if p.active and rules.gap(level, None)
    }


SHAPED = st.lists(
    st.tuples(st.sampled_from(["E", "e", "Ab", "aB", "X-"]), st.integers(0, 999)),
    max_size=30,
)


@given(SHAPED, st.sampled_from([1, 3, 4]))
@settings(max_examples=300, deadline=None)
def test_numbers_of_one_shape_sort_as_natural_key_sorts_them(parts, width: int) -> None:
    texts = [f"{prefix}{number:0{width}d}" for prefix, number in parts]
    assert [texts[i] for i in _natural_order(texts)] == sorted(texts, key=natural_key)


@given(st.lists(st.text(st.sampled_from("eE0129aß-İ\n\x00"), min_size=0, max_size=4), max_size=20))
@settings(max_examples=300, deadline=None)
def test_any_numbers_sort_as_natural_key_sorts_them(texts: list[str]) -> None:
    assert [texts[i] for i in _natural_order(texts)] == sorted(texts, key=natural_key)


@given(st.lists(st.text(st.sampled_from("aB1\n\x00é"), min_size=3, max_size=3), max_size=20))
@settings(max_examples=300, deadline=None)
def test_numbers_of_one_length_sort_as_natural_key_sorts_them(texts: list[str]) -> None:
    assert [texts[i] for i in _natural_order(texts)] == sorted(texts, key=natural_key)
