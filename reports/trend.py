"""The trend report: readiness at each of the last 8 quarter ends, for the scope and each
department directly below it (the top-level departments for the whole organisation).

The past is rebuilt from the assessment history with the as-of rule; the organisation (staff,
departments, requirements) is taken as it is now, since the register keeps no history of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from i18n import N_
from reports import rules
from reports.analysis import Analysis
from reports.base import Report, Table, ensure_analysis, resolve_scope
from reports.words import Phrase, phrase, term
from store.columns import columns_of
from store.dataset import AssessmentRow, Dataset

QUARTERS = 8


@dataclass(frozen=True)
class TrendLine:
    code: str | None
    name: str
    readiness: list[float | None]
    """One value per quarter end, oldest first."""


@dataclass(frozen=True)
class Trend:
    quarter_ends: list[dt.date]
    lines: list[TrendLine]
    """The scope first, then each department directly below it."""


def readiness_trend(
    analysis: Analysis,
    department: str | None = None,
    quarter_ends: list[dt.date] | None = None,
) -> Trend:
    """Readiness of the scope and its child departments at each date (default: 8 quarter ends)."""
    ends = sorted(
        quarter_ends if quarter_ends is not None else rules.last_quarter_ends(analysis.as_of)
    )
    groups = analysis.children(department)
    grid = analysis.grid
    group = np.full(len(grid.active), -1, np.intp)  # -1: outside the scope (one per row)
    group[grid.rows_of_departments(analysis._departments_with_staff(department))] = 0
    for index, child in enumerate(groups):
        group[grid.rows_of_departments(analysis._departments_with_staff(child))] = index + 1
    required = np.where((group >= 0)[:, None], grid.required, 0)
    totals = _per_group((required > 0).sum(axis=1), group, len(groups))
    met = [
        _per_group(
            ((required > 0) & (np.maximum(analysis.levels_on(end), 0) >= required)).sum(axis=1),
            group,
            len(groups),
        )
        for end in ends
    ]  # `rules.meets` on every required pair at each date
    series = [
        [rules.readiness_pct(met[q][g], totals[g]) for q in range(len(ends))]
        for g in range(len(groups) + 1)
    ]
    lines = [TrendLine(department, analysis.department_label(department), series[0])]
    lines += [
        TrendLine(code, analysis.tree.name(code), series[i + 1]) for i, code in enumerate(groups)
    ]
    return Trend(ends, lines)


def _per_group(counts: np.ndarray, group: np.ndarray, groups: int) -> list[int]:
    """Per person counts summed: [0] the whole scope, [i + 1] its i-th child department."""
    in_scope = group >= 0
    by_group = np.bincount(group[in_scope], counts[in_scope], minlength=groups + 1)
    by_group[0] = counts[in_scope].sum()
    return [int(v) for v in by_group]


Pairs = dict[str, dict[str, tuple[int, int]]]
"""employee_no -> competency -> (required level, group: 0 the scope, i + 1 its i-th child)."""


class ReadinessSweep:
    """Met pairs at several dates, for pairs given one by one (a theme's requirements).

    Each date is `store.columns`' current-level rule over the whole history, so the pairs are
    looked up in arrays: their history columns' codes, once.
    """

    def __init__(self, rows: Sequence[AssessmentRow], pairs: Pairs, groups: int) -> None:
        self.columns = columns_of(rows)
        self.groups = groups
        staff = {code: i for i, code in enumerate(self.columns.staff_list())}
        competencies = {code: i for i, code in enumerate(self.columns.competency_list())}
        keys, required, group = [], [], []
        for employee_no, levels in pairs.items():
            person = staff.get(employee_no, -1)
            for competency, (level, in_group) in levels.items():
                code = competencies.get(competency, -1)
                keys.append(-1 if person < 0 or code < 0 else (person << 32) | code)
                required.append(level)
                group.append(in_group)
        self.keys = np.array(keys, np.int64)
        self.required = np.array(required, np.int64)
        self.group = np.array(group, np.intp)

    def met_at(self, ends: list[dt.date]) -> list[list[int]]:
        """For each date (ascending), met pairs per group."""
        arrays = self.columns.arrays()
        result = []
        for end in ends:
            positions = self.columns.current(end)
            keys = (arrays["staff"][positions].astype(np.int64) << 32) | arrays["competency"][
                positions
            ]
            found = np.minimum(np.searchsorted(keys, self.keys), max(len(keys) - 1, 0))
            level = np.zeros(len(self.keys), np.int64)  # `rules.level_or_zero`
            if len(keys):
                hit = keys[found] == self.keys
                level[hit] = arrays["level"][positions[found[hit]]]
            met = level >= self.required  # `rules.meets`
            counts = np.bincount(self.group[met], minlength=self.groups)
            counts[0] = int(met.sum())
            result.append([int(v) for v in counts])
        return result


@dataclass
class TrendReport(Report):
    kind = "trend"
    label = "Trend"
    report_name = N_("Trend report")

    trend: Trend

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.head(),
            "quarter_ends": [d.isoformat() for d in self.trend.quarter_ends],
            "lines": [
                {"code": line.code, "name": line.name, "readiness_pct": line.readiness}
                for line in self.trend.lines
            ],
        }

    def tables(self) -> list[Table]:
        headers = [term(N_("Department")), *(quarter_label(d) for d in self.trend.quarter_ends)]
        rows = [[line.name, *line.readiness] for line in self.trend.lines]
        percent = tuple(range(1, len(headers)))
        title = term(N_("Readiness % at each quarter end"))
        return [Table(title, headers, rows, percent=percent)]


def quarter_label(end: dt.date) -> Phrase:
    """The quarter a date falls in: 2026Q3 (Danish 2026K3)."""
    return phrase(N_("{year}Q{quarter}"), year=end.year, quarter=(end.month - 1) // 3 + 1)


def build_trend(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> TrendReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    trend = readiness_trend(analysis, None if scope is None else scope.code)
    first, last = trend.quarter_ends[0], trend.quarter_ends[-1]
    quarters = phrase(N_("{first} to {last}"), first=quarter_label(first), last=quarter_label(last))
    summary = [(term(N_("Quarters")), quarters)]
    return TrendReport(analysis.as_of, scope, trend, summary=summary)
