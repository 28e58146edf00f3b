"""A report's text, read-only, drawing only the lines in view.

The Reports screen previews reports of 80,000 lines and more (the gaps report for a whole
organisation of 50,000). A TextArea holding them took ~0.9 s CPU to load and ~0.25 s to draw
(it builds a document, a wrapped view and a cursor over every line); this widget keeps the lines
as a list and makes a strip only for a line on screen, as Textual's `Log` does (whose
`write_lines` drops blank lines, so it cannot be used as it is): ~0.07 s in all (see
docs/performance.md). What a reader does with the text stays: the arrow keys, Page Up/Down,
Home/End scroll; the mouse selects (a drag, or a double click for all) and F7 selects all;
Ctrl+C copies the selection (the screen's copy).
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from i18n import N_

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Drawn as a replacement character (a report never holds them; pasted text might)."""
_WIDE = re.compile("[\u1100-\U0010ffff]")
"""A character from here on may take two cells (East Asian scripts, emoji); below it none do."""


def text_width(text: str, lines: list[str]) -> int:
    """The widest of `text`'s `lines` in terminal cells: its length, unless the text holds a
    character that may be wide (then Rich's measure, far slower, for the lines that do). A
    line is measured as it is drawn: its tabs expanded (a CSV preview keeps a note's tab)."""
    if "\t" in text:
        lines = [line.expandtabs() if "\t" in line else line for line in lines]
    longest = max(map(len, lines), default=0)
    try:
        text.encode("latin-1")  # a few ms for 88,000 lines; a regular expression takes 40
    except UnicodeEncodeError:
        wide = (cell_len(line) for line in lines if not line.isascii() and _WIDE.search(line))
        return max(longest, max(wide, default=0))
    return longest


class ReportText(ScrollView, can_focus=True):
    """Read-only text in lines: `load_text` replaces it, `text` is what was loaded."""

    ALLOW_SELECT = True
    BINDINGS = [Binding("f7", "select_all", N_("Select all"), show=False)]
    DEFAULT_CSS = """
    ReportText {
        height: 1fr;
        border: tall $border-blurred;
        padding: 0 1;
        color: $foreground;
        background: $surface;
        pointer: text;
        overflow: auto;
        &:focus {
            border: tall $border;
        }
    }
    """
    """Framed as a TextArea is (the preview looked so before)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = ""
        self._lines: list[str] = []
        self._strips: LRUCache[int, Strip] = LRUCache(1024)

    @property
    def text(self) -> str:
        return self._text

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def load_text(self, text: str) -> None:
        """Show `text` from its first line (a selection in the old text is dropped)."""
        self._text = text
        self._lines = text.splitlines()
        self._strips.clear()
        if self.is_attached and self in self.screen.selections:
            self.screen.selections = {
                widget: selection
                for widget, selection in self.screen.selections.items()
                if widget is not self
            }
        self.virtual_size = Size(text_width(text, self._lines), len(self._lines))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def action_select_all(self) -> None:
        self.text_select_all()

    # ------------------------------------------------------------- drawing
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self._text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        strip = self._strip(index, style)
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_offsets(scroll_x, index)

    def _selected(self) -> Style:
        """The theme's selection colours. Its text colour is "transparent" (keep the text's):
        as a Rich style (what `Log` uses) that becomes the background colour, and selected
        text could not be read."""
        visual = self.screen.get_visual_style("screen--selection")
        colour, background = visual.foreground, visual.background
        return Style(
            color=colour.rich_color if colour is not None and colour.a > 0 else None,
            bgcolor=background.rich_color if background is not None and background.a > 0 else None,
        )

    def _strip(self, index: int, style: Style) -> Strip:
        """Line `index` whole, the selection's part of it highlighted."""
        selection = self.text_selection
        if selection is None and index in self._strips:
            return self._strips[index]
        line = _CONTROL.sub("\ufffd", self._lines[index].expandtabs())
        text = Text(line, no_wrap=True, end="")
        text.stylize(style)
        span = selection.get_span(index) if selection is not None else None
        if span is not None:
            start, end = span
            text.stylize(self._selected(), start, len(line) if end == -1 else end)
        strip = Strip(text.render(self.app.console), cell_len(line))
        if selection is None:
            self._strips[index] = strip
        return strip
