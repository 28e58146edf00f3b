"""Audit filters shared by `kapabel audit` and the Audit view."""

from __future__ import annotations

import datetime as dt

from store.auditlog import about_employee, change_lines, describe, filter_entries

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


SUMMARY = {
    "at": "2026-05-01T10:00:00+00:00",
    "action": "import",
    "entity": "*",
    "key": "demo municipality, seed 1, 3 staff",
    "changes": {"counts": [None, {"create:staff": 3, "update:training_plans": 2}]},
}


def test_a_summary_entry_is_told_in_words_not_as_a_dict() -> None:
    assert describe(SUMMARY) == "3 staff created, 2 training plans updated"
    assert change_lines(SUMMARY) == ["3 staff created, 2 training plans updated"]


def test_change_lines_show_every_field_whole_old_to_new() -> None:
    long = "x" * 200
    entry = {
        "entity": "staff",
        "key": "E1",
        "changes": {"name": ["Åse", long], "email": [None, "a@b"]},
    }
    assert change_lines(entry) == [f"name: Åse → {long}", "email: — → a@b"]
    assert change_lines(ENTRIES[1]) == ["operators: E2 → E2, E1"]
