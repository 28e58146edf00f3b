"""The strategy's forms: a theme, a stakeholder, a milestone, milestones planned backwards from a
theme's target date, tying a requirement to a theme, and one cell of the governance matrix.

    ThemeForm(original=None) -> Theme | None
    StakeholderForm(theme, original=None) -> Theme | None
    MilestoneForm(theme, original=None) -> Milestone | None
    BackcastForm(theme, start) -> list[Milestone] | None   (how many; then MilestonesForm)
    MilestonesForm(theme, proposal) -> list[Milestone] | None   (each title and date editable)
    TieRequirementForm(theme) -> Requirement | None
    GovernanceCellForm(domain, archetype, decision) -> GovernanceDecision | None

Each collects input and shows problems at their fields; the rules are `store.strategy`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.widgets import Input, Select

from i18n import N_, _, format_date, ngettext
from store.errors import ValidationProblem
from store.integrity import record_problems
from store.labels import archetype_label, domain_label, influence_label, milestone_status_label
from store.models import (
    Archetype,
    DecisionDomain,
    Entity,
    GovernanceDecision,
    InfluenceLevel,
    Milestone,
    MilestoneStatus,
    Requirement,
    Stakeholder,
    Theme,
)
from store.problems import Problem, by_field, from_pydantic, problem, render
from store.strategy import (
    MAX_BACKCAST,
    backcast_milestones,
    backcast_refusal,
    governance_cell,
    save_milestone,
    save_milestones,
    save_stakeholder,
    save_theme,
    set_governance_cell,
    tie_requirements,
)
from tui.forms.base import FormField, FormScreen
from tui.forms.checkbox import MarkedCheckbox
from tui.forms.parsing import FieldError, parse_date, parse_int, parse_optional_date, parse_required


def _select(options: Iterable[tuple[str, str]], value: str) -> Select:
    return Select(
        [(Text(label), key) for label, key in options], value=value, allow_blank=False, compact=True
    )


def _text(value: str, placeholder: str) -> Input:
    return Input(value, placeholder=placeholder, compact=True)


def level_options() -> list[tuple[str, str]]:
    return [(influence_label(level), level.value) for level in InfluenceLevel]


def milestone_status_options() -> list[tuple[str, str]]:
    return [(milestone_status_label(status), status.value) for status in MilestoneStatus]


def date_value(value: dt.date | None) -> str:
    """A date in a field as it is typed (YYYY-MM-DD, in every language); '' for none."""
    return value.isoformat() if value else ""


class ThemeForm(FormScreen):
    """Add (original None) or edit a theme; the rank places it among the others."""

    def __init__(self, original: Theme | None = None) -> None:
        super().__init__()
        self.original = original
        self.title_text = (
            _("Edit theme {code}").format(code=original.code) if original else _("New theme")
        )

    def fields(self) -> Iterable[FormField]:
        theme = self.original
        if theme is None:
            yield FormField(
                "code", _("Code"), _text("", _("a short code, e.g. T4")), parse_required
            )
        count = len(self.app.repo.ds.themes) + (theme is None)
        yield FormField(
            "rank",
            _("Rank"),
            _text(
                str(theme.rank if theme else count), _("1 (first) to {count}").format(count=count)
            ),
            lambda text: parse_int(text, low=1),
            hint=_("1 is the first priority; the themes from this rank on move down one"),
        )
        yield FormField("title", _("Title"), _text(theme.title if theme else "", _("title")))
        yield FormField(
            "end_state",
            _("End state"),
            _text(theme.end_state if theme else "", _("desired end state")),
        )
        target = date_value(theme.target_date if theme else None)
        yield FormField(
            "target_date", _("Target date"), _text(target, _("YYYY-MM-DD")), parse_optional_date
        )
        yield FormField(
            "owner", _("Owner"), _text(theme.owner if theme else "", _("person or body"))
        )

    def make_record(self, values: dict[str, Any]) -> Entity:
        if self.original is None:
            return Theme(**values)
        return Theme(**{**self.original.model_dump(), **values})

    def save(self, record: Entity) -> Theme:
        assert isinstance(record, Theme)
        return save_theme(self.app.repo, record, self.original)

    def saved_message(self, saved: Theme) -> str:
        return _("Saved theme {code} at rank {rank}: {title}").format(
            code=saved.code, rank=saved.rank, title=saved.title
        )


class StakeholderForm(FormScreen):
    """Add a stakeholder to a theme, or edit one (by the name it had)."""

    def __init__(self, theme: Theme, original: Stakeholder | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.original = original
        title = _("Edit stakeholder of {theme}") if original else _("New stakeholder of {theme}")
        self.title_text = title.format(theme=theme.code)

    def fields(self) -> Iterable[FormField]:
        who = self.original
        yield FormField("name", _("Name"), _text(who.name if who else "", _("person or body")))
        yield FormField(
            "role", _("Role"), _text(who.role if who else "", _("their role (optional)"))
        )
        yield FormField(
            "interest", _("Interest"), _select(level_options(), who.interest if who else "medium")
        )
        yield FormField(
            "influence",
            _("Influence"),
            _select(level_options(), who.influence if who else "medium"),
        )

    def make_record(self, values: dict[str, Any]) -> Entity:
        # checked as a stakeholder; stored inside the theme
        Stakeholder(**values)
        people = [*self.theme.stakeholders, Stakeholder(**values)]
        return self.theme.model_copy(update={"stakeholders": people})

    def save(self, record: Entity) -> Theme:
        stakeholder = Stakeholder(**{n: self.parse_field(n) for n in self.specs})
        original = self.original.name if self.original else None
        return save_stakeholder(self.app.repo, self.theme, stakeholder, original)

    def saved_message(self, saved: Theme) -> str:
        return _("Saved the stakeholders of {theme}").format(theme=saved.code)


class MilestoneForm(FormScreen):
    """Add or edit one milestone of a theme."""

    def __init__(self, theme: Theme, original: Milestone | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.original = original
        title = _("Edit milestone of {theme}") if original else _("New milestone of {theme}")
        self.title_text = title.format(theme=theme.code)

    def fields(self) -> Iterable[FormField]:
        m = self.original
        yield FormField("title", _("Title"), _text(m.title if m else "", _("what is reached")))
        yield FormField(
            "due", _("Due"), _text(date_value(m.due if m else None), _("YYYY-MM-DD")), parse_date
        )
        yield FormField("owner", _("Owner"), _text(m.owner if m else self.theme.owner, _("owner")))
        yield FormField(
            "status",
            _("Status"),
            _select(milestone_status_options(), m.status if m else MilestoneStatus.PLANNED),
        )

    def make_record(self, values: dict[str, Any]) -> Entity:
        base = {"theme": self.theme.code, "id": self.original.id if self.original else ""}
        return Milestone(**base, **values)

    def save(self, record: Entity) -> Milestone:
        assert isinstance(record, Milestone)
        return save_milestone(self.app.repo, record, self.original)

    def saved_message(self, saved: Milestone) -> str:
        return _("Saved milestone {title} ({due})").format(
            title=saved.title, due=format_date(saved.due)
        )


class BackcastForm(FormScreen):
    """How many milestones to plan back from the theme's target date; dismisses with the
    proposal (not saved: MilestonesForm shows it, each title and date editable)."""

    save_label = N_("Propose")

    def __init__(self, theme: Theme, start: dt.date) -> None:
        super().__init__()
        self.theme = theme
        self.start = start
        self.save_label = _(type(self).save_label)
        self.title_text = _("Plan back from {theme}'s target date").format(theme=theme.code)

    def fields(self) -> Iterable[FormField]:
        target = self.theme.target_date
        if target:
            hint = _("evenly spaced from {start} to {target}; the last on the target date")
        else:
            hint = _("evenly spaced the theme has no target date; the last on the target date")
        yield FormField(
            "count",
            _("Milestones"),
            _text("4", _("how many (1 to {most})").format(most=MAX_BACKCAST)),
            lambda text: parse_int(text, low=1, high=MAX_BACKCAST),
            hint=hint.format(start=format_date(self.start), target=target and format_date(target)),
        )
        yield FormField("owner", _("Owner"), _text(self.theme.owner, _("owner of each (optional)")))

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        if "count" not in values:
            return {}
        refused = backcast_refusal(self.start, self.theme.target_date, values["count"])
        return {"count": render(refused)} if refused else {}

    def make_record(self, values: dict[str, Any]) -> Entity:
        return self.theme  # nothing to check against the database: the proposal is not saved

    def save(self, record: Entity) -> list[Milestone]:
        count, owner = self.parse_field("count"), self.parse_field("owner")
        return backcast_milestones(self.theme, self.start, count, owner.strip())

    def saved_message(self, saved: list[Milestone]) -> str:
        return ngettext(
            "Proposed {count} milestones: change any title or date, then save",
            "Proposed {count} milestones: change any title or date, then save",
            len(saved),
        ).format(count=len(saved))

    def action_save(self) -> None:
        """Propose without touching the data (no data_changed, no 'saved' toast)."""
        if self.validated_record() is not None:
            self.dismiss(self.save(self.theme))


class MilestonesForm(FormScreen):
    """Several new milestones of a theme (a backcast proposal), each title and due date
    editable; saved together or not at all."""

    def __init__(self, theme: Theme, proposal: list[Milestone]) -> None:
        super().__init__()
        self.theme = theme
        self.proposal = proposal
        self.title_text = ngettext(
            "{count} milestones of {theme}, planned back",
            "{count} milestones of {theme}, planned back",
            len(proposal),
        ).format(count=len(proposal), theme=theme.code)

    def fields(self) -> Iterable[FormField]:
        for i, m in enumerate(self.proposal, 1):
            yield FormField(
                f"title_{i}", _("{n}. Title").format(n=i), _text(m.title, _("what is reached"))
            )
            yield FormField(
                f"due_{i}", "   " + _("Due"), _text(date_value(m.due), _("YYYY-MM-DD")), parse_date
            )

    def milestones(self, values: dict[str, Any]) -> list[Milestone]:
        return [
            m.model_copy(update={"title": values[f"title_{i}"], "due": values[f"due_{i}"]})
            for i, m in enumerate(self.proposal, 1)
        ]

    def validated_record(self) -> Entity | None:
        """Every milestone checked (its title and date at its own fields)."""
        from tui.forms.parsing import FormErrors

        try:
            values = self.parsed_values()
        except FormErrors as error:
            self.show_errors(error.errors, [])
            return None
        at_field: dict[str, str] = {}
        for i, m in enumerate(self.milestones(values), 1):
            try:
                checked = Milestone.model_validate(m.model_dump())
            except ValidationError as error:
                found = from_pydantic(error)
            else:
                found = record_problems(self.app.repo.ds, checked)
            shown, _ = by_field(found, {"title", "due"})
            at_field |= {f"{name}_{i}": message for name, message in shown.items()}
        if at_field:
            self.show_errors(at_field, [])
            return None
        self._values = values
        return self.theme

    def save(self, record: Entity) -> list[Milestone]:
        try:
            return save_milestones(self.app.repo, self.milestones(self._values))
        except ValidationProblem as error:
            titles = [m.title.casefold() for m in self.milestones(self._values)]
            named = error.key.casefold()
            index = titles.index(named) + 1 if named in titles else 1
            message = "; ".join(render(p) for p in error.problems)
            raise _AtField(f"title_{index}", message) from None

    def action_save(self) -> None:
        try:
            super().action_save()
        except _AtField as error:
            self.show_errors({error.field: error.message}, [])

    def saved_message(self, saved: list[Milestone]) -> str:
        return ngettext(
            "Saved {count} milestones of {theme}", "Saved {count} milestones of {theme}", len(saved)
        ).format(count=len(saved), theme=self.theme.code)


class _AtField(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


class TieRequirementForm(FormScreen):
    """Tie an existing requirement (competency, department, role) to the theme."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.title_text = _("Tie a requirement to {theme}").format(theme=theme.code)

    def fields(self) -> Iterable[FormField]:
        yield self.reference_field("competency", _("Competency"), "competencies")
        yield self.reference_field("department", _("Department"), "departments")
        yield self.reference_field(
            "role", _("Role"), "roles", required=False, empty=_("every role")
        )

    def found(self, values: dict[str, Any]) -> Requirement | None:
        key = f"{values['competency']}|{values['department']}|{values['role'] or ''}"
        return self.app.repo.ds.requirements.get(key)

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        if {"competency", "department", "role"} <= values.keys() and not self.found(values):
            return {"competency": render(_no_requirement())}
        return {}

    def make_record(self, values: dict[str, Any]) -> Entity:
        requirement = self.found(values)
        assert requirement is not None
        return requirement.model_copy(update={"theme": self.theme.code})

    def save(self, record: Entity) -> Requirement:
        assert isinstance(record, Requirement)
        stored = self.app.repo.ds.requirements[record.key()]
        tie_requirements(self.app.repo, self.theme.code, [stored])
        return record

    def saved_message(self, saved: Requirement) -> str:
        return _("Tied {competency} level {level} ({department}) to {theme}").format(
            competency=saved.competency,
            level=saved.level,
            department=saved.department,
            theme=saved.theme,
        )


def _no_requirement() -> Problem:
    return problem("competency", "no_such_requirement")


def parse_people(text: str) -> list[str]:
    """People or bodies, separated by ';' (as in the import)."""
    return [part.strip() for part in text.split(";") if part.strip()]


class GovernanceCellForm(FormScreen):
    """One cell of the governance matrix: does the archetype give input, does it decide;
    and the people or bodies named for the domain."""

    def __init__(
        self, domain: DecisionDomain, archetype: Archetype, decision: GovernanceDecision | None
    ) -> None:
        super().__init__()
        self.domain, self.archetype, self.decision = domain, archetype, decision
        self.title_text = f"{domain_label(domain)} × {archetype_label(archetype)}"

    def fields(self) -> Iterable[FormField]:
        has_input, decides = governance_cell(self.decision, self.archetype)
        people = "; ".join(self.decision.people) if self.decision else ""
        yield FormField("input", _("Input rights"), MarkedCheckbox(_("gives input"), has_input))
        yield FormField(
            "decision",
            _("Decision rights"),
            MarkedCheckbox(_("decides"), decides),
            hint=_("one archetype decides in each domain: ticking this moves the decision here"),
        )
        yield FormField(
            "people",
            _("People"),
            _text(people, _("people or bodies, separated by ;")),
            parse_people,
            hint=_("named for all of {domain}").format(domain=domain_label(self.domain)),
        )

    def make_record(self, values: dict[str, Any]) -> Entity:
        from store.strategy import with_cell

        return with_cell(
            self.decision,
            self.domain,
            self.archetype,
            values["input"],
            values["decision"],
            values["people"],
        )

    def validated_record(self) -> Entity | None:
        try:
            return super().validated_record()
        except ValidationProblem as error:
            self.show_errors(*by_field(error.problems, set(self.specs)))
            return None

    def save(self, record: Entity) -> GovernanceDecision:
        values = {n: self.parse_field(n) for n in self.specs}
        return set_governance_cell(
            self.app.repo,
            self.domain,
            self.archetype,
            values["input"],
            values["decision"],
            values["people"],
            self.decision,
        )

    def saved_message(self, saved: GovernanceDecision) -> str:
        return _("Saved {what}").format(what=self.title_text)


__all__ = [
    "BackcastForm",
    "FieldError",
    "GovernanceCellForm",
    "MilestoneForm",
    "MilestonesForm",
    "StakeholderForm",
    "ThemeForm",
    "TieRequirementForm",
]
