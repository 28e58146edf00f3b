"""Fixed choices a form offers, and a record shown as code and name, as plain Text.

Names come from the data, so they are `rich.text.Text` (never parsed as markup). References to
records (departments, people...) are typed or searched instead: `tui.forms.picker`.
"""

from __future__ import annotations

from rich.text import Text

from store.labels import plan_status_label, priority_label, source_label
from store.models import PlanStatus, Priority, Source


def labelled(code: str, name: str) -> Text:
    """'CODE  name' with the code in bold; the name exactly as typed."""
    text = Text(code, style="bold", no_wrap=True, overflow="ellipsis")
    text.append("  ")
    text.append(name)
    return text


def source_options() -> list[tuple[Text, str]]:
    """Each source in the current language; the value is the one stored."""
    return [(Text(source_label(s)), s.value) for s in Source]


def status_options() -> list[tuple[Text, str]]:
    return [(Text(plan_status_label(s)), s.value) for s in PlanStatus]


def priority_options() -> list[tuple[Text, str]]:
    return [(Text(priority_label(p)), p.value) for p in Priority]
