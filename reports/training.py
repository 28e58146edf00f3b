"""The training report: plans by status, overdue and due soon, hours and cost, gaps with no plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from i18n import N_
from reports import rules
from reports.analysis import Analysis, GapRow
from reports.base import (
    Report,
    Table,
    ensure_analysis,
    resolve_scope,
    staff_name,
)
from reports.words import enum_text, number, term, terms
from store.dataset import Dataset
from store.models import PlanStatus, TrainingPlan

SOON_DAYS = (30, 90)


@dataclass(frozen=True)
class PlanLine:
    plan: TrainingPlan
    name: str
    department: str
    hours: float
    cost: float

    def row(self) -> list[Any]:
        p = self.plan
        return [p.id, p.staff, self.name, self.department, p.competency, p.target_level,
                p.course, p.due, enum_text(p.status, PlanStatus)]  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.plan.model_dump(mode="json"),
            "name": self.name,
            "department": self.department,
            "hours": self.hours,
            "cost": self.cost,
        }


PLAN_HEADERS = terms(
    N_("Plan"), N_("Employee"), N_("Name"), N_("Dept"), N_("Code"), N_("Target"), N_("Course"),
    N_("Due"), N_("Status"),
)  # fmt: skip


@dataclass
class TrainingReport(Report):
    kind = "training"
    label = "Training"
    report_name = N_("Training report")

    plans: list[PlanLine]
    overdue: list[PlanLine]
    due_30: list[PlanLine]
    due_90: list[PlanLine]
    """Due in 31 to 90 days (those within 30 are in due_30)."""
    uncovered: list[GapRow]
    names: dict[str, str]

    def by_status(self) -> list[dict[str, Any]]:
        result = []
        for status in PlanStatus:
            lines = [p for p in self.plans if p.plan.status == status]
            result.append(
                {
                    "status": str(status),
                    "plans": len(lines),
                    "hours": sum(p.hours for p in lines),
                    "cost": sum(p.cost for p in lines),
                }
            )
        return result

    def open_totals(self) -> dict[str, float]:
        lines = [p for p in self.plans if rules.is_open_plan(p.plan)]
        return {"plans": len(lines), "hours": sum(p.hours for p in lines),
                "cost": sum(p.cost for p in lines)}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "by_status": self.by_status(),
            "planned": self.open_totals(),
            "overdue": [p.to_dict() for p in self.overdue],
            "due_within_30_days": [p.to_dict() for p in self.due_30],
            "due_in_31_to_90_days": [p.to_dict() for p in self.due_90],
            "gaps_without_plan": [
                {"employee_no": g.employee_no, "name": self.names[g.employee_no],
                 "department": g.department, "competency": g.competency,
                 "required": g.required, "current": g.current, "gap": g.gap}
                for g in self.uncovered
            ],
        }  # fmt: skip

    def tables(self) -> list[Table]:
        status_rows = [
            [enum_text(s["status"], PlanStatus), s["plans"], s["hours"], s["cost"]]
            for s in self.by_status()
        ]
        totals = self.open_totals()
        status_rows.append([term(N_("open (planned + in progress)")), totals["plans"], totals["hours"],
                            totals["cost"]])  # fmt: skip
        return [
            Table(term(N_("Plans by status")),
                  terms(N_("Status"), N_("Plans"), N_("Hours"), N_("Cost")), status_rows),
            Table(term(N_("Overdue (open, due date passed)")), PLAN_HEADERS,
                  [p.row() for p in self.overdue]),
            Table(term(N_("Due within 30 days")), PLAN_HEADERS, [p.row() for p in self.due_30]),
            Table(term(N_("Due in 31 to 90 days")), PLAN_HEADERS,
                  [p.row() for p in self.due_90]),
            Table(
                term(N_("Gaps with no open plan reaching the required level")),
                terms(N_("Employee"), N_("Name"), N_("Dept"), N_("Code"), N_("Req"),
                      N_("Current"), N_("Gap")),
                [[g.employee_no, self.names[g.employee_no], g.department, g.competency,
                  g.required, g.current, g.gap] for g in self.uncovered],
            ),
        ]  # fmt: skip


def plan_line(analysis: Analysis, plan: TrainingPlan) -> PlanLine:
    course = analysis.ds.courses.get(plan.course) if plan.course else None
    person = analysis.ds.staff[plan.staff]
    return PlanLine(
        plan,
        person.name,
        person.department,
        course.hours if course else 0.0,
        course.cost if course else 0.0,
    )


def build_training(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> TrainingReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    code = None if scope is None else scope.code
    in_scope = {p.employee_no for p in analysis.staff_in_scope(code)}
    plans = sorted(
        (p for p in analysis.ds.training_plans.values() if p.staff in in_scope),
        key=lambda p: (p.due or dt.date.max, p.id),
    )
    lines = [plan_line(analysis, p) for p in plans]
    day = analysis.as_of
    open_lines = [line for line in lines if rules.is_open_plan(line.plan)]
    overdue = [line for line in open_lines if rules.plan_is_overdue(line.plan, day)]

    def due_between(first: int, last: int) -> list[PlanLine]:
        return [x for x in open_lines if rules.plan_due_within(x.plan, day, first, last)]

    due_30 = due_between(0, SOON_DAYS[0])
    due_90 = due_between(SOON_DAYS[0] + 1, SOON_DAYS[1])
    uncovered = [g for g in analysis.gap_rows(code) if not g.training_planned]
    names = {g.employee_no: staff_name(analysis, g.employee_no) for g in uncovered}
    report = TrainingReport(analysis.as_of, scope, lines, overdue, due_30, due_90, uncovered, names)
    totals = report.open_totals()
    report.summary = [
        (term(N_("Open plans")), str(totals["plans"])),
        (term(N_("Hours planned")), number(totals["hours"])),
        (term(N_("Cost planned")), number(totals["cost"], 2)),
        (term(N_("Overdue")), str(len(overdue))),
        (term(N_("Due within 30 / 90 days")), f"{len(due_30)} / {len(due_30) + len(due_90)}"),
        (term(N_("Gaps with no plan")), str(len(uncovered))),
    ]
    return report
