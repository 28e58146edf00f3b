"""The ratings report: how far the levels can be trusted -- where a person's own rating and a
manager's or a test's disagree, which required ratings are stale and which lapse soon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from i18n import N_
from reports import rules
from reports.analysis import Analysis
from reports.base import Report, Table, ensure_analysis, resolve_scope
from reports.words import enum_text, phrase, term, terms
from store.dataset import AssessmentRow, Dataset
from store.models import Source


class Disagreement(NamedTuple):
    employee_no: str
    competency: str
    self_level: int
    self_date: dt.date
    other_level: int
    other_source: str
    other_date: dt.date


class DatedPair(NamedTuple):
    """A required (person, competency) pair and the date that matters (assessed / valid until)."""

    employee_no: str
    competency: str
    date: dt.date


@dataclass(frozen=True)
class RatingFindings:
    disagreements: list[Disagreement]
    stale: list[DatedPair]
    expiring: list[DatedPair]


def rating_findings(
    analysis: Analysis,
    department: str | None = None,
    threshold: int = rules.DISAGREEMENT_LEVELS,
    stale_months: int = rules.STALE_MONTHS,
    within_days: int = rules.EXPIRING_DAYS,
) -> RatingFindings:
    """Every finding for the active staff in scope, by department (display order) then person."""
    as_of = analysis.as_of
    people = analysis.staff_in_scope(department)
    wanted = {p.employee_no for p in people}
    history: dict[str, dict[str, list[AssessmentRow]]] = {}
    for row in analysis.ds.assessments:
        if row.staff in wanted:
            history.setdefault(row.staff, {}).setdefault(row.competency, []).append(row)
    disagreements, stale = [], []
    for person in people:
        no = person.employee_no
        mine = history.get(no, {})
        for competency in analysis.structure.sort_competencies(mine):
            own, other = rules.self_and_other(mine[competency], as_of)
            if own and other and rules.is_disagreement(own.level, other.level, threshold):
                disagreements.append(
                    Disagreement(
                        no, competency, own.level, own.date, other.level, other.source, other.date
                    )
                )
        for competency in analysis.required_for(no):
            current = analysis.current_for(no, competency)
            if current is not None and rules.is_stale(current.date, as_of, stale_months):
                stale.append(DatedPair(no, competency, current.date))
    return RatingFindings(disagreements, stale, expiring_pairs(analysis, department, within_days))


def expiring_pairs(
    analysis: Analysis, department: str | None = None, within_days: int = rules.EXPIRING_DAYS
) -> list[DatedPair]:
    """Required pairs of active staff in scope whose current rating lapses within the days,
    soonest first (then by department and person): from the current levels only."""
    first = analysis.as_of  # `rules.is_expiring`: from the date up to `within_days` after it
    last = analysis.as_of + dt.timedelta(days=within_days)
    found = [
        DatedPair(no, competency, until)
        for no, competency, until in analysis.current_valid_until(department, first, last)
    ]
    found.sort(key=lambda p: p.date)  # stable
    return found


@dataclass
class RatingsReport(Report):
    kind = "ratings"
    label = "Ratings"
    report_name = N_("Ratings report")

    findings: RatingFindings
    threshold: int
    stale_months: int
    within_days: int
    staff_names: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        f = self.findings
        return {
            **self.head(),
            "threshold": self.threshold,
            "stale_months": self.stale_months,
            "within_days": self.within_days,
            "disagreements": [
                {
                    "employee_no": d.employee_no,
                    "competency": d.competency,
                    "self_level": d.self_level,
                    "self_date": d.self_date.isoformat(),
                    "other_level": d.other_level,
                    "other_source": d.other_source,
                    "other_date": d.other_date.isoformat(),
                }
                for d in f.disagreements
            ],
            "stale": [
                {
                    "employee_no": s.employee_no,
                    "competency": s.competency,
                    "date": s.date.isoformat(),
                }
                for s in f.stale
            ],
            "expiring": [
                {
                    "employee_no": e.employee_no,
                    "competency": e.competency,
                    "valid_until": e.date.isoformat(),
                }
                for e in f.expiring
            ],
        }

    def tables(self) -> list[Table]:
        f, names = self.findings, self.staff_names
        return [
            Table(
                phrase(
                    N_("Self versus others (levels {threshold} or more apart)"),
                    threshold=self.threshold,
                ),
                terms(
                    N_("Employee"),
                    N_("Name"),
                    N_("Competency"),
                    N_("Self"),
                    N_("Self date"),
                    N_("Other"),
                    N_("Source"),
                    N_("Other date"),
                ),  # fmt: skip
                [
                    [
                        d.employee_no,
                        names[d.employee_no],
                        d.competency,
                        d.self_level,
                        d.self_date,
                        d.other_level,
                        enum_text(d.other_source, Source),
                        d.other_date,
                    ]
                    for d in f.disagreements
                ],
            ),  # fmt: skip
            Table(
                phrase(
                    N_("Stale: required, assessed more than {months} months ago"),
                    months=self.stale_months,
                ),
                terms(N_("Employee"), N_("Name"), N_("Competency"), N_("Assessed")),
                [[s.employee_no, names[s.employee_no], s.competency, s.date] for s in f.stale],
            ),
            Table(
                phrase(
                    N_("Expiring within {days} days (a gap unless reassessed)"),
                    days=self.within_days,
                ),
                terms(N_("Employee"), N_("Name"), N_("Competency"), N_("Valid until")),
                [[e.employee_no, names[e.employee_no], e.competency, e.date] for e in f.expiring],
            ),
        ]


def build_ratings(
    source: Analysis | Dataset,
    as_of: dt.date | None = None,
    department: str | None = None,
    threshold: int = rules.DISAGREEMENT_LEVELS,
    stale_months: int = rules.STALE_MONTHS,
    within_days: int = rules.EXPIRING_DAYS,
) -> RatingsReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    findings = rating_findings(
        analysis, None if scope is None else scope.code, threshold, stale_months, within_days
    )
    people = {r.employee_no for group in (findings.disagreements, findings.stale,
                                          findings.expiring) for r in group}  # fmt: skip
    summary = [
        (term(N_("Disagreements")), str(len(findings.disagreements))),
        (term(N_("Stale ratings")), str(len(findings.stale))),
        (term(N_("Expiring ratings")), str(len(findings.expiring))),
    ]
    return RatingsReport(
        analysis.as_of,
        scope,
        findings,
        threshold,
        stale_months,
        within_days,
        {no: analysis.ds.staff[no].name for no in people},
        summary=summary,
    )


class PersonRating(NamedTuple):
    """One competency of one person: own and others' latest levels, and what the rules say."""

    self_level: int | None
    other_level: int | None
    disagreement: bool
    stale: bool


def person_ratings(
    analysis: Analysis,
    employee_no: str,
    threshold: int = rules.DISAGREEMENT_LEVELS,
    stale_months: int = rules.STALE_MONTHS,
) -> dict[str, PersonRating]:
    """Competency -> self versus others and staleness of the current rating, for a person's page."""
    mine: dict[str, list[AssessmentRow]] = {}
    for row in analysis.history_for(employee_no):
        mine.setdefault(row.competency, []).append(row)
    result = {}
    currents = analysis.current_of(employee_no)
    for competency, rows in mine.items():
        own, other = rules.self_and_other(rows, analysis.as_of)
        own_level = None if own is None else own.level
        other_level = None if other is None else other.level
        current = currents.get(competency)
        stale = current is not None and rules.is_stale(current.date, analysis.as_of, stale_months)
        result[competency] = PersonRating(
            own_level, other_level, rules.is_disagreement(own_level, other_level, threshold), stale
        )
    return result
