"""The gaps report: who falls short of what the strategy requires, in a scope, as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from i18n import N_
from reports.analysis import Analysis, DepartmentFigures, GapRow
from reports.base import (
    Report,
    Table,
    competency_name,
    ensure_analysis,
    resolve_scope,
    staff_name,
)
from reports.words import met_of, percent, term, terms
from store.dataset import Dataset

COMPETENCY_HEADERS = terms(
    N_("Code"), N_("Competency"), N_("Req"), N_("Meet"), N_("% meet"), N_("Avg gap"),
    N_("Unassessed"), N_("Training"),
)  # fmt: skip
STAFF_HEADERS = terms(
    N_("Department"), N_("Employee"), N_("Name"), N_("Competency"), N_("Req"), N_("Current"),
    N_("Gap"), N_("Training"),
)  # fmt: skip


@dataclass
class GapsReport(Report):
    kind = "gaps"
    label = "Gaps"
    report_name = N_("Gaps report")

    figures: DepartmentFigures
    gaps: list[GapRow]
    competency_names: dict[str, str]
    staff_names: dict[str, str]
    department_names: dict[str, str]

    def competency_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "code": c.competency,
                "name": self.competency_names[c.competency],
                "staff_required": c.staff_required,
                "staff_meeting": c.staff_meeting,
                "pct_meeting": c.pct_meeting,
                "mean_gap": c.mean_gap,
                "not_assessed": c.not_assessed,
                "gaps_with_open_training": c.gaps_with_open_training,
            }
            for c in self.figures.competencies.values()
        ]

    def to_dict(self) -> dict[str, Any]:
        names = self.staff_names
        return {
            **self.head(),
            "staff_in_scope": self.figures.staff_count,
            "pairs_required": self.figures.pairs_required,
            "pairs_met": self.figures.pairs_met,
            "readiness_pct": self.figures.readiness_pct,
            "competencies": self.competency_dicts(),
            "staff": [
                {
                    "employee_no": g.employee_no,
                    "name": names[g.employee_no],
                    "department": g.department,
                    "competency": g.competency,
                    "required": g.required,
                    "current": g.current,
                    "gap": g.gap,
                    "training_planned": g.training_planned,
                }
                for g in self.gaps
            ],
        }

    def tables(self) -> list[Table]:
        figures = self.figures
        competency_rows = [
            [c.competency, self.competency_names[c.competency], c.staff_required, c.staff_meeting,
             c.pct_meeting, c.mean_gap, c.not_assessed, c.gaps_with_open_training]
            for c in figures.competencies.values()
        ]  # fmt: skip
        competency_rows.append(
            [term(N_("Total")), "", figures.pairs_required, figures.pairs_met, figures.readiness_pct,
             None, sum(c.not_assessed for c in figures.competencies.values()),
             sum(c.gaps_with_open_training for c in figures.competencies.values())]
        )  # fmt: skip
        names, departments = self.staff_names, self.department_names
        staff_rows = [
            [f"{departments[g.department]} ({g.department})", g.employee_no, names[g.employee_no],
             g.competency, g.required, g.current, g.gap, g.training_planned]
            for g in self.gaps
        ]  # fmt: skip
        return [
            Table(
                term(N_("Competencies (Training: gaps covered by an open training plan)")),
                COMPETENCY_HEADERS,
                competency_rows,
            ),
            Table(
                term(N_("Staff with a gap")),
                STAFF_HEADERS,
                staff_rows,
                group_by=0,
            ),
        ]


def build_gaps(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> GapsReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    code = None if scope is None else scope.code
    figures = analysis.department_figures(code)
    gaps = analysis.gap_rows(code)
    competency_names = {c: competency_name(analysis, c) for c in figures.competencies}
    people = {g.employee_no for g in gaps}
    staff_names = {no: staff_name(analysis, no) for no in people}
    department_names = {d: analysis.tree.name(d) for d in {g.department for g in gaps}}
    readiness = figures.readiness_pct
    summary = [
        (term(N_("Active staff in scope")), str(figures.staff_count)),
        (term(N_("Requirements met")), met_of(figures.pairs_met, figures.pairs_required)),
        (term(N_("Readiness")), percent(readiness)),
        (term(N_("People with a gap")), str(len(people))),
    ]
    return GapsReport(
        analysis.as_of,
        scope,
        figures,
        gaps,
        competency_names,
        staff_names,
        department_names,
        summary=summary,
    )
