"""Strategy themes with backcast milestones, the requirements tied to them, and governance."""

from __future__ import annotations

import datetime as dt
import random

from store.demo import catalogue as cat
from store.demo.dates import DEMO_AS_OF
from store.demo.organisation import Unit
from store.models import (
    Entity,
    GovernanceDecision,
    Milestone,
    MilestoneStatus,
    Requirement,
    Stakeholder,
    Theme,
)


def strategy(rng: random.Random) -> tuple[list[Entity], list[Entity]]:
    """Themes with end states and stakeholders, and milestones backcast from each end state."""
    themes: list[Entity] = []
    milestones: list[Entity] = []
    for code, rank, title, end_state, owner, stakeholders in cat.THEMES:
        target = dt.date(2027 + rank // 3, 12, 31)
        themes.append(
            Theme(
                code=code,
                rank=rank,
                title=title,
                end_state=end_state,
                target_date=target,
                owner=owner,
                stakeholders=[
                    Stakeholder(name=n, role=r, interest=i, influence=f)
                    for n, r, i, f in stakeholders
                ],
            )
        )
        steps = cat.MILESTONES[code]
        for back, step in enumerate(reversed(steps)):
            due = dt.date(target.year - (back * 7) // 12, 12 - (back * 7) % 12, 1)
            due = due - dt.timedelta(days=1) if back else target
            if due < DEMO_AS_OF - dt.timedelta(days=200):
                status = "done" if rng.random() < 0.8 else "in_progress"  # late ones: overdue
            elif due < DEMO_AS_OF:
                status = rng.choice(("done", "in_progress", "planned"))
            else:
                status = rng.choice(("planned", "planned", "in_progress"))
            milestones.append(
                Milestone(theme=code, title=step, due=due, owner=owner, status=status)
            )
    milestones.sort(key=lambda m: (m.due, m.theme))  # the order a backcast plan is read in
    overdue = [
        m for m in milestones if m.due < DEMO_AS_OF and m.status in ("planned", "in_progress")
    ]
    if not overdue:  # every size and seed has at least one overdue milestone
        first = milestones[0]
        milestones[0] = first.model_copy(update={"status": MilestoneStatus.IN_PROGRESS})
    return themes, milestones


_EVERYONE = (  # competency, level, priority, theme: asked of all staff, on each directorate
    ("DC1.1", 3, "must", "T1"),
    ("DC2.4", 3, "should", "T1"),
    ("DC4.2", 4, "must", "T3"),
    ("DC5.1", 2, "should", "T1"),
    ("LOK-SIK", 2, "must", "T3"),
)

_BY_ROLE = (  # role, competency, level, priority, theme: on each directorate
    ("LED", "LOK-DATA", 3, "must", "T4"),
    ("LED", "DC1.3", 4, "should", "T4"),
    ("LED", "LOK-SIK", 3, "must", "T3"),
    ("SAG", "LOK-SAG", 3, "must", "T1"),
    ("ADM", "LOK-SAG", 2, "should", "T1"),
    ("IT", "LOK-RPA", 3, "must", "T2"),
    ("IT", "DC3.4", 4, "should", "T2"),
    ("IT", "DC4.1", 5, "must", "T3"),
    ("KONS", "DC1.3", 4, "should", "T4"),
)


def requirements(rng: random.Random, units: list[Unit], robot_units: list[int]) -> list[Entity]:
    """Requirements on directorates (inherited), areas and units, some per role.

    Lower departments sometimes ask more than their directorate (the highest wins) and
    sometimes less (the inherited one still wins), so both sides of the rule occur.
    """
    records: list[Entity] = []

    def add(competency, level, unit, role=None, priority="must", theme=None, due=None):
        records.append(
            Requirement(
                competency=competency,
                level=level,
                department=unit.code,
                role=role,
                priority=priority,
                theme=theme,
                due=due or dt.date(2027, 12, 31),
            )
        )

    for unit in units:
        if unit.level == 1:
            for competency, level, priority, theme in _EVERYONE:
                add(competency, level, unit, None, priority, theme, dt.date(2026, 12, 31))
            for role, competency, level, priority, theme in _BY_ROLE:
                add(competency, level, unit, role, priority, theme)
        elif unit.level == 2:
            directorate = cat.DIRECTORATES[unit.directorate][0]
            if directorate.startswith("Social"):
                add("DC4.2", 5, unit, None, "must", "T3")  # health data: more than the 4 above
            if directorate.startswith("Beskæftigelse"):
                add("LOK-SAG", 4, unit, "SAG", "must", "T1")
            if directorate.startswith("Børne"):
                add("DC2.5", 3, unit, None, "should", "T1")
        elif rng.random() < 0.25:
            add("DC2.4", 4, unit, None, "should", "T1")
        elif rng.random() < 0.1:
            add("DC1.1", 2, unit, None, "should", "T1")  # less than inherited: 3 still holds
    for u in robot_units:
        if units[u].level > 1:
            add("LOK-RPA", 2, units[u], None, "should", "T2")
    return records


def required_of(units: list[Unit], reqs: list[Entity]) -> dict[tuple[int, str], dict[str, int]]:
    """Required level per competency for each (department, role), by the highest-wins rule."""
    by_code = {u.code: i for i, u in enumerate(units)}
    own: dict[int, list[Requirement]] = {}
    for r in reqs:
        own.setdefault(by_code[r.department], []).append(r)
    result: dict[tuple[int, str], dict[str, int]] = {}
    for i, unit in enumerate(units):
        chain = [i]
        parent = unit.parent
        while parent is not None:
            chain.append(by_code[parent])
            parent = units[by_code[parent]].parent
        for role, _ in cat.ROLES:
            levels: dict[str, int] = {}
            for j in chain:
                for r in own.get(j, []):
                    if r.role in (None, role) and r.level > levels.get(r.competency, 0):
                        levels[r.competency] = r.level
            result[(i, role)] = dict(sorted(levels.items()))
    return result


def governance() -> list[Entity]:
    return [
        GovernanceDecision(
            domain=domain, input_rights=list(inputs), decision_rights=decides, people=list(who)
        )
        for domain, inputs, decides, who in cat.GOVERNANCE
    ]
