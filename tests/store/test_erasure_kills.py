"""An erasure killed (SIGKILL) at random moments is finished by running it again: nothing of the
person is left anywhere under the database folder, and nothing else is lost."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.repository import ERASURE_FILE, FolderRepository
from tests.iohelpers import EMPLOYEE_NO, check_erased_cleanly, spread_person
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
KILLS = 32

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the eraser forks")


def test_killed_erasures_are_finished_by_erasing_again(tmp_path: Path, capsys) -> None:
    spread = tmp_path / "spread"
    spread_person(FolderRepository.open(spread, create=True, user="tester"))
    eraser = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "store" / "erase_worker.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )

    def read_line() -> str:
        line = eraser.stdout.readline().decode()
        assert line and not line.startswith("error"), line
        return line.strip()

    def start(db: Path) -> int:
        shutil.copytree(spread, db)
        eraser.stdin.write(f"{db}\n".encode())
        eraser.stdin.flush()
        forked = read_line().split()
        assert forked[0] == "forked", forked
        assert read_line() == "opened"
        return int(forked[1])

    def stop(pid: int) -> list[str]:
        os.kill(pid, signal.SIGKILL)
        said = []
        while not (line := read_line()).startswith("reaped"):
            said.append(line)
        return said

    rng = random.Random(20261204)
    interrupted = 0
    try:
        # How long one erasure takes here, so that the kills spread over all of it.
        pid = start(tmp_path / "whole")
        began = time.monotonic()
        assert read_line() == "erased"
        duration = time.monotonic() - began
        stop(pid)
        check_erased_cleanly(tmp_path / "whole")

        for run in range(KILLS):
            db = tmp_path / f"run{run}"
            pid = start(db)
            time.sleep(rng.uniform(0, duration))
            stop(pid)
            interrupted += (db / ERASURE_FILE).exists()
            assert main(["person", "erase", EMPLOYEE_NO, "--yes", "--db", str(db)]) == 0
            capsys.readouterr()
            check_erased_cleanly(db)
            shutil.rmtree(db)
    finally:
        eraser.kill()
        eraser.wait()
    assert interrupted > 0  # some kills landed after it was written down, before it was done
