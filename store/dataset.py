"""The loaded database in memory: what `reports/` analyses and the TUI shows.

Register entities are pydantic models keyed by their domain key. Assessments can run to a million
records, so they are held as light `AssessmentRow` tuples (validated when they were written, read
back without pydantic's per-record cost -- see docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from store.models import (
    Assessment,
    Competency,
    Course,
    Department,
    Entity,
    Framework,
    GovernanceDecision,
    Milestone,
    Requirement,
    Robot,
    RobotBenefit,
    Role,
    Source,
    Staff,
    Theme,
    TrainingPlan,
)


class AssessmentRow(NamedTuple):
    """One assessment as held in memory; `seq` is its position in the history (recording order)."""

    staff: str
    competency: str
    level: int
    date: dt.date
    source: str
    assessor: str | None
    valid_until: dt.date | None
    note: str
    seq: int

    def key(self) -> str:
        return f"{self.staff}|{self.competency}|{self.date.isoformat()}|{self.source}"

    def to_model(self) -> Assessment:
        return Assessment(
            staff=self.staff,
            competency=self.competency,
            level=self.level,
            date=self.date,
            source=Source(self.source),
            assessor=self.assessor,
            valid_until=self.valid_until,
            note=self.note,
        )


_DATE_CACHE: dict[str, dt.date] = {}


def parse_iso_date(text: str | None) -> dt.date | None:
    """ISO date from text, memoised: a history repeats the same few thousand dates."""
    if text is None:
        return None
    value = _DATE_CACHE.get(text)
    if value is None:
        value = dt.date.fromisoformat(text)
        _DATE_CACHE[text] = value
    return value


def row_from_record(record: dict, seq: int) -> AssessmentRow:
    """An AssessmentRow from one stored JSON line (already validated when written)."""
    return AssessmentRow(
        record["staff"],
        record["competency"],
        int(record["level"]),
        parse_iso_date(record["date"]),
        record.get("source", "self"),
        record.get("assessor"),
        parse_iso_date(record.get("valid_until")),
        record.get("note", ""),
        seq,
    )


class _Dates(dict):
    """ISO text -> date, parsing each distinct text once (None stays None)."""

    def __missing__(self, text: str | None) -> dt.date | None:
        value = parse_iso_date(text)
        self[text] = value
        return value


def rows_from_records(records: list[dict], first_seq: int) -> list[AssessmentRow]:
    """`row_from_record` for a whole history at once (the bulk of opening a big database).

    Same rows, faster: each row is one tuple built without a call per field, and each of the
    few thousand distinct dates is parsed once. Bad input raises as there.
    """
    new, row, dates = tuple.__new__, AssessmentRow, _Dates()
    return [
        new(
            row,
            (
                r["staff"],
                r["competency"],
                int(r["level"]),
                dates[r["date"]],
                r.get("source", "self"),
                r.get("assessor"),
                dates[r.get("valid_until")],
                r.get("note", ""),
                seq,
            ),
        )
        for seq, r in enumerate(records, first_seq)
    ]


def row_from_model(model: Assessment, seq: int) -> AssessmentRow:
    return AssessmentRow(
        model.staff,
        model.competency,
        model.level,
        model.date,
        str(model.source),
        model.assessor,
        model.valid_until,
        model.note,
        seq,
    )


@dataclass
class Dataset:
    """Everything in one database, as plain dicts keyed by domain key."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    competencies: dict[str, Competency] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)
    requirements: dict[str, Requirement] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    training_plans: dict[str, TrainingPlan] = field(default_factory=dict)
    robots: dict[str, Robot] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    governance: dict[str, GovernanceDecision] = field(default_factory=dict)
    assessments: list[AssessmentRow] = field(default_factory=list)
    robot_benefits: dict[str, RobotBenefit] = field(default_factory=dict)
    """Latest record per robot and month (a later record for the same month corrects it)."""

    def table(self, name: str) -> dict[str, Entity]:
        """The dict holding register table `name` (or robot_benefits)."""
        value = getattr(self, name)
        if not isinstance(value, dict):
            raise KeyError(name)
        return value

    def framework_of(self, competency_code: str) -> Framework | None:
        competency = self.competencies.get(competency_code)
        return self.frameworks.get(competency.framework) if competency else None

    def counts(self) -> dict[str, int]:
        """How many records each table holds (for the start screen and `check`)."""
        names = [
            "departments",
            "roles",
            "staff",
            "frameworks",
            "competencies",
            "requirements",
            "courses",
            "training_plans",
            "robots",
            "themes",
            "milestones",
            "governance",
            "assessments",
            "robot_benefits",
        ]
        return {name: len(getattr(self, name)) for name in names}
