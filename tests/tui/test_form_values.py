"""What the requirement and cohort forms make of typed codes (pure functions, no app)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.dataset import Dataset
from store.lookup import lookup
from store.models import Requirement
from tests.tui.small_org import build_small_org
from tui.forms.cohort import order_from_values
from tui.forms.picker import reference_hint
from tui.forms.requirement import describe


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return build_small_org(Path(tmp_path_factory.mktemp("org")) / "db").ds


def test_a_reference_hint_names_what_the_typed_code_or_name_means(ds):
    roles = lookup(ds, "roles")
    assert reference_hint(roles, "CW").plain == "✓ CW  Sagsbehandler"
    assert reference_hint(roles, "sagsbehandler").plain == "✓ CW  Sagsbehandler"
    assert reference_hint(roles, "").plain == "F2 searches by name or code"
    assert reference_hint(roles, "", "empty: every role").plain.startswith("empty: every role")
    assert reference_hint(roles, "sags").plain == "F2 to choose: CW Sagsbehandler"
    assert "no role matches" in reference_hint(roles, "xyz").plain


def test_hints_show_names_exactly_as_stored(ds):
    departments = lookup(ds, "departments")
    assert "Borgerservice [red]æøå[/red]" in reference_hint(departments, "D2").plain
    assert "Robotter i drift" in reference_hint(lookup(ds, "themes"), "T1").plain


def test_describe_a_requirement(ds):
    requirement = Requirement(competency="RPA", level=3, department="D2", role="CW")
    assert describe(ds, requirement) == (
        "RPA level 3 for D2 Borgerservice [red]æøå[/red] (role CW)"
    )


def test_cohort_order_from_parsed_values():
    values = {
        "department": "D2",
        "role": None,
        "competency": "RPA",
        "level": 3,
        "course": None,
        "due": dt.date(2026, 6, 1),
    }
    order = order_from_values(values)
    assert (order.criteria.department, order.criteria.role, order.criteria.level) == ("D2", None, 3)
    assert (order.due, order.course) == (dt.date(2026, 6, 1), None)
