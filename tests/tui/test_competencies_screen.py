"""Competencies & requirements, driven with keys: add, edit, remove, and a validation error."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.repository import FolderRepository
from tests.tui.pilot_helpers import fill, type_text
from tests.tui.small_org import AS_OF, build_small_org
from tui.app import KapabelApp
from tui.forms.confirm import ConfirmDialog
from tui.forms.requirement import RequirementForm
from tui.screens.competencies import CompetenciesScreen


@pytest.fixture
def repo(tmp_path: Path) -> FolderRepository:
    return build_small_org(tmp_path / "db")


def on_disk(repo: FolderRepository) -> FolderRepository:
    return FolderRepository.open(repo.path, user="checker")


def error_at(app: KapabelApp, field: str) -> str:
    """The problem shown under a field of the open form."""
    return str(app.screen.query_one(f"#error-{field}").render())


async def open_competencies(pilot) -> CompetenciesScreen:
    await pilot.press("4")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CompetenciesScreen)
    return screen


async def test_add_a_requirement_and_the_department_gap_figures_change(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_competencies(pilot)
        assert "SEC" not in app.analysis.department_figures("D2").competencies
        await pilot.press("n")
        assert isinstance(app.screen, RequirementForm)
        await fill(pilot, "D2", "CW", "SEC")
        await type_text(pilot, "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompetenciesScreen)
        assert "SEC|D2|CW" in screen.table.keys
        assert screen.table.current_key == "SEC|D2|CW"
        figures = app.analysis.department_figures("D2").competencies["SEC"]
        # Active caseworkers in D2 and below: E1, E2, E6; none assessed in SEC.
        assert (figures.staff_required, figures.staff_meeting, figures.not_assessed) == (3, 0, 3)
    saved = on_disk(repo).ds.requirements["SEC|D2|CW"]
    assert (saved.level, saved.priority, saved.role) == (2, "must", "CW")


async def test_unknown_department_and_level_outside_the_scale_keep_the_form_open(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_competencies(pilot)
        await pilot.press("n")
        await fill(pilot, "XX", "", "RPA")
        await type_text(pilot, "9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RequirementForm)
        assert "unknown department 'XX'" in error_at(app, "department")
        assert "9 is above ORG's highest level, 5" in error_at(app, "level")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompetenciesScreen)
    assert list(on_disk(repo).ds.requirements) == ["RPA|D1|"]


async def test_bad_due_date_is_named_at_the_field(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_competencies(pilot)
        await pilot.press("n")
        await fill(pilot, "D3", "", "SEC", "2", "")  # "" leaves the priority as it is
        await type_text(pilot, "2026-13-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RequirementForm)
        assert "not a date" in error_at(app, "due")
    assert len(on_disk(repo).ds.requirements) == 1


async def test_edit_a_requirement_level(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_competencies(pilot)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, RequirementForm)
        level = form.query_one("#field-level")
        level.focus()
        await pilot.press("backspace")
        await type_text(pilot, "4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompetenciesScreen)
    assert on_disk(repo).ds.requirements["RPA|D1|"].level == 4


async def test_remove_asks_first_and_keeps_the_requirement_on_no(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_competencies(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert "RPA|D1|" in repo.ds.requirements
        await pilot.press("d")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, CompetenciesScreen)
        assert screen.table.keys == []
        assert app.analysis.department_figures("D1").pairs_required == 0
        removed = [n for n in app._notifications if n.message.startswith("Removed: ")]
        assert len(removed) == 1 and not removed[0].markup  # names are shown as typed
    assert on_disk(repo).ds.requirements == {}


async def test_the_detail_pane_shows_the_scale_of_the_highlighted_competency(repo):
    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_competencies(pilot)
        tree = screen.query_one("#tree")
        tree.focus()
        node = next(n for n in _nodes(tree.root) if n.data == ("competency", "RPA"))
        node.parent.expand()
        await pilot.pause()
        tree.move_cursor(node)
        await pilot.pause()
        text = str(screen.query_one("#detail-text").render())
        assert "Robotdrift" in text and "Trin 5" in text and "Kan 5 ting" in text
        assert "up to level 3" in text
        await pilot.press("f")  # only the highlighted competency's requirements
        assert screen.table.keys == ["RPA|D1|"]


def _nodes(node):
    yield node
    for child in node.children:
        yield from _nodes(child)


async def test_coverage_rules_are_added_edited_and_removed_from_the_competencies_screen(repo):
    from tui.forms.coverage import CoverageRuleForm
    from tui.screens.coverage_rules import CoverageRulesScreen

    app = KapabelApp(repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_competencies(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CoverageRulesScreen)
        await pilot.press("n")
        assert isinstance(app.screen, CoverageRuleForm)
        await fill(pilot, "XX", "RPA")
        await type_text(pilot, "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CoverageRuleForm)  # unknown department: kept open
        assert "XX" in error_at(app, "department")
        assert on_disk(repo).ds.coverage_rules == {}
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await fill(pilot, "D1", "RPA")
        await type_text(pilot, "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CoverageRulesScreen)
        assert app.screen.query_one("#coverage-rules").row_count == 1
        saved = on_disk(repo).ds.coverage_rules["D1|RPA|3"]
        assert (saved.min_people, saved.each) == (1, False)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.query_one("#coverage-rules").row_count == 0
    assert on_disk(repo).ds.coverage_rules == {}
