"""A DataTable that holds one page of a long list, so 20,000 rows never become 20,000 widgets rows.

The screen hands it the full ordered list of keys and a function that renders one key as cells;
only the rows of the current page are built. Arrow keys run on across page boundaries, `[` and
`]` turn a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from i18n import N_

RowRenderer = Callable[[str], Sequence[Text | str]]


class PagedTable(DataTable):
    """Shows `page_size` rows at a time of an arbitrarily long list of row keys."""

    BINDINGS = [
        Binding("left_square_bracket", "prev_page", N_("Prev page"), show=False),
        Binding("right_square_bracket", "next_page", N_("Next page"), show=False),
    ]

    class PageChanged(Message):
        """The visible window moved or the list changed; `first`..`last` are 1-based."""

        def __init__(self, table: PagedTable, first: int, last: int, total: int) -> None:
            super().__init__()
            self.table = table
            self.first = first
            self.last = last
            self.total = total

    def __init__(self, *, page_size: int = 200, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.page_size = page_size
        self.keys: Sequence[str] = ()
        self.page = 0
        self._render_row: RowRenderer = lambda key: (key,)

    # ------------------------------------------------------------------ filling
    def show(self, keys: Sequence[str], render_row: RowRenderer, keep: str | None = None) -> None:
        """Replace the list; keep the cursor on `keep` (a key) when it is still listed."""
        self.keys = keys
        self._render_row = render_row
        index = _index_of(keys, keep)
        self.page = index // self.page_size if index is not None else 0
        self.page = min(self.page, self.last_page)
        self._fill(row=(index - self.page * self.page_size) if index is not None else 0)

    @property
    def last_page(self) -> int:
        return max(0, (len(self.keys) - 1) // self.page_size)

    @property
    def current_key(self) -> str | None:
        """The key of the highlighted row, or None when the list is empty."""
        if self.row_count == 0:
            return None
        index = self.page * self.page_size + self.cursor_row
        return self.keys[index] if 0 <= index < len(self.keys) else None

    def _fill(self, row: int = 0) -> None:
        start = self.page * self.page_size
        window = self.keys[start : start + self.page_size]
        self.clear()
        for key in window:
            self.add_row(*self._render_row(key), key=key)
        if window:
            self.move_cursor(row=max(0, min(row, len(window) - 1)), animate=False)
        self.post_message(
            self.PageChanged(self, start + 1 if window else 0, start + len(window), len(self.keys))
        )

    # ------------------------------------------------------------------ moving
    def action_next_page(self) -> None:
        if self.page < self.last_page:
            self.page += 1
            self._fill(row=0)

    def action_prev_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self._fill(row=self.page_size - 1)

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row == self.row_count - 1 and self.page < self.last_page:
            self.action_next_page()
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.row_count and self.cursor_row == 0 and self.page > 0:
            self.action_prev_page()
        else:
            super().action_cursor_up()


def _index_of(keys: Sequence[str], key: str | None) -> int | None:
    if key is None:
        return None
    try:
        return keys.index(key)  # type: ignore[union-attr]
    except ValueError:
        return None
