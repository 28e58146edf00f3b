"""Renderers: every report in every format; hostile names stay inert; text fits 100 columns."""

from __future__ import annotations

import csv
import io
import json

import pytest
from tabulate import tabulate

from reports import FORMATS, REPORT_KINDS, build_report, render
from reports.render.csv_render import safe_cell
from reports.render.text import WIDTH, render_table, simple_table
from tests.reports.factory import Builder, D

AS_OF = D(2024, 6, 30)
EVIL_PERSON = "=cmd|' /C calc'!A0"
EVIL_DEPT = "[bold red]Social[/] @SUM(1+1)"


def hostile() -> Builder:
    """Names a spreadsheet would run and Rich would style, plus a newline and an escape code.

    The models now refuse control characters in names, but a database written before may hold
    them, so those two are set without validation, as such a database loads them."""
    b = (
        Builder()
        .department("ROOT", name="Kommune")
        .department("SOC", "ROOT", name=EVIL_DEPT)
        .competency("C1")
        .require("C1", 3, "ROOT", theme="T1")
        .staff("E1", "SOC", name=EVIL_PERSON)
        .staff("E2", "SOC")
        .assess("E1", "C1", 1, D(2024, 1, 1), "manager")
        .plan("E2", "C1", 3, due=D(2024, 1, 1))
        .robot("R1", "SOC", name="@robot", phase="production", operators=["E1"],
               required_competencies={"C1": 2}, expected_hours_per_year=100)
        .benefit("R1", "2024-05", 40, runs=4, failed=1)
    )  # fmt: skip
    written_before = {"name": "+Robots\nand [link=x]more[/link]"}
    b.ds.competencies["C1"] = b.ds.competencies["C1"].model_copy(update=written_before)
    b.ds.staff["E2"] = b.ds.staff["E2"].model_copy(update={"name": "-2+3 \x1b[31mred"})
    return b


@pytest.mark.parametrize("kind", REPORT_KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_renders_in_every_format(kind: str, fmt: str) -> None:
    report = build_report(kind, hostile().ds, AS_OF, employee="E1")
    out = render(report, fmt)
    assert out.endswith("\n")
    if fmt == "json":
        assert json.loads(out)["report"] == kind
    if fmt == "csv":
        for row in csv.reader(io.StringIO(out)):
            for cell in row:
                assert not cell.lstrip(" \t").startswith(("=", "+", "-", "@")), cell
    if fmt == "text":
        lines = out.splitlines()
        assert lines[0].startswith(f"{report.label} report | ")
        assert lines[0].endswith("as of 2024-06-30")
        assert all(len(line) <= WIDTH for line in lines), max(lines, key=len)
        assert "\x1b" not in out and "\r" not in out


def test_csv_escapes_formula_cells_and_keeps_text() -> None:
    out = render(build_report("gaps", hostile().ds, AS_OF), "csv")
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    assert "'" + EVIL_PERSON in cells
    assert "'-2+3  [31mred" in cells  # the escape character became a space


@pytest.mark.parametrize(
    ("cell", "escaped"),
    [("=1+1", "'=1+1"), ("\t@x", "'\t@x"), (" -3", "' -3"), ("+", "'+"), ("a=b", "a=b"), ("", "")],
)
def test_safe_cell(cell: str, escaped: str) -> None:
    assert safe_cell(cell) == escaped


def test_markup_is_printed_literally() -> None:
    text = render(build_report("gaps", hostile().ds, AS_OF), "text")
    assert "[bold red]Social[/]" in text  # not interpreted, not dropped
    md = render(build_report("gaps", hostile().ds, AS_OF), "md")
    assert "\\[bold red\\]Social\\[/\\]" in md
    assert "=cmd\\|" in md  # a pipe cannot break the table


def test_json_keeps_numbers_unrounded_and_names_whole() -> None:
    b = hostile().staff("E3", "SOC").assess("E3", "C1", 3, D(2024, 1, 1))
    data = json.loads(render(build_report("gaps", b.ds, AS_OF), "json"))
    assert data["readiness_pct"] == 100 / 3
    assert data["competencies"][0]["name"] == "+Robots\nand [link=x]more[/link]"
    assert {s["name"] for s in data["staff"]} == {EVIL_PERSON, "-2+3 \x1b[31mred"}


def test_fast_formatter_matches_tabulate() -> None:
    headers = ["Name", "N", "Longer header"]
    rows = [[f"  row {i} æøå", str(i * 7), "-" if i % 3 else "x" * (i % 11)] for i in range(1500)]
    numeric = [False, True, False]
    expected = tabulate(
        rows, headers=headers, tablefmt="simple", disable_numparse=True,
        preserve_whitespace=True, colalign=["left", "right", "left"],
    )  # fmt: skip
    assert simple_table(headers, rows, numeric) == expected


def test_a_long_cell_wraps_in_its_column_and_keeps_every_word() -> None:
    name = "Browsing, searching and filtering data, information and digital content " * 2
    out = render_table(
        ["Code", "Competency", "Req"], [["DC1.1", name, 3], ["DC2", "Short", 10]], 50
    )
    lines = out.splitlines()
    assert all(len(line) <= 50 for line in lines)
    assert lines[0].split() == ["Code", "Competency", "Req"]
    first, second = out.split("\n\n")  # records that take several lines are set apart
    assert first.split()[2:].count("3") == 1 and " ".join(first.split()).count("Browsing") == 2
    assert second.split()[-3:] == ["DC2", "Short", "10"]
    assert "..." not in out


def test_columns_that_do_not_fit_become_aligned_fields_under_their_record() -> None:
    headers = ["Code", "Name", *(f"Figure {n}" for n in range(1, 9))]
    rows = [["R1", "Robot one", *range(8)], ["R22", "Robot twenty-two", *range(100, 108)]]
    out = render_table(headers, rows, 60)
    assert all(len(line) <= 60 for line in out.splitlines())
    one, two = out.split("\n\n")
    assert one.splitlines()[2].split()[:2] == ["R1", "Robot"]  # header, rule, first record
    assert "Figure 8: 7" in one and "Figure 8: 107" in two and "Figure 8" not in out.splitlines()[0]
    fields_one = [line for line in one.splitlines() if "Figure 8:" in line][0]
    fields_two = [line for line in two.splitlines() if "Figure 8:" in line][0]
    assert fields_one.index("Figure 8:") == fields_two.index("Figure 8:")  # aligned


def test_a_table_that_fits_is_tabulates_simple_format() -> None:
    rows = [["DC1.1", "Browsing", 3], ["DC2", "Netiquette", 10]]
    expected = tabulate(
        [[str(v) for v in row] for row in rows], headers=["Code", "Competency", "Req"],
        tablefmt="simple", disable_numparse=True, colalign=["left", "left", "right"],
    )  # fmt: skip
    assert render_table(["Code", "Competency", "Req"], rows) == expected


def test_text_narrows_a_little_more_rather_than_move_a_column_out() -> None:
    headers = ["Plan", "Employee", "Name", "Dept", "Code", "Target", "Course", "Due", "Status"]
    rows = [["TP-000144", "E000414", "Torben Juhl Østergaard-Vestergaard", "20102", "DC1.1", 3,
             "K-KILDE", "2026-03-04", "in_progress"]]  # fmt: skip
    out = render_table(headers, rows, 100)
    assert out.splitlines()[0].split() == headers  # every column in the table
    assert "Status:" not in out and all(len(line) <= 100 for line in out.splitlines())
    assert "Østergaard-Vestergaard" in out
