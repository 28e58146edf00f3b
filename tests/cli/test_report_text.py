"""A text report is what a department lead forwards: every text in full, one record in one place.

`kapabel report strategy|robots|gaps --format text --output FILE` on the demo municipality whose
milestones, end states, robots, departments, people and governance have long names: the file
holds every cell of every table whole (wrapped within the width, never cut with '...'), and each
record stays in one table (a wide table is never split into blocks that repeat its key column).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from reports import build_report
from reports.base import Table
from reports.render.cells import cell_text, group_rows
from store.demo import DEMO_AS_OF
from store.repository import FolderRepository
from tests.conftest import user_settings_env
from tui.cli import main

LONGER = (
    " – med digital selvbetjening, automatisk journalisering og opfølgning i alle forvaltninger"
)
RULE = re.compile(r"^-+(  +-+)*$")


@pytest.fixture(scope="module")
def long_names(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with long milestone, theme, robot, department, staff and people names."""
    path = tmp_path_factory.mktemp("long") / "db"
    shutil.copytree(demo_db_template, path)
    repo = FolderRepository.open(path, user="tester")
    ds = repo.ds
    with repo.transaction() as tx:
        for m in ds.milestones.values():
            tx.put(m.model_copy(update={"title": m.title + LONGER, "owner": m.owner + " og HR"}))
        for t in ds.themes.values():
            tx.put(t.model_copy(update={"title": t.title + LONGER, "end_state": t.end_state * 2}))
        for r in list(ds.robots.values())[::2]:
            tx.put(r.model_copy(update={"name": r.name + LONGER}))
        for d in list(ds.departments.values())[::3]:
            tx.put(d.model_copy(update={"name": d.name + LONGER}))
        for s in list(ds.staff.values())[::5]:
            tx.put(s.model_copy(update={"name": s.name + " Østergaard-Vestergaard Frederiksen"}))
        for g in ds.governance.values():
            tx.put(g.model_copy(update={"people": [*g.people, "Borgmesterens kontor", "MED"]}))
    return path


def words(text: str) -> Counter[str]:
    return Counter(text.split())


def sections(text: str, tables: list[Table]) -> list[str]:
    """The text under each table's heading, up to the next table's heading."""
    starts = [text.index(f"\n{t.title[:25]}") for t in tables]  # the title may wrap
    return [text[a : b if b else None] for a, b in zip(starts, [*starts[1:], 0], strict=True)]


def blocks(section: str, group_heading: str | None) -> list[list[str]]:
    """Each laid-out table in a section: the lines below its header rule, up to the next group's
    heading ('Department: ...') or the section's end."""
    found: list[list[str]] = []
    body: list[str] | None = None
    lines = section.splitlines()
    underline = next(i for i, line in enumerate(lines) if RULE.match(line))
    for line in lines[underline + 1 :]:
        if RULE.match(line):
            body = []
            found.append(body)
        elif group_heading and line.startswith(group_heading):
            body = None
        elif body is not None:
            body.append(line)
    for body in found:
        while body and not body[-1].strip():
            body.pop()
    return found


def records(body: list[str], count: int) -> list[list[str]]:
    """A table's records: one line each, or blank-line separated when any takes several."""
    if count == 1:
        return [body]
    if any(not line.strip() for line in body):
        chunks, current = [], []
        for line in body:
            if line.strip():
                current.append(line)
            elif current:
                chunks.append(current)
                current = []
        return [*chunks, current] if current else chunks
    return [[line] for line in body]


def assert_whole(text: str, kind: str, db: Path, width: int) -> None:
    """Every cell of every table in full, each record in one table, no line over `width`."""
    report = build_report(kind, FolderRepository.open(db).ds, DEMO_AS_OF)
    assert "..." not in text
    assert max(len(line) for line in text.splitlines()) <= width
    tables = [t for t in report.tables() if t.rows]
    assert any(len(cell_text(v)) > 60 for t in tables for row in t.rows for v in row)
    for table, section in zip(tables, sections(text, tables), strict=True):
        if table.group_by is None:
            groups = [(None, table.rows)]
        else:
            groups = group_rows(table.rows, table.group_by)
        heading = None if table.group_by is None else f"{table.headers[table.group_by]}: "
        laid_out = blocks(section, heading)
        assert len(laid_out) == len(groups), f"{table.title}: split into {len(laid_out)} tables"
        for (_, rows), body in zip(groups, laid_out, strict=True):
            found = records(body, len(rows))
            assert len(found) == len(rows), f"{table.title}: {len(found)} records, {len(rows)} rows"
            for row, record in zip(rows, found, strict=True):
                expected = words(" ".join(cell_text(v) for v in row))
                missing = expected - words(" ".join(record))
                assert not missing, f"{table.title}: {dict(missing)} not in\n" + "\n".join(record)


def report_argv(kind: str, db: Path, *extra: str) -> list[str]:
    return ["report", kind, "--db", str(db), "--as-of", DEMO_AS_OF.isoformat(), *extra]


@pytest.mark.parametrize("kind", ["strategy", "robots", "gaps"])
def test_text_report_file_holds_every_text_whole_and_each_record_in_one_table(
    long_names: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / f"{kind}.txt"
    assert main(report_argv(kind, long_names, "--format", "text", "--output", str(out))) == 0
    assert_whole(out.read_text(encoding="utf-8"), kind, long_names, 100)


@pytest.mark.parametrize("kind", ["strategy", "robots"])
def test_width_option_wraps_narrower_and_still_loses_nothing(
    long_names: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    assert main(report_argv(kind, long_names, "--width", "60")) == 0
    text = capsys.readouterr().out
    assert_whole(text, kind, long_names, 60)
    assert max(len(line) for line in text.splitlines()) > 50  # the room is used


def test_on_a_terminal_the_text_fits_the_terminal(long_names: Path) -> None:
    """Written to a 72-column terminal, the report is laid out for 72 columns."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 72, 0, 0))
    root = Path(__file__).resolve().parents[2]
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "TERM": "xterm", **user_settings_env()}
    done = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", *report_argv("strategy", long_names)],
        stdout=follower, stderr=subprocess.PIPE, cwd=root, env=env,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.wait(timeout=60) == 0, done.stderr.read()
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    assert text.startswith("Strategy report")
    assert 65 < max(len(line) for line in text.splitlines()) <= 72
    assert_whole(text, "strategy", long_names, 72)


def test_the_command_knows_the_renderers_narrowest_width() -> None:
    from reports.render.text import MIN_WIDTH
    from tui.commands import report

    assert report.MIN_WIDTH == MIN_WIDTH
