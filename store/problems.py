"""Why a change is refused, as data: a field, a code and the values the message needs.

The store never builds a refusal's sentence where it refuses: it returns `Problem`s, and
`render` alone turns them into words. So a form puts each problem at its field by
`problem.field` (no parsing of text), an import keeps `file:line: column: message`, and the
words are in the current language (issue 13): `render` translates the template through the
catalogue when it renders, never when the store refuses.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic_core import PydanticCustomError

from i18n import N_, _, format_date, format_integer, ngettext
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
    "unknown_reference": N_("unknown {what} {key!r}"),
    "level_above_scale": N_("{level} is above {framework}'s highest level, {top} ({competency})"),
    "level_below_scale": N_("{level} is below the lowest level, {low}{none} ({competency})"),
    "department_loop": N_("{parent!r} would make a loop in the tree"),
    "scale_below_use": N_("levels above {top} are still used by {used!n}"),
    "moved_above_scale": N_(
        "{framework}'s scale goes up to {top}, but {competency} is used at higher levels by "
        "{used!n}"
    ),
    "in_use": N_("cannot delete {table} {key!r}: still used by {used!n}"),
    "not_found": N_("no {table} with key {key!r}"),
    "counter_behind": N_(
        "counter {prefix} is {counter}, behind {table}, which holds "
        "{prefix}-{highest:06d}: new keys continue after the highest"
    ),
    "changed_since_read": N_(
        "{table} {key!r} was changed by someone else since you opened it; "
        "nothing was saved: reopen it to see the current values"
    ),
    "opened_read_only": N_("{location} is opened read-only: nothing was saved"),
    "unknown_scope": N_("no department with code {code!r} here to limit the view to"),
    "outside_scope": N_(
        "{table}: only {root} and the departments below it can be changed here; nothing was saved"
    ),
    "scope_whole_database": N_("{what} concerns the whole database: not open to one department"),
    "changed_not_deleted": N_("{table} {key!r} was changed by someone else; nothing deleted"),
    "record_exists": N_("already exists"),
    "employee_no_taken": N_("{key} is already the number of {name} ({where})"),
    "key_taken": N_("{key} is already used by {name}"),
    "key_exists": N_("{key} exists"),
    "requirement_exists": N_(
        "a requirement for this competency, department and role exists: edit that one"
    ),
    # a training plan's status (store.training)
    "plan_not_planned": N_("Only a planned plan can be started; this one is {status}"),
    "plan_closed": N_("This plan is already {status}"),
    # the strategy (store.strategy)
    "code_fixed": N_("the code cannot be changed (requirements and milestones refer to it)"),
    "rank_taken": N_("rank {rank} is also the rank of {theme} ({title}): ranks are unique"),
    "stakeholder_exists": N_("{theme} already has a stakeholder named {name!r}"),
    "no_stakeholder": N_("{theme} has no stakeholder named {name!r}"),
    "milestone_exists": N_("{theme} already has a milestone titled {title!r}"),
    "backcast_no_target": N_("the theme has no target date to plan back from"),
    "backcast_count": N_("{count} milestones: choose 1 to {most}"),
    "backcast_target_passed": N_(
        "the target date {target} is not after {start}: nothing to plan back from"
    ),
    "backcast_too_many": N_("{count} milestones do not fit in the {days} days before the target"),
    "no_such_requirement": N_(
        "no requirement asks this competency of this department and role "
        "(add it on Competencies first)"
    ),
    "no_decider_yet": N_(
        "no one decides in this domain yet: give one archetype decision rights first"
    ),
    "decider_needed": N_(
        "{archetype} holds the decision rights: give them to another archetype "
        "instead (each domain has one)"
    ),
    # a robot (store.robots)
    "phase_unchanged": N_("the robot is in {phase} already"),
    "phase_date_before_last": N_("{date} is before the robot's current phase began ({since})"),
    "operator_twice": N_("{key!r} is named twice"),
    "not_an_amount": N_("{text!r} is not an amount of at least 0"),
    # what a form's field holds (tui.forms.parsing)
    "required_date": N_("required: a date as YYYY-MM-DD"),
    "typed_not_date": N_("not a date: {text!r} (use YYYY-MM-DD)"),
    "required_whole_number": N_("required: a whole number"),
    "typed_not_whole_number": N_("not a whole number: {text!r}"),
    "outside_range": N_("{value} is outside {low}-{high}"),
    "required_what": N_("required: {what}"),
    "required_reference": N_("required: a {what} (its code or name; F2 searches)"),
    # importing a file (store.importing)
    "file_unreadable": N_("cannot be read: {reason}"),
    "file_not_regular": N_("not a regular file ({what})"),
    "file_too_large": N_("larger than the import limit of {limit:,} bytes"),
    "sync_staff_only": N_("--sync: only a staff import can deactivate missing rows"),
    "file_empty": N_("the file is empty"),
    "not_text": N_("not a text file ({why})"),
    "not_csv": N_("cannot be read as CSV: {reason}"),
    "not_json": N_("not valid JSON: {reason}"),
    "not_spreadsheet": N_("not a spreadsheet (.xlsx, .xlsm or .ods): {reason}"),
    "workbook_encrypted": N_(
        "the workbook is encrypted (saved with a password): save a copy without one and import that"
    ),
    "workbook_too_large": N_("the workbook would unpack to more than the limit of {limit:,} bytes"),
    "no_such_sheet": N_("no sheet {sheet!r}: the sheets are {sheets}"),
    "no_header": N_("no header row naming the {kind} columns ({columns}) in the first {rows} rows"),
    "sheet_needs_workbook": N_(
        "--sheet is for a spreadsheet (.xlsx, .xlsm or .ods), not this file"
    ),
    "not_one_object": N_("a framework file is one JSON object"),
    "must_be_list": N_("must be a list"),
    "must_be_object": N_("must be an object"),
    "column_twice": N_("the same column as {first!r} (given twice)"),
    "missing_column": N_("missing column {column!r}{also}"),
    "columns_are": N_("the columns are: {columns}"),
    "too_many_cells": N_("{cells} cells, but the header has {width}"),
    "duplicate_key": N_("duplicate key {key!r} (first on line {first})"),
    "duplicate_code": N_("duplicate code {code!r}"),
    "no_such_id": N_("no {key!r} here (leave it empty for a new one)"),
    "cell_not_yes_no": N_("{text!r} is not yes/no (ja/nej, yes/no, true/false, 1/0, x or blank)"),
    "cell_not_whole_number": N_("{text!r} is not a whole number"),
    "cell_not_number": N_("{text!r} is not a number"),
    "cell_not_date": N_("{text!r} is not a date (YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY)"),
    "cell_not_real_date": N_("{text!r} is not a real date"),
    "cell_not_month": N_("{text!r} is not a month (YYYY-MM)"),
    "cell_not_choice": N_("{text!r} is not one of {allowed}"),
    "unknown_name": N_("unknown {what} {text!r}"),
    "unknown_name_closest": N_("unknown {what} {text!r}; closest: {closest}"),
    "ambiguous_name": N_("{text!r} names {count} {what} records ({shown}): give the code"),
    "ambiguous_name_and_more": N_(
        "{text!r} names {count} {what} records ({shown} and {more} more): give the code"
    ),
    # the models' own rules (store.models)
    "forbidden_character": N_("may not hold {character!c}{why}"),
    "not_an_email": N_("not an e-mail address: {value!r}"),
    "scale_not_in_order": N_("levels must be 1..{count} in order, got {levels}"),
    "own_parent": N_("a department cannot be its own parent"),
    "valid_until_before_date": N_("must be on or after the assessment date"),
    "completed_date_not_completed": N_("only a completed plan has a completed date"),
    "month_shape": N_("month must be YYYY-MM, got {value!r}"),
    "failed_runs_above_runs": N_("cannot exceed runs"),
    "phase_dates_out_of_order": N_("a phase cannot begin before the phase before it began"),
    "unknown_setting": N_("no setting called {name!r}"),
    "setting_not_amount": N_("{text!r} is not an amount of at least 0"),
    # pydantic's error types, in Kapabel's words
    "less_than_equal": N_("{input!v} is above the highest allowed, {le!v}"),
    "greater_than_equal": N_("{input!v} is below the lowest allowed, {ge!v}"),
    "less_than": N_("{input!v} is too high: it must be below {lt!v}"),
    "greater_than": N_("{input!v} is too low: it must be above {gt!v}"),
    "missing": N_("required, but missing"),
    "string_too_short": N_("required, but empty"),
    "required_empty": N_("required, but empty"),
    "string_too_long": N_("longer than {max_length!v} characters"),
    "too_short": N_("needs at least {min_length!v}"),
    "enum": N_("{input!v} is not one of {expected}"),
    "literal_error": N_("{input!v} is not one of {expected}"),
    "int_parsing": N_("{input!v} is not a whole number"),
    "int_from_float": N_("{input!v} is not a whole number"),
    "int_type": N_("{input!v} is not a whole number"),
    "float_parsing": N_("{input!v} is not a number"),
    "float_type": N_("{input!v} is not a number"),
    "bool_parsing": N_("{input!v} is not yes or no"),
    "bool_type": N_("{input!v} is not yes or no"),
    "date_parsing": N_("{input!v} is not a valid date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("{input!v} is not a valid date (YYYY-MM-DD)"),
    "date_type": N_("{input!v} is not a valid date (YYYY-MM-DD)"),
    "extra_forbidden": N_("not a field of this record"),
    # a message that came from elsewhere as text (a library's words): shown as it is
    "text": N_("{text}"),
}
"""Each code's message in English, marked for the catalogue; `render` is the only reader and
translates it when it renders. Besides str.format's own, three conversions: `!v` shows a value as
typed (5, not 5.0; text in quotes), `!c` names a character without printing it (U+202E
RIGHT-TO-LEFT OVERRIDE), `!n` counts things ({"staff": 1, "assessment": 120} -> "1 staff, 120
assessments", in `THINGS`' words). Dates and `{n:,}` numbers are written the current language's
way (2026-11-27 and 1,234 in English; 27-11-2026 and 1.234 in Danish)."""

THINGS: dict[str, Callable[[int], str]] = {
    "sub_department": lambda n: ngettext("{n} sub-department", "{n} sub-departments", n),
    "staff": lambda n: ngettext("{n} staff", "{n} staff", n),
    "requirement": lambda n: ngettext("{n} requirement", "{n} requirements", n),
    "coverage_rule": lambda n: ngettext("{n} coverage rule", "{n} coverage rules", n),
    "robot": lambda n: ngettext("{n} robot", "{n} robots", n),
    "assessment": lambda n: ngettext("{n} assessment", "{n} assessments", n),
    "training_plan": lambda n: ngettext("{n} training plan", "{n} training plans", n),
    "competency": lambda n: ngettext("{n} competency", "{n} competencies", n),
    "course": lambda n: ngettext("{n} course", "{n} courses", n),
    "benefit_record": lambda n: ngettext("{n} benefit record", "{n} benefit records", n),
    "milestone": lambda n: ngettext("{n} milestone", "{n} milestones", n),
}
"""What a count counts, one and many, for `!n`."""

WORDS: tuple[str, ...] = (
    # the tables, as `table` names them ("no departments with key 'D9'")
    N_("assessments"),
    N_("competencies"),
    N_("courses"),
    N_("coverage_rules"),
    N_("departments"),
    N_("frameworks"),
    N_("governance"),
    N_("milestones"),
    N_("requirements"),
    N_("robot_benefits"),
    N_("robots"),
    N_("roles"),
    N_("settings"),
    N_("staff"),
    N_("theme_stakeholders"),
    N_("themes"),
    N_("training_plans"),
    # what one record is called, as `what` names it ("unknown department 'D9'")
    N_("department"),
    N_("role"),
    N_("framework"),
    N_("competency"),
    N_("theme"),
    N_("employee"),
    N_("course"),
    N_("robot"),
    # operations refused to one department (`what`)
    N_("an erasure"),
    N_("a backup"),
)
"""The words a message's `table`, `what`, `why` and `kind` parameters hold: they are stored as
data in English and translated when the message is rendered (a word not listed here, such as an
operating system's reason, is shown as it is)."""

WORD_PARAMS = frozenset({"table", "what", "why", "kind", "reason"})
"""The parameters whose value is one of `WORDS` (or a library's text, shown as it is)."""


def counted(counts: Mapping[str, int]) -> str:
    """ "1 staff, 120 assessments": each non-zero count with its thing's word."""
    words = [_counted(what, n) for what, n in counts.items() if n]
    return ", ".join(words)


def _counted(what: str, n: int) -> str:
    plural = THINGS.get(what)
    if plural is None:
        return f"{format_integer(n)} {what}"
    return plural(n).format(n=format_integer(n))


def shown(value: object) -> str:
    """A value as a message quotes it: numbers as typed (5, not 5.0), text in quotes."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return repr(value)


class _Formatter(string.Formatter):
    """str.format with Kapabel's conversions `!v`, `!c` and `!n` (see `MESSAGES`), and dates
    and grouped numbers in the current language."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "v":
            return shown(value)
        if conversion == "c":
            return describe_char(value)
        if conversion == "n":
            return counted(value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and not format_spec:
            return format_date(value)
        if isinstance(value, int) and not isinstance(value, bool) and format_spec == ",":
            return format_integer(value)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


_WORDED = WORD_PARAMS | {"none", "aliases", "active"}
"""The parameters `_worded` rewords (besides enumeration values)."""


def _worded(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The parameters as this language's message uses them: enumeration values as their labels,
    words (`WORD_PARAMS`) translated, and the fragments some messages add, built here."""
    if _WORDED.isdisjoint(params) and not any(isinstance(v, Enum) for v in params.values()):
        return params  # most problems (a bad cell, a missing value): nothing to reword
    from store.labels import labelled  # store.labels needs store.models, which needs this module

    worded = labelled(dict(params))
    for name in WORD_PARAMS & worded.keys():
        if isinstance(worded[name], str) and worded[name]:
            worded[name] = _(worded[name])
    if "none" in worded:  # level_below_scale: level 0 is allowed and means none
        worded["none"] = _(" = none") if worded.get("low") == 0 else ""
    if worded.get("aliases"):  # missing_column: the other names the column goes by
        worded["also"] = _(" (or {aliases})").format(aliases=", ".join(worded["aliases"]))
    if "department" in worded and "active" in worded:  # employee_no_taken: where the holder is
        where = worded["department"] if worded["active"] else _("{department}, inactive")
        worded["where"] = where.format(department=worded["department"])
    return worded


def render(found: Problem) -> str:
    """The problem's message (without its field), in the user's words."""
    template = MESSAGES.get(found.code)
    if template is not None:
        try:
            return _FORMATTER.format(_(template), **_worded(found.params))
        except (KeyError, IndexError, ValueError):
            pass  # parameters the message does not expect: say what is known rather than fail
    return str(found.params.get("text") or found.code.replace("_", " "))


FIELD_NAMES: frozenset[str] = frozenset(
    (
        N_("action"),
        N_("active"),
        N_("area"),
        N_("assessor"),
        N_("at"),
        N_("changes"),
        N_("code"),
        N_("competency"),
        N_("completed"),
        N_("cost"),
        N_("course"),
        N_("date"),
        N_("decision_rights"),
        N_("department"),
        N_("description"),
        N_("descriptor"),
        N_("digital_agent"),
        N_("domain"),
        N_("due"),
        N_("each"),
        N_("email"),
        N_("employee_no"),
        N_("end_state"),
        N_("entity"),
        N_("expected_hours_per_year"),
        N_("failed_runs"),
        N_("framework"),
        N_("go_live"),
        N_("group"),
        N_("hours"),
        N_("hours_saved"),
        N_("id"),
        N_("influence"),
        N_("input_rights"),
        N_("interest"),
        N_("key"),
        N_("kle"),
        N_("label"),
        N_("lead"),
        N_("level"),
        N_("min_people"),
        N_("month"),
        N_("name"),
        N_("note"),
        N_("operators"),
        N_("owner"),
        N_("parent_code"),
        N_("people"),
        N_("phase"),
        N_("phase_history"),
        N_("phase_since"),
        N_("platform"),
        N_("priority"),
        N_("process"),
        N_("provider"),
        N_("raises"),
        N_("rank"),
        N_("record"),
        N_("required_competencies"),
        N_("robot"),
        N_("role"),
        N_("run_frequency"),
        N_("scale"),
        N_("since"),
        N_("source"),
        N_("stakeholders"),
        N_("start_date"),
        N_("status"),
        N_("target_date"),
        N_("target_level"),
        N_("theme"),
        N_("title"),
        N_("user"),
        N_("valid_until"),
        N_("value"),
        N_("yearly_cost"),
    )
)
"""The models' fields as a message line names them ('level: ...'): the field's own name in
English, its word in another language (`render_line`). `staff` and `runs` are left out: the
catalogue already has those words in another sense, so they stay as they are."""


def render_line(found: Problem) -> str:
    """'field: message', or the message alone for the record as a whole."""
    message = render(found)
    if not found.field:
        return message
    top = found.top_field
    name = _(top) + found.field[len(top) :] if top in FIELD_NAMES else found.field
    return f"{name}: {message}"


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
