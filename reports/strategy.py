"""The strategy report: themes by rank, readiness of each theme's requirements, milestones in
date order (overdue marked) and the governance matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reports import rules
from reports.analysis import Analysis
from reports.base import Report, Table, ensure_analysis, resolve_scope
from store.dataset import Dataset
from store.models import DecisionDomain, GovernanceDecision, Milestone, Theme


@dataclass(frozen=True)
class ThemeReadiness:
    theme: Theme
    pairs_required: int
    pairs_met: int

    @property
    def readiness_pct(self) -> float | None:
        return rules.readiness_pct(self.pairs_met, self.pairs_required)


def theme_readiness(analysis: Analysis, department: str | None) -> list[ThemeReadiness]:
    """Per theme: (person, competency) pairs required by requirements tied to it, and met."""
    themes = sorted(analysis.ds.themes.values(), key=lambda t: (t.rank, t.code))
    required = {t.code: 0 for t in themes}
    met = {t.code: 0 for t in themes}
    structure = analysis.structure
    for person in analysis.staff_in_scope(department):
        for theme, levels in structure.theme_required_for_pair(
            person.department, person.role
        ).items():
            if theme not in required:
                continue
            for competency, level in levels.items():
                required[theme] += 1
                if rules.meets(level, analysis.current_level(person.employee_no, competency)):
                    met[theme] += 1
    return [ThemeReadiness(t, required[t.code], met[t.code]) for t in themes]


@dataclass
class StrategyReport(Report):
    kind = "strategy"
    label = "Strategy"

    themes: list[ThemeReadiness]
    milestones: list[Milestone]
    governance: list[GovernanceDecision]

    def overdue(self, milestone: Milestone) -> bool:
        return rules.is_overdue(
            milestone.due, rules.is_open_milestone(milestone.status), self.as_of
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "themes": [
                {
                    **t.theme.model_dump(mode="json"),
                    "pairs_required": t.pairs_required,
                    "pairs_met": t.pairs_met,
                    "readiness_pct": t.readiness_pct,
                }
                for t in self.themes
            ],
            "milestones": [
                {**m.model_dump(mode="json"), "overdue": self.overdue(m)} for m in self.milestones
            ],
            "governance": [g.model_dump(mode="json") for g in self.governance],
        }

    def tables(self) -> list[Table]:
        return [
            Table(
                "Themes by rank (readiness of the requirements tied to each theme)",
                ["Rank", "Theme", "Title", "Target", "Owner", "Ready %", "Met", "Required"],
                [[t.theme.rank, t.theme.code, t.theme.title, t.theme.target_date,
                  t.theme.owner, t.readiness_pct, t.pairs_met, t.pairs_required]
                 for t in self.themes],
            ),
            Table(
                "Desired end states",
                ["Theme", "End state"],
                [[t.theme.code, t.theme.end_state] for t in self.themes],
            ),
            Table(
                "Milestones in date order",
                ["Due", "Theme", "Milestone", "Owner", "Status", "Overdue"],
                [[m.due, m.theme, m.title, m.owner, str(m.status),
                  "OVERDUE" if self.overdue(m) else ""] for m in self.milestones],
            ),
            Table(
                "Governance: who gives input and who decides",
                ["Decision domain", "Input rights", "Decision rights", "People"],
                [[str(g.domain), ", ".join(str(a) for a in g.input_rights),
                  str(g.decision_rights), ", ".join(g.people)] for g in self.governance],
            ),
        ]  # fmt: skip


def build_strategy(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> StrategyReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    themes = theme_readiness(analysis, None if scope is None else scope.code)
    milestones = sorted(analysis.ds.milestones.values(), key=lambda m: (m.due, m.id))
    domain_order = {d: i for i, d in enumerate(DecisionDomain)}
    governance = sorted(analysis.ds.governance.values(), key=lambda g: domain_order[g.domain])
    report = StrategyReport(analysis.as_of, scope, themes, milestones, governance)
    overdue = sum(1 for m in milestones if report.overdue(m))
    report.summary = [
        ("Themes", str(len(themes))),
        ("Milestones", f"{len(milestones)} ({overdue} overdue)"),
    ]
    return report
