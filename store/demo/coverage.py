"""Coverage rules and certificates about to lapse, so the demo's issue #15 figures have content.

Both are added after the rest of the municipality is drawn, from their own random stream
(`extra_rng`), so the main stream's draws, and every figure they produce, stay as they were.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from store.demo.dates import DEMO_AS_OF, work_day
from store.demo.organisation import Person, Unit
from store.models import CoverageRule, Robot

SOURCE_RANK = {0: 0, 3: 1, 1: 2, 2: 3}
"""Same-date precedence of the history's source indices: test > manager > training > self."""

RENEWED = "LOK-SIK"
"""The certificate renewed a year before it lapses: the information-security course."""

RENEWAL_WINDOW = (dt.date(2025, 11, 3), dt.date(2025, 12, 30))
"""Renewals taken in this window lapse, a year on, within 60 days after `DEMO_AS_OF`."""

RENEWAL_SHARE = 0.5
"""Share of the eligible people who renewed their certificate then."""

NOT_STALE_SINCE = DEMO_AS_OF.replace(year=DEMO_AS_OF.year - 2)
"""Only assessments from here on are renewed, so no stale rating turns fresh."""

COURSE_PROVIDER = "Fjordby Akademi"


def extra_rng(seed: int) -> random.Random:
    """The separate stream for these additions (a string seed hashes the same in every run)."""
    return random.Random(f"kapabel-demo-{seed}-issue-15")


def _latest(events: list[tuple], pairs: set[tuple[int, str]] | None, on: dt.date) -> dict:
    """Per (person, competency): the event ranking first on `on` (date, then source), valid or
    not, the first recorded winning a tie, as `history.assessments` keeps it."""
    best: dict[tuple[int, str], tuple] = {}
    for event in events:
        day, i, competency, source = event[:4]
        key = (i, competency)
        if day > on or (pairs is not None and key not in pairs):
            continue
        held = best.get(key)
        if held is None or (day, SOURCE_RANK[source]) > (held[0], SOURCE_RANK[held[3]]):
            best[key] = event
    return best


def current_levels(events: list[tuple], competencies: set[str], on: dt.date) -> dict:
    """Per (person, competency) in `competencies`: the current level on `on` (the current-level
    rule of docs/rules.md: valid on the date, latest date, then source)."""
    valid = [
        e for e in events if e[2] in competencies and e[0] <= on and (e[5] is None or e[5] >= on)
    ]
    return {key: event[4] for key, event in _latest(valid, None, on).items()}


def renewals(
    rng: random.Random, people: list[Person], required: dict, events: list[tuple]
) -> list[tuple]:
    """Certificates renewed in Nov-Dec 2025 for a year, so they lapse within 60 days after
    `DEMO_AS_OF`: on the person's current level, later than every other assessment of the pair,
    so every level on every date up to `DEMO_AS_OF` stays the same (only its expiry is new)."""
    pairs = {
        (i, RENEWED)
        for i, p in enumerate(people)
        if p.active and not p.never_assessed and RENEWED in required[(p.unit, p.role)]
    }
    latest = _latest(events, pairs, DEMO_AS_OF)
    out: list[tuple] = []
    for i, competency in sorted(latest):
        day, _, _, _, level, until, _ = latest[(i, competency)]
        if until is not None and until < DEMO_AS_OF:
            continue  # lapsed already: a renewal would change the level on DEMO_AS_OF
        if not NOT_STALE_SINCE <= day < RENEWAL_WINDOW[0] or rng.random() > RENEWAL_SHARE:
            continue
        renewed = work_day(rng, *RENEWAL_WINDOW)
        lapses = renewed + dt.timedelta(days=365)
        out.append((renewed, i, competency, 3, level, lapses, COURSE_PROVIDER))
    return out


def _subtrees(units: list[Unit], people: list[Person]) -> dict[str, list[int]]:
    """Per department code: the active people of it and of every department below it."""
    parent = {u.code: u.parent for u in units}
    out: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(people):
        if not person.active:
            continue
        code: str | None = units[person.unit].code
        while code is not None:
            out[code].append(i)
            code = parent[code]
    return out


def coverage_rules(
    units: list[Unit], people: list[Person], robot_list: list[Robot], events: list[tuple]
) -> list[CoverageRule]:
    """A handful of rules, some met and some not on `DEMO_AS_OF`: security across the first
    directorate (met), case handling in each unit of the largest area (the busier units met,
    the others short), and robot operation where the first two production robots run (the
    first, which carries key-person risk, one expert short; the second met)."""
    levels = current_levels(events, {"LOK-SIK", "LOK-SAG", "LOK-RPA"}, DEMO_AS_OF)
    subtree = _subtrees(units, people)

    def meeting(code: str, competency: str, level: int) -> int:
        return sum(levels.get((i, competency), 0) >= level for i in subtree.get(code, []))

    rules: list[CoverageRule] = []
    top = units[0].code
    rules.append(
        CoverageRule(
            department=top,
            competency="LOK-SIK",
            level=2,
            min_people=max(1, meeting(top, "LOK-SIK", 2) // 10 * 10),
        )
    )
    children: dict[str, list[str]] = defaultdict(list)
    for u in units:
        if u.parent is not None and subtree.get(u.code):
            children[u.parent].append(u.code)
    areas = [u.code for u in units if u.level == 2 and children[u.code]]
    if areas:
        area = max(areas, key=lambda code: (len(children[code]), len(subtree[code])))
        counts = sorted(meeting(c, "LOK-SAG", 3) for c in children[area])
        rules.append(
            CoverageRule(
                department=area,
                competency="LOK-SAG",
                level=3,
                min_people=counts[(len(counts) - 1) // 2] + 1,  # above the lower half
                each=True,
            )
        )
    production = [r for r in robot_list if r.phase == "production"]
    first, second = (production + [None, None])[:2]
    if first is not None:  # one expert more than it has: short, like its key-person risk
        code = first.department
        rules.append(
            CoverageRule(
                department=code,
                competency="LOK-RPA",
                level=4,
                min_people=meeting(code, "LOK-RPA", 4) + 1,
            )
        )
    if second is not None and second.department != getattr(first, "department", None):
        rules.append(
            CoverageRule(department=second.department, competency="LOK-RPA", level=3, min_people=1)
        )
    return rules
