"""Backups inside a database folder: `backups/<UTC time>/`, made whole or not at all."""

from __future__ import annotations

import shutil
from pathlib import Path

from store.folder.layout import BACKUP_DIR, PARTIAL_SUFFIX


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup of a database, to point to when a file is damaged."""
    folder = db_path / BACKUP_DIR
    if not folder.is_dir():
        return None
    backups = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    return backups[-1] if backups else None


def remove_partial_backups(db_path: Path) -> int:
    """Delete the backups a crash left half-made (call under the write lock, which every backup
    is made under); they hold personal data and are never restored. How many were deleted."""
    try:
        entries = list((db_path / BACKUP_DIR).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return 0
    partial = [
        e
        for e in entries
        if e.name.startswith(".") and e.name.endswith(PARTIAL_SUFFIX) and not e.is_symlink()
    ]
    for entry in partial:
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return len(partial)
