"""benchmarks/gaps_from_csv.py, issue 14's yardstick for `kapabel report gaps`, finds the same
gaps as Kapabel on a generated municipality: a ratio to it means something only then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store.demo import DEMO_AS_OF, generate
from store.repository import FolderRepository
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("departments", "staff", "requirements", "assessments", "training")


def test_the_plain_script_finds_kapabels_gaps(tmp_path: Path, capsys) -> None:
    db = tmp_path / "db"
    generate(FolderRepository.open(db, create=True, user="test"), staff=300, seed=3)
    exports = tmp_path / "exports"
    exports.mkdir()
    for kind in KINDS:
        assert (
            main(["export", kind, "--db", str(db), "--output", str(exports / f"{kind}.csv")]) == 0
        )
    capsys.readouterr()
    assert main(["report", "gaps", "--db", str(db), "--as-of", DEMO_AS_OF.isoformat(),
                 "--format", "json"]) == 0  # fmt: skip
    ours = json.loads(capsys.readouterr().out)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gaps_from_csv.py"), str(exports),
         DEMO_AS_OF.isoformat()],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    plain = json.loads(done.stdout)
    assert ours["staff"], "the municipality has gaps to compare"
    assert (plain["pairs_required"], plain["pairs_met"]) == (
        ours["pairs_required"],
        ours["pairs_met"],
    )
    assert sorted(map(tuple, plain["gaps"])) == sorted(
        (g["employee_no"], g["competency"], g["required"], g["current"], g["gap"],
         g["training_planned"])
        for g in ours["staff"]
    )  # fmt: skip
