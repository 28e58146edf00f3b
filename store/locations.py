"""Where databases live: the user data directory unless `--db` or KAPABEL_DB says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

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


def resolve_db_path(cli_value: str | Path | None) -> Path:
    return Path(cli_value).expanduser() if cli_value else default_db_path()
