"""Reports in Danish and English (issue #13): text and Markdown speak the language, with its
dates and numbers; CSV, JSON and workbooks are the same bytes whatever the language.

Each report kind is built and rendered on the demo municipality once per language; the words
differ, the figures (every run of digits, in order of appearance or not) do not.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

import i18n
from reports import ALL_REPORT_KINDS, analyse, build_report, render, render_file
from reports.analysis import Analysis
from reports.render.text import WIDTH
from store.demo import DEMO_AS_OF
from store.labels import plan_status_label
from store.models import PlanStatus
from store.repository import FolderRepository


@pytest.fixture(scope="module")
def demo(demo_db_template: Path) -> Analysis:
    return analyse(FolderRepository.open(demo_db_template, user="tester").ds, DEMO_AS_OF)


@pytest.fixture
def english():
    """Back to English after a test, whatever it switched to."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def options(analysis: Analysis, kind: str) -> dict:
    """What each kind needs beyond a date: a person, a competency, a second date."""
    if kind == "person":
        employee = next(
            p.employee_no
            for p in analysis.staff_in_scope(None)
            if analysis.person_rows(p.employee_no) and analysis.plans_for(p.employee_no)
        )
        return {"employee": employee}
    if kind == "experts":
        return {"competency": next(iter(analysis.department_figures(None).competencies))}
    if kind == "compare":
        return {"from_date": analysis.as_of - dt.timedelta(days=365)}
    return {}


def in_language(
    code: str, analysis: Analysis, kind: str, fmt: str, width: int | None = None
) -> str | bytes:
    """The report built and rendered with `code` the current language."""
    i18n.set_language(code)
    try:
        report = build_report(kind, analysis, analysis.as_of, **options(analysis, kind))
        return render_file(report, fmt) if fmt == "xlsx" else render(report, fmt, width)
    finally:
        i18n.set_language("en")


def figures(text: str) -> Counter[str]:
    """Every run of digits: 62.5 and 62,5 give 62 and 5; 2026-11-27 and 27-11-2026 give the
    same three; grouping (1,234 / 1.234) splits alike."""
    return Counter(re.findall(r"\d+", text))


DANISH_DAY = DEMO_AS_OF.strftime("%d-%m-%Y")


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("kind", ALL_REPORT_KINDS)
def test_csv_and_json_are_the_same_in_both_languages(demo, english, kind, fmt) -> None:
    assert in_language("da", demo, kind, fmt) == in_language("en", demo, kind, fmt)


def workbook_parts(data: bytes) -> dict[str, bytes]:
    """A workbook's files, but the one stamped with the time it was written."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("kind", ALL_REPORT_KINDS)
def test_a_workbook_is_the_same_in_both_languages(demo, english, kind) -> None:
    danish, english_book = (in_language(code, demo, kind, "xlsx") for code in ("da", "en"))
    assert workbook_parts(danish) == workbook_parts(english_book)


@pytest.mark.parametrize("fmt", ["text", "md"])
@pytest.mark.parametrize("kind", ALL_REPORT_KINDS)
def test_text_and_markdown_speak_danish_with_the_same_figures(demo, english, kind, fmt) -> None:
    danish = in_language("da", demo, kind, fmt)
    first = danish.splitlines()[0]
    assert f"pr. {DANISH_DAY}" in first and DEMO_AS_OF.isoformat() not in danish
    assert " report " not in first and "as of" not in danish
    assert "Whole organisation" not in danish and "whole organisation" not in danish
    if fmt == "text":
        assert all(len(line) <= WIDTH for line in danish.splitlines())
    # wide enough that no table moves a column under its records (which repeats its header)
    wide = 10_000 if fmt == "text" else None
    danish, english_text = (in_language(code, demo, kind, fmt, wide) for code in ("da", "en"))
    assert figures(danish) == figures(english_text)


@pytest.mark.parametrize("kind", ALL_REPORT_KINDS)
def test_every_heading_and_summary_label_is_in_danish(demo, english, kind) -> None:
    """Each table's title and each summary line's label has a Danish translation of its own
    (not the English words) and is in the Danish text."""
    i18n.set_language("da")
    report = build_report(kind, demo, demo.as_of, **options(demo, kind))
    danish = render(report, "text")
    labels = [table.title for table in report.tables()] + [key for key, _ in report.summary]
    for label in labels:
        shown = label.local()
        assert shown != str(label), f"{label!r} is not translated"
        assert shown.split()[0] in danish


def test_gaps_in_danish_shows_readiness_and_headers_the_danish_way(demo, english) -> None:
    readiness = build_report("gaps", demo).figures.readiness_pct
    english_text = in_language("en", demo, "gaps", "text")
    danish = in_language("da", demo, "gaps", "text")
    assert "Readiness:" in english_text and f"{readiness:.1f} %" in english_text
    assert f"{readiness:.1f} %".replace(".", ",") in danish
    assert "Parathed:" in danish and "Kompetencer" in danish


def test_the_person_report_shows_dates_and_statuses_in_danish(demo, english) -> None:
    danish = in_language("da", demo, "person", "md")
    assert "| Dato |" in danish
    assert re.search(r"\| \d\d-\d\d-\d{4} \|", danish)
    assert not re.search(r"\d{4}-\d\d-\d\d", danish)
    plans = build_report("person", demo, demo.as_of, **options(demo, "person")).plans
    i18n.set_language("da")
    statuses = {plan_status_label(plan.status) for plan in plans}
    assert statuses and all(f"| {status} |" in danish for status in statuses)
    assert not statuses & {str(status) for status in PlanStatus}  # Danish words, not values


def test_enumerations_show_their_labels_in_text_and_their_values_in_csv(demo, english) -> None:
    """A training plan in progress reads 'i gang' in Danish and 'in progress' in English text;
    CSV keeps the stored value, in_progress, in both."""
    danish, english_text = (in_language(code, demo, "training", "text") for code in ("da", "en"))
    csv_text = in_language("da", demo, "training", "csv")
    assert "\ni gang " in danish and "\nin progress " in english_text
    assert "in_progress" not in danish + english_text
    assert "\nin_progress," in csv_text and "i gang" not in csv_text
