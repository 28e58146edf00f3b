"""The words a person sees for each enumeration's values, in the current language (issue 13).

Stored data keeps the values ("in_progress", "production"); screens, reports and messages show
these labels. One table per enumeration, each label marked with `N_` for the catalogue and
translated by `label` when shown, so every enumeration is translated the same way. The English
labels are the words Kapabel always showed.
"""

from __future__ import annotations

from enum import StrEnum

from i18n import N_, _
from store.enums import (
    Archetype,
    AuditAction,
    DecisionDomain,
    InfluenceLevel,
    MilestoneStatus,
    PlanStatus,
    Priority,
    RobotPhase,
    Source,
)

LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    Source: {
        Source.SELF: N_("self"),
        Source.MANAGER: N_("manager"),
        Source.TEST: N_("test"),
        Source.TRAINING: N_("training"),
    },
    Priority: {Priority.MUST: N_("must"), Priority.SHOULD: N_("should")},
    PlanStatus: {
        PlanStatus.PLANNED: N_("planned"),
        PlanStatus.IN_PROGRESS: N_("in progress"),
        PlanStatus.COMPLETED: N_("completed"),
        PlanStatus.CANCELLED: N_("cancelled"),
    },
    MilestoneStatus: {
        MilestoneStatus.PLANNED: N_("planned"),
        MilestoneStatus.IN_PROGRESS: N_("in progress"),
        MilestoneStatus.DONE: N_("done"),
        MilestoneStatus.CANCELLED: N_("cancelled"),
    },
    RobotPhase: {
        RobotPhase.IDEA: N_("idea"),
        RobotPhase.ANALYSIS: N_("analysis"),
        RobotPhase.DEVELOPMENT: N_("development"),
        RobotPhase.TEST: N_("test"),
        RobotPhase.PRODUCTION: N_("production"),
        RobotPhase.PAUSED: N_("paused"),
        RobotPhase.RETIRED: N_("retired"),
    },
    DecisionDomain: {
        DecisionDomain.IT_PRINCIPLES: N_("IT principles"),
        DecisionDomain.IT_ARCHITECTURE: N_("IT architecture"),
        DecisionDomain.IT_INFRASTRUCTURE: N_("IT infrastructure"),
        DecisionDomain.BUSINESS_APPLICATION_NEEDS: N_("Business application needs"),
        DecisionDomain.IT_INVESTMENT: N_("IT investment"),
    },
    Archetype: {
        Archetype.BUSINESS_MONARCHY: N_("Business monarchy"),
        Archetype.IT_MONARCHY: N_("IT monarchy"),
        Archetype.FEUDAL: N_("Feudal"),
        Archetype.FEDERAL: N_("Federal"),
        Archetype.IT_DUOPOLY: N_("IT duopoly"),
        Archetype.ANARCHY: N_("Anarchy"),
    },
    InfluenceLevel: {
        InfluenceLevel.LOW: N_("low"),
        InfluenceLevel.MEDIUM: N_("medium"),
        InfluenceLevel.HIGH: N_("high"),
    },
    AuditAction: {
        AuditAction.CREATE: N_("create"),
        AuditAction.UPDATE: N_("update"),
        AuditAction.DELETE: N_("delete"),
        AuditAction.DEACTIVATE: N_("deactivate"),
        AuditAction.ERASE: N_("erase"),
        AuditAction.IMPORT: N_("import"),
        AuditAction.RESTORE: N_("restore"),
        AuditAction.MIGRATE: N_("migrate"),
    },
}
"""Each enumeration's values in English words, in the enumeration's order."""


def label(value: StrEnum) -> str:
    """An enumeration value as a person reads it, in the current language."""
    words = LABELS.get(type(value), {}).get(value)
    return _(words) if words is not None else str(value).replace("_", " ")


def _labeller(enum: type[StrEnum]):
    def of(value: StrEnum | str) -> str:
        try:
            return label(enum(value))
        except ValueError:  # a value this version does not know (a newer file): shown as stored
            return str(value).replace("_", " ")

    of.__doc__ = f"A {enum.__name__} (or its stored value) in the current language's words."
    return of


source_label = _labeller(Source)
priority_label = _labeller(Priority)
plan_status_label = _labeller(PlanStatus)
milestone_status_label = _labeller(MilestoneStatus)
phase_label = _labeller(RobotPhase)
domain_label = _labeller(DecisionDomain)
archetype_label = _labeller(Archetype)
influence_label = _labeller(InfluenceLevel)
audit_action_label = _labeller(AuditAction)


def labelled(params: dict) -> dict:
    """`params` with every enumeration value replaced by its label (for a message's words)."""
    return {
        name: label(value) if type(value) in LABELS else value for name, value in params.items()
    }
