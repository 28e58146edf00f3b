"""What the requirement and cohort forms make of typed codes (pure functions, no app)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.dataset import Dataset
from store.models import Requirement
from tests.tui.small_org import build_small_org
from tui.forms.cohort import order_from_values
from tui.forms.requirement import code_hint, describe, unknown_codes


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return build_small_org(Path(tmp_path_factory.mktemp("org")) / "db").ds


def test_every_unknown_code_is_named_at_its_field(ds):
    values = {"department": "XX", "role": "ZZ", "competency": "RPA", "theme": "T9", "course": "K"}
    assert unknown_codes(ds, values) == {
        "department": "unknown department 'XX'",
        "role": "unknown role 'ZZ'",
        "theme": "unknown theme 'T9'",
        "course": "unknown course 'K'",
    }
    assert unknown_codes(ds, {"department": "D2", "role": None, "competency": "SEC"}) == {}


def test_hints_show_names_exactly_as_stored(ds):
    assert code_hint(ds, "department", "D2").plain == "Borgerservice [red]æøå[/red]"
    assert code_hint(ds, "role", "").plain == "empty: every role"
    assert code_hint(ds, "theme", "T1").plain == "Robotter i drift"


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
