"""The text renderer's column-at-a-time formatter (`reports.render.text`) gives byte for byte
what tabulate's "simple" format and the value-by-value helpers (`cells.cell_text`,
`cells.is_numeric_column`, `cells.group_rows`) give, on random tables: the text a report prints
does not depend on how fast it was made."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from reports.base import Table
from reports.render.cells import cell_text, group_rows, is_numeric_column
from reports.render.text import (
    heading,
    paragraph,
    render_section,
    simple_table,
    table_width,
    text_column,
    wrapped_table,
)
from reports.words import day, term

# Cell text as a table gets it: no control characters (`cells.plain` made them spaces).
_plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029"),
    max_size=12,
)
_values = st.one_of(
    st.text(max_size=10),  # user text: control characters, newlines, escape codes
    _plain_text,
    st.integers(-5, 10**6),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    st.sampled_from(["yes", "no", "Netiquette"]).map(term),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)).map(day),
)


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_the_layout_is_tabulates_simple_format(data) -> None:
    count = data.draw(st.integers(1, 5))
    headers = data.draw(st.lists(_plain_text, min_size=count, max_size=count))
    rows = data.draw(
        st.lists(st.lists(_plain_text, min_size=count, max_size=count), min_size=1, max_size=8)
    )  # a table without rows is printed as "(none)"
    numeric = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    expected = tabulate(
        rows, headers=headers, tablefmt="simple", disable_numparse=True,
        preserve_whitespace=True, colalign=["right" if n else "left" for n in numeric],
    )  # fmt: skip
    assert simple_table(headers, rows, numeric) == expected


@given(st.lists(_values, max_size=12))
@settings(max_examples=400, deadline=None)
def test_a_column_is_made_text_and_aligned_as_value_by_value(values) -> None:
    texts, numeric = text_column(values)
    assert texts == [cell_text(value) for value in values]
    assert numeric == is_numeric_column([[value] for value in values], 0)


@given(st.lists(st.integers(0, 10**6) | st.none(), max_size=12))
def test_a_column_of_numbers_is_made_text_as_value_by_value(values) -> None:
    assert text_column(values)[0] == [cell_text(value) for value in values]


def reference_table(headers: list, rows: list[list], width: int) -> str:
    """A table as the renderer set it value by value, through tabulate."""
    numeric = [is_numeric_column(rows, i) for i in range(len(headers))]
    text_rows = [[cell_text(v) for v in row] for row in rows]
    text_headers = [cell_text(h) for h in headers]
    natural = [
        max([len(h) + 2] + [len(row[i]) for row in text_rows]) for i, h in enumerate(text_headers)
    ]
    if table_width(natural) <= width:
        return tabulate(
            text_rows, headers=text_headers, tablefmt="simple", disable_numparse=True,
            preserve_whitespace=True, colalign=["right" if n else "left" for n in numeric],
        )  # fmt: skip
    return wrapped_table(text_headers, text_rows, numeric, width)


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_a_table_split_by_a_column_is_set_as_one_table_per_run(data) -> None:
    count = data.draw(st.integers(2, 5))
    headers = data.draw(st.lists(_plain_text, min_size=count, max_size=count))
    group_by = data.draw(st.integers(0, count - 1))
    cells = st.lists(_values, min_size=count, max_size=count)
    rows = data.draw(st.lists(cells, min_size=1, max_size=10))
    for row in rows:  # few keys, so that runs of equal keys are common
        row[group_by] = data.draw(st.sampled_from(["SOC", "ÆLD", None, 3]))
    width = data.draw(st.sampled_from([40, 60, 100]))
    table = Table(title="T", headers=headers, rows=rows, group_by=group_by)

    kept = headers[:group_by] + headers[group_by + 1 :]
    expected = [heading("T", "-", width)]
    for key, group in group_rows(rows, group_by):
        expected.append(paragraph(f"{cell_text(headers[group_by])}: {cell_text(key)}", width))
        expected.append(reference_table(kept, group, width))
    assert render_section(table, width) == "\n\n".join(expected)
