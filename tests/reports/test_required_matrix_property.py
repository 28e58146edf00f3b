"""The required levels of every (department, role) worked out at once as a matrix
(`Structure.required_of_kinds`, the grid's `required`) are `required_for_pair`'s, the
readable `rules.required_levels` asked one kind at a time, on random trees and requirements:
inherited down the tree, on a role or none, several on one competency, on a
department the tree does not hold or no one works in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.analysis import Structure
from tests.reports.factory import Builder

DEPARTMENTS = {"ROOT": None, "A": "ROOT", "A1": "A", "B": "ROOT", "C": "B"}
PLACES = [*DEPARTMENTS, "GONE", "ELSEWHERE"]  # not in the tree
ROLES = [None, "r1", "r2", "r3"]
COMPETENCIES = ["C1", "C2", "C10", "X"]


@st.composite
def organisations(draw) -> Builder:
    b = Builder()
    for code, parent in DEPARTMENTS.items():
        b.department(code, parent)
    for i, (department, role) in enumerate(
        draw(st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(ROLES)), max_size=10))
    ):
        b.staff(f"E{i + 1}", department, role, active=draw(st.booleans()))
    for competency, level, department, role in draw(
        st.lists(
            st.tuples(
                st.sampled_from(COMPETENCIES),
                st.integers(1, 4),
                st.sampled_from(PLACES),
                st.sampled_from(ROLES),
            ),
            max_size=12,
        )
    ):
        b.require(competency, level, department, role)
    return b


@settings(max_examples=300, deadline=None)
@given(organisations(), st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(ROLES))))
def test_required_matrix_is_required_for_pair(b: Builder, asked) -> None:
    structure = Structure(b.ds)
    kinds = list(dict.fromkeys(asked))
    names, levels = structure.required_of_kinds(kinds)
    pairs = [structure.required_for_pair(*kind) for kind in kinds]
    assert names == structure.sort_competencies({c for found in pairs for c in found})
    assert levels.shape == (len(kinds), len(names))
    for row, found in zip(levels.tolist(), pairs, strict=True):
        assert {c: level for c, level in zip(names, row, strict=True) if level} == found

    grid = structure.grid
    for row, person in enumerate(grid.people):
        wanted = structure.required_for_pair(person.department, person.role)
        expected = [wanted.get(c, 0) if person.active else 0 for c in grid.competencies]
        assert grid.required[row].tolist() == expected
