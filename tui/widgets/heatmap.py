"""A staff × competency heatmap that renders only the rows on screen (Textual's Line API).

A department subtree can hold 50,000 people: the widget keeps no row widgets and no cell table;
it asks `row_source(i)` for the rows it draws, and caches a screenful or so of them.
Every state has its own character as well as its colour, so colour is never the only signal.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from i18n import N_, _


@dataclass(frozen=True)
class CellLook:
    """How one cell state is drawn and named in the legend."""

    symbol: str
    label: str
    style: Style


CELL_LOOKS: dict[str | None, CellLook] = {
    "meets": CellLook("✓", N_("meets"), Style(color="black", bgcolor="green3")),
    "short_1": CellLook("1", N_("short 1"), Style(color="black", bgcolor="yellow3")),
    "short_2_plus": CellLook("2+", N_("short 2+"), Style(color="white", bgcolor="red3", bold=True)),
    "not_assessed": CellLook("?", N_("not assessed"), Style(color="white", bgcolor="grey35")),
    None: CellLook("·", N_("not required"), Style(color="grey50")),
}
"""Keyed by `reports.rules.CellState` value; None: the competency is not required of the person."""

LEGEND_ORDER: tuple[str | None, ...] = ("meets", "short_1", "short_2_plus", "not_assessed", None)


@dataclass(frozen=True)
class Layer:
    """What the heatmap's cells show: their states' looks, in legend order (docs/rules.md,
    "Heatmap layers"). A state missing from `looks` is drawn as the None state."""

    name: str
    title: str
    looks: dict[str | None, CellLook]
    order: tuple[str | None, ...]


LEVELS = Layer("levels", N_("levels against requirements"), CELL_LOOKS, LEGEND_ORDER)
RATINGS = Layer(
    "ratings",
    N_("self versus others"),
    {
        "agree": CellLook("=", N_("agree"), Style(color="black", bgcolor="green3")),
        "self_higher": CellLook(
            "↑", N_("self rates higher"), Style(color="white", bgcolor="red3", bold=True)
        ),
        "self_lower": CellLook(
            "↓", N_("self rates lower"), Style(color="black", bgcolor="yellow3", bold=True)
        ),
        "self_only": CellLook("s", N_("only self"), Style(color="white", bgcolor="grey35")),
        "others_only": CellLook("m", N_("only manager/test"), Style(color="black", bgcolor="cyan")),
        None: CellLook("·", N_("not rated"), Style(color="grey50")),
    },
    ("agree", "self_higher", "self_lower", "self_only", "others_only", None),
)
STALE = Layer(
    "stale",
    N_("stale ratings"),
    {
        "fresh": CellLook("✓", N_("recent"), Style(color="black", bgcolor="green3")),
        "stale": CellLook("!", N_("stale"), Style(color="white", bgcolor="red3", bold=True)),
        "not_assessed": CellLook("?", N_("not assessed"), Style(color="white", bgcolor="grey35")),
        None: CellLook("·", N_("not required"), Style(color="grey50")),
    },
    ("fresh", "stale", "not_assessed", None),
)
LAYERS: tuple[Layer, ...] = (LEVELS, RATINGS, STALE)
"""In the order the Organisation's `l` key steps through them."""


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    cells: Sequence[str | None]


RowSource = Callable[[int], HeatmapRow]

MIN_CELL_WIDTH = 4
MAX_CELL_WIDTH = 9
LABEL_WIDTH = 26
_ROW_CACHE_SIZE = 512


def legend_text(width: int = 1000, layer: Layer = LEVELS) -> Text:
    """The legend: each state's symbol in its colour and its name, wrapped between entries."""
    text = Text()
    used = 0
    if layer is not LEVELS:  # the levels are the heatmap everyone knows; a layer says its name
        title = _(layer.title) + ":"
        text.append(f" {title} ", style="bold")
        used = len(title) + 2
    for state in layer.order:
        look = layer.looks[state]
        label = _(look.label)
        entry_width = 3 + 1 + len(label) + 2
        if used and used + entry_width > width:
            text.append("\n")
            used = 0
        text.append(f" {look.symbol:<2}", style=look.style)
        text.append(f" {label}  ")
        used += entry_width
    return text


class HeatmapLegend(Widget):
    """The legend line(s) under the heatmap; entries never break in the middle."""

    DEFAULT_CSS = "HeatmapLegend { height: auto; }"

    cell_layer: reactive[Layer] = reactive(LEVELS, layout=True)

    def render(self) -> Text:
        return legend_text(self.size.width or 1000, self.cell_layer)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(legend_text(width, self.cell_layer).plain.splitlines())


def cell_width_for(code: str) -> int:
    """Wide enough for the column's code plus a space, within limits (longer codes get a …)."""
    return max(MIN_CELL_WIDTH, min(MAX_CELL_WIDTH, len(code) + 1))


def fit(text: str, width: int) -> str:
    """Cut or pad to exactly `width` cells, marking a cut with an ellipsis."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


class HeatmapView(ScrollView, can_focus=True):
    """Rows of people, columns of competencies; header row and name column stay in place."""

    BINDINGS = [
        Binding("up", "move(0, -1)", N_("Up"), show=False),
        Binding("down", "move(0, 1)", N_("Down"), show=False),
        Binding("left", "move(-1, 0)", N_("Left"), show=False),
        Binding("right", "move(1, 0)", N_("Right"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "edge(-1)", N_("First"), show=False),
        Binding("end", "edge(1)", N_("Last"), show=False),
        Binding("enter", "select_row", N_("Person")),
    ]
    COMPONENT_CLASSES = {"heatmap--header", "heatmap--cursor"}
    DEFAULT_CSS = """
    HeatmapView { height: 1fr; }
    HeatmapView > .heatmap--header { text-style: bold; color: $text; background: $panel; }
    HeatmapView > .heatmap--cursor { text-style: reverse; }
    """

    cursor_row: reactive[int] = reactive(0)
    cursor_column: reactive[int] = reactive(0)

    class CellHighlighted(Message):
        """The cursor moved to a cell (row, column index)."""

        def __init__(self, heatmap: HeatmapView, row: int, column: int) -> None:
            super().__init__()
            self.heatmap = heatmap
            self.row = row
            self.column = column

    class RowSelected(Message):
        """Enter on a row: the person's page is wanted (row index)."""

        def __init__(self, heatmap: HeatmapView, row: int) -> None:
            super().__init__()
            self.heatmap = heatmap
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[str] = []
        self.widths: list[int] = []
        self.offsets: list[int] = [0]
        """offsets[i]: where column i starts within the cell area; offsets[-1]: total width."""
        self.row_count = 0
        self._source: RowSource | None = None
        self._cache: dict[int, HeatmapRow] = {}
        self.cell_layer: Layer = LEVELS

    # ------------------------------------------------------------- data
    def set_rows(
        self, columns: Sequence[str], row_count: int, source: RowSource, layer: Layer = LEVELS
    ) -> None:
        """Show `row_count` rows, drawn on demand by `source(i)`, under `columns`, their cells'
        states drawn as `layer` says."""
        self.cell_layer = layer
        self.columns = list(columns)
        self.widths = [cell_width_for(c) for c in self.columns]
        self.offsets = [0]
        for width in self.widths:
            self.offsets.append(self.offsets[-1] + width)
        self.row_count = row_count
        self._source = source
        self._cache.clear()
        self.virtual_size = Size(LABEL_WIDTH + self.offsets[-1], row_count + 1)
        self.cursor_row = 0
        self.cursor_column = 0
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def row(self, index: int) -> HeatmapRow:
        found = self._cache.get(index)
        if found is None:
            if len(self._cache) >= _ROW_CACHE_SIZE:
                self._cache.clear()
            assert self._source is not None
            found = self._cache[index] = self._source(index)
        return found

    # ------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(scroll_x, width)
        index = scroll_y + y - 1
        if index >= self.row_count or self._source is None:
            return Strip.blank(width, self.rich_style)
        return self._row_strip(index, scroll_x, width)

    def _header_strip(self, scroll_x: int, width: int) -> Strip:
        style = self.get_component_rich_style("heatmap--header")
        label = Segment(fit(_("Person"), LABEL_WIDTH), style)
        cells = [
            Segment(fit(f" {c}", w), style) for c, w in zip(self.columns, self.widths, strict=True)
        ]
        return self._join(label, cells, scroll_x, width, style)

    def _row_strip(self, index: int, scroll_x: int, width: int) -> Strip:
        row = self.row(index)
        base = self.rich_style
        is_cursor_row = index == self.cursor_row and self.has_focus
        label_style = self.get_component_rich_style("heatmap--cursor") if is_cursor_row else base
        label = Segment(fit(row.label, LABEL_WIDTH - 1) + " ", label_style)
        cells = []
        for column, state in enumerate(row.cells):
            looks = self.cell_layer.looks
            look = looks.get(state, looks[None])
            style = look.style
            if is_cursor_row and column == self.cursor_column:
                style = style + Style(reverse=True, underline=True)
            cells.append(Segment(f" {look.symbol:<2}".ljust(self.widths[column] - 1), style))
            cells.append(Segment(" ", base))
        return self._join(label, cells, scroll_x, width, base)

    def _join(
        self, label: Segment, cells: list[Segment], scroll_x: int, width: int, fill: Style
    ) -> Strip:
        """The fixed name column, then the cells scrolled sideways, cut to the width."""
        cell_width = max(0, width - LABEL_WIDTH)
        cell_strip = Strip(cells).crop(scroll_x, scroll_x + cell_width)
        strip = Strip([label, *cell_strip])
        return strip.extend_cell_length(width, fill).crop(0, width)

    # ------------------------------------------------------------- cursor
    def watch_cursor_row(self, old: int, new: int) -> None:
        self._cursor_moved()

    def watch_cursor_column(self, old: int, new: int) -> None:
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        self.refresh()
        if self.row_count:
            self.post_message(self.CellHighlighted(self, self.cursor_row, self.cursor_column))

    def _clamp(self, row: int, column: int) -> None:
        self.cursor_row = max(0, min(row, self.row_count - 1))
        self.cursor_column = max(0, min(column, len(self.columns) - 1))
        if self.columns:
            self._keep_cursor_visible()

    def _keep_cursor_visible(self) -> None:
        visible_rows = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible_rows:
            self.scroll_to(y=self.cursor_row - visible_rows + 1, animate=False)
        left = int(self.scroll_x)
        visible = max(1, self.scrollable_content_region.width - LABEL_WIDTH)
        start, end = self.offsets[self.cursor_column], self.offsets[self.cursor_column + 1]
        if start < left:
            self.scroll_to(x=start, animate=False)
        elif end > left + visible:
            self.scroll_to(x=end - visible, animate=False)

    def column_at(self, x: int) -> int:
        """The column under cell-area position `x` (scroll included)."""
        return max(0, min(len(self.columns) - 1, bisect.bisect_right(self.offsets, x) - 1))

    def move_cursor(self, row: int, column: int) -> None:
        """Put the cursor on a cell (kept within the rows and columns) and scroll it into view."""
        self._clamp(row, column)

    def action_move(self, dx: int, dy: int) -> None:
        self._clamp(self.cursor_row + dy, self.cursor_column + dx)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 2)
        self._clamp(self.cursor_row + direction * step, self.cursor_column)

    def action_edge(self, direction: int) -> None:
        self._clamp(0 if direction < 0 else self.row_count - 1, self.cursor_column)

    def action_select_row(self) -> None:
        if self.row_count:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event) -> None:
        """Clicking a cell moves the cursor there (the header and name column are fixed)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = int(self.scroll_y) + offset.y - 1
        column = self.cursor_column
        if offset.x >= LABEL_WIDTH:
            column = self.column_at(int(self.scroll_x) + offset.x - LABEL_WIDTH)
        if row < self.row_count and self.columns:
            self.focus()
            self._clamp(row, column)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
