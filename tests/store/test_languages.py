"""The store speaks Danish and English (issue 13): a problem is rendered from its code and
parameters in the current language, an import's problem keeps its `file:line: column:` place
with the message in that language, and every enumeration has a label in both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.importing import import_file
from store.labels import (
    LABELS,
    archetype_label,
    audit_action_label,
    domain_label,
    influence_label,
    label,
    milestone_status_label,
    phase_label,
    plan_status_label,
    priority_label,
    source_label,
)
from store.models import PHASE_DANISH, PlanStatus, RobotPhase, Source, parse_phase
from store.problems import MESSAGES, Problem, render, render_line
from store.repository import FolderRepository
from tests.iohelpers import populate

ABOVE = Problem(
    "level",
    "level_above_scale",
    {"level": 9, "framework": "DIGCOMP", "top": 8, "competency": "DC1.1"},
)


def test_a_level_out_of_range_is_worded_in_danish_from_its_code(danish) -> None:
    assert render_line(ABOVE) == "niveau: 9 er over det højeste niveau i DIGCOMP, 8 (DC1.1)"
    below = Problem(
        "level",
        "level_below_scale",
        {"level": -1, "low": 0, "none": " = none", "competency": "DC1.1"},
    )
    assert render(below) == "-1 er under det laveste niveau, 0 = ingen (DC1.1)"


def test_english_words_the_same_problem_as_before() -> None:
    assert render(ABOVE) == "9 is above DIGCOMP's highest level, 8 (DC1.1)"


def test_the_words_a_message_names_things_with_are_translated_too(danish) -> None:
    missing = Problem("department", "unknown_reference", {"what": "department", "key": "D9"})
    assert render(missing) == "ukendt afdeling 'D9'"
    used = Problem(
        "",
        "in_use",
        {"table": "departments", "key": "D1", "used": {"staff": 1, "assessment": 1200}},
    )
    assert (
        render(used) == "kan ikke slette afdelinger 'D1': bruges stadig af 1 medarbejder, "
        "1.200 vurderinger"
    )


def test_dates_numbers_and_enumeration_values_follow_the_language(danish) -> None:
    before = Problem(
        "phase_since",
        "phase_date_before_last",
        {"date": dt.date(2026, 1, 2), "since": dt.date(2026, 3, 4)},
    )
    assert render(before) == "02-01-2026 er før robottens nuværende fase begyndte (04-03-2026)"
    large = Problem("", "file_too_large", {"limit": 52_428_800})
    assert render(large) == "større end importgrænsen på 52.428.800 byte"
    closed = Problem("status", "plan_closed", {"status": PlanStatus.IN_PROGRESS})
    assert render(closed) == "Denne plan er allerede i gang"


def test_english_dates_numbers_and_enumeration_values_are_as_always() -> None:
    before = Problem(
        "phase_since",
        "phase_date_before_last",
        {"date": dt.date(2026, 1, 2), "since": dt.date(2026, 3, 4)},
    )
    assert render(before) == "2026-01-02 is before the robot's current phase began (2026-03-04)"
    assert render(Problem("", "file_too_large", {"limit": 52_428_800})) == (
        "larger than the import limit of 52,428,800 bytes"
    )
    closed = Problem("status", "plan_closed", {"status": PlanStatus.IN_PROGRESS})
    assert render(closed) == "This plan is already in progress"


def test_every_message_has_a_danish_text_with_the_same_placeholders(danish) -> None:
    import re

    from i18n import _

    placeholder = re.compile(r"\{[^{}]*\}")
    for code, english in MESSAGES.items():
        words = _(english)
        assert code == "text" or words != english, f"{code} has no Danish text"
        assert set(placeholder.findall(words)) == set(placeholder.findall(english)), code


@pytest.fixture
def db(repo: FolderRepository) -> FolderRepository:
    populate(repo)
    return repo


def test_a_danish_import_line_names_the_row_and_column(db, tmp_path: Path, danish) -> None:
    path = tmp_path / "robots.csv"
    path.write_text(
        "code,name,department_code,phase,owner,phase_since\nROB8,Ny,NOPE,drift,,\n",
        encoding="utf-8",
    )
    plan = import_file(db, "robots", path)
    assert plan.problems == [f"{path}:2: department_code: ukendt afdeling 'NOPE'"]


def test_each_enumeration_has_a_label_in_english_and_danish(danish) -> None:
    assert [source_label(s) for s in Source] == ["selv", "leder", "test", "uddannelse"]
    assert plan_status_label("in_progress") == "i gang"
    assert milestone_status_label("done") == "færdig"
    assert priority_label("should") == "bør"
    assert domain_label("it_investment") == "IT-investeringer"
    assert archetype_label("business_monarchy") == "Forretningsmonarki"
    assert influence_label("high") == "høj"
    assert audit_action_label("restore") == "gendan"
    assert phase_label(RobotPhase.PRODUCTION) == "drift"
    for enum, labels in LABELS.items():
        assert list(labels) == list(enum), f"{enum.__name__} lacks a label"


def test_english_labels_are_the_words_kapabel_showed() -> None:
    assert plan_status_label(PlanStatus.IN_PROGRESS) == "in progress"
    assert domain_label("business_application_needs") == "Business application needs"
    assert archetype_label("it_duopoly") == "IT duopoly"
    assert phase_label("retired") == "retired" and source_label("self") == "self"
    assert label(PlanStatus.CANCELLED) == "cancelled"
    assert plan_status_label("someday") == "someday"  # a value this version does not know


def test_the_danish_phase_labels_are_the_names_read_on_input(danish) -> None:
    """The CLI and the importer read the process catalogue's Danish names whatever the
    language; the catalogue shows the same names."""
    for phase in RobotPhase:
        assert phase_label(phase) == PHASE_DANISH[phase]
        assert parse_phase(phase_label(phase)) == phase


def test_the_stores_errors_speak_danish(tmp_path: Path, danish) -> None:
    from store.errors import CorruptFileError
    from store.files import OutputError, write_output
    from store.register import parse_json_object

    with pytest.raises(OutputError) as refused:
        write_output(tmp_path, b"x")
    assert str(refused.value) == f"{tmp_path} er en mappe"
    with pytest.raises(CorruptFileError) as corrupt:
        parse_json_object(tmp_path / "staff.json", b"  ")
    assert str(corrupt.value) == (
        f"{tmp_path / 'staff.json'}: filen er tom (afkortet?) "
        "(filen er ikke ændret; ingen sikkerhedskopi fundet)"
    )


def test_a_refusal_to_one_department_names_the_operation_in_danish(db, danish) -> None:
    from store import open_store
    from store.scope import ScopeError

    with pytest.raises(ScopeError) as refused:
        open_store(db.path, department="D1").backup()
    assert str(refused.value) == (
        "en sikkerhedskopi angår hele databasen: ikke tilgængelig for én afdeling"
    )


def test_an_import_summary_and_its_notes_speak_danish(db, tmp_path: Path, danish) -> None:
    from store.importing import plan_file

    path = tmp_path / "departments.csv"
    path.write_text("code,name,colour\nD9,Kultur,blå\n", encoding="utf-8")
    plan = plan_file(db, "departments", path)
    assert plan.summary() == "departments: 1 tilføjet, 0 opdateret, 0 uændret"
    assert plan.notes == ["ignorerede kolonner: colour"]


def test_a_persons_data_reads_in_danish(db, danish) -> None:
    from store.person import person_data, person_text
    from tests.iohelpers import EMPLOYEE_NO

    text = person_text(person_data(db, EMPLOYEE_NO))
    lines = text.splitlines()
    assert lines[0] == f"Data om medarbejder {EMPLOYEE_NO}"
    assert "Profil" in lines and "Vurderinger (2)" in lines and "Robotter (1)" in lines
    assert any(line.startswith("Aktiv:") and line.endswith("ja") for line in lines)
    assert any(line.endswith("ejer, operatør") for line in lines)
    assert any(line.startswith("Kilde:") or " Kilde:" in line for line in lines)
    dates = [line.split(":", 1)[1].strip() for line in lines if line.strip().startswith("Dato:")]
    assert "05-01-2026" in dates  # as Danish writes dates (a record's key keeps its own)


def test_an_audit_summary_counts_in_danish(danish) -> None:
    from store.auditlog import counts_in_words

    counts = {"create:staff": 3, "update:training_plans": 2}
    assert counts_in_words(counts) == "3 medarbejdere oprettet, 2 uddannelsesplaner opdateret"
    assert counts_in_words({}) == "intet ændret"


def test_an_audit_summary_counts_in_english_as_before() -> None:
    from store.auditlog import counts_in_words

    counts = {"create:staff": 3, "update:training_plans": 2}
    assert counts_in_words(counts) == "3 staff created, 2 training plans updated"


@pytest.mark.parametrize(
    ("kind", "field", "enum"),
    [
        ("requirements", "priority", "Priority"),
        ("assessments", "source", "Source"),
        ("training", "status", "PlanStatus"),
        ("milestones", "status", "MilestoneStatus"),
        ("stakeholders", "interest", "InfluenceLevel"),
        ("governance", "domain", "DecisionDomain"),
        ("governance", "decision_rights", "Archetype"),
        ("robots", "phase", "RobotPhase"),
    ],
)
def test_a_danish_label_is_read_back_by_the_importer(kind, field, enum, danish) -> None:
    """What a Danish screen or report shows is what a Danish file may say: every label reads
    back as its value, so a person can copy it."""
    from store import models
    from store.importing.kinds import KINDS

    column = next(c for c in KINDS[kind].columns if c.field == field)
    for value in getattr(models, enum):
        assert column.parse(label(value)) == value, label(value)


def test_a_refused_record_is_named_by_its_table_in_danish(db, danish) -> None:
    from store.errors import ValidationProblem
    from store.models import Staff

    with pytest.raises(ValidationProblem) as refused:
        db.put(Staff(employee_no="E77", name="Ny", department="NOPE"))
    assert str(refused.value) == "medarbejdere 'E77': afdeling: ukendt afdeling 'NOPE'"
