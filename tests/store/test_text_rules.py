"""Codes refuse key separators and invisible or reordering characters; names refuse control
characters -- one rule, marked on the models' text types and checked by
`store.integrity.record_problems`, so CSV import, JSON import, forms and every save refuse alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.errors import ValidationProblem
from store.importing import import_file
from store.models import Course, Department, Framework, Robot, Staff
from store.repository import FolderRepository
from store.text import terminal_safe
from tests.iohelpers import folder_hashes, populate


@pytest.fixture
def db(repo: FolderRepository) -> FolderRepository:
    populate(repo)
    return repo


def imported(db: FolderRepository, tmp_path: Path, kind: str, text: str, name="in.csv"):
    """The import's problems; the database folder must be unchanged when there are any."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = folder_hashes(db.path)
    plan = import_file(db, kind, path)
    if plan.problems:
        assert folder_hashes(db.path) == before
    return [p.removeprefix(f"{path}:") for p in plan.problems]


SEPARATOR = "'|' (U+007C VERTICAL LINE) (not allowed in a code)"


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("departments", "code,name\nD|9,Ny\n", f"2: code: may not hold {SEPARATOR}"),
        ("roles", "code,name\nR|9,Ny\n", f"2: code: may not hold {SEPARATOR}"),
        (
            "staff",
            "employee_no,name,department_code\nE|1,Ny,D1\n",
            f"2: employee_no: may not hold {SEPARATOR}",
        ),
        (
            "staff",
            "employee_no,name,department_code\nE\u200b1,Ny,D1\n",
            "2: employee_no: may not hold U+200B ZERO WIDTH SPACE (not allowed in a code)",
        ),
        (
            "staff",
            "employee_no,name,department_code\nE\u202e1,Ny,D1\n",
            "2: employee_no: may not hold U+202E RIGHT-TO-LEFT OVERRIDE (not allowed in a code)",
        ),
        (
            "staff",
            "employee_no,name,department_code\nE\u20661,Ny,D1\n",
            "2: employee_no: may not hold U+2066 LEFT-TO-RIGHT ISOLATE (not allowed in a code)",
        ),
        (
            "competencies",
            "framework,code,name\nRPA,RPA|2,Ny\n",
            f"2: code: may not hold {SEPARATOR}",
        ),
        (
            "robot-benefits",
            "robot,month,hours_saved\nROB\ufeff1,2026-01,3\n",
            "2: robot: may not hold U+FEFF ZERO WIDTH NO-BREAK SPACE (not allowed in a code)",
        ),
        (
            "requirements",
            "department_code,competency,level,theme\nD1,RPA1,2,T|1\n",
            f"2: theme: may not hold {SEPARATOR}",
        ),
        (
            "training",
            "employee_no,competency,target_level,course\nE2,RPA1,2,K|1\n",
            f"2: course: may not hold {SEPARATOR}",
        ),
    ],
)
def test_csv_import_refuses_a_code_with_a_separator_or_invisible_character(
    db, tmp_path, kind, text, expected
) -> None:
    assert imported(db, tmp_path, kind, text) == [expected]


def test_two_employee_numbers_that_look_the_same_cannot_both_exist(db, tmp_path) -> None:
    text = "employee_no,name,department_code\nE4711\u200b,Dobbelt,D1\n"
    assert imported(db, tmp_path, "staff", text) == [
        "2: employee_no: may not hold U+200B ZERO WIDTH SPACE (not allowed in a code)"
    ]
    assert list(FolderRepository.open(db.path).ds.staff) == ["E4711", "E2"]


def framework(name: str, competency_name: str = "Runs") -> str:
    return json.dumps(
        {
            "code": "SIK",
            "name": name,
            "scale": [{"level": 1, "label": "Begynder"}],
            "competencies": [{"code": "SIK1", "name": competency_name}],
        }
    )


@pytest.mark.parametrize(
    ("name", "competency_name", "expected"),
    [
        ("Sik\x00kerhed", "Runs", "1: framework: name: may not hold the control character U+0000"),
        ("Sik\x1b[2J", "Runs", "1: framework: name: may not hold the control character U+001B"),
        (
            "Sikkerhed",
            "Kør\x1b]0;x\x07",
            "1: competencies[1]: name: may not hold the control character U+001B",
        ),  # fmt: skip
    ],
)
def test_framework_json_refuses_control_characters_in_names_like_the_csv_import(
    db, tmp_path, name, competency_name, expected
) -> None:
    problems = imported(db, tmp_path, "competencies", framework(name, competency_name), "f.json")
    assert problems == [expected]
    assert "SIK" not in FolderRepository.open(db.path).ds.frameworks


def test_csv_import_refuses_control_characters_too(db, tmp_path) -> None:
    problems = imported(db, tmp_path, "roles", "code,name\nR9,Ny\x1b[31m\n")
    assert problems and "control characters" in problems[0]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            lambda: Staff(employee_no="E1", name="A\x1bB", department="D1"),
            "name: may not hold the control character U+001B",
        ),
        (
            lambda: Staff(employee_no="E1", name="A\u202eB", department="D1"),
            "name: may not hold U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        (
            lambda: Staff(employee_no="E1", name="A", department="D1", email="a\x07@b.dk"),
            "email: may not hold the control character U+0007",
        ),
        (
            lambda: Course(code="K1", name="Kursus", raises={"DC1.1|x": 2}),
            f"raises.DC1.1|x.[key]: may not hold {SEPARATOR}",
        ),
        (
            lambda: Department(code="D\n1", name="Ny"),
            "code: may not hold the control character U+000A (not allowed in a code)",
        ),
        (
            lambda: Robot(code="RB9", name="Bot", department="D1", operators=["E1", "E\u200b2"]),
            "operators.1: may not hold U+200B ZERO WIDTH SPACE (not allowed in a code)",
        ),
        (
            lambda: Framework(code="F9", name="F", scale=[{"level": 1, "label": "Ny\x1b[1m"}]),
            "scale.0.label: may not hold the control character U+001B",
        ),
    ],
)
def test_the_stores_save_names_the_field_and_the_character(db, build, expected) -> None:
    """The store's save (every form saves through it) refuses what the imports refuse."""
    with pytest.raises(ValidationProblem) as caught:
        db.put(build())
    assert caught.value.lines == [expected]


def test_names_may_hold_joiners_and_notes_may_hold_line_breaks() -> None:
    assert Staff(employee_no="E1", name="Mehr\u200cnaz", department="D1").name == "Mehr\u200cnaz"
    from store.models import Assessment

    note = Assessment(staff="E1", competency="C", level=1, date="2026-01-01", note="a\n\tb")
    assert note.note == "a\n\tb"


def test_a_form_save_is_refused_by_the_same_rule(db) -> None:
    with pytest.raises(ValidationProblem, match=r"employee_no: may not hold '\|'"):
        db.put(Staff(employee_no="E|9", name="Ny", department="D1"))
    assert "E|9" not in FolderRepository.open(db.path).ds.staff


def test_a_database_written_before_the_rule_still_opens_and_check_names_it(db) -> None:
    staff_file = db.path / "staff.json"
    data = json.loads(staff_file.read_text())
    doc = next(iter(data["staff"].values()))
    doc["employee_no"] = "E|OLD"
    staff_file.write_text(json.dumps(data))
    reopened = FolderRepository.open(db.path)
    assert "E|OLD" in reopened.ds.staff
    assert (
        "staff 'E|OLD': employee_no: may not hold '|' (U+007C VERTICAL LINE) (not allowed in a "
        "code)" in reopened.problems()
    )


def test_terminal_safe_shows_escape_sequences_instead_of_running_them() -> None:
    assert terminal_safe("a\x1b[2Jb\u202ec\rd\te\n") == "a\\x1b[2Jb\\u202ec\\x0dd\te\n"


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u200e", "U+200E LEFT-TO-RIGHT MARK"),
        ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
        ("\u061c", "U+061C ARABIC LETTER MARK"),
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\u2063", "U+2063 INVISIBLE SEPARATOR"),
    ],
)
def test_bidi_marks_invisible_and_line_separators_are_refused_in_codes_and_names(
    db, tmp_path, char, named
) -> None:
    """Marks reorder what a terminal shows and invisible characters hide a difference, as
    U+202E and U+200B do: 'E1' and 'E1' + U+200F looked like one employee to everyone."""
    text = f"employee_no,name,department_code\nE{char}1,Ny,D1\nE9,N{char}y,D1\n"
    assert imported(db, tmp_path, "staff", text) == [
        f"2: employee_no: may not hold {named} (not allowed in a code)",
        f"3: name: may not hold {named}",
    ]
    assert terminal_safe(f"a{char}b") == f"a{char.encode('unicode_escape').decode()}b"


def test_a_code_refuses_a_space_that_only_looks_like_a_space(db, tmp_path) -> None:
    """'E 1' with a no-break space and 'E 1' with a space would be two employees nobody can
    tell apart."""
    text = "employee_no,name,department_code\nE\u00a01,Ny,D1\n"
    assert imported(db, tmp_path, "staff", text) == [
        "2: employee_no: may not hold U+00A0 NO-BREAK SPACE (not allowed in a code)"
    ]
