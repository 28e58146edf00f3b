"""One pass over a loaded dataset, as of one date: what every report and screen reads.

`analyse(ds, as_of)` indexes the data once -- current levels per (person, competency) in one pass
over the history, requirements resolved once per (department, role) pair, per-department counters
for active staff -- so a report or a screen asks questions that are dict lookups and small sums.
The rules themselves live in `reports.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from reports import rules
from reports.tree import DepartmentTree, natural_key
from store.dataset import AssessmentRow, Dataset
from store.gcpause import collector_paused
from store.models import SOURCE_PRECEDENCE, Requirement, Staff, TrainingPlan

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CompetencyFigures:
    """One competency over a department's subtree (active staff only)."""

    competency: str
    staff_required: int = 0
    staff_meeting: int = 0
    not_assessed: int = 0
    gaps_with_open_training: int = 0
    total_gap: int = 0

    @property
    def pct_meeting(self) -> float | None:
        return rules.pct(self.staff_meeting, self.staff_required)

    @property
    def mean_gap(self) -> float | None:
        """Mean gap over the staff required (those meeting count as 0)."""
        return None if not self.staff_required else self.total_gap / self.staff_required

    @property
    def staff_short(self) -> int:
        return self.staff_required - self.staff_meeting


@dataclass(frozen=True)
class DepartmentFigures:
    """Figures for a department and everything below it (code None: the whole organisation)."""

    code: str | None
    staff_count: int
    competencies: dict[str, CompetencyFigures] = field(default_factory=dict)

    @property
    def pairs_required(self) -> int:
        return sum(c.staff_required for c in self.competencies.values())

    @property
    def pairs_met(self) -> int:
        return sum(c.staff_meeting for c in self.competencies.values())

    @property
    def readiness_pct(self) -> float | None:
        return rules.readiness_pct(self.pairs_met, self.pairs_required)


class PersonRow(NamedTuple):
    """One required competency of one person."""

    competency: str
    required: int
    current: int | None
    date: dt.date | None
    source: str | None
    gap: int
    open_plan: TrainingPlan | None
    """An open plan for this competency (one that covers the gap first), or None."""
    training_covered: bool
    """An open plan with target >= required exists."""

    @property
    def meets(self) -> bool:
        return self.gap == 0


class GapRow(NamedTuple):
    """A person short of a requirement (gap > 0)."""

    employee_no: str
    department: str
    competency: str
    required: int
    current: int | None
    gap: int
    training_planned: bool


# --------------------------------------------------------------------------- indexes


CurrentIndex = dict[str, dict[str, AssessmentRow]]
"""employee_no -> competency -> the assessment giving the current level."""

_NONE: dict[str, AssessmentRow] = {}


def current_index(rows: Iterable[AssessmentRow], as_of: dt.date) -> CurrentIndex:
    """`rules.current_assessment` for every (person, competency) at once, in one pass.

    The hottest loop in Kapabel (a million rows at the largest size), so the rule is inlined on
    tuple indexes and nested dicts (no per-row key tuples); a property test pins it to
    `rules.current_assessment`.
    """
    precedence = SOURCE_PRECEDENCE
    best: CurrentIndex = {}
    with collector_paused():
        for row in rows:
            date = row[3]
            if date > as_of:
                continue
            valid_until = row[6]
            if valid_until is not None and valid_until < as_of:
                continue
            mine = best.get(row[0])
            if mine is None:
                best[row[0]] = {row[1]: row}
                continue
            old = mine.get(row[1])
            if old is None or date > old[3]:
                mine[row[1]] = row
            elif date == old[3]:
                rank, old_rank = precedence.get(row[4], -1), precedence.get(old[4], -1)
                if rank > old_rank or (rank == old_rank and row[8] > old[8]):
                    mine[row[1]] = row
    return best


class Structure:
    """What does not depend on the as-of date: tree, requirements, staff and plan indexes.

    Build it once to analyse the same dataset at several dates (the trend report).
    """

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.tree = DepartmentTree(ds.departments)
        self.requirements_by_department: dict[str, list[Requirement]] = {}
        for requirement in ds.requirements.values():
            self.requirements_by_department.setdefault(requirement.department, []).append(
                requirement
            )
        self._required: dict[tuple[str, str | None], dict[str, int]] = {}
        self._theme_required: dict[tuple[str, str | None], dict[str, dict[str, int]]] = {}
        self.staff_by_department: dict[str, list[Staff]] = {}
        for employee_no in sorted(ds.staff, key=natural_key):
            person = ds.staff[employee_no]
            self.staff_by_department.setdefault(person.department, []).append(person)
        self.plans_by_pair: dict[tuple[str, str], list[TrainingPlan]] = {}
        for plan in ds.training_plans.values():
            self.plans_by_pair.setdefault((plan.staff, plan.competency), []).append(plan)
        self.open_target: dict[tuple[str, str], int] = {}
        """Highest target among open plans per (person, competency): a gap is covered
        (`rules.plan_covers`) exactly when this reaches the required level."""
        for key, plans in self.plans_by_pair.items():
            targets = [p.target_level for p in plans if rules.is_open_plan(p)]
            if targets:
                self.open_target[key] = max(targets)

    def chain(self, department: str) -> tuple[str, ...]:
        """The department and those above it (just itself when it is not in the register)."""
        if department in self.tree.departments:
            return self.tree.chain(department)
        return (department,)

    def required_for_pair(self, department: str, role: str | None) -> dict[str, int]:
        """Competency -> required level for anyone in `department` with `role` (shared: read only)."""
        key = (department, role)
        found = self._required.get(key)
        if found is None:
            chain = self.chain(department)
            candidates = [r for d in chain for r in self.requirements_by_department.get(d, ())]
            levels = rules.required_levels(candidates, chain, role)
            found = {c: levels[c] for c in self.sort_competencies(levels)}
            self._required[key] = found
        return found

    def theme_required_for_pair(
        self, department: str, role: str | None
    ) -> dict[str, dict[str, int]]:
        """Theme -> competency -> level, from the requirements tied to each theme only."""
        key = (department, role)
        found = self._theme_required.get(key)
        if found is None:
            chain = self.chain(department)
            by_theme: dict[str, list[Requirement]] = {}
            for d in chain:
                for r in self.requirements_by_department.get(d, ()):
                    if r.theme is not None:
                        by_theme.setdefault(r.theme, []).append(r)
            found = {t: rules.required_levels(reqs, chain, role) for t, reqs in by_theme.items()}
            self._theme_required[key] = found
        return found

    def sort_competencies(self, codes: Iterable[str]) -> list[str]:
        return sorted(codes, key=natural_key)


# --------------------------------------------------------------------------- analysis

_REQUIRED, _MEETING, _NOT_ASSESSED, _COVERED, _TOTAL_GAP = range(5)


class Analysis:
    """Everything the reports need about one dataset as of one date."""

    def __init__(self, ds: Dataset, as_of: dt.date, structure: Structure | None = None) -> None:
        self.ds = ds
        self.as_of = as_of
        self.structure = structure or Structure(ds)
        self.tree = self.structure.tree
        self.current = current_index(ds.assessments, as_of)
        """employee_no -> competency -> current assessment (see `current_for`)."""
        self._own_counters: dict[str, dict[str, list[int]]] = {}
        self._own_staff: dict[str, int] = {}
        self._own_gaps: dict[str, list[GapRow]] = {}
        self._figures: dict[str | None, DepartmentFigures] = {}
        self._history: dict[str, list[AssessmentRow]] | None = None
        self._count_departments()

    def assessments_note(self) -> str | None:
        """Why everyone reads as 'not assessed' when no assessment counts on the as-of date
        (a date before the first one, say), so that 0 % is not taken for a finding."""
        if self.current or not self.ds.assessments:
            return None
        first = min(row.date for row in self.ds.assessments)
        if first > self.as_of:
            return (
                f"no assessments existed on {self.as_of} (the first is dated {first}): "
                "everyone counts as not assessed"
            )
        return f"no assessment was valid on {self.as_of}: everyone counts as not assessed"

    # ------------------------------------------------------------- the one pass
    def _count_departments(self) -> None:
        """Per department (own staff only), per competency: the counters figures are built of.

        Runs once per required (person, competency) pair, so the counters are lists indexed by
        the constants above, resolved per role before the loop over people.
        """
        structure = self.structure
        current = self.current
        open_target = structure.open_target
        gap = rules.gap
        for department, people in structure.staff_by_department.items():
            counters: dict[str, list[int]] = {}
            by_role: dict[str | None, list[tuple[str, int, list[int]]]] = {}
            gaps: list[GapRow] = []
            active = 0
            for person in people:
                if not person.active:
                    continue
                active += 1
                employee_no = person.employee_no
                levels = current.get(employee_no, _NONE)
                role = person.role
                work = by_role.get(role)
                if work is None:
                    work = by_role[role] = [
                        (competency, required, counters.setdefault(competency, [0, 0, 0, 0, 0]))
                        for competency, required in structure.required_for_pair(
                            department, role
                        ).items()
                    ]
                for competency, required, counter in work:
                    row = levels.get(competency)
                    counter[0] += 1  # _REQUIRED
                    if row is None:
                        level = None
                        counter[2] += 1  # _NOT_ASSESSED
                    else:
                        level = row[2]
                    short = gap(required, level)
                    if short == 0:
                        counter[1] += 1  # _MEETING
                        continue
                    counter[4] += short  # _TOTAL_GAP
                    covered = open_target.get((employee_no, competency), 0) >= required
                    if covered:
                        counter[3] += 1  # _COVERED
                    gaps.append(
                        GapRow(employee_no, department, competency, required, level, short, covered)
                    )
            counters = {c: counters[c] for c in structure.sort_competencies(counters)}
            self._own_staff[department] = active
            self._own_counters[department] = counters
            self._own_gaps[department] = gaps

    # ------------------------------------------------------------- tree
    def children(self, code: str | None) -> list[str]:
        return self.tree.children(code)

    def subtree(self, code: str | None) -> frozenset[str]:
        return self.tree.subtree(code)

    def ancestors(self, code: str) -> tuple[str, ...]:
        return self.tree.ancestors(code)

    def depth(self, code: str) -> int:
        return self.tree.depth(code)

    def top_level(self) -> list[str]:
        return self.tree.top_level()

    def department_name(self, code: str | None) -> str:
        return "Whole organisation" if code is None else self.tree.name(code)

    # ------------------------------------------------------------- people
    def _departments_with_staff(self, code: str | None) -> list[str]:
        """Departments in scope that have staff, in display order (incl. unknown codes at root)."""
        if code is None:
            known = [d for d in self.tree.walk() if d in self.structure.staff_by_department]
            unknown = sorted(
                (d for d in self.structure.staff_by_department if d not in self.tree.departments),
                key=natural_key,
            )
            return known + unknown
        return [d for d in self.tree.walk(code) if d in self.structure.staff_by_department]

    def staff_in_scope(self, code: str | None) -> list[Staff]:
        """Active staff in `code` and below (None: everyone), by department then employee no."""
        result: list[Staff] = []
        for department in self._departments_with_staff(code):
            result.extend(p for p in self.structure.staff_by_department[department] if p.active)
        return result

    def required_for(self, employee_no: str) -> dict[str, int]:
        """Competency -> required level for one person (a fresh dict: safe to change)."""
        person = self.ds.staff[employee_no]
        return dict(self.structure.required_for_pair(person.department, person.role))

    def current_for(self, employee_no: str, competency: str) -> AssessmentRow | None:
        return self.current.get(employee_no, _NONE).get(competency)

    def current_level(self, employee_no: str, competency: str) -> int | None:
        row = self.current.get(employee_no, _NONE).get(competency)
        return None if row is None else row.level

    def open_plan_for(
        self, employee_no: str, competency: str, required: int
    ) -> TrainingPlan | None:
        """An open plan for the pair: one that covers `required` if any, else the highest target."""
        plans = [
            p
            for p in self.structure.plans_by_pair.get((employee_no, competency), ())
            if rules.is_open_plan(p)
        ]
        if not plans:
            return None
        return max(plans, key=lambda p: (rules.plan_covers(p, required), p.target_level, p.id))

    def person_rows(self, employee_no: str) -> list[PersonRow]:
        """Each competency required of the person: required, current, date, source, gap, plan."""
        result = []
        required_levels = self.required_for(employee_no)
        for competency in self.structure.sort_competencies(required_levels):
            required = required_levels[competency]
            row = self.current_for(employee_no, competency)
            level = None if row is None else row.level
            plan = self.open_plan_for(employee_no, competency, required)
            result.append(
                PersonRow(
                    competency,
                    required,
                    level,
                    None if row is None else row.date,
                    None if row is None else row.source,
                    rules.gap(required, level),
                    plan,
                    plan is not None and rules.plan_covers(plan, required),
                )
            )
        return result

    def history_for(self, employee_no: str) -> list[AssessmentRow]:
        """Every assessment of one person in recording order (index built on first use)."""
        if self._history is None:
            history: dict[str, list[AssessmentRow]] = {}
            for row in self.ds.assessments:
                history.setdefault(row.staff, []).append(row)
            self._history = history
        return list(self._history.get(employee_no, ()))

    def plans_for(self, employee_no: str) -> list[TrainingPlan]:
        return [p for p in self.ds.training_plans.values() if p.staff == employee_no]

    # ------------------------------------------------------------- departments
    def department_figures(self, code: str | None) -> DepartmentFigures:
        """Figures over the department's whole subtree (None: whole organisation), active staff."""
        found = self._figures.get(code)
        if found is not None:
            return found
        totals: dict[str, list[int]] = {}
        staff_count = 0
        for department in self._departments_with_staff(code):
            staff_count += self._own_staff.get(department, 0)
            for competency, counter in self._own_counters.get(department, {}).items():
                total = totals.get(competency)
                if total is None:
                    totals[competency] = list(counter)
                else:
                    for i, value in enumerate(counter):
                        total[i] += value
        competencies = self._figures_of(totals)
        found = DepartmentFigures(code, staff_count, competencies)
        self._figures[code] = found
        return found

    def _figures_of(self, counters: dict[str, list[int]]) -> dict[str, CompetencyFigures]:
        return {
            c: CompetencyFigures(
                c,
                staff_required=t[_REQUIRED],
                staff_meeting=t[_MEETING],
                not_assessed=t[_NOT_ASSESSED],
                gaps_with_open_training=t[_COVERED],
                total_gap=t[_TOTAL_GAP],
            )
            for c in self.structure.sort_competencies(counters)
            for t in (counters[c],)
        }

    def own_figures(self, code: str) -> DepartmentFigures:
        """Figures for a department's own staff only (not the departments below it)."""
        counters = self._own_counters.get(code, {})
        competencies = self._figures_of(counters)
        return DepartmentFigures(code, self._own_staff.get(code, 0), competencies)

    def gap_rows(self, code: str | None) -> list[GapRow]:
        """People short of a requirement in scope: by department (display order), person, competency."""
        result: list[GapRow] = []
        for department in self._departments_with_staff(code):
            result.extend(self._own_gaps.get(department, ()))
        return result


def analyse(ds: Dataset, as_of: dt.date, structure: Structure | None = None) -> Analysis:
    """The analysis of `ds` as of `as_of` (pass `structure` to reuse it across dates).

    The whole build only adds objects that live on: the cycle collector is paused throughout.
    """
    with collector_paused():
        return Analysis(ds, as_of, structure)
