"""In the app as from the command line: forms refuse what the import refuses (the models' character
rule for codes, shown at the field with the character named; issue 9, item 3), and a report saved
from the Reports screen is owner-only like `report --output` (item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from store.repository import FolderRepository
from tests.tui.pilot_helpers import type_text
from tests.tui.small_org import AS_OF, build_small_org
from tui.app import KapabelApp
from tui.forms import PersonForm
from tui.forms.picker import PickerInput


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    return build_small_org(tmp_path / "db")


@pytest.mark.parametrize("employee_no", ["E|9", "E\u200b9"])
async def test_a_person_form_refuses_a_separator_or_invisible_character_in_the_number(
    repo, employee_no
) -> None:
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        form = PersonForm()
        pilot.app.push_screen(form)
        await pilot.pause()
        await pilot.press("E")
        # The rest arrives as a paste (an invisible character cannot be typed as a key).
        form.focused.post_message(events.Paste(employee_no[1:]))
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "Ny Person")
        form.query_one("#field-department", PickerInput).focus()
        await type_text(pilot, "D4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # kept open: nothing saved
        shown = form.field_errors().get("employee_no", "")
        assert shown.startswith("may not hold") and "(not allowed in a code)" in shown
        assert ("U+007C" if "|" in employee_no else "U+200B ZERO WIDTH SPACE") in shown
    assert employee_no not in FolderRepository.open(repo.path).ds.staff


async def test_a_report_saved_from_the_reports_screen_is_owner_only(tmp_path) -> None:
    import stat

    from textual.widgets import Input

    from tests.tui.helpers import settle

    repo = build_small_org(tmp_path / "db")
    target = tmp_path / "gaps.txt"
    target.write_text("old")
    target.chmod(0o644)
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("6")
        await settle(pilot, lambda: app.current_mode == "reports")
        await settle(pilot, lambda: app.screen._rendered_for is not None)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s", "ctrl+s")  # the second replaces the older file
        await settle(pilot, lambda: any(n.title == "Report saved" for n in app._notifications))
    assert target.read_text().startswith("Gaps report")
    assert oct(stat.S_IMODE(target.stat().st_mode)) == oct(0o600)
