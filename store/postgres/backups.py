"""Where a server database's folder backups are: on the machine that made them.

`kapabel backup --db URL` writes a folder database (a portable copy anyone can open) under
`<user data dir>/servers/<host>_<database>/backups/<UTC time>/`; an erasure on the server
reaches them there (`store.folder.erasure.FolderBackups`).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from store.folder.erasure import FolderBackups
from store.folder.layout import BACKUP_DIR


def backup_home(url: str) -> Path:
    """`<user data dir>/servers/<host>_<database>`: the server database's own folder here."""
    from store.locations import data_home

    parts = urlsplit(url)
    name = f"{parts.hostname or 'local'}_{parts.path.strip('/') or 'postgres'}"
    return data_home() / "servers" / re.sub(r"[^A-Za-z0-9._-]", "_", name)


def backups_of(url: str) -> FolderBackups:
    return FolderBackups(backup_home(url) / BACKUP_DIR)
