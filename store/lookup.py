"""Finding a record by what a person types: its code or its name, fuzzy and accent-insensitive.

    lookup = Lookup.build(ds, "roles")
    lookup.resolve("Sagsbehandler")   # -> "SAG" (or raises ReferenceProblem naming why not)
    lookup.search("hojgaard")         # -> up to 50 Choices, best first ("Højgaard" among them)

Forms (the pickers) and the CSV import resolve references through the same `Lookup`, so a name
accepted in one place is accepted in the other. The index is built once per table (folded text
joined into one string) and searched with C-speed string and regex scans, so 50,000 staff stay
quick: a search stops once it has `limit` matches.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from i18n import _
from store.dataset import Dataset
from store.errors import StoreError
from store.problems import Problem, render

SEARCH_LIMIT = 50
"""Matches a picker shows at most: more says 'type more to narrow it'."""

REFERENCE_TABLES: dict[str, str] = {
    "department": "departments",
    "role": "roles",
    "staff": "staff",
    "employee": "staff",
    "competency": "competencies",
    "course": "courses",
    "theme": "themes",
    "robot": "robots",
}
"""What a reference is called (in a message) -> the table it points into."""

WHAT: dict[str, str] = {
    "departments": "department",
    "roles": "role",
    "staff": "employee",
    "competencies": "competency",
    "courses": "course",
    "themes": "theme",
    "robots": "robot",
}
"""Table -> what one of its records is called in a message ('unknown employee 'E9'')."""

_LETTERS = {"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ß": "ss", "ł": "l"}
"""Letters Unicode does not split into a base letter and an accent."""
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""The accents NFKD splits off (the combining marks of Latin, Greek and Cyrillic text)."""


def fold(text: str) -> str:
    """Text as it is compared: lower case, no accents, and 'aa' as 'a', since Danish writes 'å'
    as 'aa' too: 'Højgård', 'Højgaard' and 'hojgaard' all fold to 'hojgard'."""
    text = text.casefold()
    for letter, plain in _LETTERS.items():  # str.replace: 50,000 names at C speed
        text = text.replace(letter, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    return _COMBINING.sub("", decomposed).replace("aa", "a")


def fold_lines(texts: Iterable[str]) -> list[str]:
    """`fold` of each text, folded as one string: 50,000 names in one call, not 50,000 calls."""
    joined = "\n".join(text.replace("\n", " ") for text in texts)
    return fold(joined).split("\n") if joined else []


class ReferenceProblem(StoreError):
    """Typed text that names no record, or more than one; `problem` says which and why."""

    def __init__(self, code: str, **params: object) -> None:
        self.problem = Problem("", code, params)
        super().__init__(render(self.problem))


class UnknownReference(ReferenceProblem):
    """Nothing has that code or name."""


class AmbiguousReference(ReferenceProblem):
    """Several records have that name (the message lists them): the code says which."""


@dataclass(frozen=True)
class Choice:
    """One record as a picker lists it: its key (code), its name and a word of context."""

    key: str
    name: str
    detail: str = ""

    def label(self) -> str:
        return f"{self.key}  {self.name}" + (f"  ({self.detail})" if self.detail else "")


def _describe(ds: Dataset, table: str) -> Callable[[Any], tuple[str, str]]:
    """(name, detail) of a record of `table`: the detail tells apart records with one name."""

    def department_name(code: str | None) -> str:
        department = ds.departments.get(code) if code else None
        return department.name if department else ""

    if table == "staff":
        return lambda s: (
            s.name,
            department_name(s.department)
            if s.active
            else _("{department}, inactive").format(department=department_name(s.department)),
        )
    if table == "departments":
        return lambda d: (
            d.name,
            _("in {department}").format(department=department_name(d.parent_code))
            if d.parent_code
            else "",
        )
    if table == "competencies":
        return lambda c: (
            c.name,
            c.framework if c.active else _("{framework}, retired").format(framework=c.framework),
        )
    if table == "themes":
        return lambda t: (t.title, _("theme {rank}").format(rank=t.rank))
    if table == "robots":
        return lambda r: (r.name, department_name(r.department))
    return lambda r: (r.name, "")


class Lookup:
    """Every record of one table, indexed for search and for resolving typed text."""

    def __init__(self, table: str, choices: Iterable[Choice]) -> None:
        self.table = table
        self.what = WHAT.get(table, table)
        self.choices = list(choices)
        self.by_key = {c.key: c for c in self.choices}
        self._position = {c.key: i for i, c in enumerate(self.choices)}
        keys = fold_lines(c.key for c in self.choices)
        names = fold_lines(c.name for c in self.choices)
        self._codes: dict[str, list[str]] = {}
        self._names: dict[str, list[str]] = {}
        for choice, key, name in zip(self.choices, keys, names, strict=True):
            self._codes.setdefault(key, []).append(choice.key)
            self._names.setdefault(name, []).append(choice.key)
        lines = [f"{key} {name}" for key, name in zip(keys, names, strict=True)]
        self._text = "\n".join(lines)
        self._starts = [0]
        for line in lines[:-1]:
            self._starts.append(self._starts[-1] + len(line) + 1)

    @classmethod
    def build(cls, ds: Dataset, table: str) -> Lookup:
        describe = _describe(ds, table)
        records = ds.table(table)
        choices = (Choice(key, *describe(record)) for key, record in records.items())
        return cls(table, sorted(choices, key=lambda c: c.key))

    def __len__(self) -> int:
        return len(self.choices)

    # ------------------------------------------------------------------ resolving
    def resolve(self, text: str) -> str:
        """The key `text` names: a code (any case) or a whole name (any case, accents or not).

        A code wins over a name. Raises ReferenceProblem when nothing or several match.
        """
        text = text.strip()
        if text in self.by_key:
            return text
        folded = fold(text)
        for found in (self._codes.get(folded, []), self._names.get(folded, [])):
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                shown = "; ".join(self.by_key[k].label() for k in found[:5])
                more = {"more": len(found) - 5} if len(found) > 5 else {}
                code = "ambiguous_name_and_more" if more else "ambiguous_name"
                raise AmbiguousReference(
                    code, text=text, count=len(found), what=self.what, shown=shown, **more
                )
        closest = ", ".join(f"{c.key} {c.name}" for c in self.search(text, limit=3))
        if closest:
            raise UnknownReference(
                "unknown_name_closest", what=self.what, text=text, closest=closest
            )
        raise UnknownReference("unknown_name", what=self.what, text=text)

    # ------------------------------------------------------------------ searching
    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[Choice]:
        """Up to `limit` records matching `query`, best first.

        Each word typed must match, in any order. Best: the exact code or name, then records
        where each word starts a word (or the code), then those containing each word; only
        when none do, those with the letters in order and others between (fuzzy: 'sgsbh'
        finds 'Sagsbehandler'). An empty query lists the first records.
        """
        terms = fold(query).split()
        if not terms:
            return self.choices[:limit]
        folded = " ".join(terms)
        found: dict[int, None] = {}  # indexes in order of finding (a dict keeps it and dedups)
        for key in self._codes.get(folded, []) + self._names.get(folded, []):
            found[self._position[key]] = None
        starts = [re.compile(rf"(?<![^\s\-./(]){re.escape(term)}") for term in terms]
        self._scan(terms, lambda line: all(p.search(line) for p in starts), found, limit)
        self._scan(terms, lambda line: all(term in line for term in terms), found, limit)
        if not found:
            letters = re.compile("[^\n]*?".join(re.escape(ch) for ch in "".join(terms)))
            for match in letters.finditer(self._text):
                if len(found) >= limit:
                    break
                found.setdefault(self._line_at(match.start()), None)
        return [self.choices[i] for i in list(found)[:limit]]

    def _scan(
        self, terms: list[str], fits: Callable[[str], bool], found: dict[int, None], limit: int
    ) -> None:
        """Add the records that fit (in order) until there are `limit`.

        Only lines holding the rarest term are looked at; `str.find` finds them at C speed.
        """
        text = self._text
        rarest = min(terms, key=text.count) if len(terms) > 1 else terms[0]
        position = text.find(rarest)
        while position >= 0 and len(found) < limit:
            index = self._line_at(position)
            start = self._starts[index]
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if index not in found and fits(text[start:end]):
                found[index] = None
            position = text.find(rarest, end)

    def _line_at(self, position: int) -> int:
        return bisect.bisect_right(self._starts, position) - 1


def lookup(ds: Dataset, reference: str) -> Lookup:
    """A fresh Lookup for a reference kind ('role') or table ('roles')."""
    return Lookup.build(ds, REFERENCE_TABLES.get(reference, reference))
