"""Every report as an .xlsx workbook, opened again with a reader: its sheets hold the report's
tables with real numbers, dates and percentages, the same figures as the JSON report."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from enum import Enum
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from reports import REPORT_KINDS, Analysis, analyse, build_report, render, render_file
from reports.base import scope_label
from reports.render.xlsx import NOT_THERE
from store.demo import DEMO_AS_OF
from store.repository import FolderRepository
from tests.reports.test_render import AS_OF, hostile


@pytest.fixture(scope="module")
def demo(demo_db_template: Path) -> Analysis:
    return analyse(FolderRepository.open(demo_db_template, user="tester").ds, DEMO_AS_OF)


def _employee(analysis: Analysis) -> str:
    return next(iter(analysis.ds.staff))


def _sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        }


def _header_index(rows: list[list], headers: list[str]) -> int:
    return next(i for i, row in enumerate(rows) if row[: len(headers)] == headers)


def _expected(value, percent: bool, heat: bool):
    """A table cell as the workbook must hold it."""
    if value is None:
        return NOT_THERE if heat and percent else ""
    if isinstance(value, Enum):
        return value.value
    if percent and isinstance(value, int | float):
        return pytest.approx(value / 100, rel=1e-15, abs=1e-15)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-15)  # written with 16 significant digits
    return value


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_every_report_as_xlsx_holds_its_tables_under_title_date_and_scope(
    demo: Analysis, kind: str
) -> None:
    report = build_report(kind, demo, employee=_employee(demo))
    data = render_file(report, "xlsx")
    sheets = list(_sheets(data).values())
    tables = report.tables()
    assert len(sheets) == len(tables) + (1 if report.summary else 0)
    for table, rows in zip(tables, sheets[-len(tables) :], strict=True):
        assert rows[0][0] == f"{report.label} report"
        assert rows[1][:2] == ["As of", report.as_of]  # a real date
        assert rows[2][:2] == ["Scope", scope_label(report.scope)]
        assert rows[3][0] == table.title
        start = _header_index(rows, table.headers) + 1
        percent = table.percent_columns()
        got = [row[: len(table.headers)] for row in rows[start : start + len(table.rows)]]
        want = [
            [_expected(v, i in percent, table.heat) for i, v in enumerate(row)]
            for row in table.rows
        ]
        assert got == want, table.title
        assert len(rows) == start + len(table.rows)  # nothing after the table
    for xml in _xml(data).values():
        assert 'state="frozen"' in xml and "<autoFilter " in xml
        assert "<f>" not in xml  # no formula anywhere


def test_the_heatmap_sheet_has_the_json_reports_numbers_coloured_and_written(
    demo: Analysis,
) -> None:
    report = build_report("heatmap", demo)
    data = render_file(report, "xlsx")
    figures = json.loads(render(report, "json"))
    sheet = _sheets(data)["% of staff meeting the"]
    codes = [c["code"] for c in figures["competencies"]]
    start = _header_index(sheet, ["Department", "Staff", "Ready %", *codes]) + 1
    departments = [*figures["departments"], figures["total"]]
    for row, department in zip(sheet[start:], departments, strict=True):
        assert row[0].strip() == department["name"]
        assert row[1] == department["staff"]
        assert row[2] == pytest.approx(round(department["readiness_pct"]) / 100)
        for cell, code in zip(row[3:], codes, strict=True):
            pct = department["pct_meeting"][code]
            assert cell == (NOT_THERE if pct is None else pytest.approx(round(pct) / 100))
    xml = _xml(data)["xl/worksheets/sheet2.xml"]
    last = start + len(departments)
    assert re.search(rf'<conditionalFormatting sqref="C{start + 1}:\w+{last}">', xml)
    assert '<cfRule type="colorScale"' in xml
    assert 'formatCode="0%"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()


def test_the_gaps_workbook_keeps_the_json_reports_unrounded_figures(demo: Analysis) -> None:
    report = build_report("gaps", demo)
    figures = json.loads(render(report, "json"))
    sheet = next(iter(v for k, v in _sheets(render_file(report, "xlsx")).items() if k != "Summary"))
    table = report.tables()[0]
    start = _header_index(sheet, table.headers) + 1
    by_code = {row[0]: row for row in sheet[start : start + len(table.rows)]}
    column = table.headers.index("% meet")
    for competency in figures["competencies"]:
        pct = competency["pct_meeting"]
        cell = by_code[competency["code"]][column]
        assert cell == ("" if pct is None else pytest.approx(pct / 100, abs=1e-12))


def test_text_starting_like_a_formula_is_written_as_text(tmp_path) -> None:
    builder = hostile()
    builder.ds.staff["E2"] = builder.ds.staff["E2"].model_copy(update={"name": "=SUM(A1:A9)"})
    for kind in REPORT_KINDS:
        data = render_file(build_report(kind, builder.ds, AS_OF, employee="E2"), "xlsx")
        assert all("<f>" not in xml for xml in _xml(data).values()), kind
    data = render_file(build_report("gaps", builder.ds, AS_OF), "xlsx")
    cells = {cell for rows in _sheets(data).values() for row in rows for cell in row}
    assert "=SUM(A1:A9)" in cells
    assert any(isinstance(c, str) and c.startswith("+Robots") for c in cells)


def test_an_as_of_date_is_a_date_cell(demo: Analysis) -> None:
    report = build_report("trend", demo)
    rows = next(iter(_sheets(render_file(report, "xlsx")).values()))
    assert rows[1][1] == dt.date(2026, 11, 1) == DEMO_AS_OF


def _table_rows(data: bytes, title: str, headers: list[str]) -> list[list]:
    """The rows under `headers` on the sheet whose title line is `title`."""
    rows = next(rows for rows in _sheets(data).values() if rows[3][0] == title)
    start = _header_index(rows, headers) + 1
    return [row[: len(headers)] for row in rows[start:]]


def test_the_robots_workbook_has_the_json_reports_hours_and_rates(demo: Analysis) -> None:
    report = build_report("robots", demo)
    figures = json.loads(render(report, "json"))
    table = report.tables()[1]
    rows = {
        row[0]: row for row in _table_rows(render_file(report, "xlsx"), table.title, table.headers)
    }
    column = {name: table.headers.index(name) for name in table.headers}
    assert len(rows) == len(figures["robots"]) > 0
    for robot in figures["robots"]:
        row = rows[robot["code"]]
        assert row[column["Saved h 12m"]] == pytest.approx(robot["hours_saved_12_months"])
        for header, key in (
            ("Realised %", "benefit_realisation_pct"),
            ("Failed %", "failed_run_pct"),
        ):
            pct = robot[key]
            assert row[column[header]] == ("" if pct is None else pytest.approx(pct / 100))
        assert row[column["Key-person risk"]] is robot["key_person_risk"]


def test_the_trend_workbook_has_the_json_reports_readiness_per_quarter(demo: Analysis) -> None:
    report = build_report("trend", demo)
    figures = json.loads(render(report, "json"))
    table = report.tables()[0]
    rows = _table_rows(render_file(report, "xlsx"), table.title, table.headers)
    assert len(rows) == len(figures["lines"]) > 0
    for row, line in zip(rows, figures["lines"], strict=True):
        assert row[0] == line["name"]
        assert row[1:] == [
            "" if pct is None else pytest.approx(pct / 100) for pct in line["readiness_pct"]
        ]
