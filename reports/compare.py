"""The compare report: did we get better -- readiness, pairs met and each competency's share
meeting, per department, at two dates and the change between them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reports import rules
from reports.analysis import Analysis, DepartmentFigures, analyse
from reports.base import Report, ReportInputError, Table, competency_name, resolve_scope
from store.dataset import Dataset

NOTE = (
    "both dates are computed with the register's current staff, departments and requirements "
    "(as the trend is); only the assessments valid on each date differ"
)


@dataclass(frozen=True)
class DepartmentChange:
    code: str | None
    before: DepartmentFigures
    after: DepartmentFigures

    def competencies(self) -> list[str]:
        codes = list(self.after.competencies)
        return codes + [c for c in self.before.competencies if c not in self.after.competencies]

    def pct(self, figures: DepartmentFigures, competency: str) -> float | None:
        found = figures.competencies.get(competency)
        return None if found is None else found.pct_meeting


@dataclass
class CompareReport(Report):
    kind = "compare"
    label = "Compare"

    from_date: dt.date
    changes: list[DepartmentChange]
    department_names: dict[str | None, str]
    competency_names: dict[str, str]

    def title(self) -> str:
        return f"{super().title()} | compared with {self.from_date.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "from": self.from_date.isoformat(),
            "to": self.as_of.isoformat(),
            "note": NOTE,
            "departments": [
                {
                    "code": c.code,
                    "name": self.department_names[c.code],
                    "readiness_from": c.before.readiness_pct,
                    "readiness_to": c.after.readiness_pct,
                    "readiness_change": rules.change(c.before.readiness_pct, c.after.readiness_pct),
                    "pairs_met_from": c.before.pairs_met,
                    "pairs_met_to": c.after.pairs_met,
                    "pairs_required_from": c.before.pairs_required,
                    "pairs_required_to": c.after.pairs_required,
                    "competencies": [
                        {
                            "code": code,
                            "pct_meeting_from": (a := c.pct(c.before, code)),
                            "pct_meeting_to": (b := c.pct(c.after, code)),
                            "change": rules.change(a, b),
                        }
                        for code in c.competencies()
                    ],
                }
                for c in self.changes
            ],
        }

    def label_of(self, code: str | None) -> str:
        name = self.department_names[code]
        return name if code is None else f"{name} ({code})"

    def tables(self) -> list[Table]:
        start, end = self.from_date.isoformat(), self.as_of.isoformat()
        departments = [
            [self.label_of(c.code), c.before.readiness_pct, c.after.readiness_pct,
             rules.change(c.before.readiness_pct, c.after.readiness_pct),
             f"{c.before.pairs_met} of {c.before.pairs_required}",
             f"{c.after.pairs_met} of {c.after.pairs_required}"]
            for c in self.changes
        ]  # fmt: skip
        competencies = [
            [self.label_of(c.code), code, self.competency_names[code], a, b, rules.change(a, b)]
            for c in self.changes
            for code in c.competencies()
            for a, b in ((c.pct(c.before, code), c.pct(c.after, code)),)
        ]
        return [
            Table(
                "Readiness",
                [
                    "Department",
                    f"% {start}",
                    f"% {end}",
                    "Change (points)",
                    f"Met {start}",
                    f"Met {end}",
                ],
                departments,
                percent=(1, 2),
            ),  # fmt: skip
            Table(
                "Share meeting, per competency",
                ["Department", "Code", "Competency", f"% {start}", f"% {end}", "Change (points)"],
                competencies,
                group_by=0,
                percent=(3, 4),
            ),
        ]


def build_compare(
    source: Analysis | Dataset,
    as_of: dt.date | None = None,
    department: str | None = None,
    from_date: dt.date | None = None,
) -> CompareReport:
    """`as_of` is the later date (--to), `from_date` the earlier (--from)."""
    ds = source.ds if isinstance(source, Analysis) else source
    if from_date is None or as_of is None:
        raise ReportInputError("the compare report needs two dates (--from and --to)")
    if from_date > as_of:
        raise ReportInputError(f"--from ({from_date}) is after --to ({as_of})")
    after = source if isinstance(source, Analysis) and source.as_of == as_of else None
    after = after or analyse(ds, as_of, getattr(source, "structure", None))
    before = analyse(ds, from_date, after.structure)
    scope = resolve_scope(after, department)
    code = None if scope is None else scope.code
    codes: list[str | None] = ([None] if code is None else []) + after.tree.walk(code)
    changes = [
        DepartmentChange(d, before.department_figures(d), after.department_figures(d))
        for d in codes
    ]
    names = {d: after.department_name(d) for d in codes}
    competencies = {c for change in changes for c in change.competencies()}
    whole = changes[0]
    summary = [
        ("Compared", f"{from_date} with {as_of}"),
        ("Readiness", f"{_pct(whole.before.readiness_pct)} -> {_pct(whole.after.readiness_pct)}"),
        ("Note", NOTE),
    ]
    return CompareReport(
        as_of,
        scope,
        from_date,
        changes,
        names,
        {c: competency_name(after, c) for c in competencies},
        summary=summary,
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} %"
