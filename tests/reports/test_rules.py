"""Each rule of docs/rules.md, as a pure function."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import rules
from reports.analysis import current_index
from store.models import PhaseChange, Requirement, Robot
from tests.reports.factory import D, row


class TestCurrentAssessment:
    def test_latest_dated_on_or_before_as_of(self) -> None:
        rows = [row("E1", "C", 2, D(2024, 1, 1), seq=0), row("E1", "C", 4, D(2024, 6, 1), seq=1)]
        assert rules.current_assessment(rows, D(2024, 5, 31)).level == 2
        assert rules.current_assessment(rows, D(2024, 6, 1)).level == 4
        assert rules.current_assessment(rows, D(2023, 12, 31)) is None

    def test_recording_order_does_not_beat_date(self) -> None:
        rows = [row("E1", "C", 4, D(2024, 6, 1), seq=0), row("E1", "C", 2, D(2024, 1, 1), seq=1)]
        assert rules.current_assessment(rows, D(2024, 12, 1)).level == 4

    @pytest.mark.parametrize(
        ("winner", "loser"),
        [("test", "manager"), ("manager", "training"), ("training", "self"), ("test", "self")],
    )
    def test_same_date_source_precedence(self, winner: str, loser: str) -> None:
        # the loser is recorded last, so only precedence can make the winner win
        rows = [
            row("E1", "C", 5, D(2024, 3, 1), winner, seq=0),
            row("E1", "C", 1, D(2024, 3, 1), loser, seq=1),
        ]
        assert rules.current_assessment(rows, D(2024, 3, 1)).source == winner

    def test_same_date_same_source_recorded_last_wins(self) -> None:
        rows = [
            row("E1", "C", 5, D(2024, 3, 1), "manager", seq=7),
            row("E1", "C", 3, D(2024, 3, 1), "manager", seq=9),
        ]
        assert rules.current_assessment(rows, D(2024, 4, 1)).level == 3

    def test_expired_assessment_no_longer_counts(self) -> None:
        rows = [
            row("E1", "C", 2, D(2023, 1, 1), seq=0),
            row("E1", "C", 5, D(2024, 1, 1), "test", valid_until=D(2024, 12, 31), seq=1),
        ]
        assert rules.current_assessment(rows, D(2024, 12, 31)).level == 5  # last valid day
        assert rules.current_assessment(rows, D(2025, 1, 1)).level == 2  # expired: older counts

    def test_only_expired_means_not_assessed(self) -> None:
        rows = [row("E1", "C", 5, D(2024, 1, 1), valid_until=D(2024, 2, 1))]
        assert rules.current_assessment(rows, D(2024, 3, 1)) is None


class TestRequiredLevel:
    reqs = [
        Requirement(competency="C", level=2, department="ROOT"),
        Requirement(competency="C", level=4, department="CHILD", role="nurse"),
        Requirement(competency="C", level=3, department="OTHER"),
    ]

    def test_inherited_from_above(self) -> None:
        assert rules.required_level(self.reqs, ["GRANDCHILD", "CHILD", "ROOT"], "clerk") == 2

    def test_role_specific_and_highest_wins(self) -> None:
        assert rules.required_level(self.reqs, ["CHILD", "ROOT"], "nurse") == 4

    def test_role_specific_does_not_apply_to_other_roles(self) -> None:
        assert rules.required_level(self.reqs, ["CHILD", "ROOT"], None) == 2

    def test_not_required_outside_the_subtree(self) -> None:
        assert rules.required_level(self.reqs, ["ELSEWHERE"], "nurse") is None

    def test_required_levels_agrees_per_competency(self) -> None:
        reqs = [*self.reqs, Requirement(competency="X", level=1, department="ROOT")]
        assert rules.required_levels(reqs, ["CHILD", "ROOT"], "nurse") == {"C": 4, "X": 1}


class TestGapAndReadiness:
    def test_gap(self) -> None:
        assert rules.gap(4, 1) == 3
        assert rules.gap(4, 6) == 0
        assert rules.gap(3, None) == 3  # not assessed counts as level 0

    def test_meets(self) -> None:
        assert rules.meets(3, 3)
        assert not rules.meets(3, 2)
        assert not rules.meets(1, None)

    def test_readiness(self) -> None:
        assert rules.readiness_pct(3, 4) == 75.0
        assert rules.readiness_pct(0, 0) is None

    def test_cell_state(self) -> None:
        assert rules.cell_state(3, 3) is rules.CellState.MEETS
        assert rules.cell_state(3, 2) is rules.CellState.SHORT_1
        assert rules.cell_state(3, 1) is rules.CellState.SHORT_2
        assert rules.cell_state(3, None) is rules.CellState.NOT_ASSESSED


class TestRobots:
    def test_benefit_realisation(self) -> None:
        assert rules.benefit_realisation(600, 1200) == 50.0
        assert rules.benefit_realisation(10, 0) is None

    def test_benefit_months_are_whole_months(self) -> None:
        assert rules.benefit_months(D(2025, 6, 15)) == [f"2024-{m:02d}" for m in range(6, 13)] + [
            f"2025-{m:02d}" for m in range(1, 6)
        ]
        assert rules.benefit_months(D(2025, 6, 30))[-1] == "2025-06"
        assert rules.benefit_months(D(2025, 1, 10))[-1] == "2024-12"

    @pytest.mark.parametrize(
        ("phase", "qualified", "risk"),
        [("production", 1, True), ("production", 2, False), ("test", 0, False)],
    )
    def test_key_person_risk(self, phase: str, qualified: int, risk: bool) -> None:
        assert rules.has_key_person_risk(phase, qualified) is risk
        assert rules.has_key_person_risk(None, 0) is False  # did not exist yet

    def test_operator_qualified_needs_every_competency_and_an_active_person(self) -> None:
        assert rules.operator_qualified(True, {"A": 2, "B": 3}, {"A": 2, "B": 3})
        assert not rules.operator_qualified(True, {"A": 2, "B": 3}, {"A": 5})
        assert not rules.operator_qualified(False, {"A": 2}, {"A": 5})
        assert rules.operator_qualified(True, {}, {})  # nothing required: active is enough

    def test_the_phase_on_a_date_comes_from_the_dated_history(self) -> None:
        robot = Robot(
            code="R", name="R", department="D", phase="paused", phase_since=D(2025, 3, 1),
            phase_history=[
                PhaseChange(phase="idea", since=D(2024, 1, 10)),
                PhaseChange(phase="production", since=D(2024, 6, 1)),
            ],
        )  # fmt: skip
        on = {day: rules.phase_on(robot, day) for day in (
            D(2024, 1, 9), D(2024, 1, 10), D(2024, 5, 31), D(2024, 6, 1), D(2025, 2, 28),
            D(2025, 3, 1),
        )}  # fmt: skip
        assert [None if c is None else (str(c.phase), c.since) for c in on.values()] == [
            None,
            ("idea", D(2024, 1, 10)),
            ("idea", D(2024, 1, 10)),
            ("production", D(2024, 6, 1)),
            ("production", D(2024, 6, 1)),
            ("paused", D(2025, 3, 1)),
        ]
        assert rules.in_production(robot, D(2025, 2, 28))
        assert not rules.in_production(robot, D(2025, 3, 1))
        undated = Robot(code="U", name="U", department="D", phase="test")
        assert rules.phase_on(undated, D(1990, 1, 1)).phase == "test"

    def test_net_value_needs_an_hourly_rate(self) -> None:
        assert rules.net_value(600, 400.0, 50_000) == 190_000
        assert rules.net_value(100, 400.0, 50_000) == -10_000
        assert rules.net_value(600, None, 50_000) is None
        assert rules.net_value(1393.9, 350.0, 112_000) == 375_865.0  # no float noise

    def test_failed_run_rate(self) -> None:
        assert rules.failed_run_pct(200, 5) == 2.5
        assert rules.failed_run_pct(0, 0) is None


def test_overdue() -> None:
    assert rules.is_overdue(D(2024, 1, 1), True, D(2024, 1, 2))
    assert not rules.is_overdue(D(2024, 1, 2), True, D(2024, 1, 2))
    assert not rules.is_overdue(D(2024, 1, 1), False, D(2024, 6, 1))
    assert not rules.is_overdue(None, True, D(2024, 6, 1))


def test_quarter_ends() -> None:
    assert rules.quarter_end(D(2024, 11, 5)) == D(2024, 12, 31)
    assert rules.last_quarter_ends(D(2025, 6, 15), 3) == [
        D(2024, 9, 30),
        D(2024, 12, 31),
        D(2025, 3, 31),
    ]
    assert rules.last_quarter_ends(D(2025, 6, 30), 1) == [D(2025, 6, 30)]


_dates = st.dates(min_value=D(2023, 1, 1), max_value=D(2023, 3, 31))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["E1", "E2"]),
            st.integers(0, 8),
            _dates,
            st.sampled_from(["self", "manager", "test", "training"]),
            st.one_of(st.none(), st.integers(0, 40)),
        ),
        max_size=25,
    ),
    _dates,
)
def test_one_pass_index_agrees_with_the_rule(records: list, as_of: dt.date) -> None:
    rows = [
        row(s, "C", lvl, d, src, None if v is None else d + dt.timedelta(days=v), seq=i)
        for i, (s, lvl, d, src, v) in enumerate(records)
    ]
    index = current_index(rows, as_of)
    backwards = current_index(rows[::-1], as_of)  # recording order is `seq`, not list position
    for person in ("E1", "E2"):
        mine = [r for r in rows if r.staff == person]
        expected = rules.current_assessment(mine, as_of)
        assert index.get(person, {}).get("C") == expected
        assert backwards.get(person, {}).get("C") == expected


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        ("planned", dt.date(2026, 11, 1), True),  # due on the as-of date: within 0..30
        ("in_progress", dt.date(2026, 12, 1), True),  # the 30th day counts
        ("planned", dt.date(2026, 12, 2), False),  # the 31st does not
        ("planned", dt.date(2026, 10, 31), False),  # overdue is not "due soon"
        ("completed", dt.date(2026, 11, 10), False),  # only open plans
        ("planned", None, False),
    ],
)
def test_a_plan_is_due_within_a_window_of_days_only_while_open(status, due, expected) -> None:
    from store.models import TrainingPlan

    plan = TrainingPlan(
        id="TP-1", staff="E1", competency="DC1.1", target_level=3, due=due, status=status
    )
    assert rules.plan_due_within(plan, dt.date(2026, 11, 1), 0, 30) is expected


class TestCompletingAPlan:
    """The assessment a completed plan leaves (source training) follows the current-level rule."""

    @pytest.mark.parametrize(
        ("current_date", "current_source", "on", "becomes_current"),
        [
            (D(2025, 6, 1), "manager", D(2026, 3, 1), True),  # later: the latest counts
            (D(2025, 6, 1), "manager", D(2025, 5, 1), False),  # backdated: history only
            (D(2026, 3, 1), "manager", D(2026, 3, 1), False),  # same day: manager > training
            (D(2026, 3, 1), "self", D(2026, 3, 1), True),  # same day: training > self
            (D(2026, 3, 1), "training", D(2026, 3, 1), True),  # same day and source: last
        ],
    )
    def test_would_be_current_agrees_with_the_current_level_rule(
        self, current_date, current_source, on, becomes_current
    ) -> None:
        current = row("E1", "C", 4, current_date, current_source, seq=0)
        new = row("E1", "C", 1, on, "training", seq=1)
        assert rules.would_be_current(current, on, "training") is becomes_current
        latest = max(on, current_date)
        assert (rules.current_assessment([current, new], latest) is new) is becomes_current

    def test_a_level_below_the_current_one_or_the_target_is_warned_about(self) -> None:
        current = row("E6", "RPA", 2, D(2025, 6, 1), "manager", seq=0)
        warning = rules.completion_warning(0, 3, current, D(2026, 3, 1))
        assert warning == (
            "0 is below the current level, 2 (manager, 2025-06-01): from 2026-03-01 it becomes "
            "the current level (the latest assessment counts); untick Assessment to keep 2; "
            "0 is below the plan's target, 3: the gap stays open"
        )
        assert rules.completion_warning(3, 3, current, D(2026, 3, 1)) is None
        assert rules.completion_warning(2, 2, current, D(2026, 3, 1)) is None  # equal: no loss
        assert rules.completion_warning(1, 1, None, D(2026, 3, 1)) is None  # not assessed
        backdated = rules.completion_warning(1, 1, current, D(2025, 5, 1))
        assert backdated == (
            "1 is below the current level, 2 (manager, 2025-06-01): it is kept as history; "
            "the later 2 stays current"
        )


class TestStrategy:
    def test_theme_progress_is_met_over_required_pairs(self) -> None:
        assert rules.theme_progress(3, 4) == 75.0
        assert rules.theme_progress(0, 4) == 0.0
        assert rules.theme_progress(0, 0) is None  # nothing required: no figure, not 0 %

    @pytest.mark.parametrize(
        ("due", "status", "said"),
        [
            (D(2026, 10, 31), "planned", "overdue by 1 day"),
            (D(2026, 2, 28), "in_progress", "overdue by 246 days"),
            (D(2026, 11, 1), "planned", None),  # due today: not yet overdue
            (D(2026, 1, 1), "done", None),
            (D(2026, 1, 1), "cancelled", None),
        ],
    )
    def test_an_overdue_milestone_says_so_in_words(self, due, status, said) -> None:
        as_of = D(2026, 11, 1)
        assert rules.milestone_overdue(due, status, as_of) == said
        assert rules.milestone_is_overdue(due, status, as_of) is (said is not None)

    def test_the_next_milestone_is_the_open_one_due_first(self) -> None:
        from store.models import Milestone

        done = Milestone(id="MS-1", theme="T", title="a", due=D(2026, 1, 1), status="done")
        late = Milestone(id="MS-2", theme="T", title="b", due=D(2026, 3, 1))
        ahead = Milestone(id="MS-3", theme="T", title="c", due=D(2027, 1, 1))
        assert rules.next_milestone([ahead, done, late]) == late
        assert rules.next_milestone([done]) is None

    def test_a_trend_ends_on_the_as_of_date(self) -> None:
        assert rules.trend_dates(D(2026, 11, 1), 2) == [
            D(2026, 6, 30), D(2026, 9, 30), D(2026, 11, 1),
        ]  # fmt: skip
        assert rules.trend_dates(D(2026, 9, 30), 2) == [D(2026, 6, 30), D(2026, 9, 30)]


class TestSelfAndOther:
    def test_latest_self_and_latest_manager_or_test(self) -> None:
        rows = [
            row("E1", "C", 5, D(2024, 1, 1), "self", seq=0),
            row("E1", "C", 2, D(2024, 2, 1), "manager", seq=1),
            row("E1", "C", 4, D(2024, 3, 1), "self", seq=2),
            row("E1", "C", 3, D(2024, 4, 1), "training", seq=3),  # neither side
        ]
        own, other = rules.self_and_other(rows, D(2024, 6, 1))
        assert (own.level, own.date) == (4, D(2024, 3, 1))
        assert (other.level, other.source) == (2, "manager")

    def test_same_date_test_beats_manager_recorded_after_it(self) -> None:
        rows = [
            row("E1", "C", 4, D(2024, 3, 1), "test", seq=0),
            row("E1", "C", 1, D(2024, 3, 1), "manager", seq=1),
        ]
        assert rules.self_and_other(rows, D(2024, 3, 1))[1].source == "test"

    def test_expired_and_future_ones_do_not_count(self) -> None:
        rows = [
            row("E1", "C", 5, D(2024, 1, 1), "self", valid_until=D(2024, 2, 1), seq=0),
            row("E1", "C", 2, D(2025, 1, 1), "manager", seq=1),
        ]
        assert rules.self_and_other(rows, D(2024, 6, 1)) == (None, None)

    @pytest.mark.parametrize(
        ("own", "other", "expected"),
        [(5, 3, True), (3, 5, True), (4, 3, False), (5, None, False), (None, 1, False)],
    )
    def test_disagreement_from_exactly_the_threshold(self, own, other, expected) -> None:
        assert rules.is_disagreement(own, other, 2) is expected

    def test_a_higher_threshold(self) -> None:
        assert not rules.is_disagreement(5, 3, 3)
        assert rules.is_disagreement(6, 3, 3)


class TestStale:
    def test_exactly_24_months_is_not_stale_a_day_more_is(self) -> None:
        assert not rules.is_stale(D(2024, 6, 15), D(2026, 6, 15))
        assert rules.is_stale(D(2024, 6, 14), D(2026, 6, 15))

    @pytest.mark.parametrize("day", [29, 30, 31])
    def test_month_end_boundary_on_the_29th_to_31st(self, day: int) -> None:
        # one month before 29-31 March is the last day of February
        as_of = D(2026, 3, day)
        assert rules.months_before(as_of, 1) == D(2026, 2, 28)
        assert not rules.is_stale(D(2026, 2, 28), as_of, 1)
        assert rules.is_stale(D(2026, 2, 27), as_of, 1)

    def test_leap_day_goes_to_the_last_of_february(self) -> None:
        assert rules.months_before(D(2028, 2, 29), 24) == D(2026, 2, 28)
        assert rules.months_before(D(2026, 2, 28), 24) == D(2024, 2, 28)  # same day kept
        assert rules.months_before(D(2026, 1, 31), 13) == D(2024, 12, 31)


class TestExpiring:
    def test_the_last_included_day(self) -> None:
        as_of = D(2026, 1, 1)
        assert rules.is_expiring(D(2026, 3, 2), as_of)  # 60 days after
        assert not rules.is_expiring(D(2026, 3, 3), as_of)  # 61
        assert rules.is_expiring(as_of, as_of)  # its last valid day
        assert not rules.is_expiring(D(2025, 12, 31), as_of)  # already lapsed
        assert not rules.is_expiring(None, as_of)
        assert rules.is_expiring(D(2026, 1, 11), as_of, 10)
        assert not rules.is_expiring(D(2026, 1, 12), as_of, 10)


class TestExpertsAndCoverage:
    def test_top_people_at_the_highest_level_unless_a_minimum(self) -> None:
        levels = {"E1": 3, "E2": 5, "E3": 5, "E4": 4}
        assert rules.top_people(levels) == ["E2", "E3"]
        assert rules.top_people(levels, 4) == ["E2", "E3", "E4"]
        assert rules.top_people({}) == []

    def test_shortfall_never_below_zero(self) -> None:
        assert rules.coverage_shortfall(3, 1) == 2
        assert rules.coverage_shortfall(3, 3) == 0
        assert rules.coverage_shortfall(1, 4) == 0

    def test_without_digital_agent(self) -> None:
        assert rules.without_digital_agent([False, False])
        assert not rules.without_digital_agent([False, True])
        assert not rules.without_digital_agent([])  # nobody of its own: nothing to say

    def test_change(self) -> None:
        assert rules.change(50.0, 75.0) == 25.0
        assert rules.change(None, 75.0) is None


class TestHeatmapLayers:
    """docs/rules.md, "Heatmap layers": what each cell of the two extra layers says."""

    @pytest.mark.parametrize(
        ("own", "other", "expected"),
        [
            (None, None, None),
            (3, None, rules.RatingCell.SELF_ONLY),
            (None, 2, rules.RatingCell.OTHERS_ONLY),
            (3, 2, rules.RatingCell.AGREE),
            (4, 2, rules.RatingCell.SELF_HIGHER),  # exactly the threshold apart
            (1, 3, rules.RatingCell.SELF_LOWER),
        ],
    )
    def test_self_versus_others(self, own, other, expected):
        assert rules.rating_cell(own, other) == expected

    def test_a_wider_threshold_turns_a_disagreement_into_agreement(self):
        assert rules.rating_cell(4, 2, threshold=3) == rules.RatingCell.AGREE

    def test_stale_on_the_boundary(self):
        as_of = D(2026, 6, 15)
        assert rules.freshness_cell(D(2024, 6, 15), as_of) == rules.FreshnessCell.FRESH
        assert rules.freshness_cell(D(2024, 6, 14), as_of) == rules.FreshnessCell.STALE
        assert rules.freshness_cell(None, as_of) == rules.FreshnessCell.NOT_ASSESSED
