"""What every report is made of: a scope, an as-of date, summary lines and tables.

A report keeps its figures unrounded (that is what `to_dict` / JSON give); `tables()` lays them
out for the text, Markdown and CSV renderers, which only format what they are given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from i18n import N_, _
from reports.analysis import Analysis, analyse
from reports.words import Phrase, phrase, term
from store.dataset import Dataset

SPLICE = b"\x00"
"""Where a report's JSON pieces go in the JSON of the rest (`Report.json_pieces`): orjson
writes no NUL byte of its own (a NUL in a text is written as \\u0000)."""


class ReportInputError(ValueError):
    """A report asked for something that is not there (unknown department, employee...)."""


@dataclass(frozen=True)
class Scope:
    """The department subtree a report covers; None stands for the whole organisation."""

    code: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


def scope_dict(scope: Scope | None) -> dict[str, str] | None:
    return None if scope is None else scope.to_dict()


def scope_label(scope: Scope | None) -> str:
    """What a report covers, in words (a `Phrase` for the whole organisation)."""
    return term(N_("whole organisation")) if scope is None else f"{scope.name} ({scope.code})"


@dataclass
class Table:
    """Rows of plain values (str, int, float, bool, date, None, `Phrase`); renderers format them.
    Texts for a person (the title, headers, note, words in cells) are `Phrase`s, shown in the
    current language by text and Markdown and in English by CSV and workbooks; a plain `str` is
    user data, shown as it is.

        `group_by`: index of a column that text and Markdown split into one sub-table per value
        (shown as a heading instead of a column); CSV and JSON keep it as a column. Every renderer
        shows every text whole (text wraps it within its width).
    """

    title: Phrase | str
    headers: list[Phrase | str]
    rows: list[list[Any]]
    group_by: int | None = None
    note: Phrase | str = ""
    percent: tuple[int, ...] | None = None
    """Columns holding percentages (0-100), which a spreadsheet shows as such; None: the
    columns whose header has a '%'."""
    heat: bool = False
    """A heatmap: a spreadsheet colours its percentages from red (0 %) through yellow to green
    (100 %), and every cell keeps its number ('-' where there is none), so colour is never
    the only signal."""

    def percent_columns(self) -> frozenset[int]:
        if self.percent is not None:
            return frozenset(self.percent)
        return frozenset(i for i, header in enumerate(self.headers) if "%" in header)


@dataclass
class Report:
    """Base of every report: title line, summary lines, tables, JSON structure.

    `summary`: (label, value) lines, each a `Phrase` or user text (see `Table`)."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    """The report's name in English ("Gaps"), as workbooks title it."""
    report_name: ClassVar[str] = ""
    """The report's name in a title, marked with `N_` ("Gaps report")."""

    as_of: dt.date
    scope: Scope | None
    summary: list[tuple[Phrase | str, Phrase | str]] = field(default_factory=list, kw_only=True)

    def title(self) -> Phrase:
        return report_title(self.report_name, scope_label(self.scope), self.as_of)

    def tables(self) -> list[Table]:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def json_pieces(self) -> tuple[dict[str, Any], list[bytes]]:
        """What the JSON renderer writes: `to_dict`, where a report may give one long list as
        pieces of JSON already (to spare making a dict per row), in the place the data holds
        `orjson.Fragment(SPLICE)`; no pieces: nothing to put in."""
        return self.to_dict(), []

    def head(self) -> dict[str, Any]:
        """The keys every report's JSON starts with."""
        return {
            "report": self.kind,
            "as_of": self.as_of.isoformat(),
            "scope": scope_dict(self.scope),
        }


def report_title(name: str, scope: Phrase | str, as_of: dt.date) -> Phrase:
    """'Gaps report | whole organisation | as of 2026-11-27' (`name` marked with `N_`)."""
    return phrase(
        N_("{report} | {scope} | as of {date}"), report=term(name), scope=scope, date=as_of
    )


def ensure_analysis(source: Analysis | Dataset, as_of: dt.date | None) -> Analysis:
    """Reuse an Analysis, or make one from a Dataset and a date (a report's first argument)."""
    if isinstance(source, Analysis):
        if as_of is not None and as_of != source.as_of:
            return analyse(source.ds, as_of, source.structure)
        return source
    if as_of is None:
        raise ReportInputError(_("an as-of date is needed to analyse a dataset"))
    return analyse(source, as_of)


def resolve_scope(analysis: Analysis, department: str | None) -> Scope | None:
    """The Scope for a department code; ReportInputError naming it when it does not exist."""
    if department is None:
        return None
    code = department.strip()
    if code not in analysis.ds.departments:
        raise ReportInputError(_("unknown department: {code!r}").format(code=department))
    return Scope(code, analysis.ds.departments[code].name)


def competency_name(analysis: Analysis, code: str) -> str:
    competency = analysis.ds.competencies.get(code)
    return competency.name if competency else code


def staff_name(analysis: Analysis, employee_no: str) -> str:
    person = analysis.ds.staff.get(employee_no)
    return person.name if person else employee_no
