"""Rules that need more than one record: references, levels within a scale, what uses a record.

Each function returns `Problem`s (field, code, params: `store.problems`), so the same checks serve
a form in the TUI (at the field), an import row and `kapabel check` (rendered as lines).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from i18n import _
from store.dataset import AssessmentRow, Dataset
from store.models import (
    GENERATED_ID_PREFIX,
    REGISTER_MODELS,
    Assessment,
    Competency,
    Course,
    CoverageRule,
    Department,
    Entity,
    Framework,
    Milestone,
    Requirement,
    Robot,
    RobotBenefit,
    Staff,
    Theme,
    ThemeStakeholder,
    TrainingPlan,
)
from store.problems import Problem, problem, render, render_line
from store.text_rules import text_problems


def _missing(ds_table: dict, key: str | None, field: str, what: str) -> list[Problem]:
    if key is None or key in ds_table:
        return []
    return [problem(field, "unknown_reference", what=what, key=key)]


def level_problems(
    ds: Dataset, competency: str, level: int | None, field: str, low: int = 1
) -> list[Problem]:
    """A level must lie within the scale of the competency's framework (0 = none, assessed only).

    None (a level that could not be read) is not checked: its own problem says why.
    """
    framework = ds.framework_of(competency)
    if framework is None or level is None:
        return []
    if level > framework.max_level:
        return [
            problem(
                field,
                "level_above_scale",
                level=level,
                framework=framework.code,
                top=framework.max_level,
                competency=competency,
            )
        ]
    if level < low:
        none = " = none" if low == 0 else ""
        return [
            problem(
                field, "level_below_scale", level=level, low=low, none=none, competency=competency
            )
        ]
    return []


def key_taken_problems(ds: Dataset, table: str, key: str) -> list[Problem]:
    """A new record's key that another record has: named at the key's field, saying whose it is
    ('employee_no: E12 is already the number of Anna Ærø (Borgerservice)')."""
    existing = ds.table(table).get(key)
    if existing is None:
        return []
    fields = type(existing).key_fields
    if len(fields) > 1:
        return [problem("", "record_exists")]
    if isinstance(existing, Staff):
        department = ds.departments.get(existing.department)
        where = [department.name if department else existing.department]
        where += [] if existing.active else ["inactive"]
        return [
            problem(
                "employee_no",
                "employee_no_taken",
                key=key,
                name=existing.name,
                where=", ".join(where),
                department=where[0],
                active=existing.active,
            )
        ]
    name = getattr(existing, "name", None) or getattr(existing, "title", "")
    if name:
        return [problem(fields[0], "key_taken", key=key, name=name)]
    return [problem(fields[0], "key_exists", key=key)]


def department_cycle(ds: Dataset, code: str, parent: str | None) -> bool:
    """True when making `parent` the parent of `code` would close a loop in the tree."""
    seen = {code}
    while parent is not None:
        if parent in seen:
            return True
        seen.add(parent)
        node = ds.departments.get(parent)
        parent = node.parent_code if node else None
    return False


def record_problems(ds: Dataset, record: Entity | AssessmentRow) -> list[Problem]:
    """Everything wrong with `record` given the rest of the database: what every way in (a
    save, an import, so every form) checks, including the characters its text may not hold
    (`store.text_rules`; a stored row, `AssessmentRow`, was checked when it came in)."""
    refused = [] if isinstance(record, AssessmentRow) else text_problems(record)
    return refused or reference_problems(ds, record)  # a refused value is not looked up


def reference_problems(ds: Dataset, record: Entity | AssessmentRow) -> list[Problem]:
    """What is wrong with `record`'s references and levels given the rest of the database."""
    problems: list[Problem] = []
    if isinstance(record, Assessment | AssessmentRow):  # first: an import checks a million
        problems += _missing(ds.staff, record.staff, "staff", "employee")
        problems += _missing(ds.competencies, record.competency, "competency", "competency")
        problems += level_problems(ds, record.competency, record.level, "level", low=0)
    elif isinstance(record, Department):
        problems += _missing(ds.departments, record.parent_code, "parent_code", "department")
        if record.parent_code and department_cycle(ds, record.code, record.parent_code):
            problems.append(problem("parent_code", "department_loop", parent=record.parent_code))
    elif isinstance(record, Staff):
        problems += _missing(ds.departments, record.department, "department", "department")
        problems += _missing(ds.roles, record.role, "role", "role")
    elif isinstance(record, Competency):
        problems += _missing(ds.frameworks, record.framework, "framework", "framework")
        problems += moved_competency_problems(ds, record)
    elif isinstance(record, Framework):
        problems += scale_problems(ds, record)
    elif isinstance(record, Requirement):
        problems += _missing(ds.competencies, record.competency, "competency", "competency")
        problems += _missing(ds.departments, record.department, "department", "department")
        problems += _missing(ds.roles, record.role, "role", "role")
        problems += _missing(ds.themes, record.theme, "theme", "theme")
        problems += level_problems(ds, record.competency, record.level, "level")
    elif isinstance(record, CoverageRule):
        problems += _missing(ds.competencies, record.competency, "competency", "competency")
        problems += _missing(ds.departments, record.department, "department", "department")
        problems += level_problems(ds, record.competency, record.level, "level")
    elif isinstance(record, Course):
        for code, level in record.raises.items():
            problems += _missing(ds.competencies, code, "raises", "competency")
            problems += level_problems(ds, code, level, "raises")
    elif isinstance(record, TrainingPlan):
        problems += _missing(ds.staff, record.staff, "staff", "employee")
        problems += _missing(ds.competencies, record.competency, "competency", "competency")
        problems += _missing(ds.courses, record.course, "course", "course")
        problems += level_problems(ds, record.competency, record.target_level, "target_level")
    elif isinstance(record, Robot):
        problems += _missing(ds.departments, record.department, "department", "department")
        problems += _missing(ds.staff, record.owner, "owner", "employee")
        for operator in record.operators:
            problems += _missing(ds.staff, operator, "operators", "employee")
        for code, level in record.required_competencies.items():
            problems += _missing(ds.competencies, code, "required_competencies", "competency")
            problems += level_problems(ds, code, level, "required_competencies")
    elif isinstance(record, RobotBenefit):
        problems += _missing(ds.robots, record.robot, "robot", "robot")
    elif isinstance(record, Milestone | ThemeStakeholder):
        problems += _missing(ds.themes, record.theme, "theme", "theme")
    return problems


def scale_problems(ds: Dataset, framework: Framework) -> list[Problem]:
    """A framework's scale may not shrink below the levels still used with its competencies."""
    previous = ds.frameworks.get(framework.code)
    top = framework.max_level
    if previous is None or top >= previous.max_level:
        return []
    ours = {c.code for c in ds.competencies.values() if c.framework == framework.code}
    found = levels_in_use_above(ds, ours, top)
    return [problem("scale", "scale_below_use", top=top, used=found)] if found else []


def moved_competency_problems(ds: Dataset, competency: Competency) -> list[Problem]:
    """A competency moved to another framework must fit that framework's scale."""
    previous = ds.competencies.get(competency.code)
    framework = ds.frameworks.get(competency.framework)
    if previous is None or framework is None or previous.framework == competency.framework:
        return []
    found = levels_in_use_above(ds, {competency.code}, framework.max_level)
    if not found:
        return []
    return [
        problem(
            "framework",
            "moved_above_scale",
            framework=framework.code,
            top=framework.max_level,
            competency=competency.code,
            used=found,
        )
    ]


def levels_in_use_above(ds: Dataset, competencies: set[str], top: int) -> dict[str, int]:
    """How many records use one of `competencies` at a level above `top`, by kind (zero counts
    left out: empty when none), e.g. {"requirement": 2, "assessment": 120}."""
    used = {
        "requirement": sum(
            r.competency in competencies and r.level > top for r in ds.requirements.values()
        ),
        "coverage_rule": sum(
            r.competency in competencies and r.level > top for r in ds.coverage_rules.values()
        ),
        "training_plan": sum(
            p.competency in competencies and p.target_level > top
            for p in ds.training_plans.values()
        ),
        "course": sum(
            any(c in competencies and level > top for c, level in course.raises.items())
            for course in ds.courses.values()
        ),
        "robot": sum(
            any(c in competencies and level > top for c, level in r.required_competencies.items())
            for r in ds.robots.values()
        ),
        "assessment": sum(
            row.level > top and row.competency in competencies for row in ds.assessments
        ),
    }
    return {what: n for what, n in used.items() if n}


def usages(ds: Dataset, table: str, key: str) -> dict[str, int]:
    """What still refers to record `key` of `table`, counted by kind (empty: it may be
    deleted), e.g. {"staff": 3, "requirement": 1}."""
    used: dict[str, int] = {}
    if table == "departments":
        used["sub_department"] = sum(d.parent_code == key for d in ds.departments.values())
        used["staff"] = sum(s.department == key for s in ds.staff.values())
        used["requirement"] = sum(r.department == key for r in ds.requirements.values())
        used["coverage_rule"] = sum(r.department == key for r in ds.coverage_rules.values())
        used["robot"] = sum(r.department == key for r in ds.robots.values())
    elif table == "roles":
        used["staff"] = sum(s.role == key for s in ds.staff.values())
        used["requirement"] = sum(r.role == key for r in ds.requirements.values())
    elif table == "staff":
        used["assessment"] = sum(a.staff == key for a in ds.assessments)
        used["training_plan"] = sum(p.staff == key for p in ds.training_plans.values())
        used["robot"] = sum(r.owner == key or key in r.operators for r in ds.robots.values())
    elif table == "frameworks":
        used["competency"] = sum(c.framework == key for c in ds.competencies.values())
    elif table == "competencies":
        used["assessment"] = sum(a.competency == key for a in ds.assessments)
        used["requirement"] = sum(r.competency == key for r in ds.requirements.values())
        used["coverage_rule"] = sum(r.competency == key for r in ds.coverage_rules.values())
        used["training_plan"] = sum(p.competency == key for p in ds.training_plans.values())
        used["course"] = sum(key in c.raises for c in ds.courses.values())
        used["robot"] = sum(key in r.required_competencies for r in ds.robots.values())
    elif table == "courses":
        used["training_plan"] = sum(p.course == key for p in ds.training_plans.values())
    elif table == "robots":
        used["benefit_record"] = sum(b.robot == key for b in ds.robot_benefits.values())
    elif table == "themes":
        used["milestone"] = sum(m.theme == key for m in ds.milestones.values())
        used["requirement"] = sum(r.theme == key for r in ds.requirements.values())
    return {what: n for what, n in used.items() if n}


def dataset_problems(ds: Dataset) -> list[str]:
    """Every broken reference, out-of-scale level and duplicate key in a loaded database."""
    problems: list[str] = []
    for name in (
        "departments",
        "staff",
        "competencies",
        "requirements",
        "coverage_rules",
        "courses",
        "training_plans",
        "robots",
        "robot_benefits",
        "milestones",
    ):
        for key, record in ds.table(name).items():
            problems += _lines(name, key, reference_problems(ds, record))
    for code, found in themes_rank_problems(
        sorted(ds.themes.values(), key=lambda t: t.code)
    ).items():
        problems += _lines("themes", code, [found])
    problems += stored_text_problems(ds)
    staff, competencies = ds.staff, ds.competencies
    for row in ds.assessments:
        if row.staff not in staff or row.competency not in competencies:
            problems += _lines("assessments", row.key(), reference_problems(ds, row))
        else:
            framework = ds.framework_of(row.competency)
            if framework and not 0 <= row.level <= framework.max_level:
                problems += _lines("assessments", row.key(), reference_problems(ds, row))
    return problems


def themes_rank_problems(themes: Iterable[Theme]) -> dict[str, Problem]:
    """Theme code -> why its rank cannot be kept: another theme of `themes` (the database as
    it will be) has the same rank. The theme listed later is the one named."""
    first: dict[int, Theme] = {}
    found: dict[str, Problem] = {}
    for theme in themes:
        holder = first.setdefault(theme.rank, theme)
        if holder is not theme:
            found[theme.code] = problem(
                "rank", "rank_taken", rank=theme.rank, theme=holder.code, title=holder.title
            )
    return found


def _lines(table: str, key: str, problems: list[Problem]) -> list[str]:
    """Problems of a stored record as `kapabel check` lists them: "staff 'E1': role: ..."."""
    return [f"{_(table)} {key!r}: {render_line(found)}" for found in problems]


def stored_text_problems(ds: Dataset) -> list[str]:
    """Register records and benefits holding text that new input may not hold (a separator or
    an invisible character in a code, a control character in a name), written before the rule."""
    problems: list[str] = []
    tables = [m.table for m in REGISTER_MODELS] + [RobotBenefit.table]
    for name in tables:
        for key, record in ds.table(name).items():
            problems += _lines(name, key, text_problems(record))
    return problems


def highest_id(keys: Iterable[str], prefix: str) -> int:
    """The highest number among keys of the form `<prefix>-<digits>` (0 when there is none)."""
    pattern = re.compile(rf"{re.escape(prefix)}-([0-9]+)")
    return max((int(m[1]) for key in keys if (m := pattern.fullmatch(key))), default=0)


def counter_problems(ds: Dataset, counters: dict[str, int]) -> list[str]:
    """Key counters behind the keys their table already holds (a reset or restored counter)."""
    problems = []
    for table, prefix in GENERATED_ID_PREFIX.items():
        highest, counter = highest_id(ds.table(table), prefix), counters.get(prefix, 0)
        if highest > counter:
            behind = {"prefix": prefix, "counter": counter, "table": table, "highest": highest}
            problems.append(render(Problem("", "counter_behind", behind)))
    return problems


def duplicate_keys(keys: list[str]) -> list[str]:
    """Keys that occur more than once (a hand-edited or merged file can hold such)."""
    return sorted(k for k, n in Counter(keys).items() if n > 1)
