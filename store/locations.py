"""Where databases live: the user data directory unless `--db` or KAPABEL_DB says otherwise.

A target is a folder or a PostgreSQL URL; this module names one (never with a password) for
every backend and for `store.open_store`, and depends on none of them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from platformdirs import user_data_path

ENV_VAR = "KAPABEL_DB"


def data_home() -> Path:
    return user_data_path("kapabel", appauthor=False)


def default_db_path() -> Path:
    """The database used when no `--db` is given: $KAPABEL_DB, else the user data directory."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else data_home() / "db"


def demo_db_path() -> Path:
    """The demo database has a folder of its own, so it never lands in the real one."""
    return data_home() / "demo"


URL_SCHEMES = ("postgresql", "postgres")

SECRET_PARAMS = frozenset({"password", "sslpassword"})
"""URL parameters that hold a secret: never shown."""

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


QUERY_SAFE = "/:@,"
"""Characters a shown URL's parameters keep as they are: a socket folder reads as a path
(`host=/var/run/postgresql`), not `host=%2Fvar%2Frun%2Fpostgresql`; libpq reads both alike."""


def location(target: Target) -> str:
    """The target as messages may show it: a folder's path, or the URL without its password
    or any secret parameter (`SECRET_PARAMS`), in a form libpq reads as the same connection.

    A Unix socket's folder reads as a path: given %-encoded in the host part
    (`postgresql://hr@%2Fvar%2Frun%2Fpostgresql/kapabel`) it is shown as the `host` parameter
    (`postgresql://hr@/kapabel?host=/var/run/postgresql`), and parameters keep their `/`.
    """
    if not is_url(target):
        return str(target)
    parts = urlsplit(str(target).strip())
    userinfo, at, hosts = parts.netloc.rpartition("@")
    params = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in SECRET_PARAMS
    ]
    socket, colon, port = hosts.partition(":")
    if unquote(socket).startswith("/") and not any(k == "host" for k, _ in params):
        params.insert(0, ("host", unquote(socket)))
        hosts = colon + port
    netloc = f"{userinfo.partition(':')[0]}@{hosts}" if at else hosts
    query = urlencode(params, safe=QUERY_SAFE, quote_via=quote)
    shown = f"{parts.scheme}://{netloc}{parts.path}"  # `//` kept with no host (urlunsplit drops it)
    return shown + (f"?{query}" if query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def target_name(target: Target) -> str:
    """A short name for a title bar: the folder's name, or the server database's name."""
    if is_url(target):
        return urlsplit(str(target).strip()).path.strip("/") or "postgres"
    return Path(target).name
