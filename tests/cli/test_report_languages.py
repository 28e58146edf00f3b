"""`kapabel report gaps --lang da` and `--lang en` (issue #13): the same numbers in two
languages, and JSON that is byte for byte the same (machine output keeps English keys, ISO dates
and `.` decimals whatever the language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.cli import main

AS_OF = "2026-11-27"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "db"
    assert main(["demo", "--db", str(db), "--staff", "60", "--no-open"]) == 0
    return db


def report(capsys, demo: Path, *options: str) -> str:
    assert main(["report", "gaps", "--db", str(demo), "--as-of", AS_OF, *options]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def numbers(text: str) -> list[str]:
    """The numbers in a report, in one form: dates as ISO (27-11-2026 -> 2026-11-27), then
    1,234.5 and 1.234,5 as 1234.5 (three digits after a point or comma are thousands); sorted,
    as a translated table may order its words, not its figures, differently."""
    text = re.sub(r"\b(\d{2})-(\d{2})-(\d{4})\b", r"\3-\2-\1", text)
    text = re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", text)
    return sorted(re.findall(r"\d+(?:\.\d+)?", text.replace(",", ".")))


def test_the_json_is_the_same_in_both_languages(capsys, demo):
    english = report(capsys, demo, "--format", "json", "--lang", "en")
    danish = report(capsys, demo, "--lang", "da", "--format", "json")
    assert english.startswith("{") and AS_OF in english
    assert danish == english


def test_the_text_report_carries_the_same_numbers_in_danish(capsys, demo):
    english = report(capsys, demo, "--lang", "en", "--width", "200")
    danish = report(capsys, demo, "--width", "200", "--lang", "da")
    assert numbers(english)
    assert numbers(danish) == numbers(english)


def test_the_csv_is_the_same_in_both_languages(capsys, demo):
    english = report(capsys, demo, "--format", "csv", "--lang", "en")
    assert english.startswith("Gaps report | whole organisation | as of 2026-11-27\n")
    assert report(capsys, demo, "--format", "csv", "--lang", "da") == english


def test_the_text_report_speaks_danish(capsys, demo):
    english = report(capsys, demo, "--lang", "en")
    danish = report(capsys, demo, "--lang", "da")
    assert english.startswith("Gaps report | whole organisation | as of 2026-11-27\n")
    assert danish.startswith("Kompetencegabsrapport | hele organisationen | pr. 27-11-2026\n")
    whole, tenth = re.search(r"Readiness: +(\d+)\.(\d) %", english).groups()
    assert re.search(rf"Parathed: +{whole},{tenth} %", danish)
    assert "Staff with a gap" in english and "Medarbejdere med gab" in danish
