"""The array-based Analysis gives the figures the readable rules give (`reports.rules`), on
random organisations: staff active or not, roles, requirements inherited down the tree, open
and closed plans, histories with same-date ties, expiry and future rows, at random dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import rules
from reports.analysis import GapRow, analyse
from reports.ratings import expiring_pairs
from reports.trend import ReadinessSweep, readiness_trend
from tests.reports.factory import Builder

FIRST = dt.date(2024, 1, 1)
TREE = {"ROOT": None, "A": "ROOT", "A1": "A", "B": "ROOT"}
COMPETENCIES = ["C1", "C2", "C10"]
SOURCES = ["self", "manager", "test", "training"]


@st.composite
def organisations(draw) -> Builder:
    b = Builder()
    for code, parent in TREE.items():
        b.department(code, parent)
    for c in COMPETENCIES:
        b.competency(c)
    people = draw(
        st.lists(
            st.tuples(
                st.sampled_from([*TREE, "GONE"]),  # GONE: a department not in the register
                st.sampled_from([None, "r1", "r2"]),
                st.booleans(),
            ),
            min_size=1,
            max_size=5,
        )
    )
    for i, (department, role, active) in enumerate(people):
        b.staff(f"E{i + 1}", department, role, active=active)
    staff = list(b.ds.staff)
    for department, role, competency, level in draw(
        st.lists(
            st.tuples(
                st.sampled_from(["ROOT", "ROOT", *TREE]),  # most apply to many people
                st.sampled_from([None, None, "r1", "r2"]),
                st.sampled_from(COMPETENCIES),
                st.integers(1, 3),
            ),
            min_size=1,
            max_size=6,
        )
    ):
        b.require(competency, level, department, role)
    for person, competency, target, status in draw(
        st.lists(
            st.tuples(
                st.sampled_from(staff),
                st.sampled_from(COMPETENCIES),
                st.integers(1, 3),
                st.sampled_from(["planned", "in_progress", "completed", "cancelled"]),
            ),
            max_size=12,
        )
    ):
        b.plan(person, competency, target, status)
    for person, competency, level, day, source, valid in draw(
        st.lists(
            st.tuples(
                st.sampled_from([*staff, *staff, "NOT-IN-REGISTER"]),
                st.sampled_from([*COMPETENCIES, *COMPETENCIES, "UNREQUIRED"]),
                st.integers(0, 5),
                st.integers(0, 30),
                st.sampled_from(SOURCES),
                st.one_of(st.none(), st.integers(0, 10), st.integers(5, 20)),
            ),
            min_size=4,
            max_size=40,
        )
    ):
        date = FIRST + dt.timedelta(days=day)
        until = None if valid is None else date + dt.timedelta(days=valid)
        b.assess(person, competency, level, date, source, until)
    return b


def level_by_rule(ds, employee_no: str, competency: str, as_of: dt.date) -> int | None:
    mine = [r for r in ds.assessments if r.staff == employee_no and r.competency == competency]
    found = rules.current_assessment(mine, as_of)
    return None if found is None else found.level


def required_by_rule(ds, analysis, person) -> dict[str, int]:
    chain = analysis.structure.chain(person.department)
    return {
        c: level
        for c in COMPETENCIES
        if (
            level := rules.required_level(
                [r for r in ds.requirements.values() if r.competency == c], chain, person.role
            )
        )
        is not None
    }


def expiring_by_rule(ds, analysis, scope, as_of: dt.date, within: int) -> list[tuple]:
    """(person, competency, valid until) of each required pair in `scope` whose current rating
    lapses within `within` days, worked out with the rules alone, in the people's order."""
    found = []
    for person in analysis.staff_in_scope(scope):
        for competency in required_by_rule(ds, analysis, person):
            mine = [
                r
                for r in ds.assessments
                if (r.staff, r.competency) == (person.employee_no, competency)
            ]
            current = rules.current_assessment(mine, as_of)
            if current is not None and rules.is_expiring(current.valid_until, as_of, within):
                found.append((person.employee_no, competency, current.valid_until))
    return found


def figures_by_rule(ds, analysis, code: str | None, as_of: dt.date) -> dict:
    """Department figures, each pair worked out with the rules alone."""
    people = [
        p
        for p in ds.staff.values()
        if p.active and (code is None or code in analysis.structure.chain(p.department))
    ]
    figures: dict[str, list[int]] = {}
    for person in people:
        for competency, required in required_by_rule(ds, analysis, person).items():
            current = level_by_rule(ds, person.employee_no, competency, as_of)
            counter = figures.setdefault(competency, [0, 0, 0, 0, 0])
            counter[0] += 1
            counter[1] += rules.meets(required, current)
            counter[2] += current is None
            counter[3] += rules.gap(required, current) > 0 and any(
                rules.plan_covers(p, required)
                for p in ds.training_plans.values()
                if (p.staff, p.competency) == (person.employee_no, competency)
            )
            counter[4] += rules.gap(required, current)
    return {"staff": len(people), "competencies": figures}


def figures_by_analysis(analysis, code: str | None) -> dict:
    found = analysis.department_figures(code)
    return {
        "staff": found.staff_count,
        "competencies": {
            c: [
                f.staff_required,
                f.staff_meeting,
                f.not_assessed,
                f.gaps_with_open_training,
                f.total_gap,
            ]
            for c, f in found.competencies.items()
        },
    }


@settings(max_examples=120, deadline=None)
@given(organisations(), st.integers(-2, 40))
def test_figures_gaps_and_levels_follow_the_rules(b: Builder, day: int) -> None:
    ds, as_of = b.ds, FIRST + dt.timedelta(days=day)
    analysis = analyse(ds, as_of)
    for code in [None, *TREE]:
        assert figures_by_analysis(analysis, code) == figures_by_rule(ds, analysis, code, as_of)
    for person in ds.staff.values():
        for competency in [*COMPETENCIES, "UNREQUIRED"]:
            expected = level_by_rule(ds, person.employee_no, competency, as_of)
            assert analysis.current_level(person.employee_no, competency) == expected
            row = analysis.current_for(person.employee_no, competency)
            assert (None if row is None else row.level) == expected
        assert analysis.history_for(person.employee_no) == [
            r for r in ds.assessments if r.staff == person.employee_no
        ]
    gaps = {(g.employee_no, g.competency): g for g in analysis.gap_rows(None)}
    for person in ds.staff.values():
        if not person.active:
            continue
        for competency, required in required_by_rule(ds, analysis, person).items():
            current = level_by_rule(ds, person.employee_no, competency, as_of)
            if rules.gap(required, current):
                g = gaps.pop((person.employee_no, competency))
                assert g == GapRow(
                    person.employee_no,
                    person.department,
                    competency,
                    required,
                    current,
                    rules.gap(required, current),
                    g.training_planned,
                )
    assert gaps == {}, "no gap row beyond the rule's"


@settings(max_examples=200, deadline=None)
@given(organisations(), st.integers(-2, 35), st.integers(0, 12), st.sampled_from([None, "ROOT"]))
def test_expiring_ratings_follow_the_rule(b: Builder, day: int, within: int, scope) -> None:
    ds, as_of = b.ds, FIRST + dt.timedelta(days=day)
    ends = sorted(
        {r.valid_until for r in ds.assessments if r.valid_until and r.valid_until >= as_of}
    )
    if ends and within % 2:  # half the time the window ends on a day a rating lapses
        within = (ends[within % len(ends)] - as_of).days
    analysis = analyse(ds, as_of)
    expected = expiring_by_rule(ds, analysis, scope, as_of, within)
    expected.sort(key=lambda p: p[2])
    assert [tuple(p) for p in expiring_pairs(analysis, scope, within)] == expected


@settings(max_examples=80, deadline=None)
@given(organisations(), st.lists(st.integers(-2, 40), min_size=1, max_size=4, unique=True))
def test_trend_is_readiness_by_the_rules_at_each_date(b: Builder, days: list[int]) -> None:
    ds = b.ds
    dates = sorted(FIRST + dt.timedelta(days=d) for d in days)
    analysis = analyse(ds, dates[-1])
    trend = readiness_trend(analysis, "ROOT", dates)
    assert [line.code for line in trend.lines] == ["ROOT", "A", "B"]
    for line in trend.lines:
        expected = []
        for as_of in dates:
            figures = figures_by_rule(ds, analysis, line.code, as_of)["competencies"].values()
            expected.append(
                rules.readiness_pct(sum(f[1] for f in figures), sum(f[0] for f in figures))
            )
        assert line.readiness == expected

    pairs = {  # a theme's pairs, given one by one (the strategy report)
        p.employee_no: {c: (level, 0) for c, level in required_by_rule(ds, analysis, p).items()}
        for p in analysis.staff_in_scope(None)
    }
    met = ReadinessSweep(ds.assessments, pairs, 1).met_at(dates)
    assert met == [
        [
            sum(
                rules.meets(level, level_by_rule(ds, no, c, as_of))
                for no, levels in pairs.items()
                for c, (level, _) in levels.items()
            )
        ]
        for as_of in dates
    ]
