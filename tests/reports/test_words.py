"""reports.words: a report's texts carry English for machines and the current language for people."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

import i18n
from reports.words import (
    Phrase,
    enum_text,
    joined,
    local,
    machine,
    met_of,
    number,
    percent,
    term,
    yes_no,
)
from store.models import PlanStatus


@pytest.fixture
def danish():
    i18n.set_language("da")
    yield
    i18n.set_language("en")


def test_a_phrase_is_its_english_text_whatever_the_language(danish) -> None:
    met = met_of(1234, 2000)
    assert met == "1234 of 2000" and str(met) == "1234 of 2000"
    assert met.local() == "1234 af 2000"
    assert orjson.dumps({"met": met}) == b'{"met":"1234 of 2000"}'
    assert machine(met) == "1234 of 2000" and local(met) == "1234 af 2000"


def test_a_phrase_is_translated_when_shown_not_when_made() -> None:
    whole = term("whole organisation")
    assert whole.local() == "whole organisation"
    i18n.set_language("da")
    try:
        assert whole.local() == "hele organisationen"
    finally:
        i18n.set_language("en")
    assert whole.local() == "whole organisation"


@pytest.mark.parametrize(
    ("value", "english", "in_danish"),
    [
        (62.45, "62.5", "62,5"),
        (dt.date(2026, 11, 27), "2026-11-27", "27-11-2026"),
        (True, "yes", "ja"),
        (None, "-", "-"),
        (7, "7", "7"),
        ("Ærø\nKommune", "Ærø Kommune", "Ærø Kommune"),
        (number(1314.0, 2), "1314.00", "1314,00"),
        (percent(71.66), "71.7 %", "71,7 %"),
        (yes_no(False).upper(), "NO", "NEJ"),
        (enum_text(PlanStatus.IN_PROGRESS, PlanStatus), "in_progress", "i gang"),
        (enum_text("someday", PlanStatus), "someday", "someday"),
        (joined([dt.date(2026, 1, 2), 2.5]), "2026-01-02, 2.5", "02-01-2026, 2,5"),
    ],
)
def test_machine_keeps_english_and_local_follows_the_language(
    danish, value, english, in_danish
) -> None:
    assert machine(value) == english
    assert local(value) == in_danish


def test_english_local_text_is_the_english_text_but_for_enumeration_labels() -> None:
    for value in (met_of(1, 2), percent(5.0), number(2.25, 1), yes_no(True), term("Total")):
        assert isinstance(value, Phrase) and local(value) == str(value)
    assert local(enum_text(PlanStatus.IN_PROGRESS, PlanStatus)) == "in progress"
