"""The gaps report's JSON is written column-wise (its list of gap rows made from the analysis's
arrays, issue 14); it must stay byte for byte what `orjson` makes of `to_dict()`: names with
quotes, backslashes, control characters, emoji; departments not in the register; no gaps."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import build_report, render, render_file
from reports.gaps import _json_strings
from tests.reports.factory import Builder

AS_OF = dt.date(2026, 1, 1)
DEPARTMENTS = ["ROOT", "A", "B", "GONE"]  # GONE: a department not in the register
NAMES = (
    st.lists(
        st.one_of(
            st.sampled_from(['",', '","', '\\"', *'"\\\n\t\x00\x1b\u202eæøÅ😀 ,:{}[]']),
            st.characters(codec="utf-8"),
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda text: text.strip())
)  # a quote before a comma ('",') once cut a list of JSON strings in the wrong place


@st.composite
def organisations(draw) -> Builder:
    b = Builder()
    b.department("ROOT", None, draw(NAMES))
    b.department("A", "ROOT", draw(NAMES))
    b.department("B", "ROOT", draw(NAMES))
    for code in ("C1", "C2", "C10"):
        b.competency(code, draw(NAMES))
    people = draw(st.lists(st.tuples(st.sampled_from(DEPARTMENTS), NAMES), max_size=8))
    for i, (department, name) in enumerate(people):
        b.staff(f"E{i + 1}", department, draw(st.sampled_from([None, "r1"])),
                active=draw(st.booleans()), name=name)  # fmt: skip
    for department, competency, level in draw(
        st.lists(
            st.tuples(
                st.sampled_from(DEPARTMENTS),
                st.sampled_from(["C1", "C2", "C10"]),
                st.integers(1, 5),
            ),
            max_size=5,
        )  # fmt: skip
    ):
        b.require(competency, level, department)
    staff = list(b.ds.staff)
    if staff:
        for person, competency, level, target in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(staff),
                    st.sampled_from(["C1", "C2", "C10"]),
                    st.integers(0, 5),
                    st.integers(1, 5),
                ),
                max_size=10,
            )  # fmt: skip
        ):
            b.assess(person, competency, level, dt.date(2025, 6, 1))
            b.plan(person, competency, target)
    return b


def expected_json(report) -> bytes:
    data = report.to_dict()
    notes = [value for label, value in report.summary if label == "Note"]
    if notes:
        data["notes"] = notes
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@given(organisations(), st.sampled_from([None, "ROOT", "A", "GONE"]))
@settings(max_examples=300, deadline=None)
def test_gaps_json_is_what_orjson_makes_of_the_report(b: Builder, department) -> None:
    if department == "GONE":
        department = None
    report = build_report("gaps", b.ds, AS_OF, department=department)
    assert render_file(report, "json") == expected_json(report)
    assert render(report, "json") == expected_json(report).decode()


@pytest.mark.parametrize(
    "values",
    [['a",', "b"], ['","', "x"], ["\\", '"'], ["a", "", '"",'], ['é","ø', '",', '",']],
)
def test_texts_with_quotes_and_commas_are_cut_where_they_end(values) -> None:
    assert _json_strings(values) == [orjson.dumps(v)[1:-1] for v in values]


@given(
    st.lists(
        st.lists(st.sampled_from(['"', ",", "\\", "a", "ø", '","', '\\"'])).map("".join),
        max_size=6,
    )
)
@settings(max_examples=500, deadline=None)
def test_any_texts_are_cut_where_they_end(values) -> None:
    assert _json_strings(values) == [orjson.dumps(v)[1:-1] for v in values]
