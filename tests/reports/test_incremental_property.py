"""After a save of assessments, `Analysis.after_assessments` updates the figures from the
previous analysis (the saved people's pairs, their departments' counters) instead of analysing
everything again: on random organisations and random sequences of saves (same-date ties, expiry,
people and competencies outside the register, sometimes a register change, which falls back to
a full analysis) its figures equal a full `analyse` of the same data, and the analysis before
the save keeps giving the figures it gave."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.analysis import Analysis, analyse
from reports.heatmap import department_grid, person_cells
from reports.ratings import expiring_pairs
from store.dataset import as_history
from tests.reports.factory import Builder, row
from tests.reports.test_analysis_property import (
    COMPETENCIES,
    FIRST,
    SOURCES,
    TREE,
    organisations,
)

CODES = [None, *TREE]
ASKED = [*COMPETENCIES, "UNREQUIRED", "NEW"]  # NEW: a competency first assessed in a save


def figures(analysis: Analysis) -> dict:
    """Everything a screen or report reads of an analysis, as plain values."""
    ds = analysis.ds
    people = [*ds.staff, "NOT-IN-REGISTER", "NEWCOMER"]
    return {
        "departments": {c: analysis.department_figures(c) for c in CODES},
        "own": {c: analysis.own_figures(c) for c in TREE},
        "readiness": {c: analysis.department_figures(c).readiness_pct for c in CODES},
        "gaps": {c: analysis.gap_rows(c) for c in CODES},
        "levels": {(p, c): analysis.current_level(p, c) for p in people for c in ASKED},
        "rows": {(p, c): analysis.current_for(p, c) for p in people for c in ASKED},
        "current": analysis.current,
        "person_rows": {p: analysis.person_rows(p) for p in ds.staff},
        "heatmap": {c: department_grid(analysis, c) for c in CODES},
        "cells": {
            (p.employee_no, layer): person_cells(analysis, p, ASKED, layer)
            for p in ds.staff.values()
            for layer in ("levels", "stale")
        },
        "expiring": {
            (c, days): expiring_pairs(analysis, c, days) for c in CODES for days in (3, 30)
        },
        "note": analysis.assessments_note(),
        "history": {p: analysis.history_for(p) for p in people},
        "meeting": {
            (c, level): analysis.meeting_counts(c, level, list(TREE))
            for c in ASKED
            for level in (1, 3)
        },
    }


saves = st.lists(  # each save: a few assessments, or (rarely) a register change
    st.one_of(
        st.lists(
            st.tuples(
                st.sampled_from(["E1", "E2", "E3", "E1", "NOT-IN-REGISTER", "NEWCOMER"]),
                st.sampled_from([*COMPETENCIES, *COMPETENCIES, "UNREQUIRED", "NEW"]),
                st.integers(0, 5),
                st.integers(0, 30),
                st.sampled_from(SOURCES),
                st.one_of(st.none(), st.integers(0, 10)),
            ),
            min_size=1,
            max_size=3,
        ),
        st.just("plan"),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(organisations(), saves, st.integers(-2, 40), st.booleans())
def test_figures_after_saves_equal_a_full_analysis(
    b: Builder, saved: list, day: int, read_first: bool
) -> None:
    as_of = FIRST + dt.timedelta(days=day)
    ds = dataclasses.replace(b.ds, assessments=as_history(list(b.ds.assessments)))
    analysis = analyse(ds, as_of)
    for save in saved:
        before = figures(analysis) if read_first else None  # fills the caches first
        if save == "plan":  # not an assessment: figures from scratch
            plans = dict(ds.training_plans)
            plan = Builder().staff("E1", "ROOT").plan("E1", "C1", 3).ds.training_plans
            plans.update({f"P{len(plans)}": p for p in plan.values()})
            new_ds = dataclasses.replace(ds, training_plans=plans)
        else:
            rows = []
            for person, competency, level, days, source, valid in save:
                date = FIRST + dt.timedelta(days=days)
                until = None if valid is None else date + dt.timedelta(days=valid)
                seq = len(ds.assessments) + len(rows)
                rows.append(row(person, competency, level, date, source, until, seq))
            new_ds = dataclasses.replace(ds, assessments=ds.assessments.extended(rows))
        updated = analysis.after_assessments(new_ds)
        assert updated.ds is new_ds
        assert figures(updated) == figures(analyse(new_ds, as_of))
        if before is not None:
            assert figures(analysis) == before, "the analysis before the save is unchanged"
        ds, analysis = new_ds, updated
