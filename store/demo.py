"""The demo municipality: a fictional Danish municipality that exercises every feature.

`generate` is deterministic for a seed: everything is drawn from one `random.Random(seed)` over
ordered lists (never sets of strings, whose order changes between runs), and every date is
fixed relative to `DEMO_AS_OF`, never to today. `--staff N` scales it keeping the proportions:
departments grow roughly with the square root of the staff, robots with the departments.

The whole municipality is built in memory first (`build`) and then written in one transaction
with one summary audit entry, so a 50,000-staff database is one write, not a million.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import random
from dataclasses import dataclass, field

from store import demo_data as cat
from store.digcomp import COMPETENCES as DIGCOMP_COMPETENCES
from store.models import (
    Assessment,
    Competency,
    Course,
    Department,
    Entity,
    Framework,
    GovernanceDecision,
    Milestone,
    Requirement,
    Robot,
    RobotBenefit,
    Role,
    ScaleLevel,
    Staff,
    Stakeholder,
    Theme,
    TrainingPlan,
)
from store.repository import FolderRepository

DEMO_AS_OF: dt.date = dt.date(2026, 11, 1)
"""The demo's history runs up to this date; reports and golden tests use it as 'today'."""

HISTORY_YEARS = 3
HISTORY_START = DEMO_AS_OF.replace(year=DEMO_AS_OF.year - HISTORY_YEARS)
LOCAL = cat.LOCAL_FRAMEWORK[0]
DIGCOMP_MAX, LOCAL_MAX = 8, len(cat.LOCAL_SCALE)
SOURCES = ("self", "manager", "test", "training")
ROBOT_PHASES = ("idea", "analysis", "development", "test", "production", "retired")
PLAN_STATUSES = ("planned", "in_progress", "completed", "cancelled")


# ------------------------------------------------------------------------------ sizes
def department_count(staff: int) -> int:
    """About 40 departments at 1,200 staff and 300 at 50,000 (a power law between)."""
    return max(3, round(40 * (staff / 1200) ** 0.54))


def robot_count(departments: int) -> int:
    """About 30 robots per 40 departments, at least one in every lifecycle phase."""
    return max(len(ROBOT_PHASES), round(30 * departments / 40))


def tree_shape(departments: int) -> tuple[int, int, int]:
    """(directorates, areas, units): about 6 directorates, three levels at every size."""
    directorates = min(len(cat.DIRECTORATES), max(1, round(departments / 6.5)))
    rest = departments - directorates
    areas = max(min(round(2 * math.sqrt(rest)), rest // 2), min(rest, 1))
    return directorates, areas, rest - areas


# ------------------------------------------------------------------------------ helpers
def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A working day between `start` and `end` (inclusive, moved off weekends)."""
    day = dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
    if day.weekday() >= 5:
        day -= dt.timedelta(days=day.weekday() - 4)
    return max(day, start)


def _clamp(value: float, top: int) -> int:
    return min(top, max(1, round(value)))


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: dt.date, last: dt.date) -> list[str]:
    """Every month from `first` to `last`, inclusive, as YYYY-MM."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass
class Unit:
    """A department while it is being built (its lead is known only after the staff)."""

    code: str
    name: str
    parent: str | None
    directorate: int
    level: int
    area: int = -1
    staff: list[int] = field(default_factory=list)


@dataclass
class Person:
    """A staff member while being built, with what the history generator needs to know."""

    employee_no: str
    name: str
    email: str
    unit: int
    role: str
    start: dt.date
    active: bool = True
    left: dt.date | None = None
    digital_agent: bool = False
    never_assessed: bool = False
    aptitude: float = 0.0


@dataclass
class Municipality:
    """Everything `generate` writes, in the order the references need."""

    register: list[Entity] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    benefits: list[RobotBenefit] = field(default_factory=list)


# ------------------------------------------------------------------------------ organisation
def build_units(rng: random.Random, count: int) -> list[Unit]:
    """Directorates, areas and units, parents first, with realistic Danish names."""
    n_dir, n_area, n_unit = tree_shape(count)
    units = [Unit(f"{d + 1}0000", cat.DIRECTORATES[d][0], None, d, 1) for d in range(n_dir)]
    area_units: list[Unit] = []
    per_directorate = [0] * n_dir
    for a in range(n_area):
        d = a % n_dir
        catalogue = cat.DIRECTORATES[d][2]
        k = per_directorate[d]
        per_directorate[d] += 1
        base = catalogue[k % len(catalogue)][0]
        name = base if k < len(catalogue) else f"{base} {cat.PLACES[k // len(catalogue) - 1]}"
        unit = Unit(f"{d + 1}{k + 1:02d}00", name, units[d].code, d, 2, area=k % len(catalogue))
        area_units.append(unit)
    units += area_units
    used_places: dict[str, int] = {}
    per_area = [0] * len(area_units)
    start = rng.randrange(len(cat.PLACES))
    for u in range(n_unit):
        a = u % len(area_units)
        parent = area_units[a]
        k = per_area[a]
        per_area[a] += 1
        patterns = cat.DIRECTORATES[parent.directorate][2][parent.area][1]
        pattern = patterns[k % len(patterns)]
        n = used_places.get(pattern, 0)
        used_places[pattern] = n + 1
        place = cat.PLACES[(start + n) % len(cat.PLACES)]
        name = pattern.format(place)
        if n >= len(cat.PLACES):
            name = f"{name} {n // len(cat.PLACES) + 1}"
        code = f"{parent.code[:-2]}{k + 1:02d}"
        units.append(Unit(code, name, parent.code, parent.directorate, 3, area=parent.area))
    return units


def _email(name: str, seen: dict[str, int]) -> str:
    parts = name.lower().translate(cat.TRANSLITERATION).split()
    local = f"{parts[0]}.{parts[-1]}"
    n = seen.get(local, 0) + 1
    seen[local] = n
    return f"{local}{n if n > 1 else ''}@{cat.MAIL_DOMAIN}"


def build_people(rng: random.Random, count: int, units: list[Unit]) -> list[Person]:
    """Staff: a lead first in every department, the rest spread with varying weights."""
    weights = [0.3 if u.level == 1 else 1.0 if u.level == 2 else rng.uniform(2, 7) for u in units]
    placement = list(range(min(count, len(units))))
    placement += rng.choices(range(len(units)), weights=weights, k=max(0, count - len(units)))
    seen: dict[str, int] = {}
    people: list[Person] = []
    late = DEMO_AS_OF - dt.timedelta(days=15)
    for i, u in enumerate(placement):
        unit = units[u]
        first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.SURNAMES)
        if rng.random() < 0.1:
            last = f"{rng.choice(cat.SURNAMES)} {last}"
        name = f"{first} {last}"
        lead = not unit.staff
        mix = cat.DIRECTORATES[unit.directorate][1]
        role = cat.LEAD_ROLE if lead else rng.choices([r for r, _ in mix], [w for _, w in mix])[0]
        if rng.random() < 0.07:
            start = _day(rng, dt.date(2026, 5, 1), late)  # new: not assessed yet
        else:
            start = _day(rng, dt.date(1992, 1, 1), dt.date(2023, 6, 30))
        person = Person(f"E{i + 1:06d}", name, _email(name, seen), u, role, start)
        person.aptitude = rng.gauss(0, 1)
        if not lead and rng.random() < 0.03:
            person.active = False
            person.left = _day(rng, HISTORY_START, late)
        person.never_assessed = rng.random() < 0.03
        unit.staff.append(i)
        people.append(person)
    for unit in units:
        others = [i for i in unit.staff[1:] if people[i].active]
        if others and rng.random() < 0.85:
            people[rng.choice(others)].digital_agent = True
    return people


def organisation(units: list[Unit], people: list[Person]) -> list[Entity]:
    """Department, Role and Staff models, parents first."""
    records: list[Entity] = [
        Department(
            code=u.code,
            name=u.name,
            parent_code=u.parent,
            lead=people[u.staff[0]].employee_no if u.staff else None,
        )
        for u in units
    ]
    records += [Role(code=code, name=name) for code, name in cat.ROLES]
    records += [
        Staff(
            employee_no=p.employee_no,
            name=p.name,
            email=p.email,
            department=units[p.unit].code,
            role=p.role,
            digital_agent=p.digital_agent,
            active=p.active,
            start_date=p.start,
        )
        for p in people
    ]
    return records


# ------------------------------------------------------------------------------ competencies
def local_framework() -> list[Entity]:
    scale = [
        ScaleLevel(level=i + 1, label=label, descriptor=text)
        for i, (label, text) in enumerate(cat.LOCAL_SCALE)
    ]
    records: list[Entity] = [Framework(code=LOCAL, name=cat.LOCAL_FRAMEWORK[1], scale=scale)]
    records += [
        Competency(code=code, framework=LOCAL, area=area, name=name, description=text)
        for code, area, name, text in cat.LOCAL_COMPETENCIES
    ]
    return records


def max_level(competency: str) -> int:
    return LOCAL_MAX if competency.startswith("LOK-") else DIGCOMP_MAX


# ------------------------------------------------------------------------------ strategy
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
        milestones[0] = first.model_copy(update={"status": "in_progress"})
    return themes, milestones


# ------------------------------------------------------------------------------ requirements
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


# ------------------------------------------------------------------------------ courses, plans
def courses() -> list[Entity]:
    return [
        Course(code=c, name=n, provider=p, hours=h, cost=k, raises=r)
        for c, n, p, h, k, r in cat.COURSES
    ]


def _course_for(competency: str) -> tuple[str, str] | None:
    for code, _, provider, _, _, raises in cat.COURSES:
        if competency in raises:
            return code, provider
    return None


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
            course = _course_for(competency) if rng.random() < 0.8 else None
            completed = None
            if status == "completed" and person.start > dt.date(2026, 8, 1):
                status = "in_progress"  # too new to have finished a course
            if status == "completed":
                completed = _day(rng, max(person.start, HISTORY_START), dt.date(2026, 9, 30))
                due = completed + dt.timedelta(days=rng.randint(-20, 90))
                assessor = course[1] if course else "Nærmeste leder"
                events.append((completed, i, competency, 3, target, None, assessor))
            elif overdue:
                due = _day(rng, dt.date(2026, 3, 1), as_of - dt.timedelta(days=7))
            else:
                due = _day(rng, as_of + dt.timedelta(days=30), dt.date(2027, 12, 20))
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


# ------------------------------------------------------------------------------ robots
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
            go_live = _day(rng, dt.date(2022, 1, 1), dt.date(2026, 6, 30))
        elif phase == "retired":
            go_live = _day(rng, dt.date(2021, 1, 1), dt.date(2024, 6, 30))
        elif phase == "test":
            go_live = _day(rng, DEMO_AS_OF + dt.timedelta(days=20), dt.date(2027, 3, 31))
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
                day = _day(rng, dt.date(2026, 10, 1), dt.date(2026, 10, 23))
                for competency, level in required.items():
                    got = level + rng.randint(0, 1) if qualified else level - 1
                    until = day.replace(year=day.year + 2)
                    events.append((day, person, competency, 2, got, until, "Digitaliseringsteamet"))
            operators = [people[i].employee_no for i in chosen]
        expected = rng.randrange(300, 3000, 50)
        out.append(
            Robot(
                code=f"RPA-{n + 1:03d}",
                name=name,
                process=process,
                department=unit.code,
                platform=rng.choice(cat.PLATFORMS),
                phase=phase,
                go_live=go_live,
                owner=people[unit.staff[0]].employee_no,
                operators=operators,
                required_competencies=required,
                expected_hours_per_year=expected,
                yearly_cost=rng.randrange(20_000, 150_000, 1_000),
            )
        )
    return out, events


def benefits(rng: random.Random, robots_: list[Robot]) -> list[RobotBenefit]:
    """Monthly benefit logs since go-live; about a quarter of the robots under-deliver."""
    out: list[RobotBenefit] = []
    last = DEMO_AS_OF - dt.timedelta(days=1)
    for robot in robots_:
        if robot.phase not in ("production", "retired") or robot.go_live is None:
            continue
        under = rng.random() < 0.25
        factor = rng.uniform(0.3, 0.65) if under else rng.uniform(0.85, 1.2)
        failing = rng.uniform(0.08, 0.2) if under else rng.uniform(0.0, 0.05)
        end = last
        if robot.phase == "retired":
            end = min(last, robot.go_live + dt.timedelta(days=rng.randint(300, 900)))
        for k, month in enumerate(_months(robot.go_live, end)):
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


# ------------------------------------------------------------------------------ history
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
            day = _day(rng, start, end)
            self_days.append(day)
            for c in competencies:
                if rng.random() < 0.9:
                    level = _clamp(_grown(base[c], day) + 0.4 + rng.gauss(0, 0.5), max_level(c))
                    events.append((day, i, c, 0, level, None, None))
        for (start, end), self_day in zip(MANAGER_ROUNDS, self_days, strict=True):
            if start < first or end > last or rng.random() > 0.7:
                continue
            day = _day(rng, start, end)
            if self_day is not None and rng.random() < 0.15:
                day = self_day  # assessed together with the self-assessment: same date
            for c in competencies[: rng.randint(1, 2)]:
                level = _clamp(_grown(base[c], day) + rng.gauss(0, 0.3), max_level(c))
                events.append((day, i, c, 1, level, None, manager))
        if "LOK-SIK" in wanted:
            for start, end in TEST_ROUNDS:
                if start < first or end > last or rng.random() > 0.75:
                    continue
                day = _day(rng, start, end)
                level = _clamp(_grown(base["LOK-SIK"], day) + rng.gauss(0, 0.4), LOCAL_MAX)
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


def governance() -> list[Entity]:
    return [
        GovernanceDecision(
            domain=domain, input_rights=list(inputs), decision_rights=decides, people=list(who)
        )
        for domain, inputs, decides, who in cat.GOVERNANCE
    ]


# ------------------------------------------------------------------------------ assembly
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
    )
    world.assessments = assessments(people, events)
    world.benefits = benefits(rng, robot_list)
    return world


def generate(repo: FolderRepository, *, staff: int = 1200, seed: int = 1) -> dict[str, int]:
    """Write the demo municipality into `repo` in one transaction; counts per table."""
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the collector would dominate (PERFORMANCE.md)
    try:
        world = build(staff, seed)
        summary = f"demo municipality, seed {seed}, {staff} staff"
        with repo.transaction(summary=summary) as tx:
            for record in world.register:
                tx.put(record)
            for assessment in world.assessments:
                tx.record(assessment)
            for benefit in world.benefits:
                tx.record(benefit)
    finally:
        if was_enabled:
            gc.enable()
    return repo.ds.counts()
