"""Directorates, areas and units with Danish names, and the staff who work in them."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from store.demo import catalogue as cat
from store.demo.dates import DEMO_AS_OF, HISTORY_START, work_day
from store.models import Department, Entity, Role, Staff


def department_count(staff: int) -> int:
    """About 40 departments at 1,200 staff and 300 at 50,000 (a power law between)."""
    return max(3, round(40 * (staff / 1200) ** 0.54))


def tree_shape(departments: int) -> tuple[int, int, int]:
    """(directorates, areas, units): about 6 directorates, three levels at every size."""
    directorates = min(len(cat.DIRECTORATES), max(1, round(departments / 6.5)))
    rest = departments - directorates
    areas = max(min(round(2 * math.sqrt(rest)), rest // 2), min(rest, 1))
    return directorates, areas, rest - areas


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
            start = work_day(rng, dt.date(2026, 5, 1), late)  # new: not assessed yet
        else:
            start = work_day(rng, dt.date(1992, 1, 1), dt.date(2023, 6, 30))
        person = Person(f"E{i + 1:06d}", name, _email(name, seen), u, role, start)
        person.aptitude = rng.gauss(0, 1)
        if not lead and rng.random() < 0.03:
            person.active = False
            person.left = work_day(rng, HISTORY_START, late)
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
