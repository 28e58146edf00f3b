"""Backups: when to make one, how many to keep, and how to put one back, on every backend.

A backup is a folder database (a portable copy anyone can open) named by its UTC time; the
backend makes it (`Storage.backup`: the folder copies its files under its lock, PostgreSQL
copies one consistent state into a new folder) and keeps them in its own place
(`Storage.backups`: `<db>/backups/`, or the user's data folder for a server database). This
module decides when to make one -- on request, before every import and restore, at most once a
day when the app opens -- how many to keep, and how to put one back: the backup is checked
first (whole, sound: `Backups.checked`, the one place its files are validated), the current
state is kept as a backup, then the database is replaced in one atomic step and the restore
audited.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from i18n import _
from store.auditlog import new_entry
from store.copying import copy_between
from store.errors import StoreError
from store.models import AuditAction
from store.storage import Change

KEEP_ENV = "KAPABEL_KEEP_BACKUPS"
DEFAULT_KEEP = 10


class KeepCountError(StoreError):
    """A number of backups to keep that is not a whole number of at least 1."""


def keep_count(keep: int | None = None) -> int:
    """How many backups to keep: `keep`, else $KAPABEL_KEEP_BACKUPS, else 10.

    Anything but a whole number of at least 1 is refused, never quietly taken as another number:
    keeping fewer backups than meant deletes the others.
    """
    if keep is None:
        text = os.environ.get(KEEP_ENV, "").strip()
        if not text:
            return DEFAULT_KEEP
        try:
            keep = int(text)
        except ValueError:
            raise KeepCountError(
                _("{name}: not a whole number: {text!r}").format(name=KEEP_ENV, text=text)
            ) from None
        where = KEEP_ENV
    else:
        where = "--keep"
    if keep < 1:
        raise KeepCountError(
            _("{where}: must be at least 1 (got {keep})").format(where=where, keep=keep)
        )
    return keep


def make_backup(repo, *, keep: int | None = None) -> Path:
    """A new backup; then all but the newest `keep` are deleted."""
    keep = keep_count(keep)  # a bad number is refused before anything is written
    target = repo.backup()  # refused in a scope: a backup is of the whole database
    repo.storage.backups.prune(keep)
    return target


def daily_backup(repo, today: dt.date | None = None) -> Path | None:
    """A backup unless one was already made today (UTC); for when the app opens. None where
    nothing can be written, and for a server database (its server's backups keep it)."""
    if repo.read_only or not repo.storage.backups.automatic:
        return None
    today = today or dt.datetime.now(dt.UTC).date()
    when = repo.storage.backups.newest_time()
    if when is not None and when.date() >= today:
        return None
    return make_backup(repo)


def restore(repo, path: Path | str) -> Path:
    """Put backup `path` (a folder, or its name among the backups) back; the backup made of
    the state it replaced. Nothing changes when the backup is not whole and sound."""
    backups = repo.storage.backups
    with backups.checked(backups.find(path)) as source:
        kept = make_backup(repo, keep=keep_count() + 1)
        copy_between(source, repo.storage, replace=True)
    note = new_entry(repo, AuditAction.RESTORE, "*", Path(path).name, {"kept": [None, kept.name]})
    with repo.storage.writing() as session:
        session.commit(Change(appends={"audit": [note]}), session.version.data)
    repo.refresh()
    repo.save_snapshot()  # the restore deleted the history snapshot: the next open stays fast
    return kept
