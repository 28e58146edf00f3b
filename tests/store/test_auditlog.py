"""Audit filters shared by `kapabel audit` and the Audit view."""

from __future__ import annotations

import datetime as dt

from store.auditlog import about_employee, describe, filter_entries

ENTRIES = [
    {
        "at": "2026-01-01T10:00:00+00:00",
        "action": "create",
        "entity": "staff",
        "key": "E1",
        "changes": {"name": [None, "Åse"]},
    },
    {
        "at": "2026-02-01T10:00:00+00:00",
        "action": "update",
        "entity": "robots",
        "key": "ROB1",
        "changes": {"operators": [["E2"], ["E2", "E1"]]},
    },
    {
        "at": "2026-03-01T10:00:00+00:00",
        "action": "create",
        "entity": "assessments",
        "key": "E10|DC1.1|2026-03-01|self",
        "changes": {},
    },
    {
        "at": "2026-04-01T10:00:00+00:00",
        "action": "delete",
        "entity": "roles",
        "key": "R1",
        "changes": {"name": ["Leder", None]},
    },
]


def test_about_an_employee_means_key_part_or_changed_value_never_a_prefix() -> None:
    assert [about_employee(e, "E1") for e in ENTRIES] == [True, True, False, False]


def test_filters_combine() -> None:
    since = list(filter_entries(ENTRIES, since=dt.date(2026, 2, 1), employee="E1"))
    assert [e["key"] for e in since] == ["ROB1"]
    assert [e["key"] for e in filter_entries(ENTRIES, text="åse")] == ["E1"]
    assert [e["key"] for e in filter_entries(ENTRIES, entity="roles")] == ["R1"]


def test_describe_says_what_changed() -> None:
    assert [describe(e) for e in ENTRIES] == [
        "name=Åse",
        "operators: ['E2'] -> ['E2', 'E1']",
        "",
        "name was Leder",
    ]
