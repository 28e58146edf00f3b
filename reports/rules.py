"""The rules of docs/rules.md, one small pure function each.

Every figure in a report or on a screen is built from these functions, so a rule changes in one
place only. They take plain values (rows, levels, dates), never the whole dataset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum

from i18n import _, format_date, ngettext
from reports.words import Phrase
from store.dataset import AssessmentRow
from store.labels import source_label
from store.models import (
    OPEN_PLAN_STATUSES,
    SOURCE_PRECEDENCE,
    Milestone,
    MilestoneStatus,
    PhaseChange,
    Requirement,
    Robot,
    RobotPhase,
    TrainingPlan,
)

OPEN_MILESTONE_STATUSES = frozenset({MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS})
MIN_QUALIFIED_OPERATORS = 2
"""A robot in production needs at least this many qualified operators (key-person risk)."""


# ------------------------------------------------------------------ current level
def is_valid_on(row: AssessmentRow, as_of: dt.date) -> bool:
    """An assessment counts on `as_of` when made on/before it and not expired before it."""
    return row.date <= as_of and (row.valid_until is None or row.valid_until >= as_of)


def assessment_rank(row: AssessmentRow) -> tuple[dt.date, int, int]:
    """Order among valid assessments: later date, then source precedence, then recorded last."""
    return (row.date, SOURCE_PRECEDENCE.get(row.source, -1), row.seq)


def current_assessment(rows: Iterable[AssessmentRow], as_of: dt.date) -> AssessmentRow | None:
    """The assessment that gives one person's current level in one competency on `as_of`.

    `rows` are that person's assessments of that competency; None means *not assessed*.
    """
    best: AssessmentRow | None = None
    best_rank: tuple[dt.date, int, int] | None = None
    for row in rows:
        if not is_valid_on(row, as_of):
            continue
        rank = assessment_rank(row)
        if best_rank is None or rank > best_rank:
            best, best_rank = row, rank
    return best


# ------------------------------------------------------------------ requirements
def requirement_applies(
    requirement: Requirement, department_chain: Iterable[str] | set[str], role: str | None
) -> bool:
    """A requirement applies to a person in its department or below it, and of its role if any."""
    if requirement.role is not None and requirement.role != role:
        return False
    return requirement.department in department_chain


def required_level(
    requirements: Iterable[Requirement], department_chain: Iterable[str], role: str | None
) -> int | None:
    """Highest level among the applicable requirements; None = not required.

    `requirements` are those on one competency; `department_chain` is the person's department
    and every department above it.
    """
    chain = set(department_chain)
    levels = [r.level for r in requirements if requirement_applies(r, chain, role)]
    return max(levels) if levels else None


def required_levels(
    requirements: Iterable[Requirement], department_chain: Iterable[str], role: str | None
) -> dict[str, int]:
    """`required_level` for every competency at once: competency -> level."""
    chain = set(department_chain)
    result: dict[str, int] = {}
    for r in requirements:
        if requirement_applies(r, chain, role) and r.level > result.get(r.competency, 0):
            result[r.competency] = r.level
    return result


# ------------------------------------------------------------------ gap and readiness
def level_or_zero(current: int | None) -> int:
    """Not assessed counts as level 0 in the arithmetic."""
    return 0 if current is None else current


def gap(required: int, current: int | None) -> int:
    """How many levels short of the requirement; never negative; not assessed counts as 0.

    Called for every (person, requirement) pair, so `level_or_zero` is spelled out here.
    """
    if current is None:
        return required if required > 0 else 0
    return required - current if required > current else 0


def meets(required: int, current: int | None) -> bool:
    return level_or_zero(current) >= required


def readiness_pct(met: int, total: int) -> float | None:
    """Met pairs / all pairs, in %; None when nothing is required."""
    return None if total == 0 else 100.0 * met / total


def pct(part: int | float, whole: int | float) -> float | None:
    """`part` of `whole` in %; None when the whole is zero."""
    return None if not whole else 100.0 * part / whole


class CellState(StrEnum):
    """How one person stands in one required competency (the heatmap's colours)."""

    MEETS = "meets"
    SHORT_1 = "short_1"
    SHORT_2 = "short_2_plus"
    NOT_ASSESSED = "not_assessed"


def cell_state(required: int, current: int | None) -> CellState:
    if current is None:
        return CellState.NOT_ASSESSED
    short = gap(required, current)
    if short == 0:
        return CellState.MEETS
    return CellState.SHORT_1 if short == 1 else CellState.SHORT_2


# ------------------------------------------------------------------ ratings
OTHER_SOURCES = frozenset({"manager", "test"})
"""The sources that are someone else's judgement of a person (self versus others)."""
DISAGREEMENT_LEVELS = 2
STALE_MONTHS = 24
EXPIRING_DAYS = 60


def self_and_other(
    rows: Iterable[AssessmentRow], as_of: dt.date
) -> tuple[AssessmentRow | None, AssessmentRow | None]:
    """One person's own latest valid assessment of a competency, and the latest valid one by a
    manager or a test (the current-level rule within each, so a same-date test beats a manager)."""
    rows = list(rows)
    own = current_assessment((r for r in rows if r.source == "self"), as_of)
    other = current_assessment((r for r in rows if r.source in OTHER_SOURCES), as_of)
    return own, other


def is_disagreement(
    self_level: int | None, other_level: int | None, threshold: int = DISAGREEMENT_LEVELS
) -> bool:
    """Both exist and lie at least `threshold` levels apart (either way)."""
    return (
        self_level is not None
        and other_level is not None
        and abs(self_level - other_level) >= threshold
    )


class RatingCell(StrEnum):
    """The heatmap's "self versus others" layer: how a person's own rating of a competency
    compares with the latest by a manager or a test (docs/rules.md, "Heatmap layers")."""

    AGREE = "agree"
    SELF_HIGHER = "self_higher"
    SELF_LOWER = "self_lower"
    SELF_ONLY = "self_only"
    OTHERS_ONLY = "others_only"


def rating_cell(
    self_level: int | None, other_level: int | None, threshold: int = DISAGREEMENT_LEVELS
) -> RatingCell | None:
    """None when neither rated the person; a disagreement says which way it leans."""
    if self_level is None:
        return None if other_level is None else RatingCell.OTHERS_ONLY
    if other_level is None:
        return RatingCell.SELF_ONLY
    if not is_disagreement(self_level, other_level, threshold):
        return RatingCell.AGREE
    return RatingCell.SELF_HIGHER if self_level > other_level else RatingCell.SELF_LOWER


class FreshnessCell(StrEnum):
    """The heatmap's "stale" layer for a required pair (docs/rules.md, "Heatmap layers")."""

    FRESH = "fresh"
    STALE = "stale"
    NOT_ASSESSED = "not_assessed"


def freshness_cell(
    assessed_on: dt.date | None, as_of: dt.date, months: int = STALE_MONTHS
) -> FreshnessCell:
    """Whether the current assessment of a required pair (dated `assessed_on`) is stale."""
    if assessed_on is None:
        return FreshnessCell.NOT_ASSESSED
    return FreshnessCell.STALE if is_stale(assessed_on, as_of, months) else FreshnessCell.FRESH


def months_before(day: dt.date, months: int) -> dt.date:
    """`day` moved back `months` calendar months: the same day of the month, or that month's
    last day when it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    following = dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


def is_stale(assessed_on: dt.date, as_of: dt.date, months: int = STALE_MONTHS) -> bool:
    """Dated more than `months` months before `as_of` (on the boundary day is not stale)."""
    return assessed_on < months_before(as_of, months)


def is_expiring(valid_until: dt.date | None, as_of: dt.date, days: int = EXPIRING_DAYS) -> bool:
    """Valid on `as_of` and lapsing within `days` days after it, the last day included."""
    return valid_until is not None and as_of <= valid_until <= as_of + dt.timedelta(days=days)


def top_people(levels: Mapping[str, int], min_level: int | None = None) -> list[str]:
    """The experts among people -> current level: those at `min_level` or above, or, with no
    minimum, those at the highest level any of them reached; highest first."""
    if not levels:
        return []
    floor = max(levels.values()) if min_level is None else min_level
    found = [p for p, level in levels.items() if level >= floor]
    return sorted(found, key=lambda p: -levels[p])  # stable: ties keep the given order


def change(before: float | None, after: float | None) -> float | None:
    """The change between two figures; None when either is missing."""
    return None if before is None or after is None else after - before


# ------------------------------------------------------------------ coverage and agents
def coverage_shortfall(min_people: int, people_meeting: int) -> int:
    """How many more people at the level a coverage rule needs; 0: the rule is met."""
    return max(0, min_people - people_meeting)


def without_digital_agent(own_active_agents: Iterable[bool]) -> bool:
    """A department whose own active staff (one flag each: digital agent?) are at least one
    and none an agent; departments below do not count."""
    flags = list(own_active_agents)
    return bool(flags) and not any(flags)


# ------------------------------------------------------------------ training
def is_open_plan(plan: TrainingPlan) -> bool:
    return plan.status in OPEN_PLAN_STATUSES


def plan_covers(plan: TrainingPlan, required: int) -> bool:
    """An open plan whose target reaches the requirement covers the gap."""
    return is_open_plan(plan) and plan.target_level >= required


def is_overdue(due: dt.date | None, is_open: bool, as_of: dt.date) -> bool:
    """Still open and its due date has passed (a plan or a milestone)."""
    return is_open and due is not None and due < as_of


def plan_is_overdue(plan: TrainingPlan, as_of: dt.date) -> bool:
    return is_overdue(plan.due, is_open_plan(plan), as_of)


def assessment_date_warning(date: dt.date, as_of: dt.date) -> str | None:
    """An assessment dated after the as-of date is allowed, but counts only from its date."""
    if date <= as_of:
        return None
    return _(
        "{date} is after the as-of date ({as_of}): this assessment does not count until {date}"
    ).format(date=format_date(date), as_of=format_date(as_of))


def plan_due_warning(due: dt.date | None, status: str, as_of: dt.date) -> str | None:
    """An open plan due before the as-of date is allowed, but is overdue from the start."""
    if not is_overdue(due, status in OPEN_PLAN_STATUSES, as_of):
        return None
    return _("{due} is before the as-of date ({as_of}): the plan is overdue at once").format(
        due=format_date(due), as_of=format_date(as_of)
    )


def would_be_current(current: AssessmentRow, date: dt.date, source: str) -> bool:
    """A new assessment dated `date` from `source` would rank above `current` (recorded last,
    it wins a tie of date and source)."""
    rank = (date, SOURCE_PRECEDENCE.get(source, -1))
    return rank >= (current.date, SOURCE_PRECEDENCE.get(current.source, -1))


def completion_warning(
    level: int, target: int, current: AssessmentRow | None, on: dt.date
) -> str | None:
    """Recording `level` for a plan completed `on` is allowed, but says what it will mean when
    the level is below the current one (the latest assessment counts) or below the target."""
    notes = []
    if current is not None and level < current.level:
        values = {
            "level": level,
            "current": current.level,
            "source": source_label(current.source),
            "date": format_date(current.date),
        }
        if would_be_current(current, on, "training"):
            notes.append(
                _(
                    "{level} is below the current level, {current} ({source}, {date}): from "
                    "{on} it becomes the current level (the latest assessment counts); untick "
                    "Assessment to keep {current}"
                ).format(on=format_date(on), **values)
            )
        else:
            notes.append(
                _(
                    "{level} is below the current level, {current} ({source}, {date}): it is "
                    "kept as history; the later {current} stays current"
                ).format(**values)
            )
    if level < target:
        notes.append(
            _("{level} is below the plan's target, {target}: the gap stays open").format(
                level=level, target=target
            )
        )
    return "; ".join(notes) or None


def plan_due_within(plan: TrainingPlan, as_of: dt.date, first_day: int, last_day: int) -> bool:
    """Still open and due between `first_day` and `last_day` days after `as_of` (inclusive)."""
    return (
        is_open_plan(plan)
        and plan.due is not None
        and as_of + dt.timedelta(days=first_day) <= plan.due <= as_of + dt.timedelta(days=last_day)
    )


def is_open_milestone(status: str) -> bool:
    return status in OPEN_MILESTONE_STATUSES


# ------------------------------------------------------------------ the strategy
def theme_progress(pairs_met: int, pairs_required: int) -> float | None:
    """A theme's progress: the readiness of the requirements tied to it (met pairs / required
    pairs, in %); None when they require nothing."""
    return readiness_pct(pairs_met, pairs_required)


def milestone_is_overdue(due: dt.date, status: str, as_of: dt.date) -> bool:
    """Planned or in progress, and due before `as_of`."""
    return is_overdue(due, is_open_milestone(status), as_of)


def milestone_overdue(due: dt.date, status: str, as_of: dt.date) -> Phrase | None:
    """An overdue milestone in words ("overdue by 3 days"; its `local()` in the current
    language); None when it is not overdue."""
    if not milestone_is_overdue(due, status, as_of):
        return None
    days = (as_of - due).days
    return Phrase(
        f"overdue by {days} day{'s' if days != 1 else ''}",
        lambda: ngettext("overdue by {n} day", "overdue by {n} days", days).format(n=days),
    )


def next_milestone(milestones: Iterable[Milestone]) -> Milestone | None:
    """The open milestone due first (an overdue one comes before those still ahead)."""
    open_ones = [m for m in milestones if is_open_milestone(m.status)]
    return min(open_ones, key=lambda m: (m.due, m.id), default=None)


def trend_dates(as_of: dt.date, quarters: int = 8) -> list[dt.date]:
    """The last `quarters` quarter ends, then `as_of` itself (unless it is one): the dates of a
    trend whose last value is the figure as of the date (the Overview's and a theme's)."""
    ends = last_quarter_ends(as_of, quarters)
    return ends if ends[-1] == as_of else [*ends, as_of]


# ------------------------------------------------------------------ robots
def benefit_months(as_of: dt.date, months: int = 12) -> list[str]:
    """The last `months` whole calendar months ending on or before `as_of`, as YYYY-MM.

    A month counts only when it has ended (its last day is on/before `as_of`), so a report made
    mid-month does not compare a part month with a whole year's promise.
    """
    if (as_of + dt.timedelta(days=1)).month != as_of.month:  # last day: its month is whole
        year, month = as_of.year, as_of.month
    else:
        year, month = (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)
    result = []
    for _month in range(months):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def benefit_realisation(hours_last_12_months: float, expected_per_year: float) -> float | None:
    """Hours saved in the last 12 months / expected hours per year, in %; None if none expected."""
    return pct(hours_last_12_months, expected_per_year)


def phase_on(robot: Robot, as_of: dt.date) -> PhaseChange | None:
    """The robot's phase on `as_of` and the day it began: the latest of its dated phases
    begun on or before that day (a phase of unknown date counts from the start). None when
    every phase it has had began after `as_of` (it did not exist yet)."""
    found = None
    for change in robot.phases():
        if change.since is None or change.since <= as_of:
            found = change
    return found


def in_production(robot: Robot, as_of: dt.date) -> bool:
    found = phase_on(robot, as_of)
    return found is not None and found.phase == RobotPhase.PRODUCTION


def operator_qualified(
    active: bool,
    required_competencies: Mapping[str, int],
    current_levels: Mapping[str, int | None],
) -> bool:
    """An operator is qualified when active and their current level meets every competency
    the robot requires (`current_levels` as of the date: an expired assessment is no level)."""
    return active and all(
        meets(level, current_levels.get(c)) for c, level in required_competencies.items()
    )


def has_key_person_risk(phase: RobotPhase | str | None, qualified_operator_count: int) -> bool:
    """In production (the phase as of the date) with fewer than two qualified operators."""
    return phase == RobotPhase.PRODUCTION and qualified_operator_count < MIN_QUALIFIED_OPERATORS


def net_value(hours_saved: float, hourly_rate: float | None, yearly_cost: float) -> float | None:
    """Hours saved over the 12 months times the hourly rate, less the yearly cost; None when
    no hourly rate is set (the value of an hour is not known). Rounded to øre, so that a
    report does not show 375865.00000000006."""
    if hourly_rate is None:
        return None
    return round(hours_saved * hourly_rate - yearly_cost, 2)  # kroner and øre


def failed_run_pct(runs: int, failed_runs: int) -> float | None:
    return pct(failed_runs, runs)


# ------------------------------------------------------------------ quarters
def quarter_end(day: dt.date) -> dt.date:
    """Last day of the quarter `day` falls in."""
    last_month = ((day.month - 1) // 3 + 1) * 3
    following = dt.date(day.year + (last_month == 12), last_month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def previous_quarter_end(end: dt.date) -> dt.date:
    """The end of the quarter before the one ending on `end`."""
    return dt.date(end.year, end.month - 2, 1) - dt.timedelta(days=1)


def last_quarter_ends(as_of: dt.date, count: int = 8) -> list[dt.date]:
    """The ends of the last `count` quarters that have ended on/before `as_of`, oldest first."""
    end = quarter_end(as_of)
    if end > as_of:
        end = previous_quarter_end(end)
    ends = [end]
    while len(ends) < count:
        ends.append(previous_quarter_end(ends[-1]))
    return ends[::-1]
