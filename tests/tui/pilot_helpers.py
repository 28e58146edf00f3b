"""Small helpers for driving the app with Pilot as a person would (keys, typed text)."""

from __future__ import annotations

from textual.pilot import Pilot


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key into whatever has focus."""
    for char in text:
        await pilot.press(char if char != " " else "space")


async def fill(pilot: Pilot, *values: str) -> None:
    """Type each value into the focused field, then Tab to the next one."""
    for value in values:
        await type_text(pilot, value)
        await pilot.press("tab")
