"""The digitalisation strategy as the municipality keeps it: themes, their stakeholders and tied
requirements, milestones planned backwards from a theme's target date, and the governance matrix.

The app's strategy screens and forms call these, and so can a command. Every change is checked
against what is stored now: a record someone else changed since it was read is refused
(ConflictError), never overwritten. Refusals are `Problem`s (`store.problems`).

Ranks. A theme's rank is its priority, 1 first, and no two themes share one. Saving a theme at a
rank places it there and moves the themes from that rank on down by one; saving or removing
renumbers the themes 1..n in their order, so the app's ranks never have gaps (an import sets the
ranks its file gives, which must be unique: `themes_rank_problems`).

A governance decision (Weill & Ross) is one row per decision domain: the archetypes with input
rights, the one archetype with decision rights, and the people or bodies named. The matrix shows
it as cells domain x archetype; `set_governance_cell` edits one cell.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from i18n import _
from store.errors import ConflictError, ValidationProblem
from store.integrity import key_taken_problems, themes_rank_problems
from store.labels import LABELS
from store.models import (
    Archetype,
    DecisionDomain,
    Entity,
    GovernanceDecision,
    Milestone,
    Requirement,
    Stakeholder,
    Theme,
    ThemeStakeholder,
)
from store.problems import Problem, problem

if TYPE_CHECKING:
    from store import Repository, Transaction
    from store.dataset import Dataset

DOMAIN_LABELS: dict[DecisionDomain, str] = LABELS[DecisionDomain]  # type: ignore[assignment]
"""Weill & Ross's decision domains in English words, in the order the matrix shows them (shown
through `store.labels.domain_label`, which translates them)."""

ARCHETYPE_LABELS: dict[Archetype, str] = LABELS[Archetype]  # type: ignore[assignment]
"""The six archetypes in English words, in the matrix's column order (shown through
`store.labels.archetype_label`)."""

MAX_BACKCAST = 24
"""The most milestones one backcast proposes (a plan, not a calendar)."""


# ------------------------------------------------------------------ themes
def _renumbered(themes: Iterable[Theme], placed: Theme | None) -> list[Theme]:
    """Every theme with ranks 1..n: `placed` at its rank (ahead of a theme that had it), the
    others in their current order."""
    others = sorted(
        (t for t in themes if placed is None or t.code != placed.code),
        key=lambda t: (t.rank, t.code),
    )
    if placed is not None:
        others.insert(min(placed.rank, len(others) + 1) - 1, placed)
    return [t if t.rank == n else t.model_copy(update={"rank": n}) for n, t in enumerate(others, 1)]


def _put_ranked(tx: Transaction, placed: Theme | None) -> Theme | None:
    """Write the renumbered themes (only those whose record changes); `placed` as saved."""
    saved = None
    for theme in _renumbered(tx.ds.themes.values(), placed):
        stored = tx.get("themes", theme.code)
        if placed is not None and theme.code == placed.code:
            saved = tx.put(theme)
        elif stored != theme:
            tx.put(theme, expected=stored)
    return saved


def _unchanged(tx: Transaction, table: str, key: str, original: Entity | None) -> None:
    """Refuse (ConflictError) when the record is not as the caller read it (None: absent)."""
    if tx.get(table, key) != original:
        raise ConflictError(Problem("", "changed_since_read", {"table": table, "key": key}))


def save_theme(repo: Repository, theme: Theme, original: Theme | None = None) -> Theme:
    """Add a theme (no `original`) or save an edited one, at its rank (the others renumbered).

    A new theme's code must be free; an edit keeps the code (requirements and milestones
    refer to it). Refused with ValidationProblem or ConflictError; the saved theme.
    """
    with repo.transaction() as tx:
        if original is None:
            taken = key_taken_problems(tx.ds, "themes", theme.code)
            if taken:
                raise ValidationProblem("themes", theme.code, taken)
        elif original.code != theme.code:
            raise ValidationProblem("themes", original.code, [problem("code", "code_fixed")])
        else:
            _unchanged(tx, "themes", original.code, original)
        saved = _put_ranked(tx, theme)
    assert saved is not None
    return saved


def remove_theme(repo: Repository, theme: Theme) -> None:
    """Remove a theme nothing refers to (InUseError names its milestones and requirements);
    the themes after it move up a rank."""
    with repo.transaction() as tx:
        tx.delete("themes", theme.code, expected=theme)
        _put_ranked(tx, None)


def themes_rank_check(ds: Dataset, rows: list[tuple[int, Entity]]) -> list[tuple[int, Problem]]:
    """An import's rule for themes: (line, problem) for each file row whose rank another theme
    has once the import is done (the stored themes the file leaves alone count too)."""
    in_file = {record.key(): line for line, record in rows}
    kept = [t for t in ds.themes.values() if t.code not in in_file]
    themes = sorted(kept, key=lambda t: t.rank) + [record for _, record in rows]
    found = themes_rank_problems(themes)  # type: ignore[arg-type]
    return [(in_file[code], found[code]) for code in in_file if code in found]


# ------------------------------------------------------------------ stakeholders
def stakeholder_rows(ds: Dataset) -> list[ThemeStakeholder]:
    """Every theme's stakeholders as import rows (theme, name, role, interest, influence)."""
    return [
        ThemeStakeholder(theme=theme.code, **s.model_dump())
        for theme in ds.themes.values()
        for s in theme.stakeholders
    ]


def with_stakeholder_rows(ds: Dataset, rows: list[Entity]) -> list[Theme]:
    """The themes to write for imported stakeholder rows: a row replaces the theme's
    stakeholder of that name, or is added after the others."""
    changed: dict[str, list[Stakeholder]] = {}
    for row in rows:
        assert isinstance(row, ThemeStakeholder)
        people = changed.setdefault(row.theme, list(ds.themes[row.theme].stakeholders))
        new = Stakeholder(**row.model_dump(exclude={"theme"}))
        names = [s.name for s in people]
        if row.name in names:
            people[names.index(row.name)] = new
        else:
            people.append(new)
    return [
        ds.themes[code].model_copy(update={"stakeholders": people})
        for code, people in changed.items()
    ]


def save_stakeholder(
    repo: Repository, theme: Theme, stakeholder: Stakeholder, original: str | None = None
) -> Theme:
    """Add a stakeholder to `theme` (no `original`) or replace the one named `original`.

    Names are unique within a theme (the import matches on them). Refused when the theme was
    changed since it was read (ConflictError) or the name is taken (ValidationProblem).
    """
    names = [s.name for s in theme.stakeholders]
    taken = [n for n in names if n.casefold() == stakeholder.name.casefold() and n != original]
    if taken:
        found = problem("name", "stakeholder_exists", name=taken[0], theme=theme.code)
        raise ValidationProblem("themes", theme.code, [found])
    people = list(theme.stakeholders)
    if original is None:
        people.append(stakeholder)
    else:
        if original not in names:
            found = problem("name", "no_stakeholder", name=original, theme=theme.code)
            raise ValidationProblem("themes", theme.code, [found])
        people[names.index(original)] = stakeholder
    with repo.transaction() as tx:
        return tx.put(theme.model_copy(update={"stakeholders": people}), expected=theme)


def remove_stakeholder(repo: Repository, theme: Theme, name: str) -> Theme:
    people = [s for s in theme.stakeholders if s.name != name]
    if len(people) == len(theme.stakeholders):
        found = problem("name", "no_stakeholder", name=name, theme=theme.code)
        raise ValidationProblem("themes", theme.code, [found])
    with repo.transaction() as tx:
        return tx.put(theme.model_copy(update={"stakeholders": people}), expected=theme)


# ------------------------------------------------------------------ tied requirements
def tie_requirements(
    repo: Repository, theme: str | None, requirements: Iterable[Requirement]
) -> list[Requirement]:
    """Tie each requirement to `theme` (None: untie it), in one transaction. A requirement
    belongs to at most one theme (its `theme` field), so tying moves it from another theme.
    Each is checked against what is stored (ConflictError when it changed meanwhile)."""
    with repo.transaction() as tx:
        return [
            tx.put(r.model_copy(update={"theme": theme}), expected=r)
            for r in requirements
            if r.theme != theme
        ]


def tied_requirements(requirements: Iterable[Requirement], theme: str) -> list[Requirement]:
    return [r for r in requirements if r.theme == theme]


# ------------------------------------------------------------------ milestones
def _title_problems(milestones: Iterable[Milestone], new: Milestone) -> list[Problem]:
    """A milestone's title is unique within its theme (the import matches on theme + title)."""
    for other in milestones:
        same = other.theme == new.theme and other.title.casefold() == new.title.casefold()
        if same and other.id != new.id:
            return [problem("title", "milestone_exists", title=other.title, theme=new.theme)]
    return []


def save_milestones(
    repo: Repository,
    milestones: Sequence[Milestone],
    originals: Sequence[Milestone | None] | None = None,
) -> list[Milestone]:
    """Add (no id) or save edited milestones, all in one transaction or none; the saved ones,
    with their new ids. `originals[i]` is milestone i as it was read (None: a new one)."""
    originals = list(originals) if originals is not None else [None] * len(milestones)
    with repo.transaction() as tx:
        saved = []
        for milestone, original in zip(milestones, originals, strict=True):
            found = _title_problems(tx.ds.milestones.values(), milestone)
            if found:
                key = milestone.id or milestone.title
                raise ValidationProblem("milestones", key, found)
            saved.append(tx.put(milestone, expected=original))
        return saved


def save_milestone(
    repo: Repository, milestone: Milestone, original: Milestone | None = None
) -> Milestone:
    return save_milestones(repo, [milestone], [original])[0]


def remove_milestone(repo: Repository, milestone: Milestone) -> None:
    with repo.transaction() as tx:
        tx.delete("milestones", milestone.id, expected=milestone)


def _months_back(day: dt.date, months: int, month_end: bool) -> dt.date:
    """`day` moved back `months` calendar months; the day is kept where the month has it, else
    the month's last day (31 March -> 28 or 29 February); a month end stays a month end."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, last if month_end else min(day.day, last))


def _whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day and end.day != calendar.monthrange(end.year, end.month)[1])


def backcast_refusal(start: dt.date, target: dt.date | None, count: int) -> Problem | None:
    """Why no backcast can be proposed from `start` to `target` with `count` milestones."""
    if target is None:
        return problem("target_date", "backcast_no_target")
    if not 1 <= count <= MAX_BACKCAST:
        return problem("count", "backcast_count", count=count, most=MAX_BACKCAST)
    if target <= start:
        return problem("target_date", "backcast_target_passed", target=target, start=start)
    if count > (target - start).days:
        return problem("count", "backcast_too_many", count=count, days=(target - start).days)
    return None


def backcast_dates(start: dt.date, target: dt.date, count: int) -> list[dt.date]:
    """`count` due dates, evenly spaced from after `start` up to `target` (the last one is the
    target date itself), oldest first: planned backwards from the end state (docs/rules.md).

    When the span holds at least `count` whole months the steps are calendar months (the
    target's day of the month kept; a month-end target gives month ends), else days.
    Raises ValueError where `backcast_refusal` gives a reason.
    """
    refused = backcast_refusal(start, target, count)
    if refused is not None:
        raise ValueError(refused.code)
    months = _whole_months(start, target)
    month_end = target.day == calendar.monthrange(target.year, target.month)[1]
    if months >= count:
        back = [int(k * months / count + 0.5) for k in range(count)]  # halves round up
        return sorted(_months_back(target, m, month_end) for m in back)
    days = (target - start).days
    return sorted(target - dt.timedelta(days=int(k * days / count + 0.5)) for k in range(count))


def backcast_milestones(
    theme: Theme, start: dt.date, count: int, owner: str | None = None
) -> list[Milestone]:
    """The proposal a form shows (each editable before saving): `count` milestones of `theme`
    due on `backcast_dates`, titled 'Step i of n', owned by the theme's owner."""
    dates = backcast_dates(start, theme.target_date, count)  # type: ignore[arg-type]
    owner = theme.owner if owner is None else owner
    return [
        Milestone(
            theme=theme.code,
            title=_("Step {i} of {count}").format(i=i, count=count),
            due=due,
            owner=owner,
        )
        for i, due in enumerate(dates, 1)
    ]


# ------------------------------------------------------------------ governance
def governance_cell(decision: GovernanceDecision | None, archetype: Archetype) -> tuple[bool, bool]:
    """(input rights, decision rights) of one archetype in one domain's decision."""
    if decision is None:
        return False, False
    return archetype in decision.input_rights, decision.decision_rights == archetype


def cell_refusal(
    decision: GovernanceDecision | None, archetype: Archetype, decides: bool
) -> Problem | None:
    """A domain has exactly one archetype with decision rights: it can be given to another
    archetype, not taken away (and a domain not yet decided needs one first)."""
    if decides:
        return None
    if decision is None:
        return problem("decision", "no_decider_yet")
    if decision.decision_rights == archetype:
        return problem("decision", "decider_needed", archetype=Archetype(archetype))
    return None


def with_cell(
    decision: GovernanceDecision | None,
    domain: DecisionDomain,
    archetype: Archetype,
    has_input: bool,
    decides: bool,
    people: list[str] | None = None,
) -> GovernanceDecision:
    """The domain's decision with one cell set (and, when given, its people or bodies)."""
    refused = cell_refusal(decision, archetype, decides)
    if refused is not None:
        raise ValidationProblem("governance", str(domain), [refused])
    inputs = [] if decision is None else list(decision.input_rights)
    if has_input and archetype not in inputs:
        inputs.append(archetype)
    if not has_input and archetype in inputs:
        inputs.remove(archetype)
    order = list(Archetype)
    inputs.sort(key=order.index)
    deciding = archetype if decides else decision.decision_rights  # type: ignore[union-attr]
    named = people if people is not None else ([] if decision is None else list(decision.people))
    return GovernanceDecision(
        domain=domain, input_rights=inputs, decision_rights=deciding, people=named
    )


def set_governance_cell(
    repo: Repository,
    domain: DecisionDomain,
    archetype: Archetype,
    has_input: bool,
    decides: bool,
    people: list[str] | None = None,
    original: GovernanceDecision | None = None,
) -> GovernanceDecision:
    """Set one cell of the matrix (input rights, decision rights) and the domain's people;
    `original` is the domain's decision as it was read (None: none was recorded)."""
    new = with_cell(original, domain, archetype, has_input, decides, people)
    with repo.transaction() as tx:
        _unchanged(tx, "governance", str(domain), original)
        return tx.put(new)


def save_governance(
    repo: Repository, decision: GovernanceDecision, original: GovernanceDecision | None = None
) -> GovernanceDecision:
    """Save a whole domain's decision (new, or over `original` as read)."""
    with repo.transaction() as tx:
        _unchanged(tx, "governance", str(decision.domain), original)
        return tx.put(decision)
