"""The heatmap: departments (indented by level) x competencies, % of staff meeting each.

Also the grids the Organisation screen colours: `department_grid` (department x competency, %
meeting) and `staff_grid` (person x required competency: meets / short 1 / short 2+ / not
assessed). The report and the screen read the same grid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from i18n import N_
from reports import rules
from reports.analysis import Analysis, DepartmentFigures
from reports.base import Report, Table, competency_name, ensure_analysis, resolve_scope
from reports.rules import CellState
from reports.words import percent, phrase, term, terms
from store.dataset import Dataset
from store.models import Staff


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    name: str
    depth: int
    """Levels below the top of the grid (0 for the scope's own department or a top level)."""
    figures: DepartmentFigures

    def pct(self, competency: str) -> float | None:
        """% meeting, None when nobody in this subtree is required the competency."""
        found = self.figures.competencies.get(competency)
        return None if found is None else found.pct_meeting


@dataclass(frozen=True)
class DepartmentGrid:
    """Rows: departments of the scope in tree order; columns: competencies required in scope."""

    competencies: list[str]
    rows: list[DepartmentRow]
    total: DepartmentFigures


@dataclass(frozen=True)
class StaffGrid:
    """Rows: active staff in scope; cells: CellState, or None where not required."""

    competencies: list[str]
    staff: list[Staff]
    cells: list[list[CellState | None]]


def department_grid(analysis: Analysis, department: str | None = None) -> DepartmentGrid:
    total = analysis.department_figures(department)
    codes = analysis.tree.walk(department)
    base = 0 if department is None else analysis.depth(department)
    rows = [
        DepartmentRow(
            code, analysis.tree.name(code), analysis.depth(code) - base,
            analysis.department_figures(code),
        )
        for code in codes
    ]  # fmt: skip
    return DepartmentGrid(list(total.competencies), rows, total)


HEATMAP_LAYERS: tuple[str, ...] = ("levels", "ratings", "stale")
"""What a staff heatmap's cells can show (docs/rules.md, "Heatmap layers")."""


def person_cells(
    analysis: Analysis, person: Staff, competencies: list[str], layer: str = "levels"
) -> list[str | None]:
    """One person's row of a staff heatmap: a cell state per competency for the layer (levels:
    CellState, None where not required; ratings: RatingCell, None where nobody rated; stale:
    FreshnessCell, None where not required)."""
    no = person.employee_no
    if layer == "ratings":
        from reports.ratings import person_ratings

        rated = person_ratings(analysis, no)
        return [
            None if c not in rated else rules.rating_cell(rated[c].self_level, rated[c].other_level)
            for c in competencies
        ]
    required = analysis.structure.required_for_pair(person.department, person.role)
    if layer == "stale":
        cells: list[str | None] = []
        for c in competencies:
            current = analysis.current_for(no, c) if c in required else None
            cells.append(
                None
                if c not in required
                else rules.freshness_cell(None if current is None else current.date, analysis.as_of)
            )
        return cells
    return [
        None if c not in required else rules.cell_state(required[c], analysis.current_level(no, c))
        for c in competencies
    ]


def staff_grid(analysis: Analysis, department: str | None = None) -> StaffGrid:
    staff = analysis.staff_in_scope(department)
    competencies = list(analysis.department_figures(department).competencies)
    cells = [person_cells(analysis, person, competencies) for person in staff]
    return StaffGrid(competencies, staff, cells)


def compact(pct: float | None) -> int | None:
    """A heatmap cell in text: whole percent."""
    return None if pct is None else round(pct)


@dataclass
class HeatmapReport(Report):
    kind = "heatmap"
    label = "Heatmap"
    report_name = N_("Heatmap report")

    grid: DepartmentGrid
    competency_names: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        grid = self.grid

        def row_dict(code: str | None, name: str, depth: int, fig: DepartmentFigures) -> dict:
            return {
                "code": code,
                "name": name,
                "depth": depth,
                "staff": fig.staff_count,
                "readiness_pct": fig.readiness_pct,
                "pct_meeting": {
                    c: (fig.competencies[c].pct_meeting if c in fig.competencies else None)
                    for c in grid.competencies
                },
            }

        return {
            **self.head(),
            "competencies": [
                {"code": c, "name": self.competency_names[c]} for c in grid.competencies
            ],
            "departments": [row_dict(r.code, r.name, r.depth, r.figures) for r in grid.rows],
            "total": row_dict(None, "Total", 0, grid.total),
        }

    def tables(self) -> list[Table]:
        grid = self.grid
        headers = [*terms(N_("Department"), N_("Staff"), N_("Ready %")), *grid.competencies]
        rows = [
            ["  " * r.depth + r.name, r.figures.staff_count, compact(r.figures.readiness_pct)]
            + [compact(r.pct(c)) for c in grid.competencies]
            for r in grid.rows
        ]
        total = grid.total
        rows.append(
            [term(N_("Total")), total.staff_count, compact(total.readiness_pct)]
            + [
                compact(total.competencies[c].pct_meeting if c in total.competencies else None)
                for c in grid.competencies
            ]
        )
        legend = [[c, self.competency_names[c]] for c in grid.competencies]
        return [
            Table(
                # '{percent}': a % followed by a letter reads as a %-format to the catalogue
                phrase(
                    N_("{percent} of staff meeting the requirement ('-': not required)"),
                    percent="%",
                ),
                headers,
                rows,
                percent=tuple(range(2, len(headers))),
                heat=True,
            ),
            Table(term(N_("Competencies")), terms(N_("Code"), N_("Competency")), legend),
        ]


def build_heatmap(
    source: Analysis | Dataset, as_of: dt.date | None = None, department: str | None = None
) -> HeatmapReport:
    analysis = ensure_analysis(source, as_of)
    scope = resolve_scope(analysis, department)
    grid = department_grid(analysis, None if scope is None else scope.code)
    names = {c: competency_name(analysis, c) for c in grid.competencies}
    readiness = grid.total.readiness_pct
    summary = [
        (term(N_("Departments")), str(len(grid.rows))),
        (term(N_("Active staff in scope")), str(grid.total.staff_count)),
        (term(N_("Readiness")), percent(readiness)),
    ]
    return HeatmapReport(analysis.as_of, scope, grid, names, summary=summary)
