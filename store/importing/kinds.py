"""What each import kind accepts: one table of column specs per kind, nothing per-kind in code.

A `Column` names the header (and its Danish and other aliases), the model field it fills and the
parser of its cells. A `Kind` says which model the rows become, which fields match a row to a
record already in the database, and where those records are. The same specs drive the exporter,
so an export is always in the import format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from store.dataset import AssessmentRow, Dataset
from store.importing.cells import (
    format_value,
    parse_bool,
    parse_date,
    parse_int,
    parse_list,
    parse_month,
    parse_number,
    parse_optional,
    parse_text,
)
from store.models import (
    PHASE_DANISH,
    Archetype,
    Assessment,
    Code,
    Competency,
    CoverageRule,
    DecisionDomain,
    Department,
    Entity,
    GovernanceDecision,
    InfluenceLevel,
    Milestone,
    MilestoneStatus,
    PhaseChange,
    PlanStatus,
    Priority,
    Requirement,
    Robot,
    RobotBenefit,
    RobotPhase,
    Role,
    Source,
    Staff,
    Theme,
    ThemeStakeholder,
    TrainingPlan,
    parse_phase,
)
from store.problems import Problem, refusal
from store.strategy import (
    stakeholder_rows,
    themes_rank_check,
    with_stakeholder_rows,
)


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    parse: Callable[[str], Any] = parse_text
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Entity]
    columns: tuple[Column, ...]
    match_fields: tuple[str, ...]
    history: bool = False
    named_references: tuple[str, ...] = ()
    """Fields whose reference may be typed as a name ('Sagsbehandler' for the role 'SAG'):
    resolved as the forms do it (`store.lookup`)."""
    notes: str = ""
    id_field: str | None = None
    """A field naming one record exactly (a training plan's id): a row that fills it is matched
    on it, so records sharing the match fields stay apart; a row that leaves it empty is
    matched on the match fields, as HR files are."""
    parts: Callable[[Dataset], Iterable[Entity]] | None = None
    """For rows that are parts of other records (a theme's stakeholders): every such part in
    the database, as the kind's model. None: the records of the model's own table."""
    fold: Callable[[Dataset, list[Entity]], list[Entity]] | None = None
    """With `parts`: the register records to write for the rows to add or update."""
    file_check: Callable[[Dataset, list[tuple[int, Entity]]], list[tuple[int, Problem]]] | None = (
        None
    )
    """A rule over the file's records together with the database (two themes with one rank):
    (line, problem) for each row that breaks it."""
    adjust: Callable[[dict, dict | None], dict] | None = None
    """Makes a row's values whole before they become a record: (the row's own values, the
    stored record's values or None) -> the values (a robot's phase change is dated here)."""
    column_by_field: dict[str, Column] = field(init=False, repr=False, compare=False)
    keep_when_empty: frozenset[str] = field(init=False, repr=False, compare=False)
    """Optional columns of fields the model requires (a governance decision's deciding
    archetype): an empty cell keeps the stored value, and a new record without one is refused
    as missing it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_by_field", {c.field: c for c in self.columns})
        fields = self.model.model_fields
        keep = {c.field for c in self.columns if not c.required and fields[c.field].is_required()}
        object.__setattr__(self, "keep_when_empty", frozenset(keep))

    def column_name(self, field_name: str) -> str:
        column = self.column_by_field.get(field_name)
        return column.name if column else field_name

    def default(self, field_name: str) -> Any:
        info = self.model.model_fields[field_name]
        return None if info.is_required() else info.get_default(call_default_factory=True)

    def match_key(self, values: Mapping[str, Any]) -> str:
        if self.id_field and values.get(self.id_field):
            return f"#{values[self.id_field]}"
        return self.natural_key(values)

    def index(self, ds: Dataset) -> dict[str, Any]:
        """Match key -> current record (for history: the latest record with that key)."""
        if self.model is Assessment:  # a million rows: AssessmentRow.key() is the match key
            return {row.key(): row for row in ds.assessments}
        records = list(self.stored(ds))
        index = {self.natural_key(vars(r)): r for r in records}
        if self.id_field:
            index.update({f"#{getattr(r, self.id_field)}": r for r in records})
        return index

    def natural_key(self, values: Mapping[str, Any]) -> str:
        """The key from the match fields alone (what a file without the id column gives)."""
        return "|".join(
            format_value(values[f] if f in values else self.default(f)) for f in self.match_fields
        )

    def stored(self, ds: Dataset) -> Iterable[Entity]:
        """Every record of this kind in the database (its parts, for a kind of parts)."""
        return self.parts(ds) if self.parts is not None else ds.table(self.model.table).values()

    @staticmethod
    def values_of(record: Any) -> dict[str, Any]:
        """A stored record's field values, comparable with a model's `vars()`."""
        if isinstance(record, AssessmentRow):
            values = record._asdict()
            del values["seq"]
            return values
        return dict(vars(record))

    def records(self, ds: Dataset) -> Iterable[tuple[dict, Any]]:
        """(field values, stored record) of every current record of this kind.

        History: the latest record per key. Register: every record, even two that share a
        match key (two training plans for one person, competency and due date): an export
        must not drop one.
        """
        current = self.index(ds).values() if self.history else self.stored(ds)
        for record in current:
            yield self.values_of(record), record


@dataclass(frozen=True)
class LinkKind(Kind):
    """Rows that each name a robot and one thing linked to it (an operator, a required
    competency): for every robot the file names, the links become exactly its rows; robots
    not in the file keep theirs. `model` reads one row; `link` is the robot's field."""

    link: str = ""

    def records(self, ds: Dataset) -> Iterable[tuple[dict, Any]]:
        for robot in ds.robots.values():
            links = getattr(robot, self.link)
            pairs = links.items() if isinstance(links, dict) else ((item, None) for item in links)
            for position, (item, level) in enumerate(pairs):
                fields = self.match_fields[1:2] + (("level",) if level is not None else ())
                values = dict(zip(fields, (item, level), strict=False))
                yield {"robot": robot.code, **values, "position": position}, robot

    def natural_key(self, values: Mapping[str, Any]) -> str:
        """Robot, then the links in the robot's own order (an export keeps it)."""
        return f"{values.get('robot', '')}|{values.get('position', 0):06d}"

    def linked(self, items: list[Any]) -> list[str] | dict[str, int]:
        """The robot's new field value from its rows, in file order."""
        if self.link == "operators":
            return [item.staff for item in items]
        return {item.competency: item.level for item in items}


class RobotOperatorRow(BaseModel):
    """One row of a `robot-operators` file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    table: ClassVar[str] = "robots"

    robot: Code
    staff: Code


class RobotCompetencyRow(BaseModel):
    """One row of a `robot-competencies` file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    table: ClassVar[str] = "robots"

    robot: Code
    competency: Code
    level: Annotated[int, Field(ge=1, le=20)]


def parse_phase_cell(text: str) -> str:
    """A phase by its English or Danish name (`store.models.PHASE_DANISH`)."""
    phase = parse_phase(text)
    if phase is None:
        allowed = ", ".join(f"{p} ({PHASE_DANISH[p]})" for p in RobotPhase)
        raise refusal("cell_not_choice", text=text, allowed=allowed)
    return str(phase)


def robot_phase_change(given: dict, current: dict | None) -> dict:
    """A robot row's phase, dated: a new robot's phase and a changed phase begin on the row's
    `phase_since`, else on the day of the import, and a changed phase keeps the one before it
    as history; an empty `phase_since` with the phase unchanged keeps the stored date."""
    values = given if current is None else {**current, **given}
    since = given.get("phase_since")
    if current is None:
        values["phase_since"] = since or dt.date.today()
    elif "phase" in given and str(given["phase"]) != str(current["phase"]):
        earlier = PhaseChange(phase=current["phase"], since=current["phase_since"])
        values["phase_history"] = [*current["phase_history"], earlier]
        values["phase_since"] = since or dt.date.today()
    elif since is None:
        values["phase_since"] = current["phase_since"]
    return values


def choice(enum: type[StrEnum], aliases: Mapping[str, str]) -> Callable[[str], str]:
    """A parser for one of `enum`'s values, accepting Danish words too."""
    values = {e.value for e in enum}
    allowed = ", ".join(e.value for e in enum)

    def parse(text: str) -> str:
        word = text.lower().replace(" ", "_")
        word = aliases.get(word, word)
        if word not in values:
            raise refusal("cell_not_choice", text=text, allowed=allowed)
        return word

    return parse


CODE = ("kode",)
NAME = ("navn",)
EMPLOYEE = ("medarbejdernr", "medarbejdernummer", "medarb_nr", "lønnr", "employee")
COMPETENCY = ("kompetence", "competency_code")
DEPARTMENT = ("afdeling", "afdelingskode", "department", "org_unit")
THEME = ("tema", "theme_code")
LEVELS = {"lav": "low", "middel": "medium", "mellem": "medium", "høj": "high"}
ARCHETYPES = {
    "forretningsmonarki": "business_monarchy",
    "it-monarki": "it_monarchy",
    "it_monarki": "it_monarchy",
    "feudalt": "feudal",
    "feudal_model": "feudal",
    "føderalt": "federal",
    "føderal": "federal",
    "it-duopol": "it_duopoly",
    "it_duopol": "it_duopoly",
    "anarki": "anarchy",
}
DOMAINS = {
    "it-principper": "it_principles",
    "it_principper": "it_principles",
    "it-arkitektur": "it_architecture",
    "it_arkitektur": "it_architecture",
    "it-infrastruktur": "it_infrastructure",
    "it_infrastruktur": "it_infrastructure",
    "forretningsapplikationsbehov": "business_application_needs",
    "forretningsbehov_for_applikationer": "business_application_needs",
    "it-investeringer": "it_investment",
    "it_investeringer": "it_investment",
    "it_investments": "it_investment",
}

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "departments",
            Department,
            (
                Column("code", "code", required=True, aliases=CODE),
                Column("name", "name", required=True, aliases=NAME),
                Column("parent_code", "parent_code", parse_optional, aliases=("overordnet",)),
            ),
            ("code",),
        ),
        Kind(
            "roles",
            Role,
            (
                Column("code", "code", required=True, aliases=CODE),
                Column("name", "name", required=True, aliases=NAME),
            ),
            ("code",),
        ),
        Kind(
            "staff",
            Staff,
            (
                Column("employee_no", "employee_no", required=True, aliases=EMPLOYEE),
                Column("name", "name", required=True, aliases=NAME),
                Column("department_code", "department", required=True, aliases=DEPARTMENT),
                Column("email", "email", parse_optional, aliases=("e_mail", "mail")),
                Column("role", "role", parse_optional, aliases=("stilling", "rolle")),
                Column("digital_agent", "digital_agent", parse_bool, aliases=("digital_agent",)),
                Column("active", "active", parse_bool, aliases=("aktiv",)),
            ),
            ("employee_no",),
            named_references=("role",),
            notes="role: a role code or a role name; --sync deactivates staff missing from the file",
        ),
        Kind(
            "competencies",
            Competency,
            (
                Column("framework", "framework", required=True, aliases=("rammeværk",)),
                Column("code", "code", required=True, aliases=CODE),
                Column("name", "name", required=True, aliases=NAME),
                Column("area", "area", aliases=("område",)),
                Column("description", "description", aliases=("beskrivelse",)),
            ),
            ("code",),
            notes="a whole framework with its scale may come as one JSON file",
        ),
        Kind(
            "requirements",
            Requirement,
            (
                Column("department_code", "department", required=True, aliases=DEPARTMENT),
                Column("competency", "competency", required=True, aliases=COMPETENCY),
                Column("level", "level", parse_int, required=True, aliases=("niveau",)),
                Column("role", "role", parse_optional, aliases=("rolle", "stilling")),
                Column(
                    "priority",
                    "priority",
                    choice(Priority, {"skal": "must", "bør": "should"}),
                    aliases=("prioritet",),
                ),
                Column("due", "due", parse_date, aliases=("frist",)),
                Column("theme", "theme", parse_optional, aliases=("tema",)),
            ),
            ("competency", "department", "role"),
        ),
        Kind(
            "coverage-rules",
            CoverageRule,
            (
                Column("department_code", "department", required=True, aliases=DEPARTMENT),
                Column("competency", "competency", required=True, aliases=COMPETENCY),
                Column("level", "level", parse_int, required=True, aliases=("niveau",)),
                Column(
                    "min_people", "min_people", parse_int, required=True, aliases=("min_antal",)
                ),
                Column("each", "each", parse_bool, aliases=("hver",)),
            ),
            ("department", "competency", "level"),
            notes="each: yes/no (ja/nej; default no): the rule holds for every department "
            "below too",
        ),
        Kind(
            "assessments",
            Assessment,
            (
                Column("employee_no", "staff", required=True, aliases=EMPLOYEE),
                Column("competency", "competency", required=True, aliases=COMPETENCY),
                Column("level", "level", parse_int, required=True, aliases=("niveau",)),
                Column("date", "date", parse_date, required=True, aliases=("dato",)),
                Column(
                    "source",
                    "source",
                    choice(Source, {"selv": "self", "leder": "manager", "uddannelse": "training"}),
                    aliases=("kilde",),
                ),
                Column("valid_until", "valid_until", parse_date, aliases=("gyldig_til",)),
                Column("assessor", "assessor", parse_optional, aliases=("bedømmer",)),
                Column("note", "note", aliases=("bemærkning", "kommentar")),
            ),
            ("staff", "competency", "date", "source"),
            history=True,
            notes="a changed row is recorded as a correcting record: the history is kept",
        ),
        Kind(
            "training",
            TrainingPlan,
            (
                Column("plan_id", "id", aliases=("plan", "id", "plan_nr")),
                Column("employee_no", "staff", required=True, aliases=EMPLOYEE),
                Column("competency", "competency", required=True, aliases=COMPETENCY),
                Column(
                    "target_level", "target_level", parse_int, required=True, aliases=("målniveau",)
                ),
                Column("course", "course", parse_optional, aliases=("kursus",)),
                Column("due", "due", parse_date, aliases=("frist",)),
                Column(
                    "status",
                    "status",
                    choice(
                        PlanStatus,
                        {
                            "planlagt": "planned",
                            "i_gang": "in_progress",
                            "gennemført": "completed",
                            "annulleret": "cancelled",
                        },
                    ),
                ),
                Column("completed", "completed", parse_date, aliases=("gennemført_dato",)),
            ),
            ("staff", "competency", "due"),
            id_field="id",
            notes="plan_id (as exported) names a plan exactly; leave it empty for a new plan",
        ),
        Kind(
            "robot-benefits",
            RobotBenefit,
            (
                Column("robot", "robot", required=True),
                Column("month", "month", parse_month, required=True, aliases=("måned",)),
                Column(
                    "hours_saved",
                    "hours_saved",
                    parse_number,
                    required=True,
                    aliases=("timer_sparet", "sparede_timer"),
                ),
                Column("runs", "runs", parse_int, aliases=("kørsler",)),
                Column("failed_runs", "failed_runs", parse_int, aliases=("fejlede_kørsler",)),
            ),
            ("robot", "month"),
            history=True,
        ),
        Kind(
            "themes",
            Theme,
            (
                Column("code", "code", required=True, aliases=CODE),
                Column("rank", "rank", parse_int, required=True, aliases=("prioritet",)),
                Column("title", "title", required=True, aliases=("titel",)),
                Column("end_state", "end_state", aliases=("slutmål", "ønsket_slutmål")),
                Column("target_date", "target_date", parse_date, aliases=("måldato",)),
                Column("owner", "owner", aliases=("ejer",)),
            ),
            ("code",),
            file_check=themes_rank_check,
            notes="ranks are unique (two themes with one rank are refused)",
        ),
        Kind(
            "stakeholders",
            ThemeStakeholder,
            (
                Column("theme", "theme", required=True, aliases=THEME),
                Column("name", "name", required=True, aliases=NAME),
                Column("role", "role", aliases=("rolle",)),
                Column(
                    "interest", "interest", choice(InfluenceLevel, LEVELS), aliases=("interesse",)
                ),
                Column(
                    "influence",
                    "influence",
                    choice(InfluenceLevel, LEVELS),
                    aliases=("indflydelse",),
                ),
            ),
            ("theme", "name"),
            parts=stakeholder_rows,
            fold=with_stakeholder_rows,
            notes="a stakeholder is matched on theme and name; interest and influence: low, "
            "medium or high (lav, middel, høj)",
        ),
        Kind(
            "milestones",
            Milestone,
            (
                Column("theme", "theme", required=True, aliases=THEME),
                Column("title", "title", required=True, aliases=("titel",)),
                Column("due", "due", parse_date, required=True, aliases=("frist",)),
                Column("owner", "owner", aliases=("ejer",)),
                Column(
                    "status",
                    "status",
                    choice(
                        MilestoneStatus,
                        {
                            "planlagt": "planned",
                            "i_gang": "in_progress",
                            "nået": "done",
                            "færdig": "done",
                            "annulleret": "cancelled",
                        },
                    ),
                ),
            ),
            ("theme", "title"),
            notes="a milestone is matched on theme and title",
        ),
        Kind(
            "governance",
            GovernanceDecision,
            (
                Column(
                    "domain",
                    "domain",
                    choice(DecisionDomain, DOMAINS),
                    required=True,
                    aliases=("domæne", "beslutningsområde"),
                ),
                Column(
                    "input_rights",
                    "input_rights",
                    parse_list(choice(Archetype, ARCHETYPES), ";,"),
                    aliases=("input", "inputrettigheder"),
                ),
                Column(
                    "decision_rights",
                    "decision_rights",
                    choice(Archetype, ARCHETYPES),
                    aliases=("beslutning", "beslutningsret"),
                ),
                Column("people", "people", parse_list(parse_text), aliases=("personer",)),
            ),
            ("domain",),
            notes="archetypes: business_monarchy, it_monarchy, feudal, federal, it_duopoly, "
            "anarchy (in words or Danish too); several in one cell, and the people, separated by ;",
        ),
        Kind(
            "robots",
            Robot,
            (
                Column("code", "code", required=True, aliases=CODE),
                Column("name", "name", required=True, aliases=NAME),
                Column("department_code", "department", required=True, aliases=DEPARTMENT),
                Column("phase", "phase", parse_phase_cell, required=True, aliases=("fase",)),
                Column("process", "process", aliases=("proces",)),
                Column("platform", "platform"),
                Column("owner", "owner", parse_optional, aliases=("ejer",)),
                Column("go_live", "go_live", parse_date, aliases=("idriftsat",)),
                Column("phase_since", "phase_since", parse_date, aliases=("fase_siden",)),
                Column(
                    "expected_hours_per_year",
                    "expected_hours_per_year",
                    parse_number,
                    aliases=("forventede_timer",),
                ),
                Column("yearly_cost", "yearly_cost", parse_number, aliases=("årlig_udgift",)),
                Column("kle", "kle", aliases=("kle_nummer",)),
                Column("run_frequency", "run_frequency", aliases=("kørselsfrekvens",)),
            ),
            ("code",),
            adjust=robot_phase_change,
            notes="phase in English or Danish (idé, foranalyse, udvikling, test, drift, pause, "
            "taget ud af drift); a changed phase begins on phase_since (default: today) and the "
            "one before it is kept as history; owner: an employee number",
        ),
        LinkKind(
            "robot-operators",
            RobotOperatorRow,
            (
                Column("robot", "robot", required=True),
                Column("employee_no", "staff", required=True, aliases=EMPLOYEE),
            ),
            ("robot", "staff"),
            link="operators",
            notes="each robot in the file gets exactly the operators given for it",
        ),
        LinkKind(
            "robot-competencies",
            RobotCompetencyRow,
            (
                Column("robot", "robot", required=True),
                Column("competency", "competency", required=True, aliases=COMPETENCY),
                Column("level", "level", parse_int, required=True, aliases=("niveau",)),
            ),
            ("robot", "competency"),
            link="required_competencies",
            notes="each robot in the file requires exactly the competencies given for it",
        ),
    )
}


def normalise_header(text: str) -> str:
    return text.strip().lower().rstrip(".").replace(" ", "_").replace("-", "_")


def header_map(kind: Kind) -> dict[str, Column]:
    """Every accepted header name (normalised) -> its column."""
    names: dict[str, Column] = {}
    for column in kind.columns:
        for name in (column.name, column.field, *column.aliases):
            names.setdefault(normalise_header(name), column)
    return names
