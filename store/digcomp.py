"""The EU DigComp 2.2 framework, built into every new database.

Source: Vuorikari, Kluzer & Punie, *DigComp 2.2: The Digital Competence Framework for Citizens*
(JRC, 2022): 5 competence areas, 21 competences, 8 proficiency levels in 4 groups.

The names are the JRC's English ones in every language: no published Danish translation of
DigComp 2.2 was found (README), and an unofficial one would not be the framework's names.
"""

from __future__ import annotations

from store.models import Competency, Entity, Framework, ScaleLevel

FRAMEWORK_CODE = "DIGCOMP"

AREAS: dict[int, str] = {
    1: "Information and data literacy",
    2: "Communication and collaboration",
    3: "Digital content creation",
    4: "Safety",
    5: "Problem solving",
}

COMPETENCES: dict[str, str] = {
    "DC1.1": "Browsing, searching and filtering data, information and digital content",
    "DC1.2": "Evaluating data, information and digital content",
    "DC1.3": "Managing data, information and digital content",
    "DC2.1": "Interacting through digital technologies",
    "DC2.2": "Sharing through digital technologies",
    "DC2.3": "Engaging in citizenship through digital technologies",
    "DC2.4": "Collaborating through digital technologies",
    "DC2.5": "Netiquette",
    "DC2.6": "Managing digital identity",
    "DC3.1": "Developing digital content",
    "DC3.2": "Integrating and re-elaborating digital content",
    "DC3.3": "Copyright and licences",
    "DC3.4": "Programming",
    "DC4.1": "Protecting devices",
    "DC4.2": "Protecting personal data and privacy",
    "DC4.3": "Protecting health and well-being",
    "DC4.4": "Protecting the environment",
    "DC5.1": "Solving technical problems",
    "DC5.2": "Identifying needs and technological responses",
    "DC5.3": "Creatively using digital technologies",
    "DC5.4": "Identifying digital competence gaps",
}

# Level, group, and the framework's one-line description (complexity, autonomy, cognitive domain).
LEVELS: list[tuple[int, str, str]] = [
    (1, "Foundation", "Simple tasks, with guidance; remembering"),
    (2, "Foundation", "Simple tasks, with autonomy and guidance where needed; remembering"),
    (
        3,
        "Intermediate",
        "Well-defined and routine tasks and straightforward problems, on my own; understanding",
    ),
    (
        4,
        "Intermediate",
        "Tasks and well-defined, non-routine problems, independently and to my needs; understanding",
    ),
    (5, "Advanced", "Different tasks and problems, guiding others; applying"),
    (
        6,
        "Advanced",
        "The most appropriate tasks, adapting to others in a complex context; evaluating",
    ),
    (
        7,
        "Highly specialised",
        "Complex problems with limited solutions, contributing to professional practice and guiding others; creating",
    ),
    (
        8,
        "Highly specialised",
        "Complex problems with many interacting factors, proposing new ideas and processes to the field; creating",
    ),
]


def digcomp_framework() -> Framework:
    scale = [
        ScaleLevel(level=level, label=f"{group} {level}", descriptor=text, group=group)
        for level, group, text in LEVELS
    ]
    return Framework(code=FRAMEWORK_CODE, name="DigComp 2.2", scale=scale)


def digcomp_competencies() -> list[Competency]:
    return [
        Competency(
            code=code,
            framework=FRAMEWORK_CODE,
            area=f"{code[2]} {AREAS[int(code[2])]}",
            name=name,
        )
        for code, name in COMPETENCES.items()
    ]


def digcomp_records() -> list[Entity]:
    """The framework first, then its competences: the order a store must add them in."""
    return [digcomp_framework(), *digcomp_competencies()]
