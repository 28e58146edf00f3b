"""The strategy's operations (store.strategy) as the app and a command call them: themes and
their ranks, stakeholders, tied requirements, milestones planned backwards, the governance
matrix. Each runs on both backends (the folder, and PostgreSQL when a test server is there)."""

from __future__ import annotations

import datetime as dt

import pytest

from store import ConflictError, InUseError, ValidationProblem
from store.models import (
    Archetype,
    DecisionDomain,
    Department,
    GovernanceDecision,
    Milestone,
    MilestoneStatus,
    Requirement,
    Stakeholder,
    Theme,
)
from store.problems import render
from store.strategy import (
    backcast_dates,
    backcast_milestones,
    backcast_refusal,
    remove_milestone,
    remove_stakeholder,
    remove_theme,
    save_governance,
    save_milestone,
    save_milestones,
    save_stakeholder,
    save_theme,
    set_governance_cell,
    themes_rank_problems,
    tie_requirements,
)

D = dt.date


@pytest.fixture
def repo(open_repo):
    """A database on each backend with one department and three themes ranked 1..3."""
    repo = open_repo()
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
    for code in ("T1", "T2", "T3"):
        save_theme(repo, Theme(code=code, rank=99, title=f"Theme {code}", owner="Direktionen"))
    return repo


def ranks(repo) -> list[tuple[str, int]]:
    return sorted(((t.code, t.rank) for t in repo.ds.themes.values()), key=lambda p: p[1])


def problems_of(error: ValidationProblem) -> list[tuple[str, str]]:
    return [(p.field, render(p)) for p in error.problems]


def test_a_new_theme_goes_last_unless_placed_and_the_others_move_down(repo) -> None:
    assert ranks(repo) == [("T1", 1), ("T2", 2), ("T3", 3)]
    save_theme(repo, Theme(code="T0", rank=1, title="Urgent", target_date=D(2027, 12, 31)))
    assert ranks(repo) == [("T0", 1), ("T1", 2), ("T2", 3), ("T3", 4)]
    t3 = repo.ds.themes["T3"]
    save_theme(repo, t3.model_copy(update={"rank": 2, "title": "Now second"}), t3)
    assert ranks(repo) == [("T0", 1), ("T3", 2), ("T1", 3), ("T2", 4)]
    assert repo.ds.themes["T3"].title == "Now second"


def test_removing_a_theme_closes_the_gap_and_one_in_use_is_refused(repo) -> None:
    remove_theme(repo, repo.ds.themes["T2"])
    assert ranks(repo) == [("T1", 1), ("T3", 2)]
    save_milestone(repo, Milestone(theme="T1", title="Pilot", due=D(2027, 3, 1)))
    with pytest.raises(InUseError, match="1 milestone"):
        remove_theme(repo, repo.ds.themes["T1"])
    assert ranks(repo) == [("T1", 1), ("T3", 2)]


def test_a_taken_code_a_changed_code_and_a_stale_theme_are_refused(repo) -> None:
    with pytest.raises(ValidationProblem) as taken:
        save_theme(repo, Theme(code="T1", rank=1, title="Again"))
    assert problems_of(taken.value) == [("code", "T1 is already used by Theme T1")]
    t1 = repo.ds.themes["T1"]
    with pytest.raises(ValidationProblem) as moved:
        save_theme(repo, t1.model_copy(update={"code": "T9"}), t1)
    assert moved.value.problems[0].code == "code_fixed"
    save_theme(repo, t1.model_copy(update={"title": "Changed"}), t1)
    with pytest.raises(ConflictError):
        save_theme(repo, t1.model_copy(update={"owner": "Someone"}), t1)  # as read before
    assert repo.ds.themes["T1"].title == "Changed" and repo.ds.themes["T1"].owner == "Direktionen"


def test_an_import_file_may_not_give_two_themes_one_rank() -> None:
    themes = [Theme(code="A", rank=1, title="A"), Theme(code="B", rank=1, title="B")]
    found = themes_rank_problems(themes)
    assert list(found) == ["B"]
    assert render(found["B"]) == "rank 1 is also the rank of A (A): ranks are unique"


def test_stakeholders_are_added_edited_and_removed_by_name(repo) -> None:
    theme = save_stakeholder(
        repo, repo.ds.themes["T1"], Stakeholder(name="MED-udvalget", role="høres", interest="high")
    )
    theme = save_stakeholder(repo, theme, Stakeholder(name="Borgerne", influence="low"))
    with pytest.raises(ValidationProblem) as twice:
        save_stakeholder(repo, theme, Stakeholder(name="borgerne"))
    assert problems_of(twice.value) == [("name", "T1 already has a stakeholder named 'Borgerne'")]
    theme = save_stakeholder(
        repo, theme, Stakeholder(name="MED", role="høres", interest="high"), "MED-udvalget"
    )
    before = theme
    remove_stakeholder(repo, theme, "Borgerne")
    stored = repo.ds.themes["T1"].stakeholders
    assert [(s.name, s.role, s.interest) for s in stored] == [("MED", "høres", "high")]
    with pytest.raises(ConflictError):  # the theme as it was read before the last change
        remove_stakeholder(repo, before, "MED")


def test_requirements_are_tied_to_a_theme_moved_and_untied(repo) -> None:
    with repo.transaction() as tx:
        first = tx.put(Requirement(competency="DC1.1", level=3, department="D1"))
        second = tx.put(Requirement(competency="DC1.2", level=2, department="D1", theme="T2"))
    tie_requirements(repo, "T1", [first, second])
    assert {r.theme for r in repo.ds.requirements.values()} == {"T1"}
    with pytest.raises(ValidationProblem, match="unknown theme 'T9'"):
        tie_requirements(repo, "T9", list(repo.ds.requirements.values()))
    tie_requirements(repo, None, [repo.ds.requirements[first.key()]])
    assert repo.ds.requirements[first.key()].theme is None
    assert repo.ds.requirements[second.key()].theme == "T1"
    with pytest.raises(ConflictError):  # `second` as read before it was tied to T1
        tie_requirements(repo, "T3", [second])


def test_backcast_milestones_are_saved_together_or_not_at_all(repo) -> None:
    theme = repo.ds.themes["T1"].model_copy(update={"target_date": D(2027, 12, 31)})
    theme = save_theme(repo, theme, repo.ds.themes["T1"])
    proposal = backcast_milestones(theme, D(2026, 11, 1), 4)
    assert [(m.title, m.due, m.owner) for m in proposal] == [
        ("Step 1 of 4", D(2027, 2, 28), "Direktionen"),
        ("Step 2 of 4", D(2027, 5, 31), "Direktionen"),
        ("Step 3 of 4", D(2027, 9, 30), "Direktionen"),
        ("Step 4 of 4", D(2027, 12, 31), "Direktionen"),
    ]
    edited = [*proposal[:3], proposal[3].model_copy(update={"title": "End state reached"})]
    saved = save_milestones(repo, edited)
    assert len({m.id for m in saved}) == 4 and all(m.id.startswith("MS-") for m in saved)
    clash = [Milestone(theme="T1", title="Extra", due=D(2027, 1, 1)), proposal[0]]
    with pytest.raises(ValidationProblem) as twice:
        save_milestones(repo, clash)
    assert problems_of(twice.value) == [
        ("title", "T1 already has a milestone titled 'Step 1 of 4'")
    ]
    assert len(repo.ds.milestones) == 4  # the first of the refused pair was not written either
    done = save_milestone(
        repo, saved[0].model_copy(update={"status": MilestoneStatus.DONE}), saved[0]
    )
    with pytest.raises(ConflictError):
        remove_milestone(repo, saved[0])
    remove_milestone(repo, done)
    assert sorted(m.title for m in repo.ds.milestones.values()) == [
        "End state reached",
        "Step 2 of 4",
        "Step 3 of 4",
    ]


@pytest.mark.parametrize(
    ("start", "target", "count", "expected"),
    [
        # month-end target: month ends, a quarter apart where the span allows
        (D(2026, 12, 31), D(2027, 12, 31), 4, [D(2027, 3, 31), D(2027, 6, 30), D(2027, 9, 30), D(2027, 12, 31)]),
        # the 29th of February in a leap year is a month end: each step is a month end
        (D(2027, 11, 15), D(2028, 2, 29), 3, [D(2027, 12, 31), D(2028, 1, 31), D(2028, 2, 29)]),
        # the 30th kept where the month has it, else the month's last day (29 February 2028)
        (D(2027, 12, 1), D(2028, 3, 30), 2, [D(2028, 1, 30), D(2028, 3, 30)]),
        (D(2027, 12, 20), D(2028, 3, 30), 3, [D(2028, 1, 30), D(2028, 2, 29), D(2028, 3, 30)]),
        # fewer whole months than milestones: evenly spaced days
        (D(2026, 11, 1), D(2026, 11, 30), 3, [D(2026, 11, 11), D(2026, 11, 20), D(2026, 11, 30)]),
        (D(2026, 11, 1), D(2026, 11, 2), 1, [D(2026, 11, 2)]),
    ],
)  # fmt: skip
def test_backcast_dates_are_evenly_spaced_back_from_the_target(start, target, count, expected):
    assert backcast_dates(start, target, count) == expected


def test_a_backcast_that_cannot_be_planned_says_why() -> None:
    day = D(2026, 11, 1)
    said = {
        "none": backcast_refusal(day, None, 3),
        "zero": backcast_refusal(day, D(2027, 1, 1), 0),
        "passed": backcast_refusal(day, day, 2),
        "crowded": backcast_refusal(day, D(2026, 11, 3), 3),
    }
    assert {k: render(p) for k, p in said.items()} == {
        "none": "the theme has no target date to plan back from",
        "zero": "0 milestones: choose 1 to 24",
        "passed": "the target date 2026-11-01 is not after 2026-11-01: nothing to plan back from",
        "crowded": "3 milestones do not fit in the 2 days before the target",
    }
    with pytest.raises(ValueError):
        backcast_dates(day, day, 1)


def test_a_governance_cell_is_set_and_the_decision_moves_but_never_disappears(repo) -> None:
    domain = DecisionDomain.IT_INVESTMENT
    with pytest.raises(ValidationProblem) as first:
        set_governance_cell(repo, domain, Archetype.FEUDAL, True, False)
    assert first.value.problems[0].code == "no_decider_yet"
    decided = set_governance_cell(
        repo, domain, Archetype.BUSINESS_MONARCHY, False, True, ["Direktionen"]
    )
    decided = set_governance_cell(repo, domain, Archetype.FEDERAL, True, False, None, decided)
    decided = set_governance_cell(repo, domain, Archetype.FEUDAL, True, False, None, decided)
    assert repo.ds.governance[str(domain)] == GovernanceDecision(
        domain=domain,
        input_rights=[Archetype.FEUDAL, Archetype.FEDERAL],
        decision_rights=Archetype.BUSINESS_MONARCHY,
        people=["Direktionen"],
    )
    with pytest.raises(ValidationProblem) as taken_away:
        set_governance_cell(repo, domain, Archetype.BUSINESS_MONARCHY, True, False, None, decided)
    assert problems_of(taken_away.value) == [
        (
            "decision",
            "Business monarchy holds the decision rights: give them to another archetype "
            "instead (each domain has one)",
        )
    ]
    moved = set_governance_cell(
        repo, domain, Archetype.IT_DUOPOLY, False, True, ["Direktionen", "IT-chefen"], decided
    )
    assert moved.decision_rights == Archetype.IT_DUOPOLY and moved.people[-1] == "IT-chefen"
    with pytest.raises(ConflictError):
        set_governance_cell(repo, domain, Archetype.ANARCHY, True, False, None, decided)
    with pytest.raises(ConflictError):  # recorded meanwhile by someone else
        save_governance(repo, moved.model_copy(update={"people": []}), None)
    assert repo.ds.governance[str(domain)] == moved
