"""Dates and numbers follow the language (issue #13): English keeps Kapabel's formats."""

import datetime as dt

import pytest

import i18n


@pytest.fixture
def danish():
    i18n.set_language("da")
    yield
    i18n.set_language("en")


def test_english_keeps_the_formats_kapabel_always_showed():
    assert i18n.format_date(dt.date(2026, 11, 27)) == "2026-11-27"
    assert i18n.format_integer(1234) == "1,234"
    assert i18n.format_percent(62.5) == "62.5 %"


def test_danish_writes_dates_and_numbers_the_danish_way(danish):
    assert i18n.format_date(dt.date(2026, 11, 27)) == "27-11-2026"
    assert i18n.format_integer(1234) == "1.234"
    assert i18n.format_percent(62.5) == "62,5 %"
    assert i18n.format_decimal(1234.56, 2, grouping=True) == "1.234,56"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("sv")


@pytest.mark.parametrize("value", [0.05, 0.15, 2.675, 62.45, 99.95])
def test_both_languages_round_alike(value):
    english = i18n.format_decimal(value, 1)
    i18n.set_language("da")
    try:
        assert i18n.format_decimal(value, 1) == english.replace(".", ",")
    finally:
        i18n.set_language("en")
