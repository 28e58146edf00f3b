"""Backups: timestamped zip copies of a database under `<db>/backups/`, the last N kept.

Made on request (`kapabel backup`), before every import, at most once a day when the app opens,
and before a restore. A restore checks the backup by opening a copy of it first, keeps the current
state as a backup, then puts the files back through the repository's journal (all or nothing).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

from store.auditlog import new_entry
from store.errors import CorruptFileError, StoreError
from store.files import ensure_private_dir, fsync_dir
from store.models import AuditAction
from store.repository import BACKUP_DIR, FolderRepository, newest_backup

KEEP_ENV = "KAPABEL_KEEP_BACKUPS"
DEFAULT_KEEP = 10
PREFIX = "kapabel-"
STAMP = "%Y%m%d-%H%M%S-%f"


def keep_count(keep: int | None = None) -> int:
    """How many backups to keep: `keep`, else $KAPABEL_KEEP_BACKUPS, else 10 (at least 1)."""
    if keep is None:
        try:
            keep = int(os.environ.get(KEEP_ENV, DEFAULT_KEEP))
        except ValueError:
            keep = DEFAULT_KEEP
    return max(1, keep)


def backup_dir(db: Path) -> Path:
    return Path(db) / BACKUP_DIR


def list_backups(db: Path) -> list[Path]:
    """Oldest first; the names sort by time."""
    folder = backup_dir(db)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*.zip") if p.is_file())


def backup_time(path: Path) -> dt.datetime | None:
    try:
        stamp = path.name.removeprefix(PREFIX).removesuffix(".zip")
        return dt.datetime.strptime(stamp, STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def make_backup(repo: FolderRepository, *, reason: str = "", keep: int | None = None) -> Path:
    """Copy the database, under its lock, to a new zip; then drop all but the newest `keep`."""
    folder = backup_dir(repo.path)
    ensure_private_dir(folder)
    with repo.exclusive():
        now = dt.datetime.now(dt.UTC)
        target = folder / f"{PREFIX}{now.strftime(STAMP)}.zip"
        write_zip(target, repo.data_files(), reason.encode("utf-8")[:1000])
    prune(repo.path, keep_count(keep))
    return target


def write_zip(target: Path, files: list[Path], comment: bytes = b"") -> None:
    """Write `files` (by name) to the zip `target` atomically, readable by the owner only."""
    temp = target.with_name(f".{target.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                for path in files:
                    zf.write(path, path.name)
                zf.comment = comment
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(target.parent)


def prune(db: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns those deleted."""
    old = list_backups(db)[:-keep]
    for path in old:
        path.unlink()
    return old


def daily_backup(repo: FolderRepository, today: dt.date | None = None) -> Path | None:
    """A backup unless one was already made today (UTC); for when the app opens."""
    today = today or dt.datetime.now(dt.UTC).date()
    newest = newest_backup(repo.path)
    when = backup_time(newest) if newest else None
    if when is not None and when.date() >= today:
        return None
    if not repo.data_files():
        return None
    return make_backup(repo, reason="daily")


def read_backup(path: Path, allowed: set[str]) -> dict[str, bytes]:
    """The files in a backup zip; StoreError naming what is wrong with it."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            unknown = sorted(n for n in names if n not in allowed)
            if unknown:
                raise StoreError(f"{path}: not a Kapabel backup (holds {', '.join(unknown)})")
            if "meta.json" not in names:
                raise StoreError(f"{path}: not a Kapabel backup (no meta.json)")
            return {name: zf.read(name) for name in names}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise StoreError(f"{path}: not a readable backup ({error})") from None


def check_backup(contents: dict[str, bytes], scratch: Path) -> list[str]:
    """Open the backup's files as a database in `scratch`; its problems (empty: restorable)."""
    ensure_private_dir(scratch)
    for name, data in contents.items():
        (scratch / name).write_bytes(data)
    copy = FolderRepository.open(scratch)
    return copy.problems()


def restore(repo: FolderRepository, path: Path) -> Path:
    """Put backup `path` back; returns the backup made of the state it replaced."""
    allowed = {p.name for p in _all_data_paths(repo)}
    contents = read_backup(Path(path), allowed)
    scratch = backup_dir(repo.path) / f".check-{os.getpid()}"
    try:
        problems = check_backup(contents, scratch)
    except CorruptFileError as error:
        raise StoreError(f"{path}: not restored: {error.path.name}: {error.problem}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if problems:
        raise StoreError(f"{path}: not restored, it has problems: " + "; ".join(problems[:10]))
    kept = make_backup(repo, reason="before restore", keep=keep_count() + 1)
    repo.replace_files(contents)
    note = new_entry(repo, AuditAction.RESTORE, "*", Path(path).name, {"kept": [None, kept.name]})
    repo.rewrite_history("audit", lambda records: [*records, note])
    return kept


def _all_data_paths(repo: FolderRepository) -> list[Path]:
    paths = [repo.path / "meta.json", *(t.path for t in repo.tables.values())]
    return paths + [log.path for log in repo.logs.values()]
