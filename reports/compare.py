"""The compare report: did we get better -- readiness, pairs met and each competency's share
meeting, per department, at two dates and the change between them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from i18n import N_, _
from reports import rules
from reports.analysis import Analysis, DepartmentFigures, analyse
from reports.base import Report, ReportInputError, Table, competency_name, resolve_scope
from reports.words import Phrase, compose, met_of, percent, phrase, term, terms
from store.dataset import Dataset

NOTE = N_(
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
    report_name = N_("Compare report")

    from_date: dt.date
    changes: list[DepartmentChange]
    department_names: dict[str | None, str]
    competency_names: dict[str, str]

    def title(self) -> Phrase:
        return phrase(
            N_("{title} | compared with {date}"), title=super().title(), date=self.from_date
        )

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
        start, end = self.from_date, self.as_of
        departments = [
            [self.label_of(c.code), c.before.readiness_pct, c.after.readiness_pct,
             rules.change(c.before.readiness_pct, c.after.readiness_pct),
             met_of(c.before.pairs_met, c.before.pairs_required),
             met_of(c.after.pairs_met, c.after.pairs_required)]
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
                term(N_("Readiness")),
                [
                    term(N_("Department")),
                    share_on(start),
                    share_on(end),
                    term(N_("Change (points)")),
                    phrase(N_("Met {date}"), date=start),
                    phrase(N_("Met {date}"), date=end),
                ],
                departments,
                percent=(1, 2),
            ),  # fmt: skip
            Table(
                term(N_("Share meeting, per competency")),
                [
                    *terms(N_("Department"), N_("Code"), N_("Competency")),
                    share_on(start),
                    share_on(end),
                    term(N_("Change (points)")),
                ],  # fmt: skip
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
        raise ReportInputError(_("the compare report needs two dates (--from and --to)"))
    if from_date > as_of:
        raise ReportInputError(
            _("--from ({start}) is after --to ({end})").format(
                start=from_date.isoformat(), end=as_of.isoformat()
            )
        )
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
    names = {d: after.department_label(d) for d in codes}
    competencies = {c for change in changes for c in change.competencies()}
    whole = changes[0]
    summary = [
        (term(N_("Compared")), phrase(N_("{start} with {end}"), start=from_date, end=as_of)),
        (
            term(N_("Readiness")),
            compose(
                "{before} -> {after}",
                before=percent(whole.before.readiness_pct),
                after=percent(whole.after.readiness_pct),
            ),
        ),
        (term(N_("Note")), term(NOTE)),
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


def share_on(day: dt.date) -> Phrase:
    """A column of percentages on a date: '% 2026-11-27'."""
    return compose("% {date}", date=day)
