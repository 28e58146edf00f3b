"""Why a change is refused, as data: a field, a code and the values the message needs.

The store never builds a refusal's sentence where it refuses: it returns `Problem`s, and
`render` alone turns them into words. So a form puts each problem at its field by
`problem.field` (no parsing of text), an import keeps `file:line: column: message`, and a
translation (issue 13) only has to replace `MESSAGES`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import PydanticCustomError

from store.text import describe_char


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record. `field` is the model's field ("level", "raises.DC1.1")
    or "" for the record as a whole; `params` fill the code's message."""

    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def top_field(self) -> str:
        """The field a form shows it at ("raises" for "raises.DC1.1")."""
        return self.field.split(".")[0]


def problem(field_name: str, code: str, **params: Any) -> Problem:
    """Shorthand: `problem("level", "level_above_scale", level=9, ...)`."""
    return Problem(field_name, code, params)


MESSAGES: dict[str, str] = {
    # references and scales (store.integrity)
    "unknown_reference": "unknown {what} {key!r}",
    "level_above_scale": "{level} is above {framework}'s highest level, {top} ({competency})",
    "level_below_scale": "{level} is below the lowest level, {low}{none} ({competency})",
    "department_loop": "{parent!r} would make a loop in the tree",
    "scale_below_use": "levels above {top} are still used by {used!n}",
    "moved_above_scale": (
        "{framework}'s scale goes up to {top}, but {competency} is used at higher levels by "
        "{used!n}"
    ),
    "in_use": "cannot delete {table} {key!r}: still used by {used!n}",
    "not_found": "no {table} with key {key!r}",
    "counter_behind": "counter {prefix} is {counter}, behind {table}, which holds "
    "{prefix}-{highest:06d}: new keys continue after the highest",
    "changed_since_read": "{table} {key!r} was changed by someone else since you opened it; "
    "nothing was saved: reopen it to see the current values",
    "opened_read_only": "{location} is opened read-only: nothing was saved",
    "unknown_scope": "no department with code {code!r} here to limit the view to",
    "outside_scope": "{table}: only {root} and the departments below it can be changed here; "
    "nothing was saved",
    "scope_whole_database": "{what} concerns the whole database: not open to one department",
    "changed_not_deleted": "{table} {key!r} was changed by someone else; nothing deleted",
    "record_exists": "already exists",
    "employee_no_taken": "{key} is already the number of {name} ({where})",
    "key_taken": "{key} is already used by {name}",
    "key_exists": "{key} exists",
    "requirement_exists": "a requirement for this competency, department and role exists: "
    "edit that one",
    # a training plan's status (store.training)
    "plan_not_planned": "Only a planned plan can be started; this one is {status}",
    "plan_closed": "This plan is already {status}",
    # the strategy (store.strategy)
    "code_fixed": "the code cannot be changed (requirements and milestones refer to it)",
    "rank_taken": "rank {rank} is also the rank of {theme} ({title}): ranks are unique",
    "stakeholder_exists": "{theme} already has a stakeholder named {name!r}",
    "no_stakeholder": "{theme} has no stakeholder named {name!r}",
    "milestone_exists": "{theme} already has a milestone titled {title!r}",
    "backcast_no_target": "the theme has no target date to plan back from",
    "backcast_count": "{count} milestones: choose 1 to {most}",
    "backcast_target_passed": "the target date {target} is not after {start}: nothing to plan "
    "back from",
    "backcast_too_many": "{count} milestones do not fit in the {days} days before the target",
    "no_such_requirement": "no requirement asks this competency of this department and role "
    "(add it on Competencies first)",
    "no_decider_yet": "no one decides in this domain yet: give one archetype decision rights first",
    "decider_needed": "{archetype} holds the decision rights: give them to another archetype "
    "instead (each domain has one)",
    # a robot (store.robots)
    "phase_unchanged": "the robot is in {phase} already",
    "phase_date_before_last": "{date} is before the robot's current phase began ({since})",
    "operator_twice": "{key!r} is named twice",
    "not_an_amount": "{text!r} is not an amount of at least 0",
    # what a form's field holds (tui.forms.parsing)
    "required_date": "required: a date as YYYY-MM-DD",
    "typed_not_date": "not a date: {text!r} (use YYYY-MM-DD)",
    "required_whole_number": "required: a whole number",
    "typed_not_whole_number": "not a whole number: {text!r}",
    "outside_range": "{value} is outside {low}-{high}",
    "required_what": "required: {what}",
    "required_reference": "required: a {what} (its code or name; F2 searches)",
    # importing a file (store.importing)
    "file_unreadable": "cannot be read: {reason}",
    "file_not_regular": "not a regular file ({what})",
    "file_too_large": "larger than the import limit of {limit:,} bytes",
    "sync_staff_only": "--sync: only a staff import can deactivate missing rows",
    "file_empty": "the file is empty",
    "not_text": "not a text file ({why})",
    "not_csv": "cannot be read as CSV: {reason}",
    "not_json": "not valid JSON: {reason}",
    "not_spreadsheet": "not a spreadsheet (.xlsx, .xlsm or .ods): {reason}",
    "workbook_encrypted": "the workbook is encrypted (saved with a password): save a copy "
    "without one and import that",
    "workbook_too_large": "the workbook would unpack to more than the limit of {limit:,} bytes",
    "no_such_sheet": "no sheet {sheet!r}: the sheets are {sheets}",
    "no_header": "no header row naming the {kind} columns ({columns}) in the first {rows} rows",
    "sheet_needs_workbook": "--sheet is for a spreadsheet (.xlsx, .xlsm or .ods), not this file",
    "not_one_object": "a framework file is one JSON object",
    "must_be_list": "must be a list",
    "must_be_object": "must be an object",
    "column_twice": "the same column as {first!r} (given twice)",
    "missing_column": "missing column {column!r}{also}",
    "columns_are": "the columns are: {columns}",
    "too_many_cells": "{cells} cells, but the header has {width}",
    "duplicate_key": "duplicate key {key!r} (first on line {first})",
    "duplicate_code": "duplicate code {code!r}",
    "no_such_id": "no {key!r} here (leave it empty for a new one)",
    "cell_not_yes_no": "{text!r} is not yes/no (ja/nej, yes/no, true/false, 1/0, x or blank)",
    "cell_not_whole_number": "{text!r} is not a whole number",
    "cell_not_number": "{text!r} is not a number",
    "cell_not_date": "{text!r} is not a date (YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY)",
    "cell_not_real_date": "{text!r} is not a real date",
    "cell_not_month": "{text!r} is not a month (YYYY-MM)",
    "cell_not_choice": "{text!r} is not one of {allowed}",
    "unknown_name": "unknown {what} {text!r}",
    "unknown_name_closest": "unknown {what} {text!r}; closest: {closest}",
    "ambiguous_name": "{text!r} names {count} {what} records ({shown}): give the code",
    "ambiguous_name_and_more": (
        "{text!r} names {count} {what} records ({shown} and {more} more): give the code"
    ),
    # the models' own rules (store.models)
    "forbidden_character": "may not hold {character!c}{why}",
    "not_an_email": "not an e-mail address: {value!r}",
    "scale_not_in_order": "levels must be 1..{count} in order, got {levels}",
    "own_parent": "a department cannot be its own parent",
    "valid_until_before_date": "must be on or after the assessment date",
    "completed_date_not_completed": "only a completed plan has a completed date",
    "month_shape": "month must be YYYY-MM, got {value!r}",
    "failed_runs_above_runs": "cannot exceed runs",
    "phase_dates_out_of_order": "a phase cannot begin before the phase before it began",
    "unknown_setting": "no setting called {name!r}",
    "setting_not_amount": "{text!r} is not an amount of at least 0",
    # pydantic's error types, in Kapabel's words
    "less_than_equal": "{input!v} is above the highest allowed, {le!v}",
    "greater_than_equal": "{input!v} is below the lowest allowed, {ge!v}",
    "less_than": "{input!v} is too high: it must be below {lt!v}",
    "greater_than": "{input!v} is too low: it must be above {gt!v}",
    "missing": "required, but missing",
    "string_too_short": "required, but empty",
    "required_empty": "required, but empty",
    "string_too_long": "longer than {max_length!v} characters",
    "too_short": "needs at least {min_length!v}",
    "enum": "{input!v} is not one of {expected}",
    "literal_error": "{input!v} is not one of {expected}",
    "int_parsing": "{input!v} is not a whole number",
    "int_from_float": "{input!v} is not a whole number",
    "int_type": "{input!v} is not a whole number",
    "float_parsing": "{input!v} is not a number",
    "float_type": "{input!v} is not a number",
    "bool_parsing": "{input!v} is not yes or no",
    "bool_type": "{input!v} is not yes or no",
    "date_parsing": "{input!v} is not a valid date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "{input!v} is not a valid date (YYYY-MM-DD)",
    "date_type": "{input!v} is not a valid date (YYYY-MM-DD)",
    "extra_forbidden": "not a field of this record",
    # a message that came from elsewhere as text (a library's words): shown as it is
    "text": "{text}",
}
"""Each code's message in English; `render` is the only reader. Besides str.format's own, three
conversions: `!v` shows a value as typed (5, not 5.0; text in quotes), `!c` names a character
without printing it (U+202E RIGHT-TO-LEFT OVERRIDE), `!n` counts things ({"staff": 1,
"assessment": 120} -> "1 staff, 120 assessments", in `THINGS`' words)."""

THINGS: dict[str, tuple[str, str]] = {
    "sub_department": ("sub-department", "sub-departments"),
    "staff": ("staff", "staff"),
    "requirement": ("requirement", "requirements"),
    "coverage_rule": ("coverage rule", "coverage rules"),
    "robot": ("robot", "robots"),
    "assessment": ("assessment", "assessments"),
    "training_plan": ("training plan", "training plans"),
    "competency": ("competency", "competencies"),
    "course": ("course", "courses"),
    "benefit_record": ("benefit record", "benefit records"),
    "milestone": ("milestone", "milestones"),
}
"""What a count counts, one and many, for `!n`."""


def counted(counts: Mapping[str, int]) -> str:
    """ "1 staff, 120 assessments": each non-zero count with its thing's word."""
    words = [f"{n:,} {THINGS.get(what, (what, what))[n != 1]}" for what, n in counts.items() if n]
    return ", ".join(words)


def shown(value: object) -> str:
    """A value as a message quotes it: numbers as typed (5, not 5.0), text in quotes."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return repr(value)


class _Formatter(string.Formatter):
    """str.format with Kapabel's conversions `!v` and `!c` (see `MESSAGES`)."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "v":
            return shown(value)
        if conversion == "c":
            return describe_char(value)
        if conversion == "n":
            return counted(value)
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()


def render(found: Problem) -> str:
    """The problem's message (without its field), in the user's words."""
    template = MESSAGES.get(found.code)
    if template is not None:
        try:
            return _FORMATTER.format(template, **found.params)
        except (KeyError, IndexError, ValueError):
            pass  # parameters the message does not expect: say what is known rather than fail
    return str(found.params.get("text") or found.code.replace("_", " "))


def render_line(found: Problem) -> str:
    """'field: message', or the message alone for the record as a whole."""
    message = render(found)
    return f"{found.field}: {message}" if found.field else message


def render_lines(problems: Iterable[Problem]) -> list[str]:
    return [render_line(found) for found in problems]


def by_field(problems: Iterable[Problem], fields: set[str]) -> tuple[dict[str, str], list[str]]:
    """Problems a form can show at one of its `fields` (the first per field wins, rendered
    without the field's name) and the rest, rendered as lines for the form's general area."""
    at_field: dict[str, str] = {}
    general: list[str] = []
    for found in problems:
        if found.top_field in fields:
            at_field.setdefault(found.top_field, render(found))
        else:
            general.append(render_line(found))
    return at_field, general


def refusal(code: str, field_name: str = "", **params: Any) -> PydanticCustomError:
    """What a model's validator raises: pydantic reports it with `code` as its type and the
    params (and, for a rule between fields, the field) as its context, which `from_pydantic`
    turns back into a Problem."""
    found = Problem(field_name, code, params)
    context = {**params, FIELD_KEY: field_name} if field_name else params
    return PydanticCustomError(code, render(found).replace("{", "(").replace("}", ")"), context)


FIELD_KEY = "problem_field"
"""The context entry naming the field of a rule between fields (pydantic reports such at the
record as a whole)."""

RECORD = "record"
"""The field named for what pydantic reports at the record as a whole (not a dictionary...)."""


def from_refusal(error: PydanticCustomError) -> Problem:
    """The Problem a model's validator raised with `refusal` (when it is called directly)."""
    context = dict(error.context or {})
    field_name = context.pop(FIELD_KEY, "")
    return Problem(field_name, error.type, context)


def from_pydantic(error: Exception, skip: int = 0) -> list[Problem]:
    """A pydantic ValidationError as Problems: its error types are codes, its context params.
    `skip` leaves out the first parts of each location (1: the index in a list of records)."""
    errors = getattr(error, "errors", None)
    if errors is None:
        return [Problem(RECORD, "text", {"text": str(error)})]
    found = []
    for item in errors():
        context = dict(item.get("ctx") or {})
        location = item.get("loc", ())[skip:]
        field_name = context.pop(FIELD_KEY, None) or ".".join(map(str, location))
        code = item.get("type", "")
        if code in MESSAGES:
            params = {**context, "input": item.get("input")}
            if "expected" in context:
                params["expected"] = str(context["expected"])
        else:  # pydantic's words for a type Kapabel does not name (better than none)
            code, params = "text", {"text": str(item.get("msg", "invalid"))}
        found.append(Problem(field_name or RECORD, code, params))
    return found


@dataclass(frozen=True)
class LocatedProblem:
    """A problem at a place in an imported file: `line` 0 is the file as a whole, `column` the
    column (or, in a JSON file, the part: "competencies[2]: name"), "" for none."""

    source: str
    line: int
    column: str
    problem: Problem


def render_located(found: LocatedProblem) -> str:
    """`file:line: column: message`, the shape every import problem is listed in."""
    where = f"{found.source}:{found.line}" if found.line else found.source
    column = f" {found.column}:" if found.column else ""
    return f"{where}:{column} {render(found.problem)}"
