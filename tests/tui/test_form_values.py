"""What the requirement and cohort forms make of typed text (pure functions, no app)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.dataset import Dataset
from tests.tui.small_org import build_small_org
from tui.forms.cohort import criteria_from_values
from tui.forms.requirement import requirement_from_values


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return build_small_org(Path(tmp_path_factory.mktemp("org")) / "db").ds


def test_a_complete_requirement(ds):
    values = {"department": " D2 ", "role": "CW", "competency": "SEC", "level": "4"}
    requirement, problems = requirement_from_values(ds, {**values, "due": "2027-01-31"})
    assert problems == {}
    assert (requirement.department, requirement.role, requirement.level) == ("D2", "CW", 4)
    assert requirement.due == dt.date(2027, 1, 31) and requirement.theme is None


def test_every_wrong_field_is_named_at_once(ds):
    values = {"department": "XX", "role": "ZZ", "competency": "RPA", "level": "x", "due": "1/2"}
    _, problems = requirement_from_values(ds, {**values, "theme": "T9"})
    assert problems["department"] == "unknown department 'XX'"
    assert problems["role"] == "unknown role 'ZZ'"
    assert problems["theme"] == "unknown theme 'T9'"
    assert problems["level"] == "not a whole number: 'x'"
    assert problems["due"].startswith("not a date")
    assert "competency" not in problems


def test_level_outside_the_competency_scale(ds):
    values = {"department": "D1", "competency": "RPA", "level": "9"}
    requirement, problems = requirement_from_values(ds, values)
    assert requirement is None
    assert "9 is outside the ORG scale" in problems["level"]
    _, problems = requirement_from_values(ds, {**values, "level": "0"})
    assert "level" in problems


def test_required_fields(ds):
    _, problems = requirement_from_values(ds, {})
    assert set(problems) == {"department", "competency", "level"}


def test_cohort_criteria(ds):
    values = {"department": "D2", "role": "", "competency": "RPA", "level": "3"}
    criteria, due, course, problems = criteria_from_values(ds, {**values, "due": "2026-06-01"})
    assert problems == {}
    assert (criteria.department, criteria.role, criteria.competency, criteria.level) == (
        "D2",
        None,
        "RPA",
        3,
    )
    assert (due, course) == (dt.date(2026, 6, 1), None)


def test_cohort_criteria_problems(ds):
    values = {"department": "D2", "competency": "RPA", "level": "6", "course": "K1", "due": ""}
    criteria, _, _, problems = criteria_from_values(ds, values)
    assert criteria is None
    assert "outside the ORG scale" in problems["level"]
    assert problems["course"] == "unknown course 'K1'"
    assert problems["due"] == "a due date is required (YYYY-MM-DD)"
