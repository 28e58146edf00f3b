"""Assembling the municipality and writing it in one transaction."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from store.demo.competencies import courses, local_framework
from store.demo.coverage import coverage_rules, extra_rng, renewals
from store.demo.dates import DEMO_AS_OF
from store.demo.history import assessments, history_events, training_plans
from store.demo.organisation import build_people, build_units, department_count, organisation
from store.demo.robots import DEMO_HOURLY_RATE, benefits, robot_count, robots
from store.demo.strategy import governance, required_of, requirements, strategy
from store.gcpause import collector_paused
from store.models import HOURLY_RATE, Assessment, Entity, RobotBenefit, Setting
from store.unit_of_work import Repository


@dataclass
class Municipality:
    """Everything `generate` writes, in the order the references need."""

    register: list[Entity] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    benefits: list[RobotBenefit] = field(default_factory=list)


def build(staff: int = 1200, seed: int = 1) -> Municipality:
    """The whole municipality in memory, deterministic for (staff, seed)."""
    if staff < 1:
        raise ValueError("staff must be at least 1")
    rng = random.Random(seed)
    units = build_units(rng, department_count(staff))
    people = build_people(rng, staff, units)
    robot_list, certifications = robots(rng, units, people, robot_count(len(units)))
    by_code = {u.code: i for i, u in enumerate(units)}
    robot_units = sorted({by_code[r.department] for r in robot_list if r.phase != "idea"})
    themes, milestones = strategy(rng)
    reqs = requirements(rng, units, robot_units)
    required = required_of(units, reqs)
    plans, trained = training_plans(rng, people, required, DEMO_AS_OF)
    events = history_events(rng, units, people, required) + trained + certifications
    extra = extra_rng(seed)  # issue #15's additions: the main stream's draws stay as they were
    events += renewals(extra, people, required, events)
    world = Municipality()
    world.register = (
        local_framework()
        + organisation(units, people)
        + themes
        + reqs
        + courses()
        + plans
        + list(robot_list)
        + milestones
        + governance()
        + coverage_rules(units, people, robot_list, events)
        + [Setting(name=HOURLY_RATE, value=str(DEMO_HOURLY_RATE))]
    )
    world.assessments = assessments(people, events)
    world.benefits = benefits(rng, robot_list)
    return world


def generate(repo: Repository, *, staff: int = 1200, seed: int = 1) -> dict[str, int]:
    """Write the demo municipality into `repo` in one transaction; counts per table."""
    # Pays: the demo at 5,000 staff costs 0.5 s more CPU with the collector running
    # (`benchmarks/bench_collector.py --only demo`; docs/performance.md).
    with collector_paused():
        world = build(staff, seed)
        summary = f"demo municipality, seed {seed}, {staff} staff"
        with repo.transaction(summary=summary) as tx:
            for record in world.register:
                tx.put(record)
            for assessment in world.assessments:
                tx.record(assessment)
            for benefit in world.benefits:
                tx.record(benefit)
    repo.save_snapshot()  # a large demo then opens in a fraction of the time
    return repo.ds.counts()
