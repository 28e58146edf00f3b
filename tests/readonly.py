"""A folder this process really cannot write to, for tests of read-only databases and outputs.

Root ignores permission bits, so as root the folder gets a read-only bind mount of itself (the
file system refuses every write, as on a read-only medium); as anyone else every write bit under
it is removed (an auditor's copy they may read but not change). Skipped where neither works.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*argv: str) -> bool:
    return subprocess.run(argv, capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[str]:
    """While inside, `path` and everything under it cannot be written; yields how ("mount" or
    "permissions")."""
    path = Path(path)
    if os.geteuid() != 0:
        with _without_write_bits(path):
            yield "permissions"
        return
    if not shutil.which("mount") or not _run("mount", "--bind", str(path), str(path)):
        pytest.skip("running as root and a read-only bind mount is not allowed here")
    try:
        if not _run("mount", "-o", "remount,bind,ro", str(path), str(path)):
            pytest.skip("running as root and a read-only bind mount is not allowed here")
        yield "mount"
    finally:  # lazily if a file under it is still open (a repository pins what it read)
        _run("umount", str(path)) or _run("umount", "-l", str(path))


@contextlib.contextmanager
def _without_write_bits(path: Path) -> Iterator[None]:
    modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")]}
    writes = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    try:
        for p, mode in sorted(modes.items(), reverse=True):
            os.chmod(p, stat.S_IMODE(mode) & ~writes)
        yield
    finally:
        for p, mode in modes.items():
            with contextlib.suppress(OSError):
                os.chmod(p, stat.S_IMODE(mode))
