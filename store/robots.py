"""Robots (RPA): add or edit one, change its phase, set its operators and required
competencies, log a month's benefit, and the database's hourly rate.

Every phase change is dated and kept: the phase before it goes to the robot's `phase_history`
with the day it began, so a robot's phase on any date can be told afterwards (docs/rules.md).
A change dated before the current phase began is refused, as is a "change" to the phase the
robot is in. Refusals are `ValidationProblem`s carrying `store.problems.Problem`s, so a form
shows each at its field and a command prints it as a line. The app's forms and the `kapabel
robot` command call these.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import ValidationError

from store.errors import NotFoundError, ValidationProblem
from store.models import (
    HOURLY_RATE,
    PhaseChange,
    Robot,
    RobotBenefit,
    RobotPhase,
    Setting,
)
from store.problems import from_pydantic, problem

if TYPE_CHECKING:
    from store import Dataset, Repository


def phase_change_refusal(robot: Robot, phase: RobotPhase, on: dt.date):
    """Why `robot` cannot move to `phase` on `on`, or None."""
    if phase == robot.phase:
        return problem("phase", "phase_unchanged", phase=RobotPhase(phase))
    if robot.phase_since is not None and on < robot.phase_since:
        return problem(
            "phase_since",
            "phase_date_before_last",
            date=on,
            since=robot.phase_since,
        )
    return None


def with_phase(robot: Robot, phase: RobotPhase, on: dt.date) -> Robot:
    """`robot` moved to `phase` from `on`, its current phase kept in the history (refused with
    ValidationProblem as `phase_change_refusal` says). A robot going into production for the
    first time without a go-live date goes live that day."""
    refused = phase_change_refusal(robot, RobotPhase(phase), on)
    if refused is not None:
        raise ValidationProblem("robots", robot.code, [refused])
    phase = RobotPhase(phase)
    earlier = PhaseChange(phase=robot.phase, since=robot.phase_since)
    update: dict = {
        "phase": phase,
        "phase_since": on,
        "phase_history": [*robot.phase_history, earlier],
    }
    if phase == RobotPhase.PRODUCTION and robot.go_live is None:
        update["go_live"] = on
    return robot.model_copy(update=update)


def save_robot(
    repo: Repository, robot: Robot, original: Robot | None = None, on: dt.date | None = None
) -> Robot:
    """Add a robot (its phase dated `on`, default today, unless it says since when) or save an
    edited one over `original` (ConflictError when someone changed it meanwhile). An edit that
    changes the phase is a phase change dated `on` (or the new `phase_since` given)."""
    on = on or dt.date.today()
    if original is None:
        if robot.phase_since is None:
            robot = robot.model_copy(update={"phase_since": on})
        with repo.transaction() as tx:
            return tx.create(_validated(robot))
    if robot.phase != original.phase:
        since = robot.phase_since if robot.phase_since != original.phase_since else None
        robot = with_phase(
            original.model_copy(update=_fields_besides_phase(robot)), robot.phase, since or on
        )
    with repo.transaction() as tx:
        return tx.put(_validated(robot), expected=original)


def _fields_besides_phase(robot: Robot) -> dict:
    phase_fields = ("phase", "phase_since", "phase_history")
    return {k: v for k, v in vars(robot).items() if k not in phase_fields}


def _validated(robot: Robot) -> Robot:
    """A model_copy skips the model's own rules: run them (dates in order, no operator twice)."""
    try:
        return Robot.model_validate(dict(vars(robot)))
    except ValidationError as error:
        raise ValidationProblem("robots", robot.code, from_pydantic(error)) from None


def _stored(repo: Repository, robot: Robot | str) -> Robot:
    code = robot if isinstance(robot, str) else robot.code
    current = repo.ds.robots.get(code)
    if current is None:
        raise NotFoundError("robots", code)
    return current if isinstance(robot, str) else robot


def change_phase(repo: Repository, robot: Robot | str, phase: RobotPhase | str, on: dt.date):
    """Move the robot (as read, or by its code) to `phase` from `on`; the earlier phase is kept
    as history. Refused: the same phase, a date before the current phase began."""
    current = _stored(repo, robot)
    changed = with_phase(current, RobotPhase(phase), on)
    with repo.transaction() as tx:
        return tx.put(_validated(changed), expected=current)


def set_operators(repo: Repository, robot: Robot | str, operators: list[str]) -> Robot:
    """The robot's operators are exactly `operators` (employee numbers, each a person)."""
    current = _stored(repo, robot)
    changed = current.model_copy(update={"operators": list(operators)})
    with repo.transaction() as tx:
        return tx.put(_validated(changed), expected=current)


def set_required_competencies(
    repo: Repository, robot: Robot | str, required: dict[str, int]
) -> Robot:
    """What an operator must master: competency code -> level, each within its scale."""
    current = _stored(repo, robot)
    changed = current.model_copy(update={"required_competencies": dict(required)})
    with repo.transaction() as tx:
        return tx.put(_validated(changed), expected=current)


def log_month(repo: Repository, benefit: RobotBenefit) -> RobotBenefit:
    """Record a month's hours saved, runs and failed runs (a later record for the same month
    corrects the earlier one)."""
    with repo.transaction() as tx:
        tx.record(benefit)
    return benefit


def hourly_rate(ds: Dataset) -> float | None:
    """The value of an hour saved (kroner), or None when the database has none set."""
    setting = ds.settings.get(HOURLY_RATE)
    return None if setting is None else float(setting.value)


def set_hourly_rate(repo: Repository, rate: float | str | None) -> float | None:
    """Set the hourly rate (an amount of at least 0; None or empty: not set)."""
    if rate is None or (isinstance(rate, str) and not rate.strip()):
        with repo.transaction() as tx:
            if HOURLY_RATE in tx.ds.settings:
                tx.delete("settings", HOURLY_RATE)
        return None
    text = str(rate).strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise ValidationProblem(
            "settings", HOURLY_RATE, [problem("value", "not_an_amount", text=str(rate))]
        )
    with repo.transaction() as tx:
        tx.put(
            Setting(
                name=HOURLY_RATE, value=repr(value) if not value.is_integer() else str(int(value))
            )
        )
    return value
