"""Files Kapabel writes for people (report --output, export --output): owner-only, atomic,
never through a planted link, and a path that cannot be written is one line, not a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from store.repository import FolderRepository
from tests.iohelpers import NAME, populate
from tests.readonly import read_only
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]

WRITERS = {
    "report": lambda db, out: ["report", "person", "--employee", "E4711", "--db", str(db),
                               "--output", str(out)],
    "export": lambda db, out: ["export", "staff", "--db", str(db), "--output", str(out)],
}  # fmt: skip


@pytest.fixture
def db(repo: FolderRepository) -> Path:
    populate(repo)
    return repo.path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("command", WRITERS)
def test_an_output_file_is_readable_by_its_owner_only(db, tmp_path, command) -> None:
    fresh, existing = tmp_path / "fresh.txt", tmp_path / "existing.txt"
    existing.write_text("old")
    os.chmod(existing, 0o644)
    for out in (fresh, existing):
        assert main(WRITERS[command](db, out)) == 0
        assert NAME in out.read_text(encoding="utf-8")
        assert oct(mode(out)) == oct(0o600)


@pytest.mark.parametrize("command", WRITERS)
def test_a_planted_symbolic_link_at_a_guessable_temporary_name_is_not_followed(
    db, tmp_path, command
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out_dir = tmp_path / "shared"
    out_dir.mkdir()
    pid = os.getpid()
    guesses = [
        ".out.txt.tmp",
        ".out.txt.txn",
        *(f".out.txt.{n}.tmp" for n in range(pid - 3, pid + 4)),
    ]
    for name in guesses:
        (out_dir / name).symlink_to(victim)
    assert main(WRITERS[command](db, out_dir / "out.txt")) == 0
    assert victim.read_text() == "precious\n"
    assert NAME in (out_dir / "out.txt").read_text(encoding="utf-8")
    assert not (out_dir / "out.txt").is_symlink()
    leftovers = sorted(p.name for p in out_dir.iterdir())
    assert leftovers == sorted([*guesses, "out.txt"])  # no temporary of ours left behind


def one_line_error(argv: list[str]) -> tuple[int, str]:
    """Run `kapabel` as a user does; its exit status and stderr (which must be one line)."""
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli", *argv], capture_output=True, text=True, cwd=ROOT
    )
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.returncode, result.stderr


@pytest.mark.parametrize("command", WRITERS)
def test_output_into_a_missing_folder_is_one_line(db, command) -> None:
    status, err = one_line_error(WRITERS[command](db, Path("/nonexistent/x.csv")))
    assert status == 2 and "no folder /nonexistent" in err


@pytest.mark.parametrize("command", WRITERS)
def test_output_under_a_regular_file_is_one_line(db, tmp_path, command) -> None:
    (tmp_path / "plain").write_text("x")
    status, err = one_line_error(WRITERS[command](db, tmp_path / "plain" / "x.csv"))
    assert status == 2 and "is not a folder" in err


@pytest.mark.parametrize("command", WRITERS)
def test_output_into_a_folder_that_cannot_be_written_is_one_line(db, tmp_path, command) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder) as how:
        status, err = one_line_error(WRITERS[command](db, folder / "x.csv"))
        assert list(folder.iterdir()) == []
    assert status == 2
    reason = "Read-only file system" if how == "mount" else "Permission denied"
    assert f"cannot write {folder / 'x.csv'}: {reason}" in err


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("through_link", [False, True])
def test_output_onto_a_pipe_or_device_is_refused_and_leaves_it_in_place(
    db, tmp_path, command, through_link
) -> None:
    """`--output /dev/stdout` (a link to a device) or a named pipe: the atomic write renamed a
    regular file over it -- as root, /dev/null and /dev/full became files holding names."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    target = pipe
    if through_link:
        target = tmp_path / "link"
        target.symlink_to(pipe)
    status, err = one_line_error(WRITERS[command](db, target))
    assert status == 2 and f"{target} is not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert os.path.islink(target) == through_link
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "db") == sorted(
        {"pipe", target.name}
    )


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("where", ["staff.json", "backups/x/staff.json", "new.csv"])
def test_output_into_a_database_folder_is_refused_and_writes_nothing(db, command, where) -> None:
    """`export staff --output DB/staff.json`: the CSV replaced the live register file (no lock,
    no journal) and the database no longer opened."""
    (db / "backups" / "x").mkdir(parents=True)
    (db / "backups" / "x" / "meta.json").write_text("{}")
    before = {p: p.read_bytes() for p in db.rglob("*") if p.is_file()}
    status, err = one_line_error(WRITERS[command](db, db / where))
    assert status == 2 and f"is inside the database {db}" in err
    assert {p: p.read_bytes() for p in db.rglob("*") if p.is_file()} == before
    assert FolderRepository.open(db).problems() == []


def test_demo_force_on_a_symbolic_link_is_one_line_and_deletes_nothing(db, tmp_path) -> None:
    link = tmp_path / "link"
    link.symlink_to(db)
    before = sorted(p.name for p in db.iterdir())
    status, err = one_line_error(["demo", "--db", str(link), "--force", "--no-open"])
    assert status == 2 and "symbolic link" in err
    assert sorted(p.name for p in db.iterdir()) == before


@pytest.mark.parametrize(
    "args",
    [
        ["report", "heatmap", "--format", "xlsx"],
        ["report", "person", "--employee", "E4711", "--format", "xlsx"],
        ["export", "assessments"],
    ],
)
def test_a_workbook_is_readable_by_its_owner_only(db, tmp_path, args) -> None:
    from python_calamine import CalamineWorkbook

    fresh, existing = tmp_path / "fresh.xlsx", tmp_path / "existing.xlsx"
    existing.write_text("old")
    os.chmod(existing, 0o644)
    for out in (fresh, existing):
        assert main([*args, "--db", str(db), "--output", str(out)]) == 0
        assert oct(mode(out)) == oct(0o600)
        assert CalamineWorkbook.from_path(str(out)).sheet_names  # a workbook, whole


def test_a_workbook_report_without_output_is_bad_usage(db, capsys) -> None:
    assert main(["report", "gaps", "--format", "xlsx", "--db", str(db)]) == 2
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .endswith("--format xlsx needs --output FILE (a workbook is not text to print)")
    )
