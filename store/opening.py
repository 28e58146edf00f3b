"""The one way into a database: `open_store(target)`, for the app and every command alike.

A target is a database folder (a path) or a PostgreSQL URL (`postgresql://...`), given with
`--db` or `KAPABEL_DB` (see `resolve_target`). Code above `store` opens a database only here and
works on the `store.Repository` it returns, never on a backend's class, so a backend can change
(or a second one come) without touching the app or the commands.

A PostgreSQL URL is handed to `store.postgres.open_database(url, create=..., user=...)`; until
that backend exists, such a target is refused with one readable line. Messages never show the
password of a URL: use `location(target)` to name a target.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from store.errors import StoreError
from store.locations import ENV_VAR, default_db_path

URL_SCHEMES = ("postgresql", "postgres")
POSTGRES_MODULE = "store.postgres"
"""The PostgreSQL backend's module; its `open_database(url, *, create, user)` opens a URL."""

Target = Path | str
"""A database folder, or a URL (kept as text: a Path would fold its `//`)."""


def is_url(target: object) -> bool:
    """Whether a target names a server database (`postgresql://...`) rather than a folder."""
    return isinstance(target, str) and urlsplit(target.strip()).scheme.lower() in URL_SCHEMES


def resolve_target(value: str | Path | None) -> Target:
    """The database to use: `--db` when given, else `$KAPABEL_DB`, else the user data folder.

    A URL stays text; a folder becomes a Path with `~` expanded.
    """
    if value is None or not str(value).strip():
        env = os.environ.get(ENV_VAR, "").strip()
        if is_url(env):
            return env
        return default_db_path()
    if is_url(value):
        return str(value).strip()
    return Path(value).expanduser()


def location(target: Target) -> str:
    """The target as messages may show it: a folder's path, or the URL without its password."""
    if not is_url(target):
        return str(target)
    parts = urlsplit(str(target).strip())
    netloc = parts.netloc.rpartition("@")
    if netloc[1]:
        user = netloc[0].partition(":")[0]
        host = f"{user}@{netloc[2]}"
    else:
        host = parts.netloc
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"]
    )
    return urlunsplit((parts.scheme, host, parts.path, query, parts.fragment))


def target_name(target: Target) -> str:
    """A short name for a title bar: the folder's name, or the server database's name."""
    if is_url(target):
        return urlsplit(str(target).strip()).path.strip("/") or "postgres"
    return Path(target).name


def open_store(target: str | Path | None = None, *, create: bool = False, user: str | None = None):
    """Open the database `target` names (see `resolve_target`); the `store.Repository`.

    With `create`, a missing database is made. Raises StoreError with a readable message
    (never a password) when it cannot be opened.
    """
    target = resolve_target(target)
    if is_url(target):
        try:
            backend = import_module(POSTGRES_MODULE)
        except ModuleNotFoundError as error:
            if error.name != POSTGRES_MODULE:
                raise
            raise StoreError(
                f"{location(target)}: this Kapabel cannot open PostgreSQL databases yet"
            ) from None
        return backend.open_database(target, create=create, user=user)
    from store.repository import FolderRepository

    return FolderRepository.open(target, create=create, user=user)


def store_exists(target: str | Path | None) -> bool:
    """Whether `target` holds a database already (or the beginning of one a crash left), so
    that a command can avoid making one it would not write to."""
    target = resolve_target(target)
    if is_url(target):
        return True  # a server database is made by `kapabel migrate`, never on the fly
    from store.migrations import V0_FILE
    from store.repository import JOURNAL_FILE, META_FILE

    return any((Path(target) / name).exists() for name in (META_FILE, JOURNAL_FILE, V0_FILE))
