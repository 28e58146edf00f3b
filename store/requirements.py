"""What the strategy requires of a department (and role): add, edit, re-key and remove.

The app's requirement form and the Competencies screen call these; so can a command. Every
change is checked against what is stored now: a change someone else made since the requirement
was read is refused (ConflictError), never overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.errors import ValidationProblem
from store.models import Entity, Requirement
from store.problems import Problem

if TYPE_CHECKING:
    from store import Repository


def save_requirement(
    repo: Repository, new: Requirement, original: Requirement | None = None
) -> Requirement:
    """Create `new` (no `original`), update it, or re-key it when the competency, department or
    role changed: the old one is removed and the new one made in one transaction, both or
    neither. Refused (ValidationProblem) when the new key belongs to another requirement."""
    return save_keyed(repo, new, original, "requirement_exists")


def save_keyed(repo: Repository, new: Entity, original: Entity | None, exists: str) -> Entity:
    """Create `new` (no `original`), update it, or re-key it when its `key()` changed: the old
    record is removed and the new one made in one transaction, both or neither. Refused
    (ValidationProblem with the problem code `exists`) when the new key belongs to another
    record of the table. Requirements and coverage rules are saved so."""
    rekeyed = original is None or original.key() != new.key()
    if rekeyed and new.key() in repo.ds.table(new.table):
        raise ValidationProblem(new.table, new.key(), [Problem("", exists)])
    with repo.transaction() as tx:
        if original is not None and rekeyed:
            tx.delete(new.table, original.key(), expected=original)
        if original is None or rekeyed:
            return tx.create(new)
        return tx.put(new, expected=original)


def remove_requirement(repo: Repository, requirement: Requirement) -> None:
    """Remove a requirement, unless someone changed it since it was read (ConflictError)."""
    with repo.transaction() as tx:
        tx.delete("requirements", requirement.key(), expected=requirement)
