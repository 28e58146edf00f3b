"""Choosing a cohort: active staff in a subtree, of a role, below a level, not already planned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reports.analysis import analyse
from reports.cohort import CohortCriteria, choose_cohort, cohort_plans
from store.models import PlanStatus
from tests.tui.small_org import AS_OF, build_small_org


@pytest.fixture
def analysis(tmp_path: Path):
    return analyse(build_small_org(tmp_path / "db").ds, AS_OF)


def members(cohort) -> list[str]:
    return [m.staff.employee_no for m in cohort.members]


def test_subtree_role_and_level_choose_exactly_the_people_below_it(analysis):
    cohort = choose_cohort(analysis, CohortCriteria("D2", "RPA", 3, role="CW"))
    # E1 (level 1) and E2 (not assessed, in D4 below D2); E6 is below but already planned,
    # E3 is a manager, E5 inactive, E4 in another branch.
    assert members(cohort) == ["E1", "E2"]
    assert [p.employee_no for p in cohort.already_planned] == ["E6"]
    assert {m.staff.employee_no: m.current for m in cohort.members} == {"E1": 1, "E2": None}


def test_without_role_the_whole_subtree_below_the_level_is_included(analysis):
    cohort = choose_cohort(analysis, CohortCriteria("D1", "RPA", 3))
    assert sorted(members(cohort)) == ["E1", "E2", "E4"]


def test_someone_at_the_level_is_not_below_it(analysis):
    assert members(choose_cohort(analysis, CohortCriteria("D2", "RPA", 1))) == ["E2"]


def test_planned_people_can_be_included_on_request(analysis):
    criteria = CohortCriteria("D4", "RPA", 3, skip_planned=False)
    assert sorted(members(choose_cohort(analysis, criteria))) == ["E2", "E6"]


def test_a_plan_below_the_level_does_not_count_as_covering_it(analysis):
    # E6's open plan targets 3, so for level 4 E6 is included again.
    assert "E6" in members(choose_cohort(analysis, CohortCriteria("D4", "RPA", 4)))


def test_current_level_follows_the_as_of_date(tmp_path: Path):
    ds = build_small_org(tmp_path / "db").ds
    before_assessments = analyse(ds, dt.date(2025, 1, 1))
    # Nobody was assessed yet on 2025-01-01: E3 (level 3 since 2025-06-01) was below 3 then.
    cohort = choose_cohort(before_assessments, CohortCriteria("D2", "RPA", 3, role="MG"))
    assert members(cohort) == ["E3"]


def test_cohort_plans_are_planned_with_the_target_course_and_due(analysis):
    cohort = choose_cohort(analysis, CohortCriteria("D2", "RPA", 3, role="CW"))
    due = dt.date(2026, 6, 1)
    plans = cohort_plans(cohort, due, course=None)
    assert [(p.staff, p.competency, p.target_level, p.due, p.status) for p in plans] == [
        ("E1", "RPA", 3, due, PlanStatus.PLANNED),
        ("E2", "RPA", 3, due, PlanStatus.PLANNED),
    ]
    assert cohort.first_names(1) == ["Åse [b]Ørsted[/b]"]
