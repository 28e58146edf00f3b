"""`kapabel report`: output, options and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from store.models import Assessment, Competency, Department, Requirement, Staff
from store.repository import FolderRepository
from tests.conftest import user_settings_env
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_db(repo: FolderRepository) -> Path:
    """Two departments, one requirement, two people: one meets it, one does not."""
    import datetime as dt

    with repo.transaction() as tx:
        tx.put(Department(code="K", name="Kommune"))
        tx.put(Department(code="SOC", name="Social", parent_code="K"))
        tx.put(Competency(code="RPA", framework="DIGCOMP", name="Robot operation"))
        tx.put(Requirement(competency="RPA", level=3, department="K"))
        tx.put(Staff(employee_no="E1", name="Ann", department="SOC"))
        tx.put(Staff(employee_no="E2", name="Bo", department="K"))
        tx.record(Assessment(staff="E1", competency="RPA", level=4, date=dt.date(2024, 1, 5)))
        tx.record(Assessment(staff="E2", competency="RPA", level=1, date=dt.date(2024, 1, 5)))
    return repo.path


def test_gaps_json_to_stdout(small_db: Path, capsys: pytest.CaptureFixture) -> None:
    status = main(["report", "gaps", "--db", str(small_db), "--as-of", "2024-06-30",
                   "--format", "json"])  # fmt: skip
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2024-06-30" and data["scope"] is None
    assert (data["pairs_required"], data["pairs_met"], data["readiness_pct"]) == (2, 1, 50.0)
    assert [(s["employee_no"], s["gap"]) for s in data["staff"]] == [("E2", 2)]


def test_as_of_before_assessments(small_db: Path, capsys: pytest.CaptureFixture) -> None:
    main(["report", "gaps", "--db", str(small_db), "--as-of", "2023-12-31", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["pairs_met"] == 0
    assert {s["employee_no"]: s["current"] for s in data["staff"]} == {"E1": None, "E2": None}


def test_department_scope_and_output_file(small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "gaps.txt"
    status = main(["report", "gaps", "--db", str(small_db), "--department", "SOC",
                   "--as-of", "2024-06-30", "--output", str(out)])  # fmt: skip
    assert status == 0
    text = out.read_text()
    assert text.splitlines()[0] == "Gaps report | Social (SOC) | as of 2024-06-30"
    assert "Bo" not in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["gaps", "--department", "NOPE"], "unknown department: 'NOPE'"),
        (["gaps", "--as-of", "2024-13-01"], "not a date"),
        (["person", "--employee", "E99"], "unknown employee: 'E99'"),
        (["person"], "needs --employee"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    small_db: Path, capsys: pytest.CaptureFixture, extra: list[str], message: str
) -> None:
    status = main(["report", *extra, "--db", str(small_db)])
    err = capsys.readouterr().err
    assert status == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_command_runs_without_textual(small_db: Path) -> None:
    code = (
        "import sys; from tui.cli import main; status = main(['report', 'gaps', '--db', "
        f"{str(small_db)!r}, '--format', 'csv']); "
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **user_settings_env()},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Gaps report")


def test_command_offers_every_report_kind() -> None:
    from reports import ALL_REPORT_KINDS
    from tui.commands.report import REPORT_CHOICES

    assert REPORT_CHOICES == ALL_REPORT_KINDS


def test_global_as_of_applies_and_output_folder_must_exist(
    small_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--as-of", "2023-12-31", "report", "gaps", "--db", str(small_db),
                 "--format", "json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["as_of"] == "2023-12-31"
    status = main(["report", "gaps", "--db", str(small_db), "--output",
                   str(tmp_path / "missing" / "x.txt")])  # fmt: skip
    assert status == 2 and "no folder" in capsys.readouterr().err


def test_person_report_text(small_db: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["report", "person", "--employee", "E2", "--db", str(small_db),
                 "--as-of", "2024-06-30"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Person report | Bo (E2) | as of 2024-06-30"
    assert "Robot operation" in out


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "json"])
def test_a_report_dated_before_every_assessment_says_so(
    small_db: Path, capsys: pytest.CaptureFixture, fmt: str
) -> None:
    status = main(["report", "gaps", "--db", str(small_db), "--as-of", "1990-01-01",
                   "--format", fmt])  # fmt: skip
    assert status == 0
    out = " ".join(capsys.readouterr().out.replace("\\", "").split())  # md escapes ( )
    assert "no assessments existed on 1990-01-01 (the first is dated 2024-01-05)" in out
    status = main(["report", "gaps", "--db", str(small_db), "--as-of", "2024-06-30",
                   "--format", fmt])  # fmt: skip
    assert "no assessments existed" not in capsys.readouterr().out


def _json(args: list[str], capsys: pytest.CaptureFixture) -> dict:
    assert main(["report", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_ratings_experts_compare_and_coverage_from_the_command(
    small_db: Path, capsys: pytest.CaptureFixture
) -> None:
    db = ["--db", str(small_db)]
    ratings = _json(["ratings", *db, "--as-of", "2026-01-06", "--stale-months", "24"], capsys)
    assert [s["employee_no"] for s in ratings["stale"]] == ["E2", "E1"]  # K first, then SOC
    assert {"disagreements", "stale", "expiring"} <= set(ratings)
    assert _json(["ratings", *db, "--as-of", "2026-01-05"], capsys)["stale"] == []
    experts = _json(["experts", *db, "--competency", "RPA", "--as-of", "2024-06-30"], capsys)
    assert [(e["employee_no"], e["level"]) for e in experts["experts"]] == [("E2", 1), ("E1", 4)]
    compare = _json(["compare", *db, "--from", "2023-12-31", "--to", "2024-06-30"], capsys)
    whole = compare["departments"][0]
    assert (whole["readiness_from"], whole["readiness_to"]) == (0.0, 50.0)
    coverage = _json(["coverage", *db, "--as-of", "2024-06-30"], capsys)
    assert coverage == {**coverage, "rules": [], "departments_without_agent": ["K", "SOC"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["experts"], "needs --competency"),
        (["compare"], "needs --from"),
        (["gaps", "--threshold", "3"], "--threshold is only for the ratings report"),
        (["ratings", "--competency", "RPA"], "--competency is only for the experts report"),
        (["compare", "--from", "2024-06-30", "--to", "2024-01-01"], "is after --to"),
        (["experts", "--competency", "NOPE"], "unknown competency"),
    ],
)
def test_report_options_refused_in_one_line(
    small_db: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    assert main(["report", *args, "--db", str(small_db)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
