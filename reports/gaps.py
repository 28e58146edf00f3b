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
        """The grid rows of the people with a gap, and each gap's index among them."""
        rows, person_of = np.unique(self.columns.rows, return_inverse=True)
        return rows, person_of.reshape(-1)

    @cached_property
    def _numbers_and_names(self) -> tuple[list[str], list[str]]:
        return self.analysis.grid.numbers_and_names(self._person_rows[0])

    @cached_property
    def staff_names(self) -> dict[str, str]:
        return dict(zip(*self._numbers_and_names, strict=True))

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

    def to_json_data(self) -> dict[str, Any]:
        """`to_dict` with its list of gap rows as JSON already (`orjson.Fragment`), written
        column-wise: ~0.15 s at 50,000 staff (86,756 gaps) went into making a GapRow and a dict
        per gap for orjson to take apart again (issue 14). Byte for byte what orjson writes of
        `to_dict()` at indent 2 (`tests/reports/test_gaps_json.py`)."""
        data = self.to_dict(with_staff=False)
        data["staff"] = orjson.Fragment(self._staff_json())
        return data

    def _staff_json(self) -> bytes:
        gaps = self.columns
        count = len(gaps.rows)
        if not count:
            return b"[]"
        grid = self.analysis.grid
        people, person_of = self._person_rows
        numbers, names = self._numbers_and_names
        departments = np.searchsorted(grid.starts, people, side="right") - 1
        codes = [grid.departments[d] for d in departments.tolist()]
        highest = int(max(gaps.required.max(), gaps.current.max(), gaps.gap.max()))
        number = _json_values([str(n) for n in range(highest + 1)], raw=True)
        parts = np.empty((count, len(_ROW)), object)
        parts[:] = _ROW
        parts[:, 1] = _json_values(numbers)[person_of]
        parts[:, 3] = _json_values(names)[person_of]
        parts[:, 5] = _json_values(codes)[person_of]
        parts[:, 7] = _json_values(grid.competencies)[gaps.columns]
        parts[:, 9] = number[gaps.required]
        parts[:, 11] = np.concatenate([[b"null"], number])[gaps.current + 1]
        parts[:, 13] = number[gaps.gap]
        parts[:, 15] = np.array([b"false", b"true"], object)[gaps.covered.astype(np.intp)]
        parts[0, 0] = b"[\n" + _ROW[0]
        parts[-1, -1] = b"\n    }\n  ]"
        return b"".join(parts.ravel().tolist())

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


_ROW = [
    b'    {\n      "employee_no": ', b"", b',\n      "name": ', b"",
    b',\n      "department": ', b"", b',\n      "competency": ', b"", b',\n      "required": ', b"",
    b',\n      "current": ', b"", b',\n      "gap": ', b"", b',\n      "training_planned": ', b"",
    b"\n    },\n",
]  # fmt: skip
"""A gap row as orjson writes it in the report's `staff` list (indent 2), its values left out."""


def _json_values(values: list[str], raw: bool = False) -> np.ndarray:
    """Each text as a JSON string (or, `raw`, as it is), in an array to pick from: one orjson
    call for them all, cut where one string ends and the next begins (`","` cannot occur
    inside a JSON string: a quote in one is always escaped)."""
    if raw:
        found = [value.encode() for value in values]
    elif not values:
        found = []
    else:
        found = [b'"' + part + b'"' for part in orjson.dumps(values)[2:-2].split(b'","')]
    array = np.empty(len(found), object)
    array[:] = found
    return array
