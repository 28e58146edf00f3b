"""Choices a form offers: codes from the database, shown with their names as plain Text.

Names come from the data, so options are `rich.text.Text` (never parsed as markup).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from rich.text import Text
from textual.suggester import Suggester

from store.dataset import Dataset
from store.models import PlanStatus, Source


def labelled(code: str, name: str) -> Text:
    """'CODE  name' with the code in bold; the name exactly as typed."""
    text = Text(code, style="bold", no_wrap=True, overflow="ellipsis")
    text.append("  ")
    text.append(name)
    return text


def competency_options(ds: Dataset, include: str | None = None) -> list[tuple[Text, str]]:
    """Active competencies (plus `include`, even if retired), by code."""
    return [
        (labelled(c.code, c.name), c.code)
        for c in sorted(ds.competencies.values(), key=lambda c: c.code)
        if c.active or c.code == include
    ]


def department_options(ds: Dataset) -> list[tuple[Text, str]]:
    return [
        (labelled(d.code, d.name), d.code)
        for d in sorted(ds.departments.values(), key=lambda d: d.code)
    ]


def role_options(ds: Dataset) -> list[tuple[Text, str]]:
    return [
        (labelled(r.code, r.name), r.code) for r in sorted(ds.roles.values(), key=lambda r: r.code)
    ]


def course_options(ds: Dataset) -> list[tuple[Text, str]]:
    return [
        (labelled(c.code, c.name), c.code)
        for c in sorted(ds.courses.values(), key=lambda c: c.code)
    ]


def source_options() -> list[tuple[Text, str]]:
    return [(Text(s.value), s.value) for s in Source]


def status_options() -> list[tuple[Text, str]]:
    return [(Text(s.value.replace("_", " ")), s.value) for s in PlanStatus]


class KeySuggester(Suggester):
    """Completes a code (employee number, department...) from the first letters typed.

    Keys are sorted once; each suggestion is a binary search, so 50,000 keys cost nothing.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        pairs = sorted((key.casefold(), key) for key in keys)
        self._folded = [folded for folded, _ in pairs]
        self._keys = [key for _, key in pairs]

    async def get_suggestion(self, value: str) -> str | None:
        return self.suggest(value)

    def suggest(self, value: str) -> str | None:
        folded = value.casefold()
        if not folded:
            return None
        index = bisect.bisect_left(self._folded, folded)
        if index < len(self._folded) and self._folded[index].startswith(folded):
            return self._keys[index]
        return None
