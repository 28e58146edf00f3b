"""A refusal is data (field, code, params); `store.problems.render` alone words it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from store.errors import format_pydantic_error
from store.models import Department, Framework, RobotBenefit, Staff
from store.problems import MESSAGES, Problem, by_field, from_pydantic, render, render_line
from store.text_rules import text_problems


def refused(model: type, **values: object) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(values)
    return from_pydantic(caught.value)


def test_a_rule_between_fields_names_its_field_not_the_record() -> None:
    found = refused(RobotBenefit, robot="R1", month="2026-01", hours_saved=1, runs=1, failed_runs=2)
    assert [(p.field, p.code) for p in found] == [("failed_runs", "failed_runs_above_runs")]
    found = refused(Department, code="D1", name="Dep", parent_code="D1")
    assert [(p.field, p.code) for p in found] == [("parent_code", "own_parent")]
    assert render_line(found[0]) == "parent_code: a department cannot be its own parent"


def test_pydantic_errors_become_codes_with_the_values_as_params() -> None:
    found = refused(Staff, employee_no="E1", name="A", department="D1", start_date="2026-02-31")
    assert [(p.field, p.code, p.params["input"]) for p in found] == [
        ("start_date", "date_from_datetime_parsing", "2026-02-31")
    ]
    assert render(found[0]) == "'2026-02-31' is not a valid date (YYYY-MM-DD)"


def test_numbers_are_shown_as_typed_and_characters_named_not_printed() -> None:
    assert render(Problem("hours", "greater_than_equal", {"input": -2.0, "ge": 0})) == (
        "-2 is below the lowest allowed, 0"
    )
    found = text_problems(Staff(employee_no="E1", name="Ann\u202e", department="D1"))
    assert [(p.field, p.code) for p in found] == [("name", "forbidden_character")]
    assert "\u202e" not in render(found[0]) and "U+202E" in render(found[0])


def test_the_words_come_from_the_catalogue_only(monkeypatch) -> None:
    """Changing one message in the catalogue (as a translation will) changes what every
    refusal with that code says: nothing words it at the point of refusal."""
    monkeypatch.setitem(MESSAGES, "scale_not_in_order", "trin 1..{count} i rækkefølge")
    with pytest.raises(ValidationError) as caught:
        Framework.model_validate({"code": "F", "name": "F", "scale": [{"level": 2, "label": "x"}]})
    assert format_pydantic_error(caught.value) == ["scale: trin 1..1 i rækkefølge"]


def test_a_form_gets_each_problem_at_its_field_and_the_rest_as_lines() -> None:
    problems = [
        Problem(
            "raises.DC1.1",
            "level_above_scale",
            {"level": 9, "framework": "DIGCOMP", "top": 8, "competency": "DC1.1"},
        ),
        Problem("raises.DC1.2", "unknown_reference", {"what": "competency", "key": "DC1.2"}),
        Problem("", "record_exists"),
        Problem("hours", "text", {"text": "odd: with a colon"}),
    ]
    at_field, general = by_field(problems, {"raises", "name"})
    assert at_field == {"raises": "9 is above DIGCOMP's highest level, 8 (DC1.1)"}
    assert general == ["already exists", "hours: odd: with a colon"]


def test_an_unknown_code_or_missing_param_still_says_something() -> None:
    assert render(Problem("x", "no_such_code", {})) == "no such code"
    assert render(Problem("x", "unknown_reference", {"what": "role"})) == "unknown reference"


def test_a_refused_save_carries_its_problems_as_data(repo, monkeypatch) -> None:
    """The repository refuses with Problems; its message is rendered from them (so a
    translated catalogue changes it too)."""
    from store.errors import ValidationProblem

    monkeypatch.setitem(MESSAGES, "unknown_reference", "ukendt {what}: {key}")
    with pytest.raises(ValidationProblem) as caught:
        repo.put(Staff(employee_no="E1", name="Åse", department="NOPE"))
    assert [(p.field, p.code, dict(p.params)) for p in caught.value.problems] == [
        ("department", "unknown_reference", {"what": "department", "key": "NOPE"})
    ]
    assert str(caught.value) == "staff 'E1': department: ukendt department: NOPE"


def test_an_import_keeps_its_problems_as_data_and_lists_them_in_file_order(repo, tmp_path) -> None:
    """Each import problem knows its line, column and Problem; the listing is rendered from
    them (`file:line: column: message`), in the file's order."""
    from store.importing import import_file

    path = tmp_path / "benefits.csv"
    path.write_text(
        "robot,month,hours_saved,runs,failed_runs\nROB9,2026-01,5,2,1\nROB1,13-2026,x,1,2\n"
    )
    plan = import_file(repo, "robot-benefits", path)
    assert sorted((f.line, f.column, f.problem.field, f.problem.code) for f in plan.found) == [
        (2, "robot", "robot", "unknown_reference"),
        (3, "failed_runs", "failed_runs", "failed_runs_above_runs"),
        (3, "hours_saved", "hours_saved", "cell_not_number"),
        (3, "month", "month", "cell_not_month"),
        (3, "robot", "robot", "unknown_reference"),
    ]
    assert plan.problems == [
        f"{path}:2: robot: unknown robot 'ROB9'",
        f"{path}:3: robot: unknown robot 'ROB1'",
        f"{path}:3: month: '13-2026' is not a month (YYYY-MM)",
        f"{path}:3: hours_saved: 'x' is not a number",
        f"{path}:3: failed_runs: cannot exceed runs",
    ]


def test_a_name_that_fits_no_record_or_several_is_a_coded_problem(repo) -> None:
    from store.lookup import AmbiguousReference, Lookup, UnknownReference

    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Department(code="D2", name="Borgerservice"))
    departments = Lookup.build(repo.ds, "departments")
    with pytest.raises(AmbiguousReference) as caught:
        departments.resolve("borgerservice")
    found = caught.value.problem
    assert (found.code, found.params["count"]) == ("ambiguous_name", 2)
    assert str(caught.value).endswith("give the code")
    with pytest.raises(UnknownReference) as caught:
        departments.resolve("Jobcenter")
    assert caught.value.problem.code in ("unknown_name", "unknown_name_closest")
    assert render(caught.value.problem).startswith("unknown department 'Jobcenter'")


def test_a_conflict_and_a_missing_record_say_why_as_data(repo) -> None:
    from store.errors import ConflictError, NotFoundError

    opened = repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Department(code="D1", name="Jobcenter"))
    with pytest.raises(ConflictError) as caught:
        repo.put(Department(code="D1", name="Kultur"), expected=opened)
    found = caught.value.problem
    assert (found.code, dict(found.params)) == (
        "changed_since_read",
        {"table": "departments", "key": "D1"},
    )
    assert "nothing was saved" in str(caught.value)
    with pytest.raises(NotFoundError) as missing:
        repo.delete("departments", "D9")
    assert missing.value.problem.code == "not_found"
    assert str(missing.value) == "no departments with key 'D9'"


CODE_AT = re.compile(
    r"""(?:\bProblem\(\s*[^,()]+,\s*|(?<!\.)\bproblem\(\s*[^,()]+,\s*|\brefusal\(\s*|FieldError\(\s*"""
    r"""|FileProblem\(\s*\d+,\s*|UnreadableFile\(\s*|Reference\(\s*)"(\w+)\""""
)


def test_every_code_the_program_refuses_with_has_a_message() -> None:
    """A code without a message would show as its bare name: each code written in store/ or
    tui/ is in the catalogue (what a translation has to cover)."""
    root = Path(__file__).resolve().parents[2]
    used = {
        (path.relative_to(root).as_posix(), code)
        for folder in ("store", "tui")
        for path in (root / folder).rglob("*.py")
        for code in CODE_AT.findall(path.read_text(encoding="utf-8"))
    }
    assert len({code for _, code in used}) > 40  # the pattern still finds the refusals
    assert sorted((where, code) for where, code in used if code not in MESSAGES) == []
