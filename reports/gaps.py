"""The gaps report: who falls short of what the strategy requires, in a scope, as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import orjson

from i18n import N_
from reports.analysis import Analysis, DepartmentFigures, GapColumns, GapRow
from reports.base import (
    SPLICE,
    Report,
    Table,
    competency_name,
    ensure_analysis,
    resolve_scope,
)
from reports.words import met_of, percent, term, terms
from store.dataset import Dataset

COMPETENCY_HEADERS = terms(
    N_("Code"), N_("Competency"), N_("Req"), N_("Meet"), N_("% meet"), N_("Avg gap"),
    N_("Unassessed"), N_("Training"),
)  # fmt: skip
STAFF_HEADERS = terms(
    N_("Department"), N_("Employee"), N_("Name"), N_("Competency"), N_("Req"), N_("Current"),
    N_("Gap"), N_("Training"),
)  # fmt: skip


@dataclass
class GapsReport(Report):
    kind = "gaps"
    label = "Gaps"
    report_name = N_("Gaps report")

    figures: DepartmentFigures
    competency_names: dict[str, str]
    analysis: Analysis = field(repr=False, compare=False)
    code: str | None = None
    """The department the gaps are of (None: the whole organisation)."""

    @cached_property
    def columns(self) -> GapColumns:
        return self.analysis.gap_columns(self.code)

    @cached_property
    def gaps(self) -> list[GapRow]:
        return self.analysis.gap_rows(self.code)

    @cached_property
    def _person_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The grid rows of the people with a gap (in the gaps' order), and each gap's index
        among them."""
        rows = self.columns.rows  # a person's gaps come one after another
        starts = np.ones(len(rows), bool)
        np.not_equal(rows[1:], rows[:-1], out=starts[1:])
        return rows[starts], np.cumsum(starts) - 1

    @cached_property
    def _numbers_and_names(self) -> tuple[np.ndarray, list[str], list[str]]:
        """The people with a gap in the order their records are read, and where each is in
        `_person_rows` (`Grid.numbers_and_names_as_read`)."""
        return self.analysis.grid.numbers_and_names_as_read(self._person_rows[0])

    @cached_property
    def staff_names(self) -> dict[str, str]:
        return dict(zip(*self._numbers_and_names[1:], strict=True))

    @cached_property
    def department_names(self) -> dict[str, str]:
        return {d: self.analysis.tree.name(d) for d in {g.department for g in self.gaps}}

    def competency_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "code": c.competency,
                "name": self.competency_names[c.competency],
                "staff_required": c.staff_required,
                "staff_meeting": c.staff_meeting,
                "pct_meeting": c.pct_meeting,
                "mean_gap": c.mean_gap,
                "not_assessed": c.not_assessed,
                "gaps_with_open_training": c.gaps_with_open_training,
            }
            for c in self.figures.competencies.values()
        ]

    def to_dict(self, with_staff: bool = True) -> dict[str, Any]:
        data = {
            **self.head(),
            "staff_in_scope": self.figures.staff_count,
            "pairs_required": self.figures.pairs_required,
            "pairs_met": self.figures.pairs_met,
            "readiness_pct": self.figures.readiness_pct,
            "competencies": self.competency_dicts(),
        }
        if with_staff:
            names = self.staff_names
            data["staff"] = [
                {
                    "employee_no": g.employee_no,
                    "name": names[g.employee_no],
                    "department": g.department,
                    "competency": g.competency,
                    "required": g.required,
                    "current": g.current,
                    "gap": g.gap,
                    "training_planned": g.training_planned,
                }
                for g in self.gaps
            ]
        return data

    def json_pieces(self) -> tuple[dict[str, Any], list[bytes]]:
        """`to_dict` with its list of gap rows as pieces of JSON, written column-wise: ~0.15 s
        at 50,000 staff (86,756 gaps) went into making a GapRow and a dict per gap for orjson
        to take apart again (issue 14). Byte for byte what orjson writes of `to_dict()` at
        indent 2 (`tests/reports/test_gaps_json.py`)."""
        data = self.to_dict(with_staff=False)
        data["staff"] = orjson.Fragment(SPLICE)
        return data, self._staff_json()

    def _staff_json(self) -> list[bytes]:
        """The `staff` list at indent 2, as pieces for the renderer to join: each row is its
        person's part (number, name, department: made once per person) and its pair's part
        (competency, levels, plan: made once per distinct combination, a few hundred), so
        the join takes two pieces per row (it took ~0.18 s over 17 small pieces per row, most
        of it cache misses)."""
        gaps = self.columns
        if not len(gaps.rows):
            return [b"[]"]
        grid = self.analysis.grid
        people, person_of = self._person_rows
        by_place, numbers, names = self._numbers_and_names  # the people as read
        read_as = np.empty_like(by_place)  # each gap's person's place among them
        read_as[by_place] = np.arange(len(by_place))
        person_of = read_as[person_of]
        departments = np.searchsorted(grid.starts, people[by_place], side="right") - 1
        codes = [grid.departments[d] for d in departments.tolist()]
        person = [
            _PERSON % parts
            for parts in zip(
                _json_strings(numbers), _json_strings(names), _json_strings(codes), strict=True
            )
        ]
        width = int(max(gaps.required.max(), gaps.current.max(), gaps.gap.max())) + 2
        key = gaps.columns.astype(np.int64)
        for column in (gaps.required, gaps.current + 1, gaps.gap, gaps.covered):
            key = key * width + column
        _, first, pair_of = np.unique(key, return_index=True, return_inverse=True)
        competencies = _json_strings(grid.competencies)
        pair = [
            _PAIR
            % (
                competencies[int(gaps.columns[at])],
                int(gaps.required[at]),
                b"null" if gaps.current[at] < 0 else b"%d" % int(gaps.current[at]),
                int(gaps.gap[at]),
                b"true" if gaps.covered[at] else b"false",
            )
            for at in first.tolist()
        ]
        pieces = np.empty(2 * len(gaps.rows), object)
        pieces[0::2] = _objects(person)[person_of]
        pieces[1::2] = _objects(pair)[pair_of.reshape(-1)]
        pieces[0] = b"[\n" + pieces[0]  # (not around the joined 20 MB: no copies of it)
        pieces[-1] = pieces[-1].removesuffix(b",\n") + b"\n  ]"
        return pieces.tolist()

    def tables(self) -> list[Table]:
        figures = self.figures
        competency_rows = [
            [c.competency, self.competency_names[c.competency], c.staff_required, c.staff_meeting,
             c.pct_meeting, c.mean_gap, c.not_assessed, c.gaps_with_open_training]
            for c in figures.competencies.values()
        ]  # fmt: skip
        competency_rows.append(
            [term(N_("Total")), "", figures.pairs_required, figures.pairs_met, figures.readiness_pct,
             None, sum(c.not_assessed for c in figures.competencies.values()),
             sum(c.gaps_with_open_training for c in figures.competencies.values())]
        )  # fmt: skip
        names, departments = self.staff_names, self.department_names
        staff_rows = [
            [f"{departments[g.department]} ({g.department})", g.employee_no, names[g.employee_no],
             g.competency, g.required, g.current, g.gap, g.training_planned]
            for g in self.gaps
        ]  # fmt: skip
        return [
            Table(
                term(N_("Competencies (Training: gaps covered by an open training plan)")),
                COMPETENCY_HEADERS,
                competency_rows,
            ),
            Table(
                term(N_("Staff with a gap")),
                STAFF_HEADERS,
                staff_rows,
                group_by=0,
            ),
        ]


def build_gaps(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> GapsReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    code = None if scope is None else scope.code
    figures = analysis.department_figures(code)
    competency_names = {c: competency_name(analysis, c) for c in figures.competencies}
    report = GapsReport(analysis.as_of, scope, figures, competency_names, analysis, code)
    readiness = figures.readiness_pct
    report.summary = [
        (term(N_("Active staff in scope")), str(figures.staff_count)),
        (term(N_("Requirements met")), met_of(figures.pairs_met, figures.pairs_required)),
        (term(N_("Readiness")), percent(readiness)),
        (term(N_("People with a gap")), str(len(report._person_rows[0]))),
    ]
    return report


_PERSON = b'    {\n      "employee_no": "%b",\n      "name": "%b",\n      "department": "%b"'
_PAIR = (
    b',\n      "competency": "%b",\n      "required": %d,\n      "current": %b,\n      "gap": %d,'
    b'\n      "training_planned": %b\n    },\n'
)
"""A gap row as orjson writes it in the report's `staff` list (indent 2): the person's part,
then the pair's."""


def _json_strings(values: list[str]) -> list[bytes]:
    """Each text as the inside of a JSON string (its quotes left to the template). When no
    text holds a quote, every quote orjson writes for the list is one that opens or closes a
    string, so one call for them all is cut where `","` stands; otherwise (an escaped quote
    before a comma would look the same) each text is written on its own."""
    if '"' in "".join(values):
        return [orjson.dumps(value)[1:-1] for value in values]
    if not values:
        return []
    return orjson.dumps(values)[2:-2].split(b'","')


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), object)
    array[:] = values
    return array
