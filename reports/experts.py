"""The experts report: whom to ask about a competency -- per department, the active people with
the highest current level there (or everyone at a minimum level or above)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from i18n import N_, _
from reports import rules
from reports.analysis import Analysis
from reports.base import (
    Report,
    ReportInputError,
    Table,
    competency_name,
    ensure_analysis,
    resolve_scope,
)
from reports.words import enum_text, phrase, term, terms
from store.dataset import Dataset
from store.models import Source


class Expert(NamedTuple):
    department: str
    employee_no: str
    level: int
    date: dt.date
    source: str


def experts_in_scope(
    analysis: Analysis, competency: str, min_level: int | None = None, department: str | None = None
) -> list[Expert]:
    """`rules.top_people` within each department's own active staff, departments in tree order."""
    result: list[Expert] = []
    by_department: dict[str, dict[str, int]] = {}
    for person in analysis.staff_in_scope(department):
        level = analysis.current_level(person.employee_no, competency)
        if level:
            by_department.setdefault(person.department, {})[person.employee_no] = level
    for code, levels in by_department.items():
        for no in rules.top_people(levels, min_level):
            row = analysis.current_for(no, competency)
            result.append(Expert(code, no, row.level, row.date, row.source))
    return result


@dataclass
class ExpertsReport(Report):
    kind = "experts"
    label = "Experts"
    report_name = N_("Experts report")

    competency: str
    competency_label: str
    min_level: int | None
    experts: list[Expert]
    staff_names: dict[str, str]
    department_names: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "competency": self.competency,
            "min_level": self.min_level,
            "experts": [
                {
                    "department": e.department,
                    "employee_no": e.employee_no,
                    "name": self.staff_names[e.employee_no],
                    "level": e.level,
                    "date": e.date.isoformat(),
                    "source": e.source,
                }
                for e in self.experts
            ],
        }

    def tables(self) -> list[Table]:
        if self.min_level is None:
            title = phrase(
                N_("{competency} ({code}): the highest level in each department"),
                competency=self.competency_label,
                code=self.competency,
            )
        else:
            title = phrase(
                N_("{competency} ({code}): level {level} or above"),
                competency=self.competency_label,
                code=self.competency,
                level=self.min_level,
            )
        return [
            Table(
                title,
                terms(
                    N_("Department"),
                    N_("Employee"),
                    N_("Name"),
                    N_("Level"),
                    N_("Assessed"),
                    N_("Source"),
                ),
                [
                    [
                        f"{self.department_names[e.department]} ({e.department})",
                        e.employee_no,
                        self.staff_names[e.employee_no],
                        e.level,
                        e.date,
                        enum_text(e.source, Source),
                    ]
                    for e in self.experts
                ],  # fmt: skip
                group_by=0,
            )
        ]


def build_experts(
    source: Analysis | Dataset,
    as_of: dt.date | None = None,
    department: str | None = None,
    competency: str | None = None,
    min_level: int | None = None,
) -> ExpertsReport:
    analysis = ensure_analysis(source, as_of)
    if not competency:
        raise ReportInputError(_("the experts report needs a competency (--competency)"))
    competency = competency.strip()
    if competency not in analysis.ds.competencies:
        raise ReportInputError(_("unknown competency: {code!r}").format(code=competency))
    scope = resolve_scope(analysis, department)
    experts = experts_in_scope(
        analysis, competency, min_level, None if scope is None else scope.code
    )
    summary = [
        (term(N_("Competency")), f"{competency_name(analysis, competency)} ({competency})"),
        (term(N_("People listed")), str(len(experts))),
    ]
    return ExpertsReport(
        analysis.as_of,
        scope,
        competency,
        competency_name(analysis, competency),
        min_level,
        experts,
        {e.employee_no: analysis.ds.staff[e.employee_no].name for e in experts},
        {e.department: analysis.tree.name(e.department) for e in experts},
        summary=summary,
    )
