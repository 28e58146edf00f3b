"""Reading the audit log: filters shared by `kapabel audit` and the TUI's audit view.

Entries are about a person when the person's employee number is their key or a part of it
(`E00012|DC1.1|2026-01-05|self`) or appears among the changed values (a robot's operators).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from i18n import N_, _
from store.models import AuditAction

if TYPE_CHECKING:
    from store.unit_of_work import Repository


def new_entry(repo: Repository, action: AuditAction, entity: str, key: str, changes: dict) -> dict:
    """An audit line written outside a transaction (restore, erasure)."""
    return {
        "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "user": repo.user,
        "action": str(action),
        "entity": entity,
        "key": key,
        "changes": changes,
    }


def mentions(value: object, token: str) -> bool:
    """True when `token` is `value`, a '|'-separated part of it, or inside a list/dict of it."""
    if isinstance(value, str):
        return value == token or token in value.split("|")
    if isinstance(value, list | tuple):
        return any(mentions(v, token) for v in value)
    if isinstance(value, dict):
        return any(mentions(v, token) for v in value.values())
    return False


def about_employee(entry: dict, employee_no: str) -> bool:
    return mentions(entry.get("key", ""), employee_no) or mentions(
        entry.get("changes"), employee_no
    )


def matches_text(entry: dict, text: str) -> bool:
    """Case-insensitive search in everything an entry says."""
    needle = text.casefold()
    return any(needle in str(value).casefold() for value in entry.values())


def filter_entries(
    entries: Iterable[dict],
    *,
    since: dt.date | None = None,
    employee: str | None = None,
    entity: str | None = None,
    text: str | None = None,
) -> Iterator[dict]:
    """Entries on or after `since` (UTC date), about `employee`, of `entity`, containing `text`."""
    start = since.isoformat() if since else ""
    for entry in entries:
        if start and str(entry.get("at", ""))[:10] < start:
            continue
        if employee and not about_employee(entry, employee):
            continue
        if entity and entry.get("entity") != entity:
            continue
        if text and not matches_text(entry, text):
            continue
        yield entry


def raw_entries(repo: Repository) -> list[dict]:
    """Every complete audit entry, oldest first, as stored (no per-entry validation: fast),
    from whichever backend keeps the database; in a department scope only those about it."""
    return repo.audit_records()


def describe(entry: dict) -> str:
    """One line for a person: what changed, field by field (long values shortened), or what a
    summary entry (an import, the demo) counted, in words."""
    counts = summary_counts(entry)
    if counts is not None:
        return counts_in_words(counts)
    parts = []
    for name, value in (entry.get("changes") or {}).items():
        if isinstance(value, list) and len(value) == 2 and value[0] is None:
            parts.append(f"{name}={_short(value[1])}")
        elif isinstance(value, list) and len(value) == 2 and value[1] is None:
            parts.append(_("{field} was {old}").format(field=name, old=_short(value[0])))
        elif isinstance(value, list) and len(value) == 2:
            parts.append(f"{name}: {_short(value[0])} -> {_short(value[1])}")
        else:
            parts.append(f"{name}: {_short(value)}")
    return "; ".join(parts)


def change_lines(entry: dict) -> list[str]:
    """Every changed field whole, one `field: old → new` line each (— where there was or is
    nothing), or a summary entry's counts in words: what the entry's details show."""
    counts = summary_counts(entry)
    if counts is not None:
        return [counts_in_words(counts)]
    lines = []
    for name, value in (entry.get("changes") or {}).items():
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{name}: {_whole(value[0])} → {_whole(value[1])}")
        else:
            lines.append(f"{name}: {_whole(value)}")
    return lines


_DONE = {
    "create": N_("{count} {entity} created"),
    "update": N_("{count} {entity} updated"),
    "delete": N_("{count} {entity} deleted"),
    "deactivate": N_("{count} {entity} deactivated"),
}
"""A summary entry's count of one action on one table, in words."""


def summary_counts(entry: dict) -> dict[str, int] | None:
    """A summary entry's counts (`{"create:staff": 3}`), or None for an entry about one record.

    A transaction with a summary (the demo, a new database) audits one entry counting its
    changes instead of one per record."""
    counts = (entry.get("changes") or {}).get("counts")
    if isinstance(counts, list) and len(counts) == 2 and counts[0] is None:
        counts = counts[1]
    if entry.get("entity") != "*" or not isinstance(counts, dict):
        return None
    return counts


def counts_in_words(counts: dict[str, int]) -> str:
    """`{"create:staff": 3, "update:staff": 2}` as "3 staff created, 2 staff updated", in the
    current language."""
    parts = []
    for what, count in counts.items():
        action, _colon, entity = str(what).partition(":")
        words = _(entity) if entity else ""
        words = entity.replace("_", " ") if words == entity else words
        template = _(_DONE[action]) if action in _DONE else "{count} {entity} " + action
        parts.append(template.format(count=count, entity=words).replace("  ", " "))
    return ", ".join(parts) or _("nothing changed")


def _whole(value: object) -> str:
    """A stored value as a person reads it: lists comma-separated, nothing as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_whole(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_whole(v)}" for k, v in value.items()) or "—"
    return str(value)


def _short(value: object, width: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
