"""The department tree: a name too long for its line is cut where it differs from its siblings.

At 80 columns the tree is about 25 cells wide, and a big municipality has sibling departments
that share a long beginning ("Byggeri og Plan Nord", "Byggeri og Plan Syd", ...). Cut at the end
they read alike; here every label keeps its code, and a cut name keeps the part that tells it
from its siblings: "Byg…Nord  30100" rather than "Byggeri og Pla".
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reports.render.cells import plain

ELLIPSIS = "…"
MIN_HEAD = 1
"""Cells of a name's beginning worth keeping before its distinguishing end: even one tells
"B…Centrum" (Byggesag Centrum) from its sibling "P…Centrum" (Planteam Centrum)."""
CODE_GAP = "  "


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _word_start(name: str, shared: int) -> int:
    """Where the word holding the first character after a shared beginning starts."""
    if shared >= len(name):  # the whole name begins a sibling's: nothing of its own to show
        return 0
    if name[shared] == " ":  # "Dagtilbud| Nord" beside "Dagtilbud": the next word differs
        return shared + 1
    return name.rfind(" ", 0, shared) + 1


def distinct_starts(names: Sequence[str]) -> list[int]:
    """For each name, where it starts to differ from the sibling it shares most with (at the
    start of that word): 0 when no sibling shares its first word's beginning."""
    order = sorted(range(len(names)), key=names.__getitem__)
    shared = [0] * len(names)
    for a, b in zip(order, order[1:], strict=False):
        common = _common_prefix(names[a], names[b])
        shared[a] = max(shared[a], common)
        shared[b] = max(shared[b], common)
    return [_word_start(name, common) for name, common in zip(names, shared, strict=True)]


def _keep_start(text: str, width: int) -> str:
    while cell_len(text) > width:
        text = text[:-1]
    return text


def _keep_end(text: str, width: int) -> str:
    while cell_len(text) > width:
        text = text[1:]
    return text


def fit_name(name: str, width: int, start: int = 0) -> str:
    """`name` in at most `width` cells; when cut, the part from `start` (where it differs from
    its siblings) is kept: "Byg…Nord", else "…Nord", else its end after the first letter:
    "B…nebjerg"; a name that differs from its first word on is cut at the end: "Sundhedsce…"."""
    if cell_len(name) <= width:
        return name
    if width < 2:
        return ELLIPSIS[:width]
    if start <= 0:
        return _keep_start(name, width - 1).rstrip() + ELLIPSIS
    tail = name[start:]
    head_room = width - 1 - cell_len(tail)
    if head_room >= MIN_HEAD:
        return _keep_start(name[:start], head_room).rstrip() + ELLIPSIS + tail
    if head_room == 0:  # the distinguishing end just fits: "…Nord"
        return ELLIPSIS + tail
    # The end must be cut too: its first letters are lost either way, so keep the name's first
    # letter, which tells apart siblings that share the end ("B…nebjerg", "P…nebjerg").
    head = _keep_start(name[:start], MIN_HEAD)
    return head + ELLIPSIS + _keep_end(tail, width - 1 - cell_len(head)).lstrip()


def department_label(name: str, code: str, width: int | None = None, start: int = 0) -> Text:
    """'name  code' (the code dim) in `width` cells: the name gives way, never the code."""
    name = plain(name)
    label = Text(no_wrap=True, overflow="ellipsis")
    if width is not None:
        room = width - cell_len(code) - len(CODE_GAP)
        if room < 2:  # only the code fits
            label.append(code, style="dim")
            return label
        name = fit_name(name, room, start)
    label.append(name)
    label.append(f"{CODE_GAP}{code}", style="dim")
    return label


class DepartmentTree(Tree[str | None]):
    """Nodes carry a department code as data; add them with `add_department`."""

    DEFAULT_CSS = """
    DepartmentTree { scrollbar-gutter: stable; }
    """

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, data=None, **kwargs)
        self._names: dict[str, tuple[str, int]] = {}
        """code -> (name, where it starts to differ from its siblings)."""

    def clear(self):
        self._names = {}
        return super().clear()

    def add_departments(
        self, parent: TreeNode[str | None], departments: Sequence[tuple[str, str, bool, bool]]
    ) -> list[TreeNode[str | None]]:
        """Add sibling departments (code, name, has children, expanded) under `parent`."""
        starts = distinct_starts([plain(name) for _, name, _, _ in departments])
        nodes = []
        for (code, name, has_children, expand), start in zip(departments, starts, strict=True):
            self._names[code] = (name, start)
            label = department_label(name, code)
            if has_children:
                nodes.append(parent.add(label, data=code, expand=expand))
            else:
                nodes.append(parent.add_leaf(label, data=code))
        return nodes

    def _label_room(self, node: TreeNode[str | None]) -> int:
        """Cells left for the label on the node's line (guides and the scrollbar taken)."""
        depth = 0
        ancestor = node.parent
        while ancestor is not None:
            depth += 1
            ancestor = ancestor.parent
        # The scrollbar's room is kept even while it is hidden (scrollbar-gutter: stable), so
        # the labels do not change width when the tree grows a scrollbar.
        return self.scrollable_content_region.width - depth * self.guide_depth

    def render_label(self, node: TreeNode[str | None], base_style: Style, style: Style) -> Text:
        full = super().render_label(node, base_style, style)
        entry = self._names.get(node.data) if node.data is not None else None
        if entry is None or full.cell_len <= self._label_room(node):
            return full
        icon = full[: len(full) - len(node.label)]
        name, start = entry
        label = department_label(name, node.data, self._label_room(node) - icon.cell_len, start)
        label.stylize(style)
        return Text.assemble(icon, label)
