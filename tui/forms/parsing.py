"""Turning what a person typed into values, with a message naming what is wrong.

Pure functions, shared by every form: each returns the value or raises `FieldError`.
"""

from __future__ import annotations

import datetime as dt
import re

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FieldError(ValueError):
    """One field's input cannot be used; the message is shown under the field."""


class FormErrors(Exception):
    """Several fields are wrong at once: field name -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def parse_date(text: str) -> dt.date:
    """A calendar date typed as YYYY-MM-DD ('31-02-2026' or '2026-02-31' are refused)."""
    text = text.strip()
    if not text:
        raise FieldError("required: a date as YYYY-MM-DD")
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def parse_optional_date(text: str) -> dt.date | None:
    """Like `parse_date`, but an empty field means 'no date'."""
    return parse_date(text) if text.strip() else None


def parse_int(text: str, *, low: int | None = None, high: int | None = None) -> int:
    """A whole number, optionally within low..high (both included)."""
    text = text.strip()
    if not text:
        raise FieldError("required: a whole number")
    try:
        value = int(text)
    except ValueError:
        raise FieldError(f"not a whole number: {text!r}") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise FieldError(f"{value} is outside {low}-{high}")
    return value


def parse_required(text: str, what: str = "a value") -> str:
    """Non-empty text, trimmed."""
    text = text.strip()
    if not text:
        raise FieldError(f"required: {what}")
    return text


def optional_text(text: str) -> str | None:
    """Trimmed text, or None when the field was left empty."""
    text = text.strip()
    return text or None
