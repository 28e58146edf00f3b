"""The trend report: readiness at each of the last 8 quarter ends, for the scope and each
department directly below it (the top-level departments for the whole organisation).

The past is rebuilt from the assessment history with the as-of rule; the organisation (staff,
departments, requirements) is taken as it is now, since the register keeps no history of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from reports import rules
from reports.analysis import _NONE, Analysis
from reports.base import Report, Table, ensure_analysis, resolve_scope
from store.dataset import AssessmentRow, Dataset
from store.gcpause import collector_paused

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
    pairs, totals = required_pairs(analysis, department, groups)
    met = ReadinessSweep(analysis.ds.assessments, pairs, len(groups) + 1).met_at(ends)
    series = [
        [rules.readiness_pct(met[q][g], totals[g]) for q in range(len(ends))]
        for g in range(len(groups) + 1)
    ]
    lines = [TrendLine(department, analysis.department_name(department), series[0])]
    lines += [
        TrendLine(code, analysis.tree.name(code), series[i + 1]) for i, code in enumerate(groups)
    ]
    return Trend(ends, lines)


Pairs = dict[str, dict[str, tuple[int, int]]]
"""employee_no -> competency -> (required level, group: 0 the scope, i + 1 its i-th child)."""


def required_pairs(
    analysis: Analysis, department: str | None, groups: list[str]
) -> tuple[Pairs, list[int]]:
    """Every required (person, competency) pair in scope, and how many each group holds."""
    group_of: dict[str, int] = {}
    for index, group in enumerate(groups):
        for code in analysis.subtree(group):
            group_of[code] = index + 1
    pairs: Pairs = {}
    totals = [0] * (len(groups) + 1)
    for person in analysis.staff_in_scope(department):
        group = group_of.get(person.department, 0)
        levels = analysis.structure.required_for_pair(person.department, person.role)
        if levels:
            pairs[person.employee_no] = {c: (level, group) for c, level in levels.items()}
            totals[0] += len(levels)
            if group:
                totals[group] += len(levels)
    return pairs, totals


class ReadinessSweep:
    """Met pairs at several dates in one pass over the history sorted by date.

    Walking forward in time, a pair's current assessment only changes when a newer one comes
    along, so each record is looked at once, not once per date. Assessments that expire
    (valid_until) break that: pairs with any such record are worked out at each date with
    `rules.current_assessment` instead.
    """

    def __init__(self, rows: list[AssessmentRow], pairs: Pairs, groups: int) -> None:
        self.pairs = pairs
        self.groups = groups
        wanted = [r for r in rows if r[1] in pairs.get(r[0], _NONE)]
        expiring = {(r[0], r[1]) for r in wanted if r[6] is not None}
        self.expiring: dict[tuple[str, str], list[AssessmentRow]] = {k: [] for k in expiring}
        self.rows = []
        for row in wanted:
            history = self.expiring.get((row[0], row[1]))
            if history is None:
                self.rows.append(row)
            else:
                history.append(row)
        self.rows.sort(key=itemgetter(3))  # stable: recording order kept within a day
        for history in self.expiring.values():
            history.sort(key=rules.assessment_rank, reverse=True)

    def met_at(self, ends: list[dt.date]) -> list[list[int]]:
        """For each date (ascending), met pairs per group."""
        pairs, rows = self.pairs, self.rows
        current: dict[str, dict[str, AssessmentRow]] = {}
        met = [0] * self.groups
        result = []
        position = 0
        with collector_paused():
            for end in ends:
                while position < len(rows) and rows[position][3] <= end:
                    row = rows[position]
                    position += 1
                    mine = current.setdefault(row[0], {})
                    old = mine.get(row[1])
                    if old is not None and not outranks(row, old):
                        continue
                    mine[row[1]] = row
                    required, group = pairs[row[0]][row[1]]
                    change = rules.meets(required, row[2]) - (
                        old is not None and rules.meets(required, old[2])
                    )
                    met[0] += change
                    if group:
                        met[group] += change
                result.append(self._with_expiring(met, end))
        return result

    def _with_expiring(self, met: list[int], end: dt.date) -> list[int]:
        counts = list(met)
        for (employee_no, competency), history in self.expiring.items():
            level = None
            for row in history:  # best rank first: the first valid one is current
                if row[3] <= end and (row[6] is None or row[6] >= end):
                    level = row[2]
                    break
            required, group = self.pairs[employee_no][competency]
            if rules.meets(required, level):
                counts[0] += 1
                if group:
                    counts[group] += 1
        return counts


def outranks(row: AssessmentRow, old: AssessmentRow) -> bool:
    """`row` replaces `old` as the current assessment (both valid): `rules.assessment_rank`."""
    return row[3] > old[3] or (
        row[3] == old[3] and rules.assessment_rank(row) > rules.assessment_rank(old)
    )


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
        percent = tuple(range(1, len(headers)))
        return [Table("Readiness % at each quarter end", headers, rows, percent=percent)]


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
