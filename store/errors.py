"""Errors the store raises. Each carries a message fit to show a user as it is."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of every error the store reports to a user."""


class CorruptFileError(StoreError):
    """A database file that cannot be read or fails validation. It is never overwritten."""

    def __init__(self, path: Path, problem: str, backup: Path | None = None) -> None:
        problem = " ".join(str(problem).split())  # one line, whatever the parser said
        self.path = path
        self.problem = problem
        self.backup = backup
        hint = f"; newest backup: {backup}" if backup else "; no backup found"
        super().__init__(f"{path}: {problem} (the file was left unchanged{hint})")


class ValidationProblem(StoreError):
    """A record that breaks a rule; `problems` are 'field: what is wrong' lines."""

    def __init__(self, entity: str, key: str, problems: list[str]) -> None:
        self.entity = entity
        self.key = key
        self.problems = problems
        where = f"{entity} {key!r}" if key else entity
        super().__init__(f"{where}: " + "; ".join(problems))


class NotFoundError(StoreError):
    def __init__(self, entity: str, key: str) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"no {entity} with key {key!r}")


class InUseError(StoreError):
    """Refused delete: `users` says what still refers to the record."""

    def __init__(self, entity: str, key: str, users: list[str]) -> None:
        self.users = users
        super().__init__(f"cannot delete {entity} {key!r}: still used by " + "; ".join(users))


class ConflictError(StoreError):
    """Someone else changed the record since it was read: nothing was overwritten."""


class LockTimeoutError(StoreError):
    pass


class ReadOnlyError(StoreError):
    """A write asked of a database this process can only read (a read-only file system, or a
    folder the user may read but not write); nothing was written."""


class DiskError(StoreError):
    """The system refused a read or write (no permission, disk full...); a save is undone."""

    def __init__(self, error: OSError, path: Path) -> None:
        self.error = error
        where = error.filename or path
        super().__init__(f"{where}: {error.strerror or error}")


def format_pydantic_error(error: Exception) -> list[str]:
    """Turn a pydantic ValidationError into 'field: message' lines, in Kapabel's own words."""
    errors = getattr(error, "errors", None)
    if errors is None:
        return [str(error)]
    lines = []
    for item in errors():
        field = ".".join(str(part) for part in item.get("loc", ())) or "record"
        message = plain_message(item)
        if ": " in message and field == "record":
            lines.append(message)
        else:
            lines.append(f"{field}: {message}")
    return lines


def _shown(value: object) -> str:
    """A value as a message quotes it: numbers as typed (5, not 5.0), text in quotes."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return repr(value)


OUT_OF_RANGE = frozenset({"less_than_equal", "greater_than_equal", "less_than", "greater_than"})
"""pydantic's error types for a number beyond a field's general bounds."""

_PLAIN: dict[str, str] = {
    "less_than_equal": "{input} is above the highest allowed, {le}",
    "greater_than_equal": "{input} is below the lowest allowed, {ge}",
    "less_than": "{input} is too high: it must be below {lt}",
    "greater_than": "{input} is too low: it must be above {gt}",
    "missing": "required, but missing",
    "string_too_short": "required, but empty",
    "string_too_long": "longer than {max_length} characters",
    "too_short": "needs at least {min_length}",
    "enum": "{input} is not one of {expected}",
    "literal_error": "{input} is not one of {expected}",
    "int_parsing": "{input} is not a whole number",
    "int_from_float": "{input} is not a whole number",
    "int_type": "{input} is not a whole number",
    "float_parsing": "{input} is not a number",
    "float_type": "{input} is not a number",
    "bool_parsing": "{input} is not yes or no",
    "bool_type": "{input} is not yes or no",
    "date_parsing": "{input} is not a valid date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "{input} is not a valid date (YYYY-MM-DD)",
    "date_type": "{input} is not a valid date (YYYY-MM-DD)",
    "extra_forbidden": "not a field of this record",
}
"""pydantic's error types, in the words Kapabel uses everywhere else (its own messages for the
rules the models check themselves pass through as they are)."""


def plain_message(item: dict) -> str:
    """One pydantic error item as a message fit for a user (no "Input should be ...")."""
    template = _PLAIN.get(item.get("type", ""))
    if template is not None:
        context = {key: _shown(value) for key, value in (item.get("ctx") or {}).items()}
        context["expected"] = str((item.get("ctx") or {}).get("expected", ""))
        try:
            return template.format(input=_shown(item.get("input")), **context)
        except (KeyError, IndexError):
            pass  # a context pydantic did not give: its own words are better than none
    return str(item.get("msg", "invalid")).removeprefix("Value error, ")
