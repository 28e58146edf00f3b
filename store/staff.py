"""People: add or edit a person, deactivate and reactivate; record an assessment of them.

Staff are never deleted (their history stays): a person who leaves is deactivated, and leaves
every figure and list of active staff (erasure is `store.erasure`, for the right to be
forgotten). The app's forms and screens call these; so can a command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.models import Assessment, Staff

if TYPE_CHECKING:
    from store import Repository


def save_person(repo: Repository, person: Staff, original: Staff | None = None) -> Staff:
    """Add a person (refused when the number is taken) or save an edited one over `original`
    (refused with ConflictError when someone changed the person meanwhile)."""
    with repo.transaction() as tx:
        return tx.put(person, expected=original) if original else tx.create(person)


def set_active(repo: Repository, person: Staff, active: bool) -> Staff:
    """Deactivate (active False) or reactivate a person, as read in `person`."""
    return save_person(repo, person.model_copy(update={"active": active}), person)


def record_assessment(repo: Repository, assessment: Assessment) -> Assessment:
    """Append one observation of a person's level to the history (a correction is a new one:
    the latest assessment counts)."""
    with repo.transaction() as tx:
        tx.record(assessment)
    return assessment
