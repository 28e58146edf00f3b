"""The one way into a database: `open_store(target)`, for the app and every command alike.

A target is a database folder (a path) or a PostgreSQL URL (`postgresql://...`), given with
`--db` or `KAPABEL_DB` (see `resolve_target`). Code above `store` opens a database only here and
works on the `store.Repository` it returns, never on a backend's class, so a backend can change
(or a second one come) without touching the app or the commands.

A PostgreSQL URL is handed to `store.postgres.open_database(url, create=..., user=...)`, found
by name (a Kapabel built without that package refuses a URL in one readable line). Messages
never show the password of a URL: use `location(target)` to name a target (`store.locations`,
where naming a target lives, below every backend).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from i18n import _
from store.errors import StoreError
from store.locations import Target, is_url, location, resolve_target, target_name

__all__ = [
    "Target",
    "begin_reading",
    "is_url",
    "location",
    "migrate_store",
    "open_in_stages",
    "open_store",
    "read_current_levels",
    "resolve_target",
    "store_exists",
    "target_name",
]

POSTGRES_MODULE = "store.postgres"
"""The PostgreSQL backend's module; its `open_database(url, *, create, user)` opens a URL."""


def open_store(
    target: str | Path | None = None,
    *,
    create: bool = False,
    user: str | None = None,
    department: str | None = None,
    read_only: bool = False,
    validate_everything: bool = False,
):
    """Open the database `target` names (see `resolve_target`); the `store.Repository`.

    With `create`, a missing database is made (never when `read_only`). With `department`,
    the repository shows and changes only that department and all below it (`store.scope`;
    an unknown code is a ScopeError). With `read_only`, every save is refused (ReadOnlyError)
    and nothing is written, not even at opening. With `validate_everything`, a folder's tables
    are all validated, none read on the strength of a recorded hash (a server's rows always
    are). Raises StoreError with a readable message
    (never a password) when it cannot be opened.
    """
    target = resolve_target(target)
    create = create and not read_only
    if is_url(target):
        repo = _postgres(target).open_database(target, create=create, user=user)
    else:
        from store.repository import FolderRepository

        repo = FolderRepository.open(
            target,
            create=create,
            user=user,
            read_only=read_only,
            validate_everything=validate_everything,
        )
    if read_only:
        repo.refuse_writes()
    if department is not None:
        repo.limit_to(department)
    return repo


def begin_reading(target: str | Path | None) -> None:
    """Begin reading, in the background, what opening `target` will need first, so that it is
    under way while the caller does other work (the app imports its modules). Only a folder's
    first start (no snapshot of a large history) has such a read; otherwise nothing happens.
    Never raises: a problem is met, and reported, by the open itself."""
    target = resolve_target(target)
    if is_url(target):
        return
    from store.folder.reading import begin_reading as begin_folder

    with contextlib.suppress(OSError):
        begin_folder(Path(target))


def read_current_levels(target: str | Path | None, as_of, *, user: str | None = None):
    """For a report that needs only the current levels on `as_of` (`reports.CURRENT_LEVEL_KINDS`):
    a Dataset with every register table, and assessments that include at least the ones that
    count on `as_of`. A folder gives its whole data (its snapshot opens it as fast); a server
    gives only those rows, chosen by the server (`store.postgres.current`): faster than
    fetching the whole history. Never hand it to code that reads the history.
    """
    target = resolve_target(target)
    if is_url(target):
        return _postgres(target).read_current_levels(target, as_of, user=user)
    from store.repository import FolderRepository

    # Its register records built when a report first asks for one (`store.on_demand`)
    return FolderRepository.open(target, user=user, records_on_demand=True).ds


@dataclass(frozen=True)
class StagedOpening:
    """A database opened in two steps, for the app (`open_in_stages`): `first` to show at once,
    then `finish()` for the repository with the whole history."""

    first: object
    """A Dataset (scoped as asked) with every register table, robot benefit and at least the
    assessments that count on the date asked for: enough for the figures on that date (the
    Overview's, `reports.CURRENT_LEVEL_KINDS`), never for history (a person's page, a trend).
    """
    whole: bool
    """`first` is the repository's whole data: `finish()` returns at once."""
    finish: Callable[[], object]
    """The repository (`open_store`), reading the whole history when `first` is not whole:
    seconds at scale on a server; call it off the UI thread."""


def open_in_stages(
    target: str | Path | None,
    as_of,
    *,
    create: bool = False,
    user: str | None = None,
    department: str | None = None,
    read_only: bool = False,
) -> StagedOpening:
    """Open `target` as `open_store` does (same arguments), in two steps when the backend has
    a quicker first one: a server chooses the current levels on `as_of` itself
    (`read_current_levels`), a third of the rows, before the whole history is read. A folder
    opens whole at once (its snapshot is as fast). StoreError as `open_store` raises it.
    """
    target = resolve_target(target)
    options = {"create": create, "user": user, "department": department, "read_only": read_only}
    first = _postgres(target).current_levels_only(target, as_of) if is_url(target) else None
    if first is None:  # a folder, or a server with nothing quicker (see current_levels_only)
        repo = open_store(target, **options)
        return StagedOpening(repo.ds, True, lambda: repo)
    if department is not None:
        from store.scope import Scope

        first = Scope.of(first, department).view(first)
    return StagedOpening(first, False, lambda: open_store(target, **options))


def migrate_store(target: str | Path | None = None, *, user: str | None = None) -> tuple[int, int]:
    """Bring a server database's schema up to this program's: (schema before, schema after).

    A folder needs no command (it is migrated whenever it is opened): StoreError for one.
    """
    target = resolve_target(target)
    if not is_url(target):
        raise StoreError(
            _("{target}: a database folder is migrated when it is opened").format(target=target)
        )
    from store.repository import current_user

    return _postgres(target, "migrate").migrate(target, user=user or current_user())


def store_exists(target: str | Path | None) -> bool:
    """Whether `target` holds a database already (or the beginning of one a crash left), so
    that a command can avoid making one it would not write to."""
    target = resolve_target(target)
    if is_url(target):
        return True  # a server database is made by `kapabel migrate`, never on the fly
    from store.folder.migrations import V0_FILE
    from store.repository import JOURNAL_FILE, META_FILE

    return any((Path(target) / name).exists() for name in (META_FILE, JOURNAL_FILE, V0_FILE))


def database_holding(path: Path) -> Path | None:
    """The database folder `path` lies in (one of its files, its backups' or a new file beside
    them), the outermost one; None when it is in none."""
    found = None
    for folder in Path(path).expanduser().resolve().parents:
        if store_exists(folder):
            found = folder
    return found


def write_for_people(path: Path, data: bytes) -> None:
    """Write a report or export (`store.files.write_output`), never into a database folder: a
    file written there bypasses its lock and journal (a CSV over staff.json ruins the
    database). OutputError says why not."""
    from store.files import OutputError, write_output

    held = database_holding(path)
    if held is not None:
        raise OutputError(
            _("{path} is inside the database {held}: write it elsewhere").format(
                path=path, held=held
            )
        )
    write_output(path, data)


def _postgres(target: Target, part: str = ""):
    """The PostgreSQL backend's module (found by name: the backend imports this package's
    naming of targets, never the other way round); one readable line when it is missing."""
    name = f"{POSTGRES_MODULE}.{part}" if part else POSTGRES_MODULE
    try:
        return import_module(name)
    except ModuleNotFoundError as error:
        if error.name not in (POSTGRES_MODULE, name):
            raise
        raise StoreError(
            _("{location}: this Kapabel cannot open PostgreSQL databases").format(
                location=location(target)
            )
        ) from None
