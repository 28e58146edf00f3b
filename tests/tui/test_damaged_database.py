"""Opening the app on a damaged database: the store's one-line message, exit status 1, and the
files left exactly as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import CorruptFileError
from store.repository import FolderRepository
from tests.store.test_corrupt_files import DAMAGE, build, snapshot
from tests.tui.helpers import screen_text, settle
from tui.app import KapabelApp


@pytest.mark.parametrize("case", DAMAGE)
async def test_the_app_explains_a_damaged_file_and_quits_with_1(tmp_path: Path, case: str):
    file, damage, problem = DAMAGE[case]
    db = tmp_path / "db"
    build(db)
    damage(db / file)
    before = snapshot(db)
    with pytest.raises(CorruptFileError) as caught:
        FolderRepository.open(db)
    app = KapabelApp(db_path=db, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.open_problem is not None)
        assert app.open_problem == str(caught.value)
        assert "\n" not in app.open_problem and problem in app.open_problem
        assert problem.split()[0] in " ".join(screen_text(pilot).split())
        await pilot.press("q")
    assert app.return_code == 1
    assert snapshot(db) == before
