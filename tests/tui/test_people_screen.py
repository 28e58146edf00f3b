"""The People screen driven with keys: filter by typing, toggles, paging, opening a person."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from store.models import Staff
from store.repository import FolderRepository
from tests.tui.helpers import screen_words
from tests.tui.people_fixtures import AS_OF, LONG_NAME, MARKUP_NAME, small_repo  # noqa: F401
from tests.tui.people_pilot import column_text, row_keys, settle
from tui.app import KapabelApp
from tui.screens.people import PAGE_SIZE, PeopleScreen
from tui.screens.person import PersonScreen


def people_table(app) -> DataTable:
    return app.screen.query_one("#people-table", DataTable)


def count_line(app) -> str:
    return str(app.screen.query_one("#people-count", Static).render())


async def open_people(pilot) -> None:
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PeopleScreen)


async def test_filter_by_typing_and_toggles(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_people(pilot)
        assert row_keys(people_table(app)) == ["E002", "E001", "E003"]
        assert "Showing 1–3 of 3 people" in count_line(app)
        # typing on the list goes to the filter
        await pilot.press(*"borger")
        await settle(pilot)
        assert row_keys(people_table(app)) == ["E002", "E001"]
        assert "of 2 matching" in count_line(app)
        await pilot.press("down")  # back to the list, where letters are toggles
        await pilot.press("a")
        await settle(pilot)
        assert row_keys(people_table(app)) == ["E001"]
        assert "digital agents only" in count_line(app)
        await pilot.press("a", "slash", "ctrl+u", "escape", "g")
        await settle(pilot)
        assert row_keys(people_table(app)) == ["E002", "E001"]  # both short of a requirement
        await pilot.press("g", "i")
        await settle(pilot)
        assert "E004" in row_keys(people_table(app))
        assert "inactive included" in count_line(app)
        await pilot.press("slash", *"zzz")
        await settle(pilot)
        assert people_table(app).row_count == 0
        assert "No one matches “zzz”" in count_line(app)


async def test_the_footer_offers_open_once_a_list_focused_while_loading_has_loaded(
    small_repo,  # noqa: F811
    monkeypatch,
) -> None:
    """The list takes the focus as the screen opens, then shows it is loading (the load held
    here); its keys count only once it has loaded (Textual leaves out a loading widget's keys)
    and Textual tells the footer of no change then: the focus stayed where it was, so the
    footer lacked "Open" until the focus moved."""
    import threading

    import tui.screens.people as people

    release = threading.Event()
    build_entries = people.build_entries

    def held(ds):
        release.wait(10)
        return build_entries(ds)

    monkeypatch.setattr(people, "build_entries", held)
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        table = people_table(app)
        assert app.screen.focused is table and table.loading  # focused as the screen opened
        release.set()
        await settle(pilot)
        assert not people_table(app).loading
        assert "⏎ Open" in screen_words(pilot)


async def test_names_show_exactly_as_typed_and_long_ones_are_cut(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_people(pilot)
        names = column_text(people_table(app), "name")
        assert any(n.startswith("[bold]Bo[/bold] Øster") for n in names)  # not parsed as markup
        long_cell = next(n for n in names if n.startswith("Karen"))
        assert long_cell.endswith("…") and len(long_cell) < len(LONG_NAME)
        departments = column_text(people_table(app), "department")
        assert any(d.startswith("[red]Skole") for d in departments)
        assert app.screen.query_one("#people-table").size.width <= 80
    async with KapabelApp(small_repo, as_of=AS_OF).run_test(size=(120, 40)) as pilot:
        await open_people(pilot)
        assert MARKUP_NAME in column_text(people_table(pilot.app), "name")


async def test_enter_opens_the_person_and_escape_comes_back(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_people(pilot)
        await pilot.press(*"ærø")
        await settle(pilot)
        await pilot.press("enter", "enter")  # leave the filter, open the highlighted person
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.employee_no == "E001"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert row_keys(people_table(app)) == ["E001"]  # the filter is kept


async def test_only_one_page_is_built_and_paging_moves_through_the_rest(small_repo) -> None:  # noqa: F811
    with small_repo.transaction() as tx:
        for n in range(PAGE_SIZE + 30):
            tx.put(Staff(employee_no=f"X{n:04d}", name=f"Extra {n:04d}", department="D20"))
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_people(pilot)
        table = people_table(app)
        assert table.row_count == PAGE_SIZE
        assert f"Showing 1–{PAGE_SIZE} of {PAGE_SIZE + 33} people" in count_line(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert table.row_count == 33 and "page 2/2" in count_line(app)
        await pilot.press("right_square_bracket")  # no page 3: stays on the last
        await settle(pilot)
        assert "page 2/2" in count_line(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert table.row_count == PAGE_SIZE


async def test_add_a_person_then_their_page_opens(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_people(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"E001", "tab", *"Dup", "ctrl+s")  # number taken, no department
        await pilot.pause()
        form = app.screen
        assert "department" in form.field_errors()
        assert app.focused is form.query_one("#field-employee_no")  # the first wrong field
        form.query_one("#field-department").focus()
        await pilot.press(*"D1", "ctrl+s")
        await pilot.pause()
        # the number is taken: said at its field, naming who has it
        assert app.screen is form and form.general_errors == []
        assert form.field_errors() == {
            "employee_no": "E001 is already the number of Anna Ærø (Borgerservice)"
        }
        assert "already the number of Anna Ærø" in screen_words(pilot)
        await pilot.press("ctrl+u", *"E009", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.employee_no == "E009"
    person = FolderRepository.open(small_repo.path).ds.staff["E009"]
    assert (person.name, person.department, person.active) == ("Dup", "D1", True)


async def test_coming_back_rebuilds_the_index_only_after_a_change(small_repo) -> None:  # noqa: F811
    app = KapabelApp(small_repo, as_of=AS_OF, watch_interval=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_people(pilot)
        screen = app.screen
        built = screen.entries
        await pilot.press("1")
        await pilot.press("3")
        await settle(pilot)
        assert app.screen is screen and screen.entries is built  # nothing changed: kept

        person = next(iter(small_repo.ds.staff.values()))
        small_repo.put(person.model_copy(update={"name": "Ny Navnesen"}))
        await pilot.press("1")
        app.data_changed()
        await pilot.press("3")
        await settle(pilot)
        assert screen.entries is not built
        assert "Ny Navnesen" in column_text(people_table(app), "name")


async def test_the_first_key_typed_on_the_list_starts_the_filter(small_repo) -> None:  # noqa: F811
    """Typing on the list moves to the filter and keeps every key, the first one too: the
    filter field selects its text when focused, and the next key must not replace it."""
    app = KapabelApp(small_repo, as_of=AS_OF)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_people(pilot)
        await pilot.press("E", "0", "0", "2")  # a capital first, as an employee number starts
        await settle(pilot)
        assert app.screen.query_one("#people-filter").value == "E002"
        assert row_keys(people_table(app)) == ["E002"]
