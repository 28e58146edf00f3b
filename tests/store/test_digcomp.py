"""A new database starts with DigComp 2.2 exactly as the JRC publishes it."""

from __future__ import annotations

from store.repository import FolderRepository

OFFICIAL = {
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
AREAS = {
    "1 Information and data literacy",
    "2 Communication and collaboration",
    "3 Digital content creation",
    "4 Safety",
    "5 Problem solving",
}


def test_new_database_has_the_21_competences_in_5_areas(repo: FolderRepository) -> None:
    reopened = FolderRepository.open(repo.path)
    digcomp = {c.code: c for c in reopened.ds.competencies.values() if c.framework == "DIGCOMP"}
    assert {code: c.name for code, c in digcomp.items()} == OFFICIAL
    assert {c.area for c in digcomp.values()} == AREAS
    assert all(c.area.startswith(c.code[2]) for c in digcomp.values())


def test_digcomp_has_8_levels_in_4_groups(repo: FolderRepository) -> None:
    framework = FolderRepository.open(repo.path).ds.frameworks["DIGCOMP"]
    assert framework.name == "DigComp 2.2"
    assert [(s.level, s.group) for s in framework.scale] == [
        (1, "Foundation"),
        (2, "Foundation"),
        (3, "Intermediate"),
        (4, "Intermediate"),
        (5, "Advanced"),
        (6, "Advanced"),
        (7, "Highly specialised"),
        (8, "Highly specialised"),
    ]
    assert all(s.descriptor.strip() for s in framework.scale)
    assert framework.max_level == 8
