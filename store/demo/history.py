"""Three years of assessments (self, manager, test, training) and training plans."""

from __future__ import annotations

import datetime as dt
import random

from store.demo.competencies import LOCAL_MAX, clamp_level, course_for, max_level
from store.demo.dates import DEMO_AS_OF, HISTORY_START, work_day
from store.demo.organisation import Person, Unit
from store.digcomp import COMPETENCES as DIGCOMP_COMPETENCES
from store.models import Assessment, Entity, TrainingPlan

SOURCES = ("self", "manager", "test", "training")

PLAN_STATUSES = ("planned", "in_progress", "completed", "cancelled")


def _campaign(year: int, months: tuple[int, int]) -> tuple[dt.date, dt.date]:
    start = dt.date(year, months[0], 1)
    end = (dt.date(year, months[1], 28) + dt.timedelta(days=4)).replace(day=1)
    end -= dt.timedelta(days=1)
    return start, end


SELF_CAMPAIGNS = [_campaign(y, (3, 4)) for y in (2024, 2025, 2026)]
"""Spring self-assessment rounds."""

MANAGER_ROUNDS = [_campaign(y, (11, 12)) for y in (2023, 2024, 2025)]
"""Autumn appraisals (MUS), where the manager assesses the key competencies."""

TEST_ROUNDS = [_campaign(y, (1, 2)) for y in (2024, 2025, 2026)]
"""The yearly information-security e-learning test, valid for a year."""


def _grown(start_level: float, day: dt.date) -> float:
    """A person's true level on `day`: it rises about 0.4 a year over the history."""
    return start_level + 0.4 * (day - HISTORY_START).days / 365.25


def history_events(
    rng: random.Random, units: list[Unit], people: list[Person], required: dict
) -> list[tuple]:
    """Three years of assessments as (date, person, competency, source, level, until, by).

    A person's true level drifts upwards from their aptitude; self-assessments run a little
    high, managers and tests close to the truth.
    """
    events: list[tuple] = []
    digcomp = list(DIGCOMP_COMPETENCES)
    for i, person in enumerate(people):
        if person.never_assessed:
            continue
        wanted = required[(person.unit, person.role)]
        competencies = list(wanted)
        if rng.random() < 0.3:
            extra = rng.choice(digcomp)
            if extra not in wanted:
                competencies.append(extra)
        base = {
            c: wanted.get(c, 2) + person.aptitude - 0.5 + rng.gauss(0, 0.7) for c in competencies
        }
        first = max(person.start, HISTORY_START)
        last = person.left or DEMO_AS_OF
        unit = units[person.unit]
        lead_of = unit.staff[0] if unit.staff[0] != i else None
        manager = people[lead_of].employee_no if lead_of is not None else "Direktør"

        self_days: list[dt.date | None] = []
        for start, end in SELF_CAMPAIGNS:
            if start < first or end > last or rng.random() > 0.75:
                self_days.append(None)
                continue
            day = work_day(rng, start, end)
            self_days.append(day)
            for c in competencies:
                if rng.random() < 0.9:
                    level = clamp_level(
                        _grown(base[c], day) + 0.4 + rng.gauss(0, 0.5), max_level(c)
                    )
                    events.append((day, i, c, 0, level, None, None))
        for (start, end), self_day in zip(MANAGER_ROUNDS, self_days, strict=True):
            if start < first or end > last or rng.random() > 0.7:
                continue
            day = work_day(rng, start, end)
            if self_day is not None and rng.random() < 0.15:
                day = self_day  # assessed together with the self-assessment: same date
            for c in competencies[: rng.randint(1, 2)]:
                level = clamp_level(_grown(base[c], day) + rng.gauss(0, 0.3), max_level(c))
                events.append((day, i, c, 1, level, None, manager))
        if "LOK-SIK" in wanted:
            for start, end in TEST_ROUNDS:
                if start < first or end > last or rng.random() > 0.75:
                    continue
                day = work_day(rng, start, end)
                level = clamp_level(_grown(base["LOK-SIK"], day) + rng.gauss(0, 0.4), LOCAL_MAX)
                until = day + dt.timedelta(days=365)
                events.append((day, i, "LOK-SIK", 2, level, until, "Fjordby Akademi e-læring"))
    return events


def assessments(people: list[Person], events: list[tuple]) -> list[Assessment]:
    """Assessment models in recording order: by date, as they would have been entered."""
    events.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
    out: list[Assessment] = []
    seen: set[tuple] = set()
    for day, i, competency, source, level, until, assessor in events:
        key = (day, i, competency, source)
        if key in seen:  # one record per person, competency, date and source
            continue
        seen.add(key)
        out.append(
            Assessment(
                staff=people[i].employee_no,
                competency=competency,
                level=level,
                date=day,
                source=SOURCES[source],
                assessor=assessor,
                valid_until=until,
            )
        )
    return out


def training_plans(
    rng: random.Random, people: list[Person], required: dict, as_of: dt.date
) -> tuple[list[Entity], list[tuple]]:
    """Plans in every status, some overdue; completed ones also yield a 'training' assessment."""
    plans: list[Entity] = []
    events: list[tuple] = []
    forced = [("planned", True), ("in_progress", True), ("completed", False),
              ("cancelled", False), ("planned", False), ("in_progress", False)]  # fmt: skip
    for i, person in enumerate(people):
        if not person.active or person.never_assessed or rng.random() > 0.28:
            continue
        wanted = list(required[(person.unit, person.role)].items())
        if not wanted:
            continue
        for competency, level in rng.sample(wanted, min(len(wanted), rng.choice((1, 1, 2)))):
            if forced:
                status, overdue = forced.pop(0)
            else:
                status = rng.choices(PLAN_STATUSES, (30, 25, 35, 10))[0]
                overdue = rng.random() < 0.3
            target = min(level + (rng.random() < 0.2), max_level(competency))
            course = course_for(competency) if rng.random() < 0.8 else None
            completed = None
            if status == "completed" and person.start > dt.date(2026, 8, 1):
                status = "in_progress"  # too new to have finished a course
            if status == "completed":
                completed = work_day(rng, max(person.start, HISTORY_START), dt.date(2026, 9, 30))
                due = completed + dt.timedelta(days=rng.randint(-20, 90))
                assessor = course[1] if course else "Nærmeste leder"
                events.append((completed, i, competency, 3, target, None, assessor))
            elif overdue:
                due = work_day(rng, dt.date(2026, 3, 1), as_of - dt.timedelta(days=7))
            else:
                due = work_day(rng, as_of + dt.timedelta(days=30), dt.date(2027, 12, 20))
            plans.append(
                TrainingPlan(
                    staff=person.employee_no,
                    competency=competency,
                    target_level=target,
                    course=course[0] if course else None,
                    due=due,
                    status=status,
                    completed=completed,
                )
            )
    return plans, events
