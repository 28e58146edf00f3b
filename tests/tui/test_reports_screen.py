"""Reports: choose, preview and save a report; the file is what `kapabel report` writes."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Input, Select

from tests.tui.conftest import AS_OF
from tests.tui.helpers import screen_text, screen_words, settle
from tui.app import KapabelApp
from tui.cli import main
from tui.widgets.report_text import ReportText

SIZE = (100, 32)


async def open_reports(pilot, app) -> None:
    await pilot.press("6")
    await settle(pilot, lambda: app.current_mode == "reports")
    await settle(pilot, lambda: app.screen._rendered_for is not None)


async def test_export_a_report_and_see_the_saved_path(small_repo, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        screen = app.screen
        assert (
            "Gaps report | whole organisation | as of 2026-06-30"
            in screen.query_one("#preview", ReportText).text
        )
        screen.query_one("#scope", Select).value = "SOC"
        screen.query_one("#format", Select).value = "md"
        await settle(pilot, lambda: getattr(screen._rendered_for, "fmt", None) == "md")
        assert screen.query_one("#path", Input).value == "kapabel-gaps-SOC-2026-06-30.md"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = tmp_path / "kapabel-gaps-SOC-2026-06-30.md"
        assert saved.exists()
        lines = screen_text(pilot).splitlines()
        at = next(i for i, line in enumerate(lines) if "Saved to" in line)
        shown = "".join(line.strip() for line in lines[at : at + 3])  # a long path wraps
        assert f"Saved to{saved}" in shown.replace("Saved to ", "Saved to")

        # The same bytes as the command line's --output.
        cli_file = tmp_path / "cli.md"
        status = main(
            [
                "report", "gaps", "--db", str(small_repo.path), "--department", "SOC",
                "--as-of", AS_OF.isoformat(), "--format", "md", "--output", str(cli_file),
            ]
        )  # fmt: skip
        assert status == 0
        assert saved.read_bytes() == cli_file.read_bytes()


async def test_saving_over_a_file_asks_first_and_bad_input_names_the_field(small_repo, tmp_path):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        screen = app.screen
        target = tmp_path / "old.txt"
        target.write_text("keep me")
        screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert target.read_text() == "keep me"
        assert "exists: save again to replace it" in screen_words(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert target.read_text().startswith("Gaps report")

        screen.query_one("#path", Input).value = str(tmp_path / "no-such-folder" / "x.txt")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Save to: no folder" in screen_words(pilot)

        screen.query_one("#as-of", Input).value = "2026-13-01"
        await pilot.pause()
        assert "As of: not a date (YYYY-MM-DD)" in screen_words(pilot)

        screen.query_one("#as-of", Input).value = AS_OF.isoformat()
        screen.query_one("#kind", Select).value = "person"
        screen.query_one("#employee", Input).value = "NOPE"
        await pilot.pause()
        assert "Employee: unknown employee 'NOPE'" in screen_words(pilot)
        screen.query_one("#employee", Input).value = "E2"
        await settle(pilot, lambda: getattr(screen._rendered_for, "employee", None) == "E2")
        assert "Bo [italic]Bent[/]" in screen.query_one("#preview", ReportText).text
        # A path the person typed is kept when the options change.
        assert os.path.basename(screen.query_one("#path", Input).value) == "x.txt"


def test_default_file_names_are_safe():
    from tui.screens.reports_screen import ReportChoice

    choice = ReportChoice("gaps", "ÆLD/../x", AS_OF, "csv", None)
    name = choice.default_filename()
    assert "/" not in name and name.endswith("-2026-06-30.csv")
    assert Path(name).name == name


async def test_a_file_name_with_markup_is_announced_as_typed(small_repo, tmp_path):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        target = tmp_path / "[red]x.txt"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert target.read_text().startswith("Gaps report")
        # The announcement shows the name as typed: it is not read as markup.
        announced = [n for n in app._notifications if n.title == "Report saved"]
        assert [(n.message, n.markup) for n in announced] == [("Saved [red]x.txt", False)]


async def test_scope_and_employee_are_found_by_name(small_repo):
    from tests.tui.pilot_helpers import type_text
    from tui.forms.picker import PickerScreen

    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        screen = app.screen
        screen.query_one("#scope", Select).focus()
        await pilot.press("f2")  # search the departments for the scope
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "aeldrepleje")
        await pilot.press("enter")
        await settle(pilot, lambda: getattr(screen._rendered_for, "department", None) == "ÆLD")
        assert screen.query_one("#scope", Select).value == "ÆLD"

        screen.query_one("#kind", Select).value = "person"
        screen.query_one("#employee", Input).value = "cai mork"  # a name, no accents
        await settle(pilot, lambda: getattr(screen._rendered_for, "employee", None) == "E3")
        assert "Cai Mørk" in screen.query_one("#preview", ReportText).text
        screen.query_one("#employee", Input).value = "Nobody"
        await pilot.pause()
        assert "Employee: unknown employee 'Nobody'" in screen_words(pilot)


async def test_a_report_saved_as_xlsx_is_the_workbook_the_command_line_writes(
    small_repo, tmp_path, monkeypatch
):
    from python_calamine import CalamineWorkbook

    monkeypatch.chdir(tmp_path)
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        screen = app.screen
        screen.query_one("#kind", Select).value = "heatmap"
        fmt = screen.query_one("#format", Select)
        fmt.focus()
        await pilot.press("enter", *["down"] * 4, "enter")  # text md csv json xlsx
        await settle(pilot, lambda: getattr(screen._rendered_for, "fmt", None) == "xlsx")
        assert fmt.value == "xlsx"
        preview = screen.query_one("#preview", ReportText).text
        assert preview.startswith("Saved as an Excel workbook")
        assert "Heatmap report | whole organisation | as of 2026-06-30" in preview
        assert screen.query_one("#path", Input).value == "kapabel-heatmap-all-2026-06-30.xlsx"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = tmp_path / "kapabel-heatmap-all-2026-06-30.xlsx"
        assert oct(os.stat(saved).st_mode & 0o777) == oct(0o600)
    cli_file = tmp_path / "cli.xlsx"
    assert main(
        ["report", "heatmap", "--db", str(small_repo.path), "--as-of", AS_OF.isoformat(),
         "--format", "xlsx", "--output", str(cli_file)]
    ) == 0  # fmt: skip

    def cells(path: Path) -> list:
        book = CalamineWorkbook.from_path(str(path))
        return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]

    assert cells(saved) == cells(cli_file)
    assert cells(saved)[0][0][0] == "Heatmap report"


async def test_in_a_browser_a_saved_report_is_downloaded_not_written_on_the_server(
    small_repo, tmp_path, monkeypatch
):
    """Textual's web driver is what `kapabel serve` runs (tests/e2e drives a real browser);
    here the app is told it runs in one and what it hands the browser is kept."""
    from tui.screens.reports_screen import MIME_TYPES

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(KapabelApp, "is_web", property(lambda self: True))
    delivered: list[tuple[bytes, str | None, str | None]] = []

    def deliver(self, file, save_filename=None, mime_type=None, **_):
        delivered.append((file.read(), save_filename, mime_type))

    monkeypatch.setattr(KapabelApp, "deliver_binary", deliver)
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        screen = app.screen
        screen.query_one("#format", Select).value = "xlsx"
        await settle(pilot, lambda: getattr(screen._rendered_for, "fmt", None) == "xlsx")
        assert " Download " in screen_text(pilot)  # the file name field is for the download
        await pilot.press("ctrl+s")
        await pilot.pause()
    name = "kapabel-gaps-all-2026-06-30.xlsx"
    ((content, filename, mime_type),) = delivered
    assert (filename, mime_type) == (name, MIME_TYPES["xlsx"])
    assert content == screen._report_file and content.startswith(b"PK")  # the workbook
    assert not (tmp_path / name).exists()  # nothing written on the server


async def test_the_preview_scrolls_with_the_keys_and_copies_the_report_as_printed(
    small_repo, capsys
):
    """The preview is the text `kapabel report` prints: Home/End and the page keys move
    through it, F7 selects it all and Ctrl+C copies exactly that."""
    assert main(["report", "gaps", "--db", str(small_repo.path), "--as-of", AS_OF.isoformat()]) == 0
    printed = capsys.readouterr().out
    lines = printed.rstrip("\n").splitlines()
    title, last = lines[0], lines[-1]
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_reports(pilot, app)
        preview = app.screen.query_one("#preview")
        assert preview.text.rstrip("\n") == printed.rstrip("\n")
        preview.focus()
        await pilot.pause()
        assert title in screen_text(pilot) and last not in screen_text(pilot)
        await pilot.press("end")
        await pilot.pause()
        assert last in screen_text(pilot) and title not in screen_text(pilot)
        await pilot.press("home")
        await pilot.pause()
        assert title in screen_text(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        assert title not in screen_text(pilot)
        await pilot.press("home", "f7", "ctrl+c")
        await pilot.pause()
        assert app.clipboard == printed.rstrip("\n")
        # Selected, the text is still readable: not drawn in the selection's own colour.
        selected = [s for s in preview.render_line(0) if s.text.strip()]
        assert selected and all(s.style.color != s.style.bgcolor for s in selected)


async def test_the_mouse_selects_part_or_all_of_the_preview_to_copy(small_repo):
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_reports(pilot, app)
        preview = app.screen.query_one("#preview")
        x = preview.content_region.x - preview.region.x
        y = preview.content_region.y - preview.region.y
        await pilot.mouse_down("#preview", offset=(x, y))  # drag over the title's first words
        await pilot.hover("#preview", offset=(x + 10, y))
        await pilot.mouse_up("#preview", offset=(x + 10, y))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.clipboard == "Gaps report"
        await pilot.double_click("#preview", offset=(x + 4, y + 3))  # the whole report
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.clipboard == preview.text.rstrip("\n")
