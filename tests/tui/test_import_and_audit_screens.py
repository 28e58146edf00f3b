"""The Import screen (path, preview, confirm) and the Audit view, driven by keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, Select, Static

from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, folder_hashes, populate
from tests.tui.helpers import settle, toast_words, workers_done
from tui.app import KapabelApp
from tui.screens.audit import AuditScreen
from tui.screens.import_screen import ImportScreen


def _report(app: KapabelApp) -> str:
    return str(app.screen.query_one("#report-text", Static).render())


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    """The working folder: the tests type file names relative to it, as a user would."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _preview(app: KapabelApp, pilot, kind: str, file_name: str) -> None:
    """Open the Import screen, choose `kind`, type the file name, press Enter, wait for it."""
    await pilot.press("8")
    assert isinstance(app.screen, ImportScreen)
    app.screen.query_one("#kind", Select).value = kind
    await pilot.press("slash")  # to the path field
    await _type(pilot, file_name)
    await pilot.press("enter")
    await workers_done(app)
    await pilot.pause()


async def test_import_previews_then_writes_on_confirm(repo: FolderRepository, folder: Path) -> None:
    populate(repo)
    file = folder / "roles.csv"
    file.write_text("kode;navn\nR1;Sagsbehandler\nR2;[bold]Leder[/bold]\n", encoding="utf-8")
    app = KapabelApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        before = folder_hashes(repo.path)
        await _preview(app, pilot, "roles", file.name)
        assert "roles: 1 added, 0 updated, 1 unchanged" in _report(app)
        assert folder_hashes(repo.path) == before  # the preview wrote nothing
        assert app.screen.query_one("#import", Button).disabled is False
        await pilot.press("enter")  # the Import button has the focus after a clean preview
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)  # a screen of its own: it says what it did
        assert "Imported: roles: 1 added, 0 updated, 1 unchanged" in _report(app)
        assert app.screen.query_one("#import", Button).disabled is True  # written once only
    assert FolderRepository.open(repo.path).ds.roles["R2"].name == "[bold]Leder[/bold]"


FRAMEWORK_JSON = (
    '{"code": "SIK", "name": "Informationssikkerhed", "scale": [{"level": 1, "label": "Kender"},'
    ' {"level": 2, "label": "Kan"}], "competencies": [{"code": "SIK1", "name": "Phishing"}]}'
)
VALID_FILES = [
    # (kind, file name, contents, what the summary says, what must be stored afterwards)
    (
        "departments",
        "afdelinger.csv",
        "code,name,parent_code\nD9,Ny afdeling,D1\n",
        "departments: 1 added, 0 updated, 0 unchanged",
        lambda ds: ds.departments["D9"].parent_code == "D1",
    ),
    (
        "roles",
        "roller.csv",
        "code,name\nR9,Leder\n",
        "roles: 1 added, 0 updated, 0 unchanged",
        lambda ds: ds.roles["R9"].name == "Leder",
    ),
    (
        "staff",
        "staff.csv",
        "employee_no,name,department_code,role\nE9,Ny Person,D1,Sagsbehandler\n",
        "staff: 1 added, 0 updated, 0 unchanged, 0 deactivated",
        lambda ds: ds.staff["E9"].role == "R1",
    ),
    (
        "competencies",
        "kompetencer.csv",
        "framework,code,name\nRPA,RPA2,Bygger robotter\n",
        "competencies: 1 added, 0 updated, 0 unchanged",
        lambda ds: ds.competencies["RPA2"].framework == "RPA",
    ),
    (
        "competencies",
        "sik.json",
        FRAMEWORK_JSON,
        "competencies: 1 added, 0 updated, 0 unchanged, 1 framework(s) added or updated",
        lambda ds: ds.frameworks["SIK"].max_level == 2 and ds.competencies["SIK1"].framework,
    ),
    (
        "requirements",
        "krav.csv",
        "department_code,competency,level\nD1,DC1.2,2\n",
        "requirements: 1 added, 0 updated, 0 unchanged",
        lambda ds: any(r.competency == "DC1.2" for r in ds.requirements.values()),
    ),
    (
        "assessments",
        "vurderinger.csv",
        "employee_no,competency,level,date\nE2,DC1.2,3,2026-03-01\n",
        "assessments: 1 added, 0 updated, 0 unchanged",
        lambda ds: (ds.assessments[-1].staff, ds.assessments[-1].level) == ("E2", 3),
    ),
    (
        "training",
        "uddannelse.csv",
        "employee_no,competency,target_level,due\nE2,RPA1,2,2027-01-01\n",
        "training: 1 added, 0 updated, 0 unchanged",
        lambda ds: any(
            p.staff == "E2" and p.competency == "RPA1" for p in ds.training_plans.values()
        ),
    ),
    (
        "robot-benefits",
        "gevinster.csv",
        "robot,month,hours_saved,runs\nROB1,2026-02,7,20\n",
        "robot-benefits: 1 added, 0 updated, 0 unchanged",
        lambda ds: ds.robot_benefits["ROB1|2026-02"].hours_saved == 7,
    ),
]


@pytest.mark.parametrize(
    ("kind", "file_name", "contents", "summary", "stored"),
    VALID_FILES,
    ids=[f"{kind}-{name}" for kind, name, *_ in VALID_FILES],
)
async def test_an_import_of_every_kind_runs_to_its_end_and_says_what_was_imported(
    repo: FolderRepository, folder: Path, kind, file_name, contents, summary, stored
) -> None:
    populate(repo)
    (folder / file_name).write_text(contents, encoding="utf-8")
    app = KapabelApp(repo, watch_interval=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _preview(app, pilot, kind, file_name)
        assert summary in _report(app)
        await pilot.press("enter")  # the Import button has the focus after a clean preview
        await settle(pilot, lambda: "Imported" in toast_words(pilot))
        assert summary in toast_words(pilot)  # the notification says what was imported
        assert stored(app.repo.ds)
    assert stored(FolderRepository.open(repo.path).ds)


async def test_import_shows_problems_and_offers_no_import(
    repo: FolderRepository, folder: Path
) -> None:
    populate(repo)
    file = folder / "staff.csv"
    file.write_text("employee_no,name,department_code\nE9,[red]X[/red],NOPE\n", encoding="utf-8")
    app = KapabelApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await _preview(app, pilot, "staff", file.name)
        report = _report(app)
        assert "staff.csv:2: department_code: unknown department 'NOPE'" in report
        assert app.screen.query_one("#import", Button).disabled is True
        await pilot.press("escape")  # out of the path field: the number keys switch screens
        await pilot.press("1")
        assert not isinstance(app.screen, ImportScreen)
        assert app.get_screen_stack("import")[0].query_one("#path", Input).value == file.name
    assert "E9" not in FolderRepository.open(repo.path).ds.staff


async def test_a_changed_path_needs_a_new_preview(repo: FolderRepository, folder: Path) -> None:
    file = folder / "roles.csv"
    file.write_text("code,name\nR5,Ny\n", encoding="utf-8")
    app = KapabelApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await _preview(app, pilot, "roles", file.name)
        assert app.screen.query_one("#import", Button).disabled is False
        app.screen.query_one("#path", Input).focus()
        await pilot.press("x")
        assert app.screen.query_one("#import", Button).disabled is True


async def test_audit_view_lists_newest_first_and_filters(repo: FolderRepository) -> None:
    populate(repo)
    app = KapabelApp(repo)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("7")
        assert isinstance(app.screen, AuditScreen)
        await workers_done(app)
        await pilot.pause()
        table = app.screen.query_one("#entries", DataTable)
        total = len(repo.audit_entries())
        assert table.row_count == total
        first = [str(c) for c in table.get_row_at(0)]
        assert first[2:5] == ["create", "robot_benefits", "ROB1|2026-01"]  # the newest
        await pilot.press("slash")  # to the filters
        await _type(pilot, EMPLOYEE_NO)
        await workers_done(app)
        await pilot.pause()
        keys = {str(table.get_row_at(i)[4]) for i in range(table.row_count)}
        assert f"{EMPLOYEE_NO}" in keys and "E2" not in keys
        assert 0 < table.row_count < total
        await pilot.press("escape")  # back to the entries: the number keys switch screens
        assert app.screen.focused is table
        await pilot.press("1")
        assert not isinstance(app.screen, AuditScreen)


async def test_audit_view_never_builds_more_than_a_page(repo: FolderRepository) -> None:
    from store.models import Role
    from tui.screens.audit import PAGE

    with repo.transaction() as tx:
        for i in range(PAGE + 50):
            tx.put(Role(code=f"R{i}", name=f"Role {i}"))
    app = KapabelApp(repo)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("7")
        await workers_done(app)
        await pilot.pause()
        assert app.screen.query_one("#entries", DataTable).row_count == PAGE
        assert "narrow the filter" in str(app.screen.query_one("#status", Static).render())


def test_the_preview_lists_at_most_a_screenful_of_problems() -> None:
    from store.importing import KINDS, Plan
    from store.problems import Problem
    from tui.screens.import_screen import plan_report

    plan = Plan(KINDS["roles"], "f.csv")
    for n in range(2, 1000):
        plan.problem(n, "code", Problem("code", "text", {"text": "[b]bad[/b]"}))
    text = plan_report(plan, limit=10)
    assert text.plain.splitlines()[0] == "998 problem(s): nothing can be imported"
    assert text.plain.splitlines()[1] == "f.csv:2: code: [b]bad[/b]"  # shown as typed, not markup
    assert text.plain.splitlines()[-1] == "… and 988 more"


async def test_sync_reads_in_words_asks_naming_how_many_and_is_staff_only(
    repo: FolderRepository, folder: Path
) -> None:
    from textual.widgets import Checkbox

    from tui.forms.confirm import ConfirmDialog

    populate(repo)  # two active people: E4711 and E2
    (folder / "staff.csv").write_text("employee_no,name,department_code\nE2,Bo Hansen,D1\n")
    app = KapabelApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        screen = app.screen
        sync = screen.query_one("#sync", Checkbox)
        assert sync.display and "Sync: off" in str(sync.label)
        sync.focus()
        await pilot.press("space")
        await pilot.pause()
        assert "Sync: ON" in str(sync.label) and sync.BUTTON_INNER == "✓"  # not colour only
        screen.query_one("#kind", Select).value = "roles"
        await pilot.pause()
        assert not sync.display  # only a staff file can deactivate people
        screen.query_one("#kind", Select).value = "staff"
        await pilot.pause()
        assert sync.display and sync.value is True
        await pilot.press("slash")
        await _type(pilot, "staff.csv")
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        assert "1 deactivated" in _report(app)
        await pilot.press("enter")  # Import
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "1 person" in question and "deactivated" in question
        await pilot.press("n")  # kept: nothing written
        await pilot.pause()
        assert app.screen is screen
        assert FolderRepository.open(repo.path).ds.staff[EMPLOYEE_NO].active
        screen.query_one("#import", Button).press()
        await pilot.pause()
        await pilot.press("y")
        await workers_done(app)
        await pilot.pause()
        assert "staff: 0 added, 0 updated, 1 unchanged, 1 deactivated" in _report(app)
    assert not FolderRepository.open(repo.path).ds.staff[EMPLOYEE_NO].active


async def test_the_audit_log_is_filtered_by_a_persons_name_too(repo: FolderRepository) -> None:
    populate(repo)  # E4711 is Søren Ærø-Østergård
    app = KapabelApp(repo)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("7")
        await workers_done(app)
        await pilot.pause()
        table = app.screen.query_one("#entries", DataTable)
        total = table.row_count
        await pilot.press("slash")
        await _type(pilot, "soren aero-ostergard")  # the name, typed without accents
        await workers_done(app)
        await pilot.pause()
        keys = {str(table.get_row_at(i)[4]) for i in range(table.row_count)}
        assert EMPLOYEE_NO in keys and "E2" not in keys
        assert 0 < table.row_count < total


async def test_a_name_two_people_share_says_so_in_the_audit_log(repo: FolderRepository) -> None:
    """Two people are called Bo Hansen: the filter says the name is ambiguous and how to pick
    one, instead of "0 matching", which reads as if nobody changed anything about them."""
    from store.models import Staff

    populate(repo)  # E2 is Bo Hansen
    with repo.transaction() as tx:
        tx.put(Staff(employee_no="E3", name="Bo Hansen", department="D1"))
    app = KapabelApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await workers_done(app)
        await pilot.press("slash")
        await _type(pilot, "bo hansen")
        await workers_done(app)
        await pilot.pause()
        status = " ".join(str(app.screen.query_one("#status", Static).render()).split())
        assert "names 2" in status and "E2" in status and "E3" in status, status
        assert "F2" in status, status


LONG_NAME = "Team for [bold]digital[/bold] service " + " ".join(f"word{n}" for n in range(30))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_an_audit_entry_fits_the_width_and_opens_whole(repo: FolderRepository, size) -> None:
    """The changes column is on screen within the width; Enter shows every changed field whole,
    `old → new` on its own line, markup as typed; Escape goes back to the entries."""
    from store.models import Role
    from tests.tui.helpers import screen_lines, screen_words
    from tui.screens.audit import AuditEntryScreen
    from tui.screens.help import HelpScreen

    populate(repo)
    with repo.transaction() as tx:
        tx.put(Role(code="R1", name=LONG_NAME))
    app = KapabelApp(repo)
    async with app.run_test(size=size) as pilot:
        await pilot.press("7")
        table = app.screen.query_one("#entries", DataTable)
        await settle(pilot, lambda: table.row_count > 0)
        header = next(line for line in screen_lines(pilot) if "when (UTC)" in line)
        assert "what changed" in header
        newest = next(line for line in screen_lines(pilot) if " R1 " in line)
        assert "name: Sagsbehandler -> Team" in newest  # the changes begin on screen
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= size[0]
        assert "⏎ Open entry" in screen_lines(pilot)[-1]  # the footer
        assert f"{table.row_count} matching entries of" in screen_words(pilot)  # not cut
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and "Open entry" in screen_words(pilot)
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, AuditEntryScreen))
        box = app.screen.query_one("#entry-details").region
        shown = [line[box.x : box.right] for line in screen_lines(pilot)[box.y : box.bottom]]
        assert f"name: Sagsbehandler → {LONG_NAME}" in " ".join(" ".join(shown).split())
        words = screen_words(pilot)
        assert "Open entry" not in words and "Close" in words  # its own keys in the footer
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, AuditScreen))
        assert app.screen.focused is table


async def test_the_audit_log_tells_a_summary_entry_in_words(repo: FolderRepository) -> None:
    """The new database's summary entry (its DigComp framework) counts in words, not a dict."""
    from tests.tui.helpers import screen_words

    app = KapabelApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        table = app.screen.query_one("#entries", DataTable)
        await settle(pilot, lambda: table.row_count > 0)
        assert "competencies created" in screen_words(pilot)
        assert "counts" not in screen_words(pilot)


async def test_a_workbook_of_several_sheets_offers_them_and_imports_the_one_chosen(
    repo: FolderRepository, folder: Path
) -> None:
    from tests.workbooks import write_xlsx

    populate(repo)
    write_xlsx(
        folder / "roller.xlsx",
        {
            "Noter": [["Fortroligt"], ["Udtrukket 2026-11-01"]],
            "Roller": [["Roller pr. november"], [], ["Kode", "Navn"], ["R5", "Jurist"]],
        },
    )
    app = KapabelApp(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        before = folder_hashes(repo.path)
        await _preview(app, pilot, "roles", "roller.xlsx")
        sheet = app.screen.query_one("#sheet", Select)
        assert sheet.display and sheet.value == "Noter"  # the first sheet, until another is chosen
        assert "roller.xlsx:Noter: no header row naming the roles columns" in _report(app)
        assert app.screen.query_one("#import", Button).disabled is True
        sheet.focus()
        await pilot.press("enter", "down", "enter")  # open the choice, take the next sheet
        await pilot.pause()
        await workers_done(app)
        await pilot.pause()
        assert sheet.value == "Roller"
        assert "roles: 1 added, 0 updated, 0 unchanged" in _report(app)
        assert folder_hashes(repo.path) == before
        await pilot.click("#import")
        await workers_done(app)
        await pilot.pause()
        assert "Imported: roles: 1 added, 0 updated, 0 unchanged" in _report(app)
    assert FolderRepository.open(repo.path).ds.roles["R5"].name == "Jurist"
