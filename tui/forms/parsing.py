"""Turning what a person typed into values, with a message naming what is wrong.

Pure functions, shared by every form: each returns the value or raises `FieldError`.
"""

from __future__ import annotations

import datetime as dt
import re

from i18n import N_
from store.problems import Problem, render

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FieldError(ValueError):
    """One field's input cannot be used; `problem` says why (its message is shown under the
    field, rendered by `store.problems` like every other refusal)."""

    def __init__(self, code: str, **params: object) -> None:
        self.problem = Problem("", code, params)
        super().__init__(render(self.problem))


class FormErrors(Exception):
    """Several fields are wrong at once: field name -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def parse_date(text: str) -> dt.date:
    """A calendar date typed as YYYY-MM-DD ('31-02-2026' or '2026-02-31' are refused)."""
    text = text.strip()
    if not text:
        raise FieldError("required_date")
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FieldError("typed_not_date", text=text) from None


def parse_optional_date(text: str) -> dt.date | None:
    """Like `parse_date`, but an empty field means 'no date'."""
    return parse_date(text) if text.strip() else None


def parse_int(text: str, *, low: int | None = None, high: int | None = None) -> int:
    """A whole number, optionally within low..high (both included)."""
    text = text.strip()
    if not text:
        raise FieldError("required_whole_number")
    try:
        value = int(text)
    except ValueError:
        raise FieldError("typed_not_whole_number", text=text) from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise FieldError("outside_range", value=value, low=low, high=high)
    return value


def parse_required(text: str, what: str = N_("a value")) -> str:
    """Non-empty text, trimmed; `what` (as marked with N_) names what is missing."""
    text = text.strip()
    if not text:
        raise FieldError("required_what", what=what)
    return text


def optional_text(text: str) -> str | None:
    """Trimmed text, or None when the field was left empty."""
    text = text.strip()
    return text or None


def parse_amount(text: str) -> float:
    """A number of at least 0 ('1200', '1.200,5' is refused, '1200,5' is read as 1200.5);
    an empty field is 0."""
    from store.importing.cells import parse_number

    text = text.strip()
    if not text:
        return 0.0
    try:
        value = parse_number(text)
    except ValueError:
        raise FieldError("cell_not_number", text=text) from None
    if value < 0:
        raise FieldError("not_an_amount", text=text)
    return value


def parse_month(text: str) -> str:
    """A month typed as YYYY-MM."""
    from store.importing.cells import parse_month as parse_cell_month

    text = text.strip()
    if not text:
        raise FieldError("required_what", what=N_("a month as YYYY-MM"))
    try:
        return parse_cell_month(text)
    except ValueError:
        raise FieldError("cell_not_month", text=text) from None
