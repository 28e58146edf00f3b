"""The local framework on its own 1-5 scale, its competencies, and the courses."""

from __future__ import annotations

from store.demo import catalogue as cat
from store.models import Competency, Course, Entity, Framework, ScaleLevel

LOCAL = cat.LOCAL_FRAMEWORK[0]

DIGCOMP_MAX, LOCAL_MAX = 8, len(cat.LOCAL_SCALE)


def local_framework() -> list[Entity]:
    """The municipality's own framework (scale 1-5) and its four competencies."""
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
    """Top of the scale a demo competency is assessed on."""
    return LOCAL_MAX if competency.startswith("LOK-") else DIGCOMP_MAX


def clamp_level(value: float, top: int) -> int:
    """A drawn level rounded into the scale 1..top."""
    return min(top, max(1, round(value)))


def courses() -> list[Entity]:
    """The course catalogue, each raising one or more competencies to a level."""
    return [
        Course(code=c, name=n, provider=p, hours=h, cost=k, raises=r)
        for c, n, p, h, k, r in cat.COURSES
    ]


def course_for(competency: str) -> tuple[str, str] | None:
    """(course code, provider) of the first course raising `competency`, if any."""
    for code, _, provider, _, _, raises in cat.COURSES:
        if competency in raises:
            return code, provider
    return None
