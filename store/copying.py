"""Copying a whole database between any two backends: `kapabel copy SOURCE TARGET`.

Folder -> PostgreSQL moves a municipality up to its server; PostgreSQL -> folder gives a
portable copy anyone can open (an auditor's, or a backup). The copy is exact: every register
table, every history record in its order (the audit log too, so the copy's history is the
source's) and the id counters, so exports and reports of the two are byte for byte the same.

The source is read under its write lock (a consistent state: nobody commits meanwhile) and the
target is replaced in one atomic step. A target that already holds data is refused unless the
caller says to replace it: a copy is not a merge.
"""

from __future__ import annotations

from i18n import _
from store.errors import StoreError
from store.models import REGISTER_MODELS
from store.storage import HISTORY_NAMES

HELD = ("departments", "staff", "assessments", "training_plans", "robots")
"""What makes a database more than a new one (a new one holds only DigComp)."""


class TargetNotEmptyError(StoreError):
    """The target database holds data a copy would replace."""


def held(data) -> dict[str, int]:
    """The counts of what a new database does not hold, for the refusal's message."""
    counts = data.counts()
    return {name: counts[name] for name in HELD if counts[name]}


def _summary(there: dict[str, int]) -> str:
    """ "3 departments, 40 staff": what a database holds, in the current language."""
    return ", ".join(_("{n} {table}").format(n=n, table=_(name)) for name, n in there.items())


def copy_database(source, target, *, replace: bool = False) -> dict[str, int]:
    """Make `target` (a repository) exactly `source`; the counts copied.

    TargetNotEmptyError, changing nothing, when the target holds data and `replace` is False.
    """
    counts = copy_between(source.storage, target.storage, replace=replace)
    target.refresh()
    return counts


def copy_between(source, target, *, replace: bool = False) -> dict[str, int]:
    """`copy_database` between two storages (`store.storage.Storage`): for a backup of a
    server database into a new folder, and for a restore."""
    with source.writing() as reading:
        version = reading.version
        history = {name: list(source.history_records(name)) for name in HISTORY_NAMES}
    register = {model.table: version.data.table(model.table) for model in REGISTER_MODELS}
    with target.writing() as session:
        there = held(session.version.data)
        if there and not replace:
            raise TargetNotEmptyError(
                _(
                    "{location} already holds data ({summary}): a copy replaces everything "
                    "there; say so with --replace"
                ).format(location=target.location, summary=_summary(there))
            )
        session.replace_everything(register, history, dict(version.counters))
    return {**version.data.counts(), "audit": len(history["audit"])}


def make_new(repo, *, replace: bool = False) -> None:
    """Make `repo`'s database as a new one is (DigComp 2.2 only, no history), for writing the
    demo into a server database; TargetNotEmptyError when it holds data and `replace` is False.
    """
    from store.digcomp import digcomp_records

    with repo.storage.writing() as session:
        there = held(session.version.data)
        if there and not replace:
            raise TargetNotEmptyError(
                _("{location} already holds data ({summary})").format(
                    location=repo.location, summary=_summary(there)
                )
            )
        register: dict[str, dict] = {}
        for record in digcomp_records():
            register.setdefault(record.table, {})[record.key()] = record
        session.replace_everything(register, {}, {})
    repo.refresh()
