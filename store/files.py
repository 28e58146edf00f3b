"""Durable file primitives: atomic rewrite, fsynced append, owner-only permissions.

Every file Kapabel writes holds personal data, so each is created 0600 in a 0700 folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import weakref
from pathlib import Path

from i18n import _
from store.errors import StoreError

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)


def can_write(folder: Path) -> bool:
    """Whether this process may create and replace files in `folder`.

    access(2) answers for the effective user and says no on a read-only file system even to
    root, who otherwise may write anywhere.
    """
    effective = os.access in os.supports_effective_ids
    return os.access(folder, os.W_OK | os.X_OK, effective_ids=effective)


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.\d+(?:-[a-z0-9_]+)?\.(?:tmp|txn)$")
"""`.<file>.<pid>-<random>.tmp` (an atomic rewrite) or `….txn` (part of a journal); older
Kapabels left `.<file>.<pid>.tmp`."""


def temp_target(name: str) -> str | None:
    """The file a temporary of ours was written for; None for any other name."""
    match = TEMP_NAME.match(name)
    return match["target"] if match else None


def write_temp(path: Path, data: bytes, suffix: str = ".tmp") -> Path:
    """Write `data` to a fresh temporary file beside `path`, flushed and fsynced.

    The name is unpredictable and the file is created new (O_EXCL, O_NOFOLLOW, 0600 by
    `mkstemp`): a file or symbolic link planted at a guessed name is never written through.
    """
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}-", suffix=suffix, dir=path.parent
    )
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file whole."""
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


class OutputError(StoreError):
    """A report or export file that cannot be written where the user asked."""


def write_output(path: Path, data: bytes) -> None:
    """Write a file for people (a report, an export): it holds names, so it is 0600 whatever was
    there before; written atomically through an unpredictable temporary, so neither a crash nor
    a planted symbolic link can leave anything else written. OutputError says why not."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(_("{path} is a folder").format(path=path))
    if path.exists() and not path.is_file():
        # a device or named pipe (/dev/stdout, /dev/null): renaming over it would replace it
        raise OutputError(
            _("{path} is not a regular file (a device or a named pipe)").format(path=path)
        )
    if not path.parent.exists():
        raise OutputError(_("no folder {path}").format(path=path.parent))
    if not path.parent.is_dir():
        raise OutputError(_("{path} is not a folder").format(path=path.parent))
    try:
        atomic_write(path, data)
    except OSError as error:
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from None


def overwrite_durably(path: Path, data: bytes) -> bytes:
    """Write `data` over the start of the existing regular file `path` in one write, padded with
    spaces to the file's length (so nothing is cut off and no stale tail is left: for JSON, where
    trailing blanks are allowed), and flush it to disk. No new file, no rename: cheaper than
    `atomic_write`, but a crash may tear it, so it is only for a file the journal can rewrite.
    Returns the bytes the file now holds."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        padded = data.ljust(os.fstat(fd).st_size, b" ")
        view, offset = memoryview(padded), 0
        while offset < len(padded):
            offset += os.pwrite(fd, view[offset:], offset)
        # the content (and the size if it changed), not the timestamps: no metadata commit
        getattr(os, "fdatasync", os.fsync)(fd)
    finally:
        os.close(fd)
    return padded


def copy_private(source: Path, target: Path) -> None:
    """Copy `source` to a new file `target`, owner-only from its first byte, fsynced."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, FILE_MODE)
    with os.fdopen(fd, "wb") as copy, open(source, "rb") as original:
        shutil.copyfileobj(original, copy, 1 << 20)
        copy.flush()
        os.fsync(copy.fileno())


def append_durably(path: Path, data: bytes) -> None:
    """Append `data` and fsync: once this returns, the bytes survive a crash."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def open_pinned(path: Path) -> tuple[int, tuple[int, int, int]] | None:
    """Open `path` for reading; the descriptor and the signature of exactly that file.

    While the descriptor stays open the file's inode cannot be reused, so a later rewrite by
    another process always gets a new inode and a changed signature -- even on file systems
    whose timestamps are too coarse to tell two writes in the same tick apart. None: missing.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    st = os.fstat(fd)
    return fd, (st.st_ino, st.st_size, st.st_mtime_ns)


def read_fd(fd: int) -> bytes:
    """The whole content of an open file, from its start."""
    with open(fd, "rb", closefd=False) as handle:
        handle.seek(0)
        return handle.read()


PIN_FILES = os.name == "posix"
"""Keep loaded files open to pin their inodes (elsewhere an open file cannot be replaced)."""


class Pin:
    """Holds open the file version a reader last loaded (see `open_pinned`); closed with it."""

    def __init__(self) -> None:
        self._closer: weakref.finalize | None = None

    def hold(self, fd: int | None) -> None:
        if self._closer is not None:
            self._closer()  # closes the previous descriptor
            self._closer = None
        if fd is None:
            return
        if PIN_FILES:
            self._closer = weakref.finalize(self, os.close, fd)
        else:
            os.close(fd)

    def hold_current(self, path: Path) -> tuple[int, int, int] | None:
        """Pin the file now at `path` (just written by us); its signature."""
        opened = open_pinned(path)
        self.hold(opened[0] if opened else None)
        return opened[1] if opened else None


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when another process rewrites or appends to a file (None: missing)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)
