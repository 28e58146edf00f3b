"""Backups: timestamped copies of a database under `<db>/backups/`, the last N kept.

The copy itself is `FolderRepository.backup()` (a folder per backup, made under the lock, named
by its UTC time so that the names sort by age and `newest_backup` finds the latest). This module
decides when to make one -- on request, before every import and restore, at most once a day when
the app opens -- how many to keep, and how to put one back: a restore first opens a copy of the
backup to check it, keeps the current state as a backup, then replaces the files through the
repository's journal (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from store.auditlog import new_entry
from store.errors import CorruptFileError, StoreError
from store.files import ensure_private_dir
from store.models import AuditAction
from store.repository import BACKUP_DIR, META_FILE, FolderRepository, newest_backup

KEEP_ENV = "KAPABEL_KEEP_BACKUPS"
DEFAULT_KEEP = 10
STAMP = "%Y%m%dT%H%M%S%fZ"
"""The name `FolderRepository.backup()` gives a backup folder."""


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
            raise KeepCountError(f"{KEEP_ENV}: not a whole number: {text!r}") from None
        where = KEEP_ENV
    else:
        where = "--keep"
    if keep < 1:
        raise KeepCountError(f"{where}: must be at least 1 (got {keep})")
    return keep


def list_backups(db: Path) -> list[Path]:
    """Oldest first: the names sort by time."""
    folder = Path(db) / BACKUP_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and backup_time(p) is not None)


def backup_time(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(path.name, STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def make_backup(repo: FolderRepository, *, keep: int | None = None) -> Path:
    """A new backup; then all but the newest `keep` are deleted."""
    keep = keep_count(keep)  # a bad number is refused before anything is written
    target = repo.backup()
    prune(target.parent.parent, keep)  # <db>/backups/<time>: on a server, its backup home
    return target


def prune(db: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns those deleted."""
    old = list_backups(db)[:-keep]
    for path in old:
        shutil.rmtree(path)
    return old


def daily_backup(repo: FolderRepository, today: dt.date | None = None) -> Path | None:
    """A backup unless one was already made today (UTC); for when the app opens."""
    if repo.read_only:
        return None  # nothing can be written: the database is only being read here
    if getattr(repo, "path", None) is None:
        return None  # a server database: its server's backups (pg_dump) keep it, not Kapabel
    today = today or dt.datetime.now(dt.UTC).date()
    newest = newest_backup(repo.path)
    when = backup_time(newest) if newest else None
    if when is not None and when.date() >= today:
        return None
    return make_backup(repo)


def read_backup(path: Path, allowed: set[str]) -> dict[str, bytes]:
    """The data files of a backup folder; StoreError naming what is wrong with it."""
    path = Path(path)
    if not path.is_dir():
        raise StoreError(f"{path}: not a backup (a backup is a folder in <db>/{BACKUP_DIR}/)")
    names = {p.name for p in path.iterdir() if p.is_file() and not p.name.startswith(".")}
    names -= {n for n in names if n.endswith(".torn")}  # lines set aside, not data
    unknown = sorted(names - allowed)
    if unknown:
        raise StoreError(f"{path}: not a Kapabel backup (holds {', '.join(unknown)})")
    if META_FILE not in names:
        raise StoreError(f"{path}: not a Kapabel backup (no {META_FILE})")
    try:
        return {name: (path / name).read_bytes() for name in sorted(names)}
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from None


def check_backup(contents: dict[str, bytes], scratch: Path) -> list[str]:
    """Open the backup's files as a database in `scratch`; its problems (empty: restorable)."""
    ensure_private_dir(scratch)
    for name, data in contents.items():
        (scratch / name).write_bytes(data)
    return FolderRepository.open(scratch).problems()


def find_backup(db: Path, path: Path | str) -> Path:
    """The backup folder `path` names: a path, or a folder name as `ls <db>/backups/` shows it.

    The database itself is refused: restoring it onto itself would pass every check and then
    present the live files as a backup that was put back.
    """
    path = Path(path).expanduser()
    if not path.exists() and len(path.parts) == 1:
        path = Path(db) / BACKUP_DIR / path
    if path.is_dir() and os.path.samefile(path, db):
        raise StoreError(f"{path}: is the database itself, not a backup (see {db / BACKUP_DIR}/)")
    return path


def restore(repo: FolderRepository, path: Path) -> Path:
    """Put backup `path` back; returns the backup made of the state it replaced."""
    if getattr(repo, "path", None) is None:
        return repo.restore(path)  # a server database: one transaction (store.postgres)
    path = find_backup(repo.path, path)
    allowed = {META_FILE, *(t.path.name for t in repo.tables.values())}
    allowed |= {log.path.name for log in repo.logs.values()}
    contents = read_backup(path, allowed)
    scratch = repo.path / BACKUP_DIR / f".check-{os.getpid()}"
    try:
        problems = check_backup(contents, scratch)
    except CorruptFileError as error:
        raise StoreError(f"{path}: not restored: {error.path.name}: {error.problem}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if problems:
        raise StoreError(f"{path}: not restored, it has problems: " + "; ".join(problems[:10]))
    kept = make_backup(repo, keep=keep_count() + 1)
    repo.replace_files(contents)
    note = new_entry(repo, AuditAction.RESTORE, "*", Path(path).name, {"kept": [None, kept.name]})
    repo.rewrite_history("audit", lambda records: [*records, note])
    repo.save_snapshot()  # the restore deleted the history snapshot: the next open stays fast
    return kept
