"""The domain model: one pydantic model per entity (docs/architecture.md lists them).

A model validates what it can see on its own (types, non-empty codes, ranges, enums). Rules that
need the rest of the database -- does the department exist, is the level inside the competency's
scale -- live in `store.integrity`, because a single record cannot know them.

Every entity has a stable domain key (`key_of`), never TinyDB's doc_id, which TinyDB reuses.
"""

# No `from __future__ import annotations` here: pydantic would evaluate each field's annotation
# from its text while building the 22 models at every start (issue 14: `import store` ~34.5
# -> ~31 ms CPU, with the libraries it imports loaded first).

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from i18n import N_
from store.enums import (  # noqa: F401 (re-exported: the models' enumerations live there)
    OPEN_PLAN_STATUSES,
    PHASE_DANISH,
    SOURCE_PRECEDENCE,
    Archetype,
    AuditAction,
    DecisionDomain,
    InfluenceLevel,
    MilestoneStatus,
    PlanStatus,
    Priority,
    RobotPhase,
    Source,
    parse_phase,
)
from store.problems import refusal
from store.text import KEY_SEPARATOR, TextRule

_CODE_RULE = TextRule("code", N_(" (not allowed in a code)"))
_NAME_RULE = TextRule("name")
_TEXT_RULE = TextRule("text")

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), _CODE_RULE
]
"""A domain code: an org-unit code, employee number, competency code. Never empty."""

GeneratedId = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), _CODE_RULE]
"""A key the repository hands out (a training plan's or milestone's id); empty until then."""

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), _NAME_RULE
]
Line = Annotated[str, _NAME_RULE]
"""A short one-line value that is not a key: an area, a provider, an assessor, an e-mail."""
Text = Annotated[str, StringConstraints(max_length=5000), _TEXT_RULE]
Level = Annotated[int, Field(ge=0, le=20)]
"""A proficiency level; 0 means 'none'. The real upper bound is the framework's scale."""

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class Entity(BaseModel):
    """Base of every stored entity: strict about unknown fields, trims text."""

    model_config = ConfigDict(
        defer_build=True, extra="forbid", str_strip_whitespace=True, frozen=True
    )

    table: ClassVar[str]
    key_fields: ClassVar[tuple[str, ...]]

    def key(self) -> str:
        """The stable domain key, as one string (tuples are joined with '|')."""
        return KEY_SEPARATOR.join(
            "" if getattr(self, f) is None else str(getattr(self, f)) for f in self.key_fields
        )


class Department(Entity):
    """An org unit from the HR system; `parent_code` makes the tree."""

    table: ClassVar[str] = "departments"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code
    name: Name
    parent_code: Code | None = None
    lead: Line | None = None
    active: bool = True

    @model_validator(mode="after")
    def _not_own_parent(self) -> Self:
        if self.parent_code == self.code:
            raise refusal("own_parent", "parent_code")
        return self


class Role(Entity):
    """A job family: caseworker, educator, manager..."""

    table: ClassVar[str] = "roles"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code
    name: Name


class Staff(Entity):
    """An employee. Deactivated, never deleted, so history keeps its meaning."""

    table: ClassVar[str] = "staff"
    key_fields: ClassVar[tuple[str, ...]] = ("employee_no",)

    employee_no: Code
    name: Name
    email: Line | None = None
    department: Code
    role: Code | None = None
    digital_agent: bool = False
    active: bool = True
    start_date: dt.date | None = None

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        value = value.strip()
        if "@" not in value or value.startswith("@") or value.endswith("@") or " " in value:
            raise refusal("not_an_email", value=value)
        return value


class ScaleLevel(BaseModel):
    """One step of a framework's proficiency scale."""

    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    level: Annotated[int, Field(ge=1, le=20)]
    label: Name
    descriptor: Text = ""
    group: Line | None = None


class Framework(Entity):
    """A competency framework with its ordered scale 1..n (DigComp 2.2 is built in)."""

    table: ClassVar[str] = "frameworks"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code
    name: Name
    scale: list[ScaleLevel] = Field(min_length=1)

    @field_validator("scale")
    @classmethod
    def _scale_is_1_to_n(cls, scale: list[ScaleLevel]) -> list[ScaleLevel]:
        levels = [s.level for s in scale]
        if levels != list(range(1, len(levels) + 1)):
            raise refusal("scale_not_in_order", count=len(levels), levels=levels)
        return scale

    @property
    def max_level(self) -> int:
        return len(self.scale)

    def label(self, level: int) -> str:
        return self.scale[level - 1].label if 1 <= level <= len(self.scale) else "none"


class Competency(Entity):
    table: ClassVar[str] = "competencies"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code
    framework: Code
    area: Line = ""
    name: Name
    description: Text = ""
    active: bool = True


class Requirement(Entity):
    """What the strategy requires: applies to `department` and every department below it."""

    table: ClassVar[str] = "requirements"
    key_fields: ClassVar[tuple[str, ...]] = ("competency", "department", "role")

    competency: Code
    level: Annotated[int, Field(ge=1, le=20)]
    department: Code
    role: Code | None = None
    priority: Priority = Priority.MUST
    due: dt.date | None = None
    theme: Code | None = None


class CoverageRule(Entity):
    """At least `min_people` active people at `level` or above in `competency` in a department
    and below it (and, with `each`, in every department below it with staff): docs/rules.md."""

    table: ClassVar[str] = "coverage_rules"
    key_fields: ClassVar[tuple[str, ...]] = ("department", "competency", "level")

    department: Code
    competency: Code
    level: Annotated[int, Field(ge=1, le=20)]
    min_people: Annotated[int, Field(ge=1, le=100000)]
    each: bool = False


class Assessment(Entity):
    """One observation of a person's level. History: corrections are new records."""

    table: ClassVar[str] = "assessments"
    key_fields: ClassVar[tuple[str, ...]] = ("staff", "competency", "date", "source")

    staff: Code
    competency: Code
    level: Level
    date: dt.date
    source: Source = Source.SELF
    assessor: Line | None = None
    valid_until: dt.date | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _valid_after_date(self) -> Self:
        if self.valid_until is not None and self.valid_until < self.date:
            raise refusal("valid_until_before_date", "valid_until")
        return self


class Course(Entity):
    table: ClassVar[str] = "courses"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code
    name: Name
    provider: Line = ""
    hours: Annotated[float, Field(ge=0)] = 0
    cost: Annotated[float, Field(ge=0)] = 0
    raises: dict[Code, Annotated[int, Field(ge=1, le=20)]] = Field(default_factory=dict)
    """Competency code -> the level the course brings a participant to."""


class TrainingPlan(Entity):
    """A person's plan to reach `target_level`; `id` is handed out by the repository."""

    table: ClassVar[str] = "training_plans"
    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    id: GeneratedId = ""
    staff: Code
    competency: Code
    target_level: Annotated[int, Field(ge=1, le=20)]
    course: Code | None = None
    due: dt.date | None = None
    status: PlanStatus = PlanStatus.PLANNED
    completed: dt.date | None = None

    @model_validator(mode="after")
    def _completed_date(self) -> Self:
        if self.completed is not None and self.status != PlanStatus.COMPLETED:
            raise refusal("completed_date_not_completed", "completed")
        return self


class PhaseChange(BaseModel):
    """One earlier phase of a robot and the day it began (None: not known, from before phases
    were dated)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    phase: RobotPhase
    since: dt.date | None = None


class Robot(Entity):
    """A software robot (RPA) and what it promised.

    `phase` began on `phase_since`; `phase_history` holds the phases before it, oldest first,
    each lasting until the next began (docs/rules.md: a robot's phase on a date)."""

    table: ClassVar[str] = "robots"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code
    name: Name
    process: Line = ""
    department: Code
    platform: Line = ""
    phase: RobotPhase = RobotPhase.IDEA
    phase_since: dt.date | None = None
    phase_history: list[PhaseChange] = Field(default_factory=list)
    go_live: dt.date | None = None
    owner: Code | None = None
    operators: list[Code] = Field(default_factory=list)
    required_competencies: dict[Code, Annotated[int, Field(ge=1, le=20)]] = Field(
        default_factory=dict
    )
    expected_hours_per_year: Annotated[float, Field(ge=0)] = 0
    yearly_cost: Annotated[float, Field(ge=0)] = 0
    kle: Line = ""
    """The KLE number of the task the robot does (the municipalities' shared classification)."""
    run_frequency: Line = ""
    """How often it runs, in words: 'hourly', 'daily at 06:00'."""

    @field_validator("phase", mode="before")
    @classmethod
    def _danish_phase(cls, value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, RobotPhase):
            return parse_phase(value) or value
        return value

    @model_validator(mode="after")
    def _phases_in_order(self) -> Self:
        dates = [c.since for c in self.phase_history if c.since is not None]
        if self.phase_since is not None:
            dates.append(self.phase_since)
        if dates != sorted(dates):
            raise refusal("phase_dates_out_of_order", "phase_since")
        twice = next((e for i, e in enumerate(self.operators) if e in self.operators[:i]), None)
        if twice is not None:
            raise refusal("operator_twice", "operators", key=twice)
        return self

    def phases(self) -> list[PhaseChange]:
        """Every phase the robot has had, oldest first, the current one last (that one made of
        this record's own fields, valid already: not validated again, so that the Overview's
        robot figures make no validator before the app's first screen)."""
        current = PhaseChange.model_construct(phase=self.phase, since=self.phase_since)
        return [*self.phase_history, current]


class RobotBenefit(Entity):
    """Hours a robot saved in one month. History: a later record for the month replaces it."""

    table: ClassVar[str] = "robot_benefits"
    key_fields: ClassVar[tuple[str, ...]] = ("robot", "month")

    robot: Code
    month: str
    hours_saved: Annotated[float, Field(ge=0)]
    runs: Annotated[int, Field(ge=0)] = 0
    failed_runs: Annotated[int, Field(ge=0)] = 0

    @field_validator("month")
    @classmethod
    def _month_shape(cls, value: str) -> str:
        value = value.strip()
        if not MONTH_RE.match(value):
            raise refusal("month_shape", value=value)
        return value

    @model_validator(mode="after")
    def _failed_within_runs(self) -> Self:
        if self.failed_runs > self.runs:
            raise refusal("failed_runs_above_runs", "failed_runs")
        return self


class Stakeholder(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    name: Name
    role: Line = ""
    interest: InfluenceLevel = InfluenceLevel.MEDIUM
    influence: InfluenceLevel = InfluenceLevel.MEDIUM


class ThemeStakeholder(Entity):
    """One stakeholder of one theme, as a row of the `stakeholders` import and export: a
    theme keeps its stakeholders in its own record (`Theme.stakeholders`)."""

    table: ClassVar[str] = "theme_stakeholders"
    key_fields: ClassVar[tuple[str, ...]] = ("theme", "name")

    theme: Code
    name: Name
    role: Line = ""
    interest: InfluenceLevel = InfluenceLevel.MEDIUM
    influence: InfluenceLevel = InfluenceLevel.MEDIUM


class Theme(Entity):
    """A prioritised theme of the digitalisation strategy."""

    table: ClassVar[str] = "themes"
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: Code
    rank: Annotated[int, Field(ge=1)]
    title: Name
    end_state: Text = ""
    target_date: dt.date | None = None
    owner: Line = ""
    stakeholders: list[Stakeholder] = Field(default_factory=list)


class Milestone(Entity):
    """A backcast step towards a theme's end state; `id` is handed out by the repository."""

    table: ClassVar[str] = "milestones"
    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    id: GeneratedId = ""
    theme: Code
    title: Name
    due: dt.date
    owner: Line = ""
    status: MilestoneStatus = MilestoneStatus.PLANNED


class GovernanceDecision(Entity):
    """Who gives input and who decides, for one IT decision domain (Weill & Ross)."""

    table: ClassVar[str] = "governance"
    key_fields: ClassVar[tuple[str, ...]] = ("domain",)

    domain: DecisionDomain
    input_rights: list[Archetype] = Field(default_factory=list)
    decision_rights: Archetype
    people: list[Line] = Field(default_factory=list)


class Setting(Entity):
    """A database-wide setting (`SETTINGS` names each and the kind of value it takes)."""

    table: ClassVar[str] = "settings"
    key_fields: ClassVar[tuple[str, ...]] = ("name",)

    name: Code
    value: Line

    @model_validator(mode="after")
    def _known_value(self) -> Self:
        if self.name not in SETTINGS:
            raise refusal("unknown_setting", "name", name=self.name)
        try:
            number = float(self.value)
        except ValueError:
            number = -1.0
        if not 0 <= number < float("inf"):  # also refuses nan
            raise refusal("setting_not_amount", "value", text=self.value)
        return self


HOURLY_RATE = "hourly_rate"
SETTINGS: dict[str, str] = {HOURLY_RATE: "the value of an hour saved, in kroner"}
"""Each setting a database may hold and what it means (absent: not set). All are amounts of
at least 0 for now."""


class AuditEntry(BaseModel):
    """Who changed what, when. `changes` maps a field to [old, new]."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    at: dt.datetime
    user: str
    action: AuditAction
    entity: str
    key: str
    changes: dict[str, Any] = Field(default_factory=dict)


REGISTER_MODELS: tuple[type[Entity], ...] = (
    Framework,
    Competency,
    Department,
    Role,
    Staff,
    Requirement,
    CoverageRule,
    Course,
    TrainingPlan,
    Robot,
    Theme,
    Milestone,
    GovernanceDecision,
    Setting,
)
"""Register tables, in the order that lets each refer only to those before it."""

HISTORY_MODELS: tuple[type[Entity], ...] = (Assessment, RobotBenefit)

MODELS_BY_TABLE: dict[str, type[Entity]] = {m.table: m for m in REGISTER_MODELS + HISTORY_MODELS}

GENERATED_ID_PREFIX: dict[str, str] = {"training_plans": "TP", "milestones": "MS"}
"""Tables whose key the repository hands out, and the prefix of those keys."""


def build_validators() -> None:
    """Build every model's validator and serializer now. Each is built when first used
    (`defer_build`): a command that reads only files the store wrote never needs most of them
    (~22 ms of importing this module), and the app builds them all while its first screen is
    read (~25 ms in a thread), so that a first save does not wait for its model's (~18 ms)."""
    for model in _MODELS:
        model.model_rebuild()


_MODELS = [
    model
    for model in list(globals().values())
    if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == __name__
]
