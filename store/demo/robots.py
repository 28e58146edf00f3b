"""Robots in every lifecycle phase, their operators, and monthly benefit logs."""

from __future__ import annotations

import datetime as dt
import random

from store.demo import catalogue as cat
from store.demo.dates import DEMO_AS_OF, months_between, work_day
from store.demo.organisation import Person, Unit
from store.models import PhaseChange, Robot, RobotBenefit, RobotPhase

DEMO_HOURLY_RATE = 350
"""The demo's value of an hour saved, in kroner (the database setting `hourly_rate`)."""

ROBOT_PHASES = ("idea", "analysis", "development", "test", "production", "retired")


def robot_count(departments: int) -> int:
    """About 30 robots per 40 departments (and one paused), at least one in every other
    lifecycle phase."""
    return max(len(ROBOT_PHASES), round(30 * departments / 40))


def robots(
    rng: random.Random, units: list[Unit], people: list[Person], count: int
) -> tuple[list[Robot], list[tuple]]:
    """Robots in every phase; production ones sometimes with too few qualified operators.

    Operators are certified by a 'test' assessment in October before `DEMO_AS_OF` (after every
    other assessment), so whether a robot carries key-person risk is decided here.
    """
    leaves = [i for i, u in enumerate(units) if u.level == 3 and len(u.staff) >= 4]
    leaves = leaves or [i for i, u in enumerate(units) if u.staff]
    phases = list(ROBOT_PHASES) + rng.choices(ROBOT_PHASES, (1, 1, 1, 1, 5, 1), k=count - 6)
    taken: set[int] = set()
    names: dict[str, int] = {}
    out: list[Robot] = []
    events: list[tuple] = []
    production_seen = 0
    for n, phase in enumerate(phases):
        u = rng.choice(leaves)
        unit = units[u]
        process = rng.choice(cat.ROBOT_PROCESSES)
        names[process] = names.get(process, 0) + 1
        name = process if names[process] == 1 else f"{process} – {unit.name}"
        required = {"LOK-RPA": 3}
        if rng.random() < 0.5:
            required["LOK-SAG"] = 3
        go_live = None
        operators: list[str] = []
        if phase == "production":
            go_live = work_day(rng, dt.date(2022, 1, 1), dt.date(2026, 6, 30))
        elif phase == "retired":
            go_live = work_day(rng, dt.date(2021, 1, 1), dt.date(2024, 6, 30))
        elif phase == "test":
            go_live = work_day(rng, DEMO_AS_OF + dt.timedelta(days=20), dt.date(2027, 3, 31))
        if phase in ("test", "production"):
            pool = [i for i in unit.staff if people[i].active and i not in taken]
            if phase == "production":
                production_seen += 1
                # the first production robot always carries key-person risk, the second never
                risky = production_seen == 1 or (production_seen > 2 and rng.random() < 0.3)
            else:
                risky = False
            k = min(len(pool), 1 if risky and rng.random() < 0.5 else rng.randint(2, 3))
            chosen = rng.sample(pool, k)
            taken.update(chosen)
            for j, person in enumerate(chosen):
                qualified = not risky or j == 0
                day = work_day(rng, dt.date(2026, 10, 1), dt.date(2026, 10, 23))
                for competency, level in required.items():
                    got = level + rng.randint(0, 1) if qualified else level - 1
                    until = day.replace(year=day.year + 2)
                    events.append((day, person, competency, 2, got, until, "Digitaliseringsteamet"))
            operators = [people[i].employee_no for i in chosen]
        expected = rng.randrange(300, 3000, 50)
        since, history = phase_dates(phase, go_live, n)
        out.append(
            Robot(
                code=f"RPA-{n + 1:03d}",
                name=name,
                process=process,
                department=unit.code,
                platform=rng.choice(cat.PLATFORMS),
                phase=phase,
                phase_since=since,
                phase_history=history,
                go_live=go_live,
                owner=people[unit.staff[0]].employee_no,
                operators=operators,
                required_competencies=required,
                expected_hours_per_year=expected,
                yearly_cost=rng.randrange(20_000, 150_000, 1_000),
            )
        )
    out.append(paused_robot(out, len(out) + 1))
    return out, events


def paused_robot(made: list[Robot], number: int) -> Robot:
    """One robot in production until six weeks ago, now paused, run by the operators of the
    second production robot (who are qualified); made without the random generator, after the
    others, so the rest of the demo stays as it was."""
    production = [r for r in made if r.phase == "production"]
    model = production[min(1, len(production) - 1)]
    go_live = DEMO_AS_OF - dt.timedelta(days=420)
    _, history = phase_dates("production", go_live, number)
    return model.model_copy(
        update={
            "code": f"RPA-{number:03d}",
            "name": f"{cat.ROBOT_PROCESSES[0]} (pauset)",
            "process": cat.ROBOT_PROCESSES[0],
            "phase": RobotPhase.PAUSED,
            "phase_since": DEMO_AS_OF - dt.timedelta(days=45),
            "phase_history": [*history, PhaseChange(phase="production", since=go_live)],
            "go_live": go_live,
            "expected_hours_per_year": 900,
            "run_frequency": "hver nat",
        }
    )


PHASE_DAYS_BEFORE = {"idea": 150, "analysis": 110, "development": 80, "test": 30}
"""How long before the next phase each early phase began, in days (the demo's rhythm)."""


def phase_dates(phase: str, go_live: dt.date | None, n: int) -> tuple[dt.date, list[PhaseChange]]:
    """When the robot's phase began and the phases before it, dated without the random
    generator (so the rest of the demo stays as it was): production from go-live, retired two
    and a half years after it, the early phases spread back from there."""
    stagger = dt.timedelta(days=7 * (n % 9))
    if phase == "production" and go_live is not None:
        since = go_live
    elif phase == "retired" and go_live is not None:
        since = min(go_live + dt.timedelta(days=910), DEMO_AS_OF - dt.timedelta(days=14))
    else:
        since = DEMO_AS_OF - dt.timedelta(days=20) - stagger
    order = [p for p in ROBOT_PHASES if p != "retired"]
    before = order[: order.index(phase)] if phase in order else order  # retired: all
    if go_live is None:
        before = [p for p in before if p != "production"]
    history: list[PhaseChange] = []
    start = go_live if phase == "retired" and go_live is not None else since
    for earlier in reversed(before):
        start = start - dt.timedelta(days=PHASE_DAYS_BEFORE.get(earlier, 0))
        history.insert(0, PhaseChange(phase=earlier, since=start))
    return since, history


def benefits(rng: random.Random, robots_: list[Robot]) -> list[RobotBenefit]:
    """Monthly benefit logs since go-live; about a quarter of the robots under-deliver."""
    out: list[RobotBenefit] = []
    last = DEMO_AS_OF - dt.timedelta(days=1)
    for robot in robots_:
        if robot.phase not in ("production", "retired", "paused") or robot.go_live is None:
            continue
        under = rng.random() < 0.25
        factor = rng.uniform(0.3, 0.65) if under else rng.uniform(0.85, 1.2)
        failing = rng.uniform(0.08, 0.2) if under else rng.uniform(0.0, 0.05)
        end = last
        if robot.phase == "retired":
            end = min(last, robot.go_live + dt.timedelta(days=rng.randint(300, 900)))
        elif robot.phase == "paused" and robot.phase_since is not None:
            end = robot.phase_since - dt.timedelta(days=1)
        for k, month in enumerate(months_between(robot.go_live, end)):
            ramp = 0.5 if k < 2 else 1.0
            hours = robot.expected_hours_per_year / 12 * factor * ramp * rng.uniform(0.8, 1.2)
            runs = max(1, round(hours * rng.uniform(3, 6)))
            failed = min(runs, round(runs * failing * rng.uniform(0.5, 1.5)))
            out.append(
                RobotBenefit(
                    robot=robot.code,
                    month=month,
                    hours_saved=round(hours, 1),
                    runs=runs,
                    failed_runs=failed,
                )
            )
    if out:  # a correction: a later record for a month replaces the first
        first = out[0]
        out.append(first.model_copy(update={"hours_saved": round(first.hours_saved + 2.5, 1)}))
    return out
