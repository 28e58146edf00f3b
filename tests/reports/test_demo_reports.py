"""Every report on the demo municipality, in every format; golden text for gaps, heatmap, robots.

Regenerate the golden files after an intended change with
`KAPABEL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reports/test_demo_reports.py`
and review the diff: it is what a department lead would see change.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from reports import FORMATS, REPORT_KINDS, analyse, build_report, render
from reports.analysis import Analysis
from reports.render.text import WIDTH
from store.demo import DEMO_AS_OF
from store.repository import FolderRepository

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("KAPABEL_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def demo(demo_db_template: Path) -> Analysis:
    """The demo database, read only, analysed once at the demo's fixed date."""
    return analyse(FolderRepository.open(demo_db_template, user="tester").ds, DEMO_AS_OF)


def some_employee(analysis: Analysis) -> str:
    return next(
        p.employee_no for p in analysis.staff_in_scope(None) if analysis.person_rows(p.employee_no)
    )


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_every_report_in_every_format(demo: Analysis, kind: str) -> None:
    report = build_report(kind, demo, employee=some_employee(demo))
    for fmt in FORMATS:
        out = render(report, fmt)
        if fmt == "text":
            assert all(len(line) <= WIDTH for line in out.splitlines())
            assert not any(ch < " " and ch != "\n" for ch in out)
        elif fmt == "json":
            assert json.loads(out)["as_of"] == DEMO_AS_OF.isoformat()
        elif fmt == "csv":
            assert len(list(csv.reader(io.StringIO(out)))) > 3
        else:
            assert out.startswith("# ")


def test_department_scope_is_a_subset(demo: Analysis) -> None:
    top = demo.top_level()[0]
    whole = build_report("gaps", demo).to_dict()
    part = build_report("gaps", demo, department=top).to_dict()
    assert 0 < part["pairs_required"] < whole["pairs_required"]
    in_scope = demo.subtree(top)
    assert all(s["department"] in in_scope for s in part["staff"])
    assert {s["employee_no"] for s in part["staff"]} <= {s["employee_no"] for s in whole["staff"]}


def test_gaps_json_agrees_with_its_rows(demo: Analysis) -> None:
    data = build_report("gaps", demo).to_dict()
    short = {c["code"]: c["staff_required"] - c["staff_meeting"] for c in data["competencies"]}
    counted: dict[str, int] = {}
    for row in data["staff"]:
        assert row["gap"] == row["required"] - (row["current"] or 0) > 0
        counted[row["competency"]] = counted.get(row["competency"], 0) + 1
    assert counted == {c: n for c, n in short.items() if n}
    assert data["pairs_met"] == sum(c["staff_meeting"] for c in data["competencies"])


@pytest.mark.parametrize("kind", ["gaps", "heatmap", "robots"])
def test_golden_text(demo: Analysis, kind: str) -> None:
    text = render(build_report(kind, demo), "text")
    path = GOLDEN / f"{kind}.txt"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with KAPABEL_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{kind} text changed; if intended, regenerate with KAPABEL_UPDATE_GOLDEN=1 and review"
    )
