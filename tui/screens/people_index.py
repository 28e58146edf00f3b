"""Finding people fast: one folded search string per person, made at the first search and
kept with the entries, filtered in memory.

Pure functions (no Textual), so the People screen can run them in a worker thread and tests can
pin them directly. At 50,000 staff a filter is one pass of substring tests, and the screen shows
only one page of the matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from i18n import _
from store.dataset import Dataset
from store.lookup import fold, fold_lines
from store.models import Staff


@dataclass(slots=True, eq=False)
class PersonEntry:
    """One person as the list shows and searches them."""

    staff: Staff
    department_name: str
    role_name: str
    text: str
    """What a search looks in (number, name, department, role, e-mail...), as written."""
    haystack: str | None = None
    """`text` folded as searches compare it (`store.lookup.fold`): made by the first search
    that needs it (`fold_entries`), not when the screen opens -- 0.2 s at 50,000 staff."""


@dataclass(frozen=True)
class PeopleFilter:
    """What the person at the screen asked for: text plus the three toggles."""

    text: str = ""
    agents_only: bool = False
    gaps_only: bool = False
    include_inactive: bool = False

    def terms(self) -> list[str]:
        return fold(self.text).split()

    def describe(self) -> list[str]:
        """The toggles that are on, in words (for the count line)."""
        return [
            label
            for on, label in (
                (self.agents_only, _("digital agents only")),
                (self.gaps_only, _("with gaps only")),
                (self.include_inactive, _("inactive included")),
            )
            if on
        ]


def build_entries(ds: Dataset) -> list[PersonEntry]:
    """Every staff member with the text a search looks in, sorted by name then number."""
    departments = {code: d.name for code, d in ds.departments.items()}
    roles = {code: r.name for code, r in ds.roles.items()}
    people = list(ds.staff.values())
    # The words for agents and inactive people, in English and the current language: a search
    # finds them in either ("agent", "inaktiv").
    agent_words = " ".join(dict.fromkeys(["digital agent", _("digital agent")]))
    inactive_words = " ".join(dict.fromkeys(["inactive", _("inactive")]))
    texts = []
    for person in people:
        words = [person.employee_no, person.name, person.department]
        words += [departments.get(person.department, ""), person.role or ""]
        words += [roles.get(person.role, "") if person.role else "", person.email or ""]
        if person.digital_agent:
            words.append(agent_words)
        if not person.active:
            words.append(inactive_words)
        texts.append(" ".join(words))
    entries = [
        PersonEntry(
            person,
            departments.get(person.department, ""),
            roles.get(person.role, "") if person.role else "",
            text,
        )
        for person, text in zip(people, texts, strict=True)
    ]
    entries.sort(key=lambda e: (e.staff.name.casefold(), e.staff.employee_no))
    return entries


def gap_counts(gap_employee_nos: Iterable[str]) -> Counter[str]:
    """Employee number -> how many required competencies the person falls short in."""
    return Counter(gap_employee_nos)


def matching(
    entries: Sequence[PersonEntry], wanted: PeopleFilter, gaps: Counter[str]
) -> list[PersonEntry]:
    """The entries that contain every typed word and pass the toggles, in list order."""
    terms = wanted.terms()
    if terms:
        fold_entries(entries)
    result = []
    for entry in entries:
        person = entry.staff
        if not wanted.include_inactive and not person.active:
            continue
        if wanted.agents_only and not person.digital_agent:
            continue
        if wanted.gaps_only and not gaps.get(person.employee_no):
            continue
        haystack = entry.haystack
        if all(term in haystack for term in terms):
            result.append(entry)
    return result


def fold_entries(entries: Sequence[PersonEntry]) -> None:
    """Give each entry still without one its folded search string, all in one `fold_lines`
    call, as the pickers search. Kept on the entries, which live as long as the data they
    were built from; two threads doing it at once write the same strings."""
    unfolded = [entry for entry in entries if entry.haystack is None]
    if not unfolded:
        return
    for entry, haystack in zip(unfolded, fold_lines(e.text for e in unfolded), strict=True):
        entry.haystack = haystack


def narrows(old: PeopleFilter, new: PeopleFilter) -> bool:
    """True when `new` can only match a subset of what `old` matched (the person typed on).

    Then the next filter needs to look only at the previous matches, which makes typing a name
    letter by letter cheap at 50,000 staff.
    """
    same_toggles = (old.agents_only, old.gaps_only, old.include_inactive) == (
        new.agents_only,
        new.gaps_only,
        new.include_inactive,
    )
    return same_toggles and fold(new.text).startswith(fold(old.text))


def page_bounds(total: int, page: int, page_size: int) -> tuple[int, int, int]:
    """(page clamped to what exists, first index, end index) of one page of `total` matches."""
    last_page = max(0, (total - 1) // page_size)
    page = min(max(0, page), last_page)
    start = page * page_size
    return page, start, min(total, start + page_size)
