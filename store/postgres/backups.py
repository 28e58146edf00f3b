"""Where a server database's folder backups are: on the machine that made them.

`kapabel backup --db URL` writes a folder database (a portable copy anyone can open) under
`<user data dir>/servers/<host>_<database>/backups/<UTC time>/`; an erasure on the server
reaches them there (`store.folder.erasure.FolderBackups`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from i18n import _
from store.folder.backups import FolderBackups
from store.folder.layout import BACKUP_DIR
from store.folder.storage import FolderStorage


def backup_home(url: str) -> Path:
    """`<user data dir>/servers/<host>_<database>`: the server database's own folder here."""
    from store.locations import data_home

    parts = urlsplit(url)
    name = f"{parts.hostname or 'local'}_{parts.path.strip('/') or 'postgres'}"
    return data_home() / "servers" / re.sub(r"[^A-Za-z0-9._-]", "_", name)


def backups_of(url: str) -> FolderBackups:
    """A server database's backups; the app makes none by itself (that is the server's job:
    pg_dump, its own backups)."""
    return FolderBackups(backup_home(url) / BACKUP_DIR, FolderStorage.open, automatic=False)


def backup_to_folder(storage, into: Path | None = None) -> Path:
    """A folder database holding exactly the server database (a portable copy anyone can
    open), at `into` or in its backups; the folder. Read in one consistent state (under the
    write lock); the folder gets its name only when complete."""
    from store.copying import copy_between
    from store.errors import StoreError
    from store.files import ensure_private_dir
    from store.folder.layout import PARTIAL_SUFFIX

    target = Path(into) if into is not None else storage.backups.new_target()
    if target.exists():
        raise StoreError(
            _("{path} exists already: a backup goes to a new folder").format(path=target)
        )
    ensure_private_dir(target.parent)
    partial = target.parent / f".{target.name}{PARTIAL_SUFFIX}"
    folder = FolderStorage.open(partial, create=True)
    try:
        copy_between(storage, folder, replace=True)
    finally:
        folder.close()
    os.replace(partial, target)
    return target
