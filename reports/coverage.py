"""The coverage report: is anyone left who can do it -- each coverage rule's people meeting and
shortfall per department, and the departments without a digital agent (docs/rules.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from i18n import N_
from reports import rules
from reports.analysis import Analysis
from reports.base import Report, Table, competency_name, ensure_analysis, resolve_scope
from reports.tree import natural_key
from reports.words import term, terms, yes_no
from store.dataset import Dataset
from store.models import CoverageRule


class CoverageResult(NamedTuple):
    department: str
    people_meeting: int
    shortfall: int

    @property
    def met(self) -> bool:
        return self.shortfall == 0


@dataclass(frozen=True)
class RuleCoverage:
    rule: CoverageRule
    results: list[CoverageResult]

    @property
    def unmet(self) -> list[CoverageResult]:
        return [r for r in self.results if not r.met]


def people_meeting(analysis: Analysis, department: str, competency: str, level: int) -> int:
    """Active staff in `department` and below whose current level in `competency` is >= level.
    (The readable form: the reports count them with `Analysis.meeting_counts`, held to this by
    `tests/reports/test_overview_arrays_property.py`.)"""
    return sum(
        1
        for person in analysis.staff_in_scope(department)
        if rules.meets(level, analysis.current_level(person.employee_no, competency))
    )


def rule_departments(analysis: Analysis, rule: CoverageRule) -> list[str]:
    """Where a rule is evaluated: its department, and with `each` every department below it that
    has at least one active person in its own subtree (tree order)."""
    if not rule.each:
        return [rule.department]
    below = analysis.tree.walk(rule.department)[1:]
    return [rule.department] + [d for d in below if analysis.department_figures(d).staff_count > 0]


def coverage_results(
    analysis: Analysis, rule: CoverageRule, departments: list[str]
) -> list[CoverageResult]:
    """The rule evaluated at each department: people meeting it there and the shortfall."""
    counts = analysis.meeting_counts(rule.competency, rule.level, departments)
    return [
        CoverageResult(department, meeting, rules.coverage_shortfall(rule.min_people, meeting))
        for department, meeting in zip(departments, counts, strict=True)
    ]


def rule_coverage(analysis: Analysis, rule: CoverageRule) -> RuleCoverage:
    return RuleCoverage(rule, coverage_results(analysis, rule, rule_departments(analysis, rule)))


def coverage_in_scope(analysis: Analysis, department: str | None = None) -> list[RuleCoverage]:
    """The coverage rules set on the department (None: all) and below, in tree order."""
    known = analysis.tree.departments
    in_scope = analysis.tree.walk(department)
    order = {d: i for i, d in enumerate(in_scope)}
    chosen = [
        r
        for r in analysis.ds.coverage_rules.values()
        if r.department in known and r.department in order
    ]
    chosen.sort(key=lambda r: (order[r.department], natural_key(r.competency), r.level))
    return [rule_coverage(analysis, r) for r in chosen]


def departments_without_agent(analysis: Analysis, department: str | None = None) -> list[str]:
    """Departments in scope (tree order) with active staff of their own and no active agent."""
    lacking = analysis.grid.without_agent
    return [d for d in analysis.tree.walk(department) if d in lacking]


@dataclass
class CoverageReport(Report):
    kind = "coverage"
    label = "Coverage"
    report_name = N_("Coverage report")

    coverage: list[RuleCoverage]
    without_agent: list[str]
    competency_names: dict[str, str]
    department_names: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "rules": [
                {
                    "department": c.rule.department,
                    "competency": c.rule.competency,
                    "level": c.rule.level,
                    "min_people": c.rule.min_people,
                    "each": c.rule.each,
                    "results": [
                        {
                            "department": r.department,
                            "people_meeting": r.people_meeting,
                            "shortfall": r.shortfall,
                            "met": r.met,
                        }
                        for r in c.results
                    ],
                }
                for c in self.coverage
            ],
            "departments_without_agent": list(self.without_agent),
        }

    def tables(self) -> list[Table]:
        names = self.department_names
        rows = [
            [f"{names[r.department]} ({r.department})",
             f"{self.competency_names[c.rule.competency]} ({c.rule.competency})", c.rule.level,
             c.rule.min_people, yes_no(c.rule.each), r.people_meeting, r.shortfall,
             yes_no(True) if r.met else yes_no(False).upper()]
            for c in self.coverage
            for r in c.results
        ]  # fmt: skip
        return [
            Table(
                term(
                    N_("Coverage rules (people at the level or above, in the department and below)")
                ),
                terms(
                    N_("Department"),
                    N_("Competency"),
                    N_("Level"),
                    N_("Min"),
                    N_("Each"),
                    N_("Meeting"),
                    N_("Short"),
                    N_("Met"),
                ),
                rows,
            ),
            Table(
                term(N_("Departments without a digital agent (among their own active staff)")),
                terms(N_("Code"), N_("Department")),
                [[d, names[d]] for d in self.without_agent],
            ),
        ]


def build_coverage(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> CoverageReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    code = None if scope is None else scope.code
    coverage = coverage_in_scope(analysis, code)
    without_agent = departments_without_agent(analysis, code)
    departments = {r.department for c in coverage for r in c.results} | set(without_agent)
    unmet = sum(len(c.unmet) for c in coverage)
    summary = [
        (term(N_("Coverage rules")), str(len(coverage))),
        (term(N_("Unmet (rule, department)")), str(unmet)),
        (term(N_("Departments without a digital agent")), str(len(without_agent))),
    ]
    return CoverageReport(
        analysis.as_of,
        scope,
        coverage,
        without_agent,
        {c.rule.competency: competency_name(analysis, c.rule.competency) for c in coverage},
        {d: analysis.tree.name(d) for d in departments},
        summary=summary,
    )


def department_coverage(analysis: Analysis, code: str) -> list[tuple[CoverageRule, CoverageResult]]:
    """The coverage rules evaluated at one department (set on it, or with `each` on a department
    above it that has people in its subtree) and their result there: what the coverage report
    lists for that department, for the Organisation screen."""
    chain = set(analysis.structure.chain(code))
    found = []
    for rule in analysis.ds.coverage_rules.values():
        # below a rule with `each`, a department counts when its subtree has people
        # (`rule_departments`), asked of this department alone
        here = rule.department == code or (
            rule.each
            and rule.department in chain
            and analysis.department_figures(code).staff_count > 0
        )
        if here:
            found.append((rule, coverage_results(analysis, rule, [code])[0]))
    found.sort(key=lambda pair: (natural_key(pair[0].competency), pair[0].level))
    return found


def lacks_agent(analysis: Analysis, code: str) -> bool:
    """The digital-agent rule for one department (its own active staff: `Grid.without_agent`)."""
    return code in analysis.grid.without_agent
