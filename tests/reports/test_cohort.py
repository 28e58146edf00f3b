"""Choosing a cohort: active staff in a subtree, of a role, required to reach a level (or, on
request, everyone) below it, not already planned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reports.analysis import analyse
from reports.cohort import CohortCriteria, EmptyCohort, choose_cohort, cohort_plans
from store.models import PlanStatus, Requirement, TrainingPlan
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
    # E6's open plan targets 3, so for level 4 E6 is included again (level 4 is required of
    # nobody: only everyone below it can be chosen).
    criteria = CohortCriteria("D4", "RPA", 4, everyone_below=True)
    assert "E6" in members(choose_cohort(analysis, criteria))


@pytest.fixture
def sec_analysis(tmp_path: Path):
    """SEC level 2 is required of caseworkers (CW) in D2 and below only; nobody is assessed."""
    repo = build_small_org(tmp_path / "db")
    repo.put(Requirement(competency="SEC", level=2, department="D2", role="CW"))
    return analyse(repo.ds, AS_OF)


def test_by_default_only_the_people_required_to_reach_the_level_are_chosen(sec_analysis):
    cohort = choose_cohort(sec_analysis, CohortCriteria("D2", "SEC", 2))
    # E3 in D2 is a manager: below level 2 but not required to reach it, so left out.
    assert members(cohort) == ["E1", "E2", "E6"]
    assert (cohort.in_scope, cohort.required, cohort.below) == (4, 3, 3)
    assert cohort.already_planned == []


def test_everyone_below_the_level_is_an_explicit_choice(sec_analysis):
    cohort = choose_cohort(sec_analysis, CohortCriteria("D2", "SEC", 2, everyone_below=True))
    assert members(cohort) == ["E1", "E3", "E2", "E6"]
    assert (cohort.in_scope, cohort.required, cohort.below) == (4, 3, 4)


def test_a_requirement_below_the_chosen_level_is_not_required_to_reach_it(sec_analysis):
    cohort = choose_cohort(sec_analysis, CohortCriteria("D2", "SEC", 3))
    assert (members(cohort), cohort.required) == ([], 0)
    assert cohort.why_empty() == "nobody in scope is required to reach level 3 in SEC"
    with pytest.raises(EmptyCohort, match="required to reach level 3 in SEC: no plans"):
        cohort_plans(cohort, AS_OF)


def test_an_empty_cohort_says_why(sec_analysis, tmp_path: Path):
    nobody = choose_cohort(sec_analysis, CohortCriteria("D3", "SEC", 2, role="MG"))
    assert nobody.why_empty() == "nobody in scope: no active staff in D3 or below with role MG"
    met = choose_cohort(sec_analysis, CohortCriteria("D2", "RPA", 3, role="MG"))  # E3 has it
    assert met.why_empty() == "everyone in scope required to reach level 3 in RPA has it"
    repo = build_small_org(tmp_path / "planned")
    repo.put(Requirement(competency="SEC", level=2, department="D3"))
    repo.put(TrainingPlan(staff="E4", competency="SEC", target_level=2))
    planned = choose_cohort(analyse(repo.ds, AS_OF), CohortCriteria("D3", "SEC", 2))
    assert (
        planned.why_empty() == "everyone below level 2 in SEC already has an open plan reaching it"
    )


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
