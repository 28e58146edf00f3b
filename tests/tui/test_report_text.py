"""The report preview's view (`tui.widgets.report_text`): as wide as its widest line in terminal
cells, so that the end of every line can be scrolled to."""

from __future__ import annotations

from rich.cells import cell_len

from tui.widgets.report_text import text_width


def width(text: str) -> int:
    return text_width(text, text.splitlines())


def test_latin_text_is_as_wide_as_its_longest_line() -> None:
    assert width("Ærø Sø\nBøje Højgaard\n") == len("Bøje Højgaard")
    assert width("") == 0


def test_wide_characters_count_two_cells() -> None:
    name = "E1  山田太郎  DC1.1"
    assert width(f"Code\n{name}\n") == cell_len(name) == len(name) + 4


def test_a_dash_beyond_latin_1_is_one_cell() -> None:
    assert width("a – b\nab") == 5


def test_a_tab_counts_the_cells_it_is_drawn_in() -> None:
    """A CSV preview keeps a note's tab; the line is drawn with the tab expanded, so the view
    must be that wide for its end to be reached by scrolling."""
    line = "E1;DC1.1;a\tnote with a tab"
    assert width(f"Employee;Competency;Note\n{line}\n") == cell_len(line.expandtabs())
    wide = "山田\tx"
    assert width(f"{wide}\n") == cell_len(wide.expandtabs())
