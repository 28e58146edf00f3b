"""The trend report: readiness at each of the last 8 quarter ends, for the scope and each
department directly below it (the top-level departments for the whole organisation).

The past is rebuilt from the assessment history with the as-of rule; the organisation (staff,
departments, requirements) is taken as it is now, since the register keeps no history of it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from reports import rules
from reports.analysis import _NONE, Analysis, current_index
from reports.base import Report, Table, ensure_analysis, resolve_scope
from store.dataset import Dataset

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
    ends = quarter_ends if quarter_ends is not None else rules.last_quarter_ends(analysis.as_of)
    groups = analysis.children(department)
    group_of: dict[str, int] = {}
    for index, group in enumerate(groups):
        for code in analysis.subtree(group):
            group_of[code] = index
    # (employee, competency, required level, group or -1): fixed across dates
    pairs = []
    structure = analysis.structure
    for person in analysis.staff_in_scope(department):
        group = group_of.get(person.department, -1)
        for competency, level in structure.required_for_pair(
            person.department, person.role
        ).items():
            pairs.append((person.employee_no, competency, level, group))
    rows = sorted(analysis.ds.assessments, key=lambda r: r.date)
    dates = [r.date for r in rows]
    series: list[list[float | None]] = [[] for _ in range(len(groups) + 1)]
    for end in ends:
        current = current_index(rows[: bisect.bisect_right(dates, end)], end)
        met = [0] * (len(groups) + 1)
        total = [0] * (len(groups) + 1)
        for employee_no, competency, level, group in pairs:
            row = current.get(employee_no, _NONE).get(competency)
            ok = rules.meets(level, None if row is None else row.level)
            total[0] += 1
            met[0] += ok
            if group >= 0:
                total[group + 1] += 1
                met[group + 1] += ok
        for i in range(len(series)):
            series[i].append(rules.readiness_pct(met[i], total[i]))
    lines = [TrendLine(department, analysis.department_name(department), series[0])]
    lines += [
        TrendLine(code, analysis.tree.name(code), series[i + 1]) for i, code in enumerate(groups)
    ]
    return Trend(list(ends), lines)


@dataclass
class TrendReport(Report):
    kind = "trend"
    label = "Trend"

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
        headers = ["Department", *(quarter_label(d) for d in self.trend.quarter_ends)]
        rows = [[line.name, *line.readiness] for line in self.trend.lines]
        return [Table("Readiness % at each quarter end", headers, rows, max_cell=20)]


def quarter_label(end: dt.date) -> str:
    return f"{end.year}Q{(end.month - 1) // 3 + 1}"


def build_trend(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> TrendReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    trend = readiness_trend(analysis, None if scope is None else scope.code)
    first, last = trend.quarter_ends[0], trend.quarter_ends[-1]
    summary = [("Quarters", f"{quarter_label(first)} to {quarter_label(last)}")]
    return TrendReport(analysis.as_of, scope, trend, summary=summary)
