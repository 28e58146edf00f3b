"""Errors the store raises. Each carries a message fit to show a user as it is."""

from __future__ import annotations

import errno
from pathlib import Path

from i18n import N_, _, language
from store.problems import Problem, from_pydantic, render, render_lines


class StoreError(Exception):
    """Base of every error the store reports to a user."""


class CorruptFileError(StoreError):
    """A database file that cannot be read or fails validation. It is never overwritten."""

    def __init__(self, path: Path, problem: str, backup: Path | None = None) -> None:
        problem = " ".join(str(problem).split())  # one line, whatever the parser said
        self.path = path
        self.problem = problem
        self.backup = backup
        if backup:
            message = _("{path}: {problem} (the file was left unchanged; newest backup: {backup})")
        else:
            message = _("{path}: {problem} (the file was left unchanged; no backup found)")
        super().__init__(message.format(path=path, problem=_(problem), backup=backup))


class ValidationProblem(StoreError):
    """A record that breaks a rule; `problems` say which, as data (`store.problems.Problem`):
    a form shows each at its field, the message renders them all."""

    def __init__(self, entity: str, key: str, problems: list[Problem]) -> None:
        self.entity = entity
        self.key = key
        self.problems = problems
        where = f"{_(entity)} {key!r}" if key else _(entity)  # the table's name, in words
        super().__init__(f"{where}: " + "; ".join(self.lines))

    @property
    def lines(self) -> list[str]:
        """The problems as 'field: message' lines."""
        return render_lines(self.problems)


class NotFoundError(StoreError):
    def __init__(self, entity: str, key: str) -> None:
        self.entity = entity
        self.key = key
        self.problem = Problem("", "not_found", {"table": entity, "key": key})
        super().__init__(render(self.problem))


class InUseError(StoreError):
    """Refused delete: `used` counts what still refers to the record ({"staff": 3}), and
    `problem` says so as data."""

    def __init__(self, entity: str, key: str, used: dict[str, int]) -> None:
        self.used = used
        self.problem = Problem("", "in_use", {"table": entity, "key": key, "used": used})
        super().__init__(render(self.problem))


class ConflictError(StoreError):
    """Someone else changed the record since it was read: nothing was overwritten. `problem`
    says which (a message given as text is kept as it is)."""

    def __init__(self, problem: Problem | str) -> None:
        self.problem = (
            problem if isinstance(problem, Problem) else Problem("", "text", {"text": problem})
        )
        super().__init__(render(self.problem))


class LockTimeoutError(StoreError):
    pass


class ReadOnlyError(StoreError):
    """A write asked of a database this process can only read (a read-only file system, a
    folder the user may read but not write, or one opened read-only); nothing was written.
    `problem` says so as data (a message given as text is kept as it is)."""

    def __init__(self, problem: Problem | str) -> None:
        self.problem = (
            problem if isinstance(problem, Problem) else Problem("", "text", {"text": problem})
        )
        super().__init__(render(self.problem))


class DiskError(StoreError):
    """The system refused a read or write (no permission, disk full...); a save is undone."""

    def __init__(self, error: OSError, path: Path) -> None:
        self.error = error
        where = error.filename or path
        super().__init__(f"{where}: {error.strerror or error}")


def format_pydantic_error(error: Exception) -> list[str]:
    """A pydantic ValidationError as 'field: message' lines, in Kapabel's own words."""
    return render_lines(from_pydantic(error))


OUT_OF_RANGE = frozenset({"less_than_equal", "greater_than_equal", "less_than", "greater_than"})
"""pydantic's error types for a number beyond a field's general bounds."""


_OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("not a folder"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EROFS: N_("read-only file system"),
}
"""The system's reasons a person meets most, in words (the system's own are English)."""


def os_reason(error: OSError) -> str:
    """Why a file could not be read or written: a common reason in the current language, else
    (and always in English) the system's own words."""
    words = _OS_REASONS.get(error.errno)
    if words is None or language() == "en":
        return error.strerror or str(error)
    return _(words)
