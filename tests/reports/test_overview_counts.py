"""The Overview's overdue-training and digital-agent figures, counted the quick way, equal their
readable definitions on random organisations (inactive people, people in departments the
register does not know, plans of people it does not know, every status)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import rules
from reports.analysis import analyse
from reports.coverage import departments_without_agent
from reports.overview import overdue_training_count
from tests.reports.factory import Builder, D

AS_OF = D(2026, 3, 31)
DEPARTMENTS = [("ORG", None), ("SOC", "ORG"), ("SOC-A", "SOC"), ("SOC-B", "SOC"), ("KUL", "ORG")]
PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["ORG", "SOC", "SOC-A", "SOC-B", "KUL", "GONE"]),  # GONE: not registered
        st.booleans(),  # active
        st.booleans(),  # digital agent
    ),
    max_size=12,
)
PLANS = st.lists(
    st.tuples(
        st.integers(0, 13),  # whose: past the people drawn, someone the register does not know
        st.sampled_from(["planned", "in_progress", "completed", "cancelled"]),
        st.one_of(st.none(), st.integers(-40, 40)),  # due, in days from the as-of date
    ),
    max_size=15,
)


def organisation(people: list, plans: list) -> Builder:
    b = Builder().competency("C")
    for code, parent in DEPARTMENTS:
        b.department(code, parent)
    for number, (department, active, agent) in enumerate(people):
        b.staff(f"E{number}", department, active=active, agent=agent)
    for whose, status, due in plans:
        when = None if due is None else D(2026, 3, 31).fromordinal(AS_OF.toordinal() + due)
        b.plan(f"E{whose}", "C", 3, status=status, due=when)
    return b


@settings(max_examples=150, deadline=None)
@given(PEOPLE, PLANS)
def test_overdue_plans_and_departments_without_an_agent_as_defined(people, plans) -> None:
    analysis = analyse(organisation(people, plans).ds, AS_OF)
    for scope in [None, *(code for code, _ in DEPARTMENTS)]:
        in_scope = {p.employee_no for p in analysis.staff_in_scope(scope)}
        overdue = [
            plan
            for plan in analysis.ds.training_plans.values()
            if plan.staff in in_scope and rules.plan_is_overdue(plan, AS_OF)
        ]
        assert overdue_training_count(analysis, scope) == len(overdue)
        lacking = [
            code
            for code in analysis.tree.walk(scope)
            if rules.without_digital_agent(
                p.digital_agent
                for p in analysis.ds.staff.values()
                if p.department == code and p.active
            )
        ]
        assert departments_without_agent(analysis, scope) == lacking
