"""Durable file primitives: atomic rewrite, fsynced append, owner-only permissions.

Every file Kapabel writes holds personal data, so each is created 0600 in a 0700 folder.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.\d+\.(?:tmp|txn)$")
"""`.<file>.<pid>.tmp` (an atomic rewrite) or `.<file>.<pid>.txn` (part of a journal)."""


def temp_target(name: str) -> str | None:
    """The file a temporary of ours was written for; None for any other name."""
    match = TEMP_NAME.match(name)
    return match["target"] if match else None


def write_temp(path: Path, data: bytes, suffix: str = ".tmp") -> Path:
    """Write `data` to a fresh temporary file beside `path`, flushed and fsynced."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}{suffix}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
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
    os.replace(tmp, path)
    fsync_dir(path.parent)


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


def open_pinned(path: Path) -> tuple[BinaryIO, tuple[int, int, int]] | None:
    """Open `path` for reading; the handle and the signature of exactly that file (None: missing).

    While the handle stays open the file's inode cannot be reused, so a later rewrite by another
    process always gets a new inode and a changed signature -- even on file systems whose
    timestamps are too coarse to tell two writes in the same tick apart.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 - the caller keeps it open on purpose
    except FileNotFoundError:
        return None
    st = os.fstat(handle.fileno())
    return handle, (st.st_ino, st.st_size, st.st_mtime_ns)


PIN_FILES = os.name == "posix"
"""Keep loaded files open to pin their inodes (elsewhere an open file cannot be replaced)."""


class Pin:
    """Holds the handle of the file version a reader last loaded (see `open_pinned`)."""

    def __init__(self) -> None:
        self._handle: BinaryIO | None = None

    def hold(self, handle: BinaryIO | None) -> None:
        old, self._handle = self._handle, handle if PIN_FILES else None
        if old is not None:
            old.close()
        if handle is not None and not PIN_FILES:
            handle.close()

    def hold_current(self, path: Path) -> tuple[int, int, int] | None:
        """Pin the file now at `path` (just written by us); its signature."""
        opened = open_pinned(path)
        if opened is None:
            self.hold(None)
            return None
        self.hold(opened[0])
        return opened[1]


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when another process rewrites or appends to a file (None: missing)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)
