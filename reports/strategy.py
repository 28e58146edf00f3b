"""The strategy report: themes by rank, readiness of each theme's requirements, milestones in
date order (overdue marked) and the governance matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from i18n import N_
from reports import rules, words
from reports.analysis import Analysis
from reports.base import Report, Table, ensure_analysis, resolve_scope
from reports.trend import Pairs, ReadinessSweep, quarter_label
from reports.words import Phrase, compose, enum_text, joined, phrase, term, terms
from store.dataset import Dataset
from store.models import (
    Archetype,
    DecisionDomain,
    GovernanceDecision,
    InfluenceLevel,
    Milestone,
    MilestoneStatus,
    Requirement,
    Theme,
)
from store.strategy import ARCHETYPE_LABELS, DOMAIN_LABELS


@dataclass(frozen=True)
class ThemeReadiness:
    theme: Theme
    pairs_required: int
    pairs_met: int
    trend: list[float | None] = field(default_factory=list)
    """Progress at each of the report's `trend_dates` (the last: as of the report's date)."""
    milestones: list[Milestone] = field(default_factory=list)
    """The theme's milestones in date order."""

    @property
    def readiness_pct(self) -> float | None:
        return rules.theme_progress(self.pairs_met, self.pairs_required)

    @property
    def next_milestone(self) -> Milestone | None:
        return rules.next_milestone(self.milestones)


def theme_pairs(analysis: Analysis, department: str | None) -> dict[str, Pairs]:
    """Per theme: every (person, competency) pair its tied requirements require, with the
    level (the highest of them), for the active staff in scope."""
    pairs: dict[str, Pairs] = {code: {} for code in analysis.ds.themes}
    structure = analysis.structure
    for person in analysis.staff_in_scope(department):
        required = structure.theme_required_for_pair(person.department, person.role)
        for theme, levels in required.items():
            if theme in pairs and levels:
                pairs[theme][person.employee_no] = {c: (lv, 0) for c, lv in levels.items()}
    return pairs


def theme_readiness(
    analysis: Analysis, department: str | None, dates: list[dt.date] | None = None
) -> list[ThemeReadiness]:
    """Per theme by rank: pairs required by the requirements tied to it, and met as of the
    analysis date; with `dates`, its progress at each (the trend, rebuilt from the history)."""
    themes = sorted(analysis.ds.themes.values(), key=lambda t: (t.rank, t.code))
    by_theme: dict[str, list[Milestone]] = {t.code: [] for t in themes}
    for milestone in sorted(analysis.ds.milestones.values(), key=lambda m: (m.due, m.id)):
        by_theme.setdefault(milestone.theme, []).append(milestone)
    result = []
    all_pairs = theme_pairs(analysis, department)
    for theme in themes:
        pairs = all_pairs[theme.code]
        required = met = 0
        for employee_no, levels in pairs.items():
            for competency, (level, _) in levels.items():
                required += 1
                met += rules.meets(level, analysis.current_level(employee_no, competency))
        trend = []
        if dates:
            counts = ReadinessSweep(analysis.ds.assessments, pairs, 1).met_at(dates)
            trend = [rules.theme_progress(c[0], required) for c in counts]
        result.append(ThemeReadiness(theme, required, met, trend, by_theme[theme.code]))
    return result


def requirement_readiness(analysis: Analysis, requirement: Requirement) -> tuple[int, int]:
    """(met, required) for one requirement: the active staff it applies to (its department and
    below, of its role if it names one), and how many of them reach its level on the date."""
    required = met = 0
    chain = {requirement.department}
    for person in analysis.staff_in_scope(requirement.department):
        if not rules.requirement_applies(requirement, chain, person.role):
            continue
        required += 1
        met += rules.meets(
            requirement.level, analysis.current_level(person.employee_no, requirement.competency)
        )
    return met, required


def domain_label(domain: str) -> str:
    return DOMAIN_LABELS.get(DecisionDomain(domain), str(domain))


def archetype_label(archetype: str) -> str:
    return ARCHETYPE_LABELS.get(Archetype(archetype), str(archetype))


@dataclass
class StrategyReport(Report):
    kind = "strategy"
    label = "Strategy"
    report_name = N_("Strategy report")

    themes: list[ThemeReadiness]
    milestones: list[Milestone]
    governance: list[GovernanceDecision]
    trend_dates: list[dt.date] = field(default_factory=list)

    def overdue(self, milestone: Milestone) -> bool:
        return rules.milestone_is_overdue(milestone.due, milestone.status, self.as_of)

    def overdue_phrase(self, milestone: Milestone) -> Phrase | None:
        """'overdue by 3 days' (English; `local()` in the current language), or None."""
        return rules.milestone_overdue(milestone.due, milestone.status, self.as_of)

    def overdue_words(self, milestone: Milestone) -> str:
        """'overdue by 3 days' in the current language (a screen shows it), or ''."""
        late = self.overdue_phrase(milestone)
        return "" if late is None else late.local()

    def _milestone(self, milestone: Milestone) -> dict[str, Any]:
        return {
            **milestone.model_dump(mode="json"),
            "overdue": self.overdue(milestone),
            "overdue_text": self.overdue_phrase(milestone),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "trend_dates": [d.isoformat() for d in self.trend_dates],
            "themes": [
                {
                    **t.theme.model_dump(mode="json"),
                    "pairs_required": t.pairs_required,
                    "pairs_met": t.pairs_met,
                    "readiness_pct": t.readiness_pct,
                    "progress_pct": t.readiness_pct,
                    "trend": [
                        {"date": d.isoformat(), "progress_pct": v}
                        for d, v in zip(self.trend_dates, t.trend, strict=False)
                    ],
                    "milestones": [self._milestone(m) for m in t.milestones],
                    "next_milestone": t.next_milestone.id if t.next_milestone else None,
                }
                for t in self.themes
            ],
            "milestones": [self._milestone(m) for m in self.milestones],
            "governance": [
                {
                    **g.model_dump(mode="json"),
                    "domain_label": domain_label(g.domain),
                    "input_rights_labels": [archetype_label(a) for a in g.input_rights],
                    "decision_rights_label": archetype_label(g.decision_rights),
                }
                for g in self.governance
            ],
        }

    def tables(self) -> list[Table]:
        dates = [trend_label(d, self.as_of) for d in self.trend_dates]
        return [
            Table(
                term(N_("Themes by rank (progress: readiness of the requirements tied to each "
                        "theme)")),
                terms(N_("Rank"), N_("Theme"), N_("Title"), N_("Target"), N_("Owner"),
                      N_("Progress %"), N_("Met"), N_("Required"), N_("Next milestone")),
                [[t.theme.rank, t.theme.code, t.theme.title, t.theme.target_date,
                  t.theme.owner, t.readiness_pct, t.pairs_met, t.pairs_required,
                  self._next(t)] for t in self.themes],
            ),
            Table(
                term(N_("Progress % at each quarter end and now")),
                [term(N_("Theme")), *dates],
                [[t.theme.code, *t.trend] for t in self.themes],
                percent=tuple(range(1, len(dates) + 1)),
            ),
            Table(
                term(N_("Desired end states")),
                terms(N_("Theme"), N_("End state")),
                [[t.theme.code, t.theme.end_state] for t in self.themes],
            ),
            Table(
                term(N_("Stakeholders")),
                terms(N_("Theme"), N_("Name"), N_("Role"), N_("Interest"), N_("Influence")),
                [[t.theme.code, s.name, s.role, enum_text(s.interest, InfluenceLevel),
                  enum_text(s.influence, InfluenceLevel)]
                 for t in self.themes for s in t.theme.stakeholders],
            ),
            Table(
                term(N_("Milestones in date order")),
                terms(N_("Due"), N_("Theme"), N_("Milestone"), N_("Owner"), N_("Status"),
                      N_("Overdue")),
                [[m.due, m.theme, m.title, m.owner,
                  enum_text(m.status, MilestoneStatus, str(m.status).replace("_", " ")),
                  (self.overdue_phrase(m) or "").upper()] for m in self.milestones],
            ),
            Table(
                term(N_("Governance: who gives input and who decides")),
                terms(N_("Decision domain"), N_("Input rights"), N_("Decision rights"),
                      N_("People")),
                [[enum_text(g.domain, DecisionDomain, domain_label(g.domain)),
                  joined([enum_text(a, Archetype, archetype_label(a)) for a in g.input_rights]),
                  enum_text(g.decision_rights, Archetype, archetype_label(g.decision_rights)),
                  ", ".join(g.people)]
                 for g in self.governance],
            ),
        ]  # fmt: skip

    def _next(self, readiness: ThemeReadiness) -> Phrase | str:
        found = readiness.next_milestone
        if found is None:
            return ""
        late = self.overdue_phrase(found)
        if late is None:
            return compose("{due} {title}", due=found.due, title=found.title)
        return compose("{due} {title} ({late})", due=found.due, title=found.title, late=late)


def trend_label(day: dt.date, as_of: dt.date) -> Phrase:
    """A quarter end as 2026Q3; the as-of date itself as the date."""
    if day == as_of and rules.quarter_end(day) != day:
        return words.day(day)
    return quarter_label(day)


def build_strategy(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> StrategyReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    dates = rules.trend_dates(analysis.as_of)
    themes = theme_readiness(analysis, None if scope is None else scope.code, dates)
    milestones = sorted(analysis.ds.milestones.values(), key=lambda m: (m.due, m.id))
    domain_order = {d: i for i, d in enumerate(DecisionDomain)}
    governance = sorted(analysis.ds.governance.values(), key=lambda g: domain_order[g.domain])
    report = StrategyReport(analysis.as_of, scope, themes, milestones, governance, dates)
    overdue = sum(1 for m in milestones if report.overdue(m))
    report.summary = [
        (term(N_("Themes")), str(len(themes))),
        (
            term(N_("Milestones")),
            phrase(N_("{count} ({overdue} overdue)"), count=len(milestones), overdue=overdue),
        ),
    ]
    return report
