"""The command line starts numpy's BLAS with one thread: Kapabel does no linear algebra, and
starting a thread per core costs every command ~30 ms of CPU at `import numpy` (issue 14). A
value the user set is kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = "import tui.cli, os, sys; print(os.environ.get('OPENBLAS_NUM_THREADS'))"


def _blas_threads(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_command_line_asks_for_one_blas_thread() -> None:
    assert _blas_threads() == "1"


def test_a_blas_thread_count_the_user_chose_is_kept() -> None:
    assert _blas_threads(OPENBLAS_NUM_THREADS="2") == "2"
