"""`kapabel report` on a folder ends its process without tearing down what it loaded
(`os._exit` once the output is flushed: ~50 ms of a 0.35 s report at 5,000 staff, ~0.1 s at
50,000; issue 14). Everything it printed or wrote must still be there, whole, with the same
exit status, as a user runs it (the `kapabel` entry point, `tui.cli.run`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.repository import FolderRepository
from tests.iohelpers import populate
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
KAPABEL = [sys.executable, "-c", "from tui.cli import run; run()"]


@pytest.fixture
def db(repo: FolderRepository) -> Path:
    populate(repo)
    return repo.path


def kapabel(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*KAPABEL, *args], capture_output=True, env=env, cwd=ROOT)


@pytest.mark.parametrize("fmt", ["json", "text", "csv", "md"])
def test_the_whole_report_reaches_the_pipe(db, fmt, capsysbinary) -> None:
    args = ["report", "gaps", "--db", str(db), "--as-of", "2026-11-01", "--format", fmt]
    assert main(args) == 0
    expected = capsysbinary.readouterr().out
    done = kapabel(*args)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout == expected and expected


def test_a_report_written_to_a_file_is_whole(db, tmp_path) -> None:
    target = tmp_path / "gaps.json"
    args = ["report", "gaps", "--db", str(db), "--format", "json"]
    done = kapabel(*args, "--output", str(target))
    assert done.returncode == 0
    assert main([*args, "--output", str(tmp_path / "again.json")]) == 0
    assert target.read_bytes() == (tmp_path / "again.json").read_bytes()


def test_a_refused_report_keeps_its_message_and_status(db) -> None:
    done = kapabel("report", "gaps", "--db", str(db), "--department", "NOPE")
    assert done.returncode == 2
    assert b"NOPE" in done.stderr and done.stdout == b""


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_reader_that_stops_early_ends_the_report_without_a_traceback(db, fmt) -> None:
    """`kapabel report ... | head -1`: the reader goes before the report is written; the
    command stops quietly (no traceback, no 'Exception ignored' at exit), status 1."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["report", "gaps", "--db", str(db), "--as-of", "2026-11-01", "--format", fmt]
    try:
        done = subprocess.run(
            [*KAPABEL, *args], stdout=write_end, stderr=subprocess.PIPE, env=env, cwd=ROOT
        )
    finally:
        os.close(write_end)
    assert done.stderr == b""
    assert done.returncode == 1


@pytest.mark.parametrize("entered_by_run", [False, True])
def test_a_report_ending_its_process_leaves_nothing_to_collect(
    db, monkeypatch, entered_by_run
) -> None:
    """Through `run` (as `kapabel` is), a report on a folder freezes what it made before the
    collector is enabled again, so that no collection scans it just before the process ends
    (~27 ms at 50,000 staff); called through `main` (a test, another program) it does not."""
    import gc

    import tui.cli as cli
    import tui.commands.process_end as process_end

    class Ended(Exception):
        pass

    def ended(code: int) -> None:
        raise Ended(code)

    monkeypatch.setattr(cli.os, "_exit", ended)
    monkeypatch.setattr(process_end, "_ENTERED_BY_RUN", [False])
    args = ["report", "gaps", "--db", str(db), "--format", "json"]
    monkeypatch.setattr(sys, "argv", ["kapabel", *args])
    frozen = gc.get_freeze_count()
    try:
        if entered_by_run:
            with pytest.raises(Ended):
                cli.run()
        else:
            assert main(args) == 0
        assert (gc.get_freeze_count() > frozen) == entered_by_run
        assert gc.isenabled()
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("to_file", [False, True])
def test_the_output_is_written_before_the_collector_runs_again(
    db, tmp_path, monkeypatch, to_file
) -> None:
    """A one-shot report keeps the cycle collector paused until its output is written: the
    first collection after the pause would scan everything the report made (~27 ms at 50,000
    staff) just before the process ends."""
    import gc

    import tui.commands.report as command

    seen = []
    for name in ("write_stdout", "write_output"):
        write = getattr(command, name)
        monkeypatch.setattr(
            command, name, lambda *a, write=write: (seen.append(gc.isenabled()), write(*a))
        )
    args = ["report", "gaps", "--db", str(db), "--format", "json"]
    if to_file:
        args += ["--output", str(tmp_path / "gaps.json")]
    assert gc.isenabled()
    assert main(args) == 0
    assert seen == [False] and gc.isenabled()
