"""The person report: one employee's requirements, current levels, history and training."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from i18n import N_, _
from reports.analysis import Analysis, PersonRow
from reports.base import (
    Report,
    ReportInputError,
    Scope,
    Table,
    competency_name,
    ensure_analysis,
    report_title,
)
from reports.words import Phrase, enum_text, met_of, term, terms, yes_no
from store.dataset import AssessmentRow, Dataset
from store.models import PlanStatus, Source, Staff, TrainingPlan


@dataclass
class PersonReport(Report):
    kind = "person"
    label = "Person"
    report_name = N_("Person report")

    person: Staff
    department_name: str
    rows: list[PersonRow]
    history: list[AssessmentRow]
    plans: list[TrainingPlan]
    competency_names: dict[str, str]

    def title(self) -> Phrase:
        p = self.person
        return report_title(self.report_name, f"{p.name} ({p.employee_no})", self.as_of)

    def to_dict(self) -> dict[str, Any]:
        p = self.person
        return {
            **self.head(),
            "employee": {
                "employee_no": p.employee_no,
                "name": p.name,
                "department": p.department,
                "department_name": self.department_name,
                "role": p.role,
                "active": p.active,
                "digital_agent": p.digital_agent,
            },
            "requirements": [
                {
                    "competency": r.competency,
                    "name": self.competency_names[r.competency],
                    "required": r.required,
                    "current": r.current,
                    "date": r.date,
                    "source": r.source,
                    "gap": r.gap,
                    "training_planned": r.training_covered,
                    "open_plan": None if r.open_plan is None else r.open_plan.id,
                }
                for r in self.rows
            ],
            "history": [
                {
                    "competency": a.competency,
                    "level": a.level,
                    "date": a.date,
                    "source": a.source,
                    "assessor": a.assessor,
                    "valid_until": a.valid_until,
                    "note": a.note,
                }
                for a in self.history
            ],
            "training_plans": [plan.model_dump(mode="json") for plan in self.plans],
        }

    def tables(self) -> list[Table]:
        names = self.competency_names
        return [
            Table(
                term(N_("Required competencies")),
                terms(
                    N_("Code"),
                    N_("Competency"),
                    N_("Req"),
                    N_("Current"),
                    N_("Date"),
                    N_("Source"),
                    N_("Gap"),
                    N_("Training"),
                ),
                [
                    [
                        r.competency,
                        names[r.competency],
                        r.required,
                        r.current,
                        r.date,
                        enum_text(r.source, Source),
                        r.gap,
                        r.training_covered,
                    ]
                    for r in self.rows
                ],
            ),  # fmt: skip
            Table(
                term(N_("Assessment history up to the as-of date (newest first)")),
                terms(
                    N_("Date"),
                    N_("Code"),
                    N_("Level"),
                    N_("Source"),
                    N_("Assessor"),
                    N_("Valid until"),
                    N_("Note"),
                ),
                [
                    [
                        a.date,
                        a.competency,
                        a.level,
                        enum_text(a.source, Source),
                        a.assessor,
                        a.valid_until,
                        a.note,
                    ]  # fmt: skip
                    for a in self.history
                ],
            ),
            Table(
                term(N_("Training plans")),
                terms(
                    N_("Plan"),
                    N_("Code"),
                    N_("Target"),
                    N_("Course"),
                    N_("Due"),
                    N_("Status"),
                    N_("Completed"),
                ),
                [
                    [
                        p.id,
                        p.competency,
                        p.target_level,
                        p.course,
                        p.due,
                        enum_text(p.status, PlanStatus),
                        p.completed,
                    ]
                    for p in self.plans
                ],
            ),  # fmt: skip
        ]


def build_person(
    source: Analysis | Dataset, as_of: dt.date | None = None, *, employee: str
) -> PersonReport:
    analysis = ensure_analysis(source, as_of)
    employee_no = employee.strip()
    person = analysis.ds.staff.get(employee_no)
    if person is None:
        raise ReportInputError(_("unknown employee: {employee!r}").format(employee=employee))
    rows = analysis.person_rows(employee_no)
    history = sorted(
        (a for a in analysis.history_for(employee_no) if a.date <= analysis.as_of),
        key=lambda a: (a.date, a.seq),
        reverse=True,
    )
    plans = sorted(analysis.plans_for(employee_no), key=lambda p: (p.due or dt.date.max, p.id))
    codes = {r.competency for r in rows} | {a.competency for a in history}
    codes |= {p.competency for p in plans}
    names = {c: competency_name(analysis, c) for c in codes}
    met = sum(1 for r in rows if r.meets)
    summary = [
        (term(N_("Department")), f"{analysis.tree.name(person.department)} ({person.department})"),
        (term(N_("Role")), person.role or "-"),
        (term(N_("Active")), yes_no(person.active)),
        (term(N_("Requirements met")), met_of(met, len(rows))),
    ]
    scope = Scope(person.department, analysis.tree.name(person.department))
    return PersonReport(
        analysis.as_of, scope, person, analysis.tree.name(person.department), rows, history,
        plans, names, summary=summary,
    )  # fmt: skip
