"""Finding people: the search string, the filter and the paging, without the screen."""

from __future__ import annotations

from collections import Counter

from tests.tui.people_fixtures import LONG_NAME, MARKUP_NAME, small_repo  # noqa: F401
from tui.screens.people_index import (
    PeopleFilter,
    build_entries,
    matching,
    narrows,
    page_bounds,
)


def numbers(entries) -> list[str]:
    return [e.staff.employee_no for e in entries]


def test_search_covers_number_name_department_role_and_agent(small_repo) -> None:  # noqa: F811
    entries = build_entries(small_repo.ds)
    find = lambda text: numbers(matching(entries, PeopleFilter(text), Counter()))  # noqa: E731
    assert find("ærø") == ["E001"]  # case-insensitive, æøå as typed
    assert find("e003") == ["E003"]
    assert find("borgerservice") == ["E002", "E001"]  # department name; list is by name
    assert find("d20") == ["E003"]  # department code (E004 is inactive)
    assert find("educator") == ["E003"]
    assert find("digital agent") == ["E001"]
    assert find("[bold]bo") == ["E002"]  # brackets are just characters
    assert find("caseworker anna") == ["E001"]  # every word must match
    assert find("nobody") == []
    assert find("aero") == find("AERØ") == ["E001"]  # accents need not be typed
    assert find("ostergard") == ["E002"]  # 'Østergård', as the pickers find it


def test_toggles(small_repo) -> None:  # noqa: F811
    entries = build_entries(small_repo.ds)
    gaps = Counter({"E002": 2})
    assert numbers(matching(entries, PeopleFilter(), gaps)) == ["E002", "E001", "E003"]
    assert "E004" in numbers(matching(entries, PeopleFilter(include_inactive=True), gaps))
    assert numbers(matching(entries, PeopleFilter(agents_only=True), gaps)) == ["E001"]
    assert numbers(matching(entries, PeopleFilter(gaps_only=True), gaps)) == ["E002"]
    assert PeopleFilter(agents_only=True, gaps_only=True).describe() == [
        "digital agents only",
        "with gaps only",
    ]


def test_names_are_kept_exactly(small_repo) -> None:  # noqa: F811
    names = {e.staff.name for e in build_entries(small_repo.ds)}
    assert {MARKUP_NAME, LONG_NAME} <= names


def test_page_bounds_clamp_to_what_exists() -> None:
    assert page_bounds(250, 0, 100) == (0, 0, 100)
    assert page_bounds(250, 2, 100) == (2, 200, 250)
    assert page_bounds(250, 7, 100) == (2, 200, 250)
    assert page_bounds(250, -1, 100) == (0, 0, 100)
    assert page_bounds(0, 3, 100) == (0, 0, 0)


def test_typing_on_narrows_and_anything_else_does_not() -> None:
    assert narrows(PeopleFilter("jen"), PeopleFilter("Jens"))
    assert narrows(PeopleFilter("anne"), PeopleFilter("anne sag"))
    assert narrows(PeopleFilter(""), PeopleFilter("a"))
    assert not narrows(PeopleFilter("jens"), PeopleFilter("jen"))  # deleting widens
    assert not narrows(PeopleFilter("jen"), PeopleFilter("ajen"))
    assert not narrows(PeopleFilter("jen"), PeopleFilter("jens", agents_only=True))


def test_filtering_the_previous_matches_gives_the_same_result(small_repo) -> None:  # noqa: F811
    entries = build_entries(small_repo.ds)
    gaps = Counter({"E002": 2})
    first = matching(entries, PeopleFilter("borger"), gaps)
    again = matching(first, PeopleFilter("borgerservice an"), gaps)
    assert again == matching(entries, PeopleFilter("borgerservice an"), gaps)


def test_the_search_strings_are_folded_at_the_first_search_and_kept(
    small_repo,  # noqa: F811
    monkeypatch,
) -> None:
    """Opening the People screen folds nobody's search text (0.2 s at 50,000 staff); the first
    search folds everyone's once, and later searches of the same entries reuse it."""
    from tui.screens import people_index

    folded: list[int] = []
    real = people_index.fold_lines
    monkeypatch.setattr(
        people_index, "fold_lines", lambda texts: folded.append(1) or real(list(texts))
    )
    entries = build_entries(small_repo.ds)
    assert len(numbers(matching(entries, PeopleFilter(), Counter()))) == 3
    assert folded == []
    assert numbers(matching(entries, PeopleFilter("aero"), Counter())) == ["E001"]
    assert numbers(matching(entries, PeopleFilter("OSTERGÅRD"), Counter())) == ["E002"]
    assert folded == [1]
