"""A checkbox whose state reads without colour: '✓' when on, blank when off.

Textual's Checkbox always draws an 'X' and shows the state by colour only.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual's name)
        return "✓" if self.value else " "
