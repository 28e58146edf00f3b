"""Text typed into a form field -> a value, or the message that says what is wrong with it."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from store.errors import format_pydantic_error


class FieldProblem(ValueError):
    """Text that is not a valid value for its field; the message is shown under the field."""


def optional_text(text: str) -> str | None:
    text = text.strip()
    return text or None


def required_text(text: str, what: str) -> str:
    value = optional_text(text)
    if value is None:
        raise FieldProblem(f"{what} is required")
    return value


def optional_date(text: str) -> dt.date | None:
    value = optional_text(text)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldProblem(f"not a date (YYYY-MM-DD): {value!r}") from None


def required_date(text: str, what: str = "a date") -> dt.date:
    value = optional_date(text)
    if value is None:
        raise FieldProblem(f"{what} is required (YYYY-MM-DD)")
    return value


def whole_number(text: str, what: str = "a level") -> int:
    value = required_text(text, what)
    try:
        return int(value)
    except ValueError:
        raise FieldProblem(f"not a whole number: {value!r}") from None


def problems_by_field(lines: list[str], fields: set[str]) -> dict[str, str]:
    """'field: message' lines (from the store or pydantic) -> field -> message; others under ''."""
    found: dict[str, str] = {}
    for line in lines:
        field, sep, message = line.partition(": ")
        if sep and field in fields:
            found.setdefault(field, message)
        else:
            found[""] = "; ".join(filter(None, [found.get(""), line]))
    return found


def pydantic_problems(error: ValidationError, fields: set[str]) -> dict[str, str]:
    return problems_by_field(format_pydantic_error(error), fields)
