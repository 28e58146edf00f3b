"""The enumerations the stored entities use, apart from the models so that modules the models
need (store.problems, through store.labels) can name them without an import cycle.
`store.models` re-exports every one of them."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    """Where an assessment comes from. Order in `SOURCE_PRECEDENCE` decides same-date ties."""

    SELF = "self"
    MANAGER = "manager"
    TEST = "test"
    TRAINING = "training"


SOURCE_PRECEDENCE: dict[str, int] = {"test": 3, "manager": 2, "training": 1, "self": 0}
"""Two assessments on the same date: test > manager > training > self (docs/rules.md)."""


class Priority(StrEnum):
    MUST = "must"
    SHOULD = "should"


class PlanStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


OPEN_PLAN_STATUSES = frozenset({PlanStatus.PLANNED, PlanStatus.IN_PROGRESS})


class RobotPhase(StrEnum):
    """Lifecycle of a software robot, from idea to retirement."""

    IDEA = "idea"
    ANALYSIS = "analysis"
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"
    PAUSED = "paused"
    RETIRED = "retired"


PHASE_DANISH: dict[RobotPhase, str] = {
    RobotPhase.IDEA: "idé",
    RobotPhase.ANALYSIS: "foranalyse",
    RobotPhase.DEVELOPMENT: "udvikling",
    RobotPhase.TEST: "test",
    RobotPhase.PRODUCTION: "drift",
    RobotPhase.PAUSED: "pause",
    RobotPhase.RETIRED: "taget ud af drift",
}
"""The phases' names in the municipalities' shared process catalogue, accepted on input (a
file's phase column, `kapabel robot phase`) whatever the language. What a person is shown is
`store.labels.phase_label`, translated by the catalogue like every other enumeration."""


def parse_phase(text: str) -> RobotPhase | None:
    """A phase from its English or Danish name, any case ('Drift', 'taget ud af drift',
    'taget_ud_af_drift'); None when it is neither."""
    word = " ".join(text.strip().lower().replace("_", " ").split())
    for phase, danish in PHASE_DANISH.items():
        if word in (str(phase), danish, danish.replace("é", "e")):
            return phase
    return None


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class DecisionDomain(StrEnum):
    """Weill & Ross's five IT decision domains."""

    IT_PRINCIPLES = "it_principles"
    IT_ARCHITECTURE = "it_architecture"
    IT_INFRASTRUCTURE = "it_infrastructure"
    BUSINESS_APPLICATION_NEEDS = "business_application_needs"
    IT_INVESTMENT = "it_investment"


class Archetype(StrEnum):
    """Weill & Ross's decision-making archetypes."""

    BUSINESS_MONARCHY = "business_monarchy"
    IT_MONARCHY = "it_monarchy"
    FEUDAL = "feudal"
    FEDERAL = "federal"
    IT_DUOPOLY = "it_duopoly"
    ANARCHY = "anarchy"


class InfluenceLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    DEACTIVATE = "deactivate"
    ERASE = "erase"
    IMPORT = "import"
    RESTORE = "restore"
    MIGRATE = "migrate"
