"""A department scope: one department and all below it, as the only part of a database a
repository shows and changes (`open_store(..., department=CODE)`).

A department lead (in a browser, `kapabel serve --department CODE`) must not reach anyone
outside their part of the organisation, whatever screen, report, export, lookup or command
they use. So the scope is applied in the store, where every one of them reads: the repository
hands out a `view` of each version's data holding only the subtree's people and what belongs to
them, and refuses a change to anything outside it (`refusal`). The rules are in
docs/scope.md.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Mapping

from store.dataset import Dataset
from store.errors import StoreError
from store.models import Department, Entity
from store.problems import Problem, render

SHARED_TABLES = frozenset(
    {"frameworks", "competencies", "roles", "courses", "themes", "milestones", "governance"}
)
"""Tables that belong to the whole organisation, not to a department: shown whole in a scope
(the competency catalogue, the strategy), but changed only without a scope."""


class ScopeError(StoreError):
    """A scope that cannot be used (an unknown department), or a change outside the scope;
    `problem` says which, as data."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(render(problem))


def subtree(departments: Mapping[str, Department], root: str) -> frozenset[str]:
    """`root` and every department below it (a parent cycle never loops)."""
    children: dict[str, list[str]] = {}
    for code, department in departments.items():
        if department.parent_code is not None:
            children.setdefault(department.parent_code, []).append(code)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


def ancestors(departments: Mapping[str, Department], code: str) -> list[str]:
    """The departments above `code`, parent first (stops at a cycle or a missing parent)."""
    found: list[str] = []
    parent = departments[code].parent_code if code in departments else None
    while parent is not None and parent in departments and parent not in found:
        found.append(parent)
        parent = departments[parent].parent_code
    return found


class Scope:
    """Department `root` and all below it; `view(data)` is what a scoped repository shows."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._cached: tuple[Dataset, Dataset] | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, data: Dataset, root: str) -> Scope:
        """The scope of department `root` in `data`; ScopeError when there is no such one."""
        if root not in data.departments:
            raise ScopeError(Problem("", "unknown_scope", {"code": root}))
        return cls(root)

    def view(self, data: Dataset) -> Dataset:
        """`data` as the scope shows it (made once per version: versions are immutable)."""
        cached = self._cached
        if cached is not None and cached[0] is data:
            return cached[1]
        with self._lock:
            cached = self._cached
            if cached is None or cached[0] is not data:
                cached = (data, scoped_view(data, self.root))
                self._cached = cached
            return cached[1]

    def refusal(
        self, data: Dataset, table: str, records: Iterable[Entity | None]
    ) -> Problem | None:
        """Why a change of `records` (the stored one and the new one) of `table` is outside
        the scope, judged on the whole data; None when it is inside."""
        departments = subtree(data.departments, self.root)
        for record in records:
            if record is None:
                continue
            if not _inside(data, departments, table, record):
                return Problem("", "outside_scope", {"table": table, "root": self.root})
        return None

    def shows_audit(self, view: Dataset, entry: Mapping) -> bool:
        """Whether an audit entry is about something the scope shows (its people, their
        assessments and plans, its departments, robots and requirements, or a shared table);
        summaries of whole imports and erasures are not."""
        entity, key = entry.get("entity"), str(entry.get("key", ""))
        if entity in SHARED_TABLES:
            return True
        if entity in ("assessments", "robot_benefits"):
            owner = key.split("|", 1)[0]
            return owner in (view.staff if entity == "assessments" else view.robots)
        if entity in (
            "staff", "departments", "training_plans", "robots", "requirements", "coverage_rules",
        ):  # fmt: skip
            return key in view.table(entity)
        return False


def _inside(data: Dataset, departments: frozenset[str], table: str, record: Entity) -> bool:
    """Whether one record belongs to the scope's departments (only their people, their
    assessments and plans, their requirements and their robots' benefits may change)."""
    if table in ("staff", "requirements", "coverage_rules"):
        return record.department in departments
    if table in ("assessments", "training_plans"):
        person = data.staff.get(record.staff)
        return person is not None and person.department in departments
    if table == "robot_benefits":
        robot = data.robots.get(record.robot)
        return robot is not None and robot.department in departments
    return False  # departments, robots (their operators reach outside), shared tables


def scoped_view(data: Dataset, root: str) -> Dataset:
    """The subtree's part of `data`: its departments (the root as a top-level one), its people
    with their assessments and training plans, its robots (owners and operators outside it
    left out) and their benefits, the requirements that apply there (one set on a department
    above the root is shown on the root: it applies there with the same level), the coverage
    rules set in it, and the shared tables whole."""
    inside = subtree(data.departments, root)
    departments = {code: data.departments[code] for code in inside if code in data.departments}
    top = departments.get(root)
    if top is not None and top.parent_code is not None:
        departments[root] = top.model_copy(update={"parent_code": None})
    staff = {no: person for no, person in data.staff.items() if person.department in inside}
    above = set(ancestors(data.departments, root))
    requirements = {}
    for key, requirement in data.requirements.items():
        if requirement.department in inside:
            requirements[key] = requirement
        elif requirement.department in above:
            requirements[key] = requirement.model_copy(update={"department": root})
    robots = {
        code: robot.model_copy(
            update={
                "owner": robot.owner if robot.owner in staff else None,
                "operators": [no for no in robot.operators if no in staff],
            }
        )
        for code, robot in data.robots.items()
        if robot.department in inside
    }
    return dataclasses.replace(
        data,
        departments=departments,
        staff=staff,
        requirements=requirements,
        coverage_rules={k: r for k, r in data.coverage_rules.items() if r.department in inside},
        training_plans={k: p for k, p in data.training_plans.items() if p.staff in staff},
        robots=robots,
        robot_benefits={k: b for k, b in data.robot_benefits.items() if b.robot in robots},
        assessments=[row for row in data.assessments if row.staff in staff],
    )
