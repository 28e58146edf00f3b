"""An import tells its progress through a plain callback (store.progress), step by step and
row by row, so that the app can show it; the command line passes none."""

from __future__ import annotations

from pathlib import Path

from store.importing import import_file, plan_file
from store.repository import FolderRepository
from tests.iohelpers import populate


def roles_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "roles.csv"
    lines = ["kode;navn"] + [f"R{i:04d};Rolle {i}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reading_a_file_tells_how_far_through_its_rows_it_is(repo: FolderRepository, tmp_path):
    told: list[tuple[str, float]] = []
    plan = plan_file(repo, "roles", roles_file(tmp_path, 1000), progress=lambda *a: told.append(a))
    assert len(plan.added) == 1000
    steps = {step for step, _ in told}
    assert steps == {"Reading and checking the file"}
    fractions = [done for _, done in told]
    assert len(fractions) >= 50  # the rows' part, not only the start
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] <= 0.4


def test_an_import_tells_each_step_in_order_up_to_saving(repo: FolderRepository, tmp_path):
    populate(repo)
    told: list[tuple[str, float]] = []
    plan = import_file(repo, "roles", roles_file(tmp_path, 300), progress=lambda *a: told.append(a))
    assert not plan.problems
    order = list(dict.fromkeys(step for step, _ in told))
    assert order == [
        "Reading and checking the file",
        "Making a backup",
        "Writing the records",
        "Saving",
    ]
    fractions = [done for _, done in told]
    assert fractions == sorted(fractions) and fractions[0] >= 0.0 and fractions[-1] < 1.0
