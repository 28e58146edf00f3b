"""At 80×24 (the smallest terminal Kapabel promises) every screen shows what matters in full,
and at 120×40 the layouts use the room they have. Each test checks the thing a person would
notice (a button off screen, a cut header, two departments that read alike), not a picture.
"""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Label, Select, Tree

from store.demo import DEMO_AS_OF
from store.models import Department, Staff
from store.repository import FolderRepository
from tests.iohelpers import populate
from tests.tui.conftest import AS_OF
from tests.tui.helpers import overview_ready, screen_text, screen_words, settle, workers_done
from tui.app import KapabelApp
from tui.screens.import_screen import ImportScreen
from tui.screens.person import PersonScreen
from tui.widgets.columns import CELL_PADDING, SCROLLBAR, fit_widths
from tui.widgets.department_tree import distinct_starts, fit_name
from tui.widgets.report_text import ReportText

SMALL = (80, 24)


def demo_app(repo: FolderRepository) -> KapabelApp:
    return KapabelApp(repo, as_of=DEMO_AS_OF, watch_interval=None)


def fully_shown(widget: Widget) -> bool:
    """The whole widget is drawn on screen: nothing of it clipped by a container or the edge."""
    geometry = widget.screen.find_widget(widget)
    shown = geometry.region.intersection(geometry.clip)
    return shown == geometry.region and widget.screen.region.contains_region(geometry.region)


def three_bad_departments(folder: Path) -> Path:
    file = folder / "departments.csv"
    file.write_text("code,name,parent_code\nA1,Alpha,NOPE\nA2,,\nA3,Gamma,ZZZ\n", encoding="utf-8")
    return file


async def preview_import(pilot, kind: str, file: Path) -> None:
    """Open Import (key 8), choose the kind, type the path, Enter: wait for the preview."""
    app = pilot.app
    await pilot.press("8")
    assert isinstance(app.screen, ImportScreen)
    app.screen.query_one("#kind", Select).value = kind
    app.screen.query_one("#path", Input).value = str(file)
    app.screen.query_one("#path", Input).focus()
    await pilot.press("enter")
    await workers_done(app)
    await pilot.pause()
    await pilot.pause()


async def test_import_problems_leave_the_buttons_on_screen(repo: FolderRepository, tmp_path):
    populate(repo)
    app = KapabelApp(repo, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await preview_import(pilot, "departments", three_bad_departments(tmp_path))
        text = screen_text(pilot)
        assert "3 problem(s)" in text
        assert text.count("unknown department") == 2 and "name: required" in text
        for button in app.screen.query(Button):
            assert fully_shown(button), f"{button.id} is not fully on screen"


async def test_many_import_problems_scroll_inside_the_dialog(repo: FolderRepository, tmp_path):
    populate(repo)
    file = tmp_path / "departments.csv"
    file.write_text(
        "code,name,parent_code\n" + "".join(f"A{i},Alpha,NOPE\n" for i in range(60)),
        encoding="utf-8",
    )
    app = KapabelApp(repo, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await preview_import(pilot, "departments", file)
        report = app.screen.query_one("#report")
        assert fully_shown(report)
        assert report.max_scroll_y > 0  # the rest of the problems are a scroll away
        for button in app.screen.query(Button):
            assert fully_shown(button), f"{button.id} is not fully on screen"


async def open_scope_list(pilot) -> None:
    """Reports (key 6), the first preview made, then Enter on Scope opens its list."""
    app = pilot.app
    await pilot.press("6")
    await settle(pilot, lambda: getattr(app.screen, "_rendered_for", None) is not None)
    app.screen.query_one("#scope", Select).focus()
    await pilot.press("enter")
    await settle(pilot, lambda: app.screen.query_one("#scope", Select).expanded)


async def test_the_scope_list_opens_beside_the_preview_not_over_it(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await open_scope_list(pilot)
        scope_list = app.screen.query_one("#scope > SelectOverlay")
        preview = app.screen.query_one("#preview", ReportText)
        assert fully_shown(scope_list) and fully_shown(preview)
        assert not scope_list.region.overlaps(preview.region)
        assert preview.region.height >= 3  # still a few lines of the report in view
        lines = screen_text(pilot).splitlines()
        # One department a line, its code beside its name.
        assert any("Social og Sundhed  SOC" in line for line in lines)
        assert sum("Kommune  ROOT" in line for line in lines) == 1


async def open_training(pilot) -> None:
    await settle(pilot, lambda: overview_ready(pilot.app))
    await pilot.press("5")
    await settle(pilot, lambda: pilot.app.screen.query_one("#plans").row_count > 0)


async def test_the_training_counts_read_in_full(demo_repo):
    app = demo_app(demo_repo)
    async with app.run_test(size=SMALL) as pilot:
        await open_training(pilot)
        counts = app.screen.query_one("#counts", Label)
        said = str(counts.render())
        assert "due in 30 days" in said
        assert fully_shown(counts)
        assert said in screen_words(pilot)  # all of it, on one line or wrapped


def test_flexible_columns_keep_their_minimum_without_widening_the_table():
    fixed = {"Date": 10, "Level": 5}
    for total in range(50, 160):
        widths = fit_widths(total, fixed, {"Assessor": 1.0, "Note": 2.0}, minimum=8)
        assert min(widths["Assessor"], widths["Note"]) >= 8
        used = sum(widths.values()) + CELL_PADDING * len(widths) + SCROLLBAR
        assert used <= total, total  # 50 leaves room for both minimums: never wider


def someone_with_a_completed_plan(repo: FolderRepository) -> str:
    """A person whose plans fill every column of the plans table, Completed included."""
    return next(p.staff for p in repo.ds.training_plans.values() if p.completed and p.course)


async def open_person_plans(pilot, employee_no: str) -> PersonScreen:
    """The person's page with the plans table focused (scrolled into view)."""
    app = pilot.app
    await settle(pilot, lambda: overview_ready(app))
    app.push_screen(PersonScreen(employee_no))
    await settle(pilot, lambda: getattr(app.screen, "shown", None) is not None)
    app.screen.query_one("#person-plans", DataTable).focus()
    await pilot.pause(0.2)
    return app.screen


async def test_the_person_tables_fit_80_columns(demo_repo):
    employee_no = someone_with_a_completed_plan(demo_repo)
    app = demo_app(demo_repo)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_person_plans(pilot, employee_no)
        for table in screen.query(DataTable):
            room = table.scrollable_content_region.width
            assert table.virtual_size.width <= room, f"{table.id} is wider than the screen"
        plans = screen.query_one("#person-plans", DataTable)
        assert fully_shown(plans)
        text = screen_text(pilot)
        for plan in screen.plans.values():
            assert plan.completed is None or plan.completed.isoformat() in text


AREAS = ["Nord", "Syd", "Øst", "Vest", "Midt"]
"""The last words of sibling departments that share the long beginning 'Byggeri og Planlægning'."""


def twin_departments_repo(path: Path) -> FolderRepository:
    """A municipality whose sibling departments differ only at the end of a long name."""
    repo = FolderRepository.open(path, create=True, user="tester")
    with repo.transaction() as tx:
        tx.put(Department(code="30000", name="Teknik- og Miljøforvaltningen"))
        for number, area in enumerate(AREAS, start=1):
            code = f"30{number}00"
            tx.put(
                Department(code=code, name=f"Byggeri og Planlægning {area}", parent_code="30000")
            )
            tx.put(Staff(employee_no=f"E{number}", name=f"Person {number}", department=code))
        tx.put(Department(code="30900", name="Natur og Miljø", parent_code="30000"))
        for number, unit in enumerate(["Byggesag Hvidsten", "Byggesag Højvang", "Planteam"], 1):
            tx.put(Department(code=f"3010{number}", name=unit, parent_code="30100"))
    return repo


def tree_line(pilot, tree: Tree, code: str) -> str:
    """The characters on screen on the tree's line for `code`, within the tree."""
    node = next(n for n in _nodes(tree.root) if n.data == code)
    y = tree.region.y + node.line - int(tree.scroll_y)
    line = screen_text(pilot).splitlines()[y]
    return line[tree.region.x : tree.region.right]


def _nodes(node):
    yield node
    for child in node.children:
        yield from _nodes(child)


async def test_sibling_departments_with_one_long_beginning_read_apart(tmp_path):
    repo = twin_departments_repo(tmp_path / "db")
    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("2")
        tree = app.screen.query_one("#departments", Tree)
        await settle(pilot, lambda: len(tree.root.children) == 1)
        codes = [f"30{number}00" for number in range(1, len(AREAS) + 1)]
        lines = [tree_line(pilot, tree, code) for code in codes]
        assert len(set(lines)) == len(lines), lines
        for line, code, area in zip(lines, codes, AREAS, strict=True):
            assert code in line and area in line, line
        assert tree.virtual_size.width <= tree.scrollable_content_region.width  # nothing cut off


def test_a_cut_name_keeps_the_part_that_differs_from_its_siblings():
    names = ["Byggeri og Plan Nord", "Byggeri og Plan Syd", "Natur og Miljø"]
    starts = distinct_starts(names)
    assert [names[i][start:] for i, start in enumerate(starts)] == ["Nord", "Syd", names[2]]
    assert fit_name(names[0], 40, starts[0]) == names[0]  # room enough: whole
    assert fit_name(names[0], 9, starts[0]) == "Bygg…Nord"
    assert fit_name(names[0], 6, starts[0]) == "B…Nord"  # one letter of the beginning still helps
    assert fit_name(names[0], 5, starts[0]) == "…Nord"  # no room for a beginning: the end
    assert fit_name(names[0], 4, starts[0]) == "B…rd"  # the end cut too: the first letter stays
    assert fit_name("Sundhedscenter Bøgeskov", 8) == "Sundhed…"  # differs at once: cut at the end
    # One name is the beginning of another (as at 50,000 staff: "Dagtilbud", "Dagtilbud Nord").
    names = ["Dagtilbud", "Dagtilbud Nord", "Skoler Nord"]
    starts = distinct_starts(names)
    assert [names[i][start:] for i, start in enumerate(starts)] == [*names[:1], "Nord", names[2]]
    assert fit_name(names[1], 10, starts[1]) == "Dagti…Nord"


async def test_the_overview_at_120_by_40_uses_its_height_and_width(demo_repo):
    app = demo_app(demo_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await overview_with_trend(pilot)
        gaps = app.screen.query_one("#gaps", DataTable)
        figures = app.screen.query_one("#figures", DataTable)
        footer_top = app.screen.query_one("KeysFooter").region.y
        assert footer_top - figures.region.bottom <= 1  # no band of empty rows above the footer
        shown = gaps.scrollable_content_region.height - 1  # less the header
        assert gaps.row_count >= shown > 5  # more of the largest gaps, as many as fit
        for table in (gaps, figures):  # the columns span the screen: no room left unused
            assert table.virtual_size.width >= table.scrollable_content_region.width - 2
        lines = screen_text(pilot).splitlines()
        for row in range(shown):  # names of up to 50 characters read whole
            competency, department = (cell.plain for cell in gaps.get_row_at(row)[:2])
            line = lines[gaps.region.y + 1 + row]
            assert department in line
            assert len(competency) > 50 or competency in line
        for row in range(figures.row_count):
            assert str(figures.get_row_at(row)[1]) in screen_text(pilot)


async def test_at_120_columns_every_training_column_shows(demo_repo):
    app = demo_app(demo_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_training(pilot)
        plans = app.screen.query_one("#plans", DataTable)
        assert plans.virtual_size.width <= plans.scrollable_content_region.width
        header = screen_text(pilot).splitlines()[plans.region.y]
        for column in plans.columns.values():
            assert str(column.label) in header


# ---------------------------------------------------------------- snapshots at 80×24
# Update after an intended change: `pytest tests/tui/test_80_columns.py --snapshot-update -k NAME`


async def overview_with_trend(pilot) -> None:
    """The Overview behind a dialog, finished (its trend drawn), so the picture is stable."""
    await settle(pilot, lambda: overview_ready(pilot.app))
    await settle(pilot, lambda: "→" in screen_text(pilot))


def test_import_with_problems_snapshot(snap_compare, demo_repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the problems name the file as typed: relative, the same each run
    three_bad_departments(tmp_path)

    async def run_before(pilot) -> None:
        await overview_with_trend(pilot)
        await preview_import(pilot, "departments", Path("departments.csv"))
        pilot.app.screen.query_one("#path", Input).cursor_blink = False

    assert snap_compare(demo_app(demo_repo), terminal_size=SMALL, run_before=run_before)


def test_reports_scope_list_snapshot(snap_compare, demo_repo):
    async def run_before(pilot) -> None:
        await overview_with_trend(pilot)
        await open_scope_list(pilot)

    assert snap_compare(demo_app(demo_repo), terminal_size=SMALL, run_before=run_before)


def test_training_snapshot(snap_compare, demo_repo):
    async def run_before(pilot) -> None:
        await open_training(pilot)

    assert snap_compare(demo_app(demo_repo), terminal_size=SMALL, run_before=run_before)


def test_person_with_plans_snapshot(snap_compare, demo_repo):
    employee_no = someone_with_a_completed_plan(demo_repo)

    async def run_before(pilot) -> None:
        await open_person_plans(pilot, employee_no)

    assert snap_compare(demo_app(demo_repo), terminal_size=SMALL, run_before=run_before)


def test_organisation_tree_of_twin_departments_snapshot(snap_compare, tmp_path):
    repo = twin_departments_repo(tmp_path / "twins")

    async def run_before(pilot) -> None:
        await pilot.press("2")
        tree = pilot.app.screen.query_one("#departments", Tree)
        await settle(pilot, lambda: len(tree.root.children) == 1)
        await pilot.press("down", "down", "space")  # open the first of the twins
        await pilot.pause()

    app = KapabelApp(repo, as_of=AS_OF, watch_interval=None)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_siblings_that_share_an_end_keep_their_first_letters_when_the_end_is_cut():
    """At 50,000 staff "Byggesag Ørnebjerg" and "Planteam Ørnebjerg" sit among siblings
    "Byggesag ...", "Planteam ...": 9 cells cannot hold "Ørnebjerg" and a letter, but a cut
    end with the first letter still tells them apart ("B…nebjerg", "P…nebjerg")."""
    names = ["Byggesag Centrum", "Planteam Centrum", "Byggesag Ørnebjerg", "Planteam Ørnebjerg"]
    starts = distinct_starts(names)
    fitted = [fit_name(name, 9, start) for name, start in zip(names, starts, strict=True)]
    assert len(set(fitted)) == len(fitted), fitted
    assert fitted[2:] == ["B…nebjerg", "P…nebjerg"]


async def test_a_refused_cohort_keeps_its_buttons_on_screen_at_80_by_24(demo_repo):
    """Assigning a cohort nobody is required for is refused with a line at the top of the
    form: the form's fields scroll, its Assign and Cancel buttons stay on screen."""
    from tests.tui.pilot_helpers import fill
    from tui.forms.cohort import CohortForm

    app = demo_app(demo_repo)
    async with app.run_test(size=SMALL) as pilot:
        await open_training(pilot)
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, CohortForm))
        await fill(pilot, "10000", "", "LOK-RPA", "3")  # level 3 is required of nobody there
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "✗" in screen_text(pilot))
        assert isinstance(app.screen, CohortForm)  # refused, still open
        for button in app.screen.query(Button):
            region = button.region
            assert region.height > 0 and region.bottom <= SMALL[1] - 1, (button.id, region)
            assert str(button.label).split()[0] in screen_text(pilot)
        assert "^s Assign" in screen_text(pilot).splitlines()[-1]  # the footer says what ^s does
