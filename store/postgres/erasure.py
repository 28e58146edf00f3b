"""Erasing one person from a PostgreSQL database: the same rules as the folder's
(`store.erasure`: what goes, what is pseudonymised, what the audit log keeps), applied in ONE
transaction -- the history rewritten (the only path the insert-only triggers allow), the
register changed, the erasure's audit entry added -- so nobody ever sees it half done, and a
crash leaves the person wholly there or wholly erased. Then the folder backups `kapabel backup`
made of this database are erased the same way as a folder's backups.

Always to the end, as on a folder (where `erasure.json` does it): the same transaction writes
the erasure down in `kapabel_pending_erasures` (the employee number and the pseudonym; not the
names, which the server must forget at once: the backups that still hold the person still hold
their names too, and are searched for them again), so a crash before the backups are erased
leaves it there, and the next program to open the database (or the next
`kapabel person erase`) finishes it under the write lock. The backups are on the machine that
made them (`PostgresRepository.backup_home`): the one that finishes is the one that opens.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from store.erasure import (
    _OWN_COUNT,
    Identity,
    _audit_eraser,
    _backup_folders,
    _backup_holds,
    _erase_in_folder,
    _fitted,
    _history_eraser,
    _is_own,
    _names_in_audit,
    _names_in_backup,
    _scrub_record,
    held_data,
    new_identity,
)
from store.errors import NotFoundError
from store.models import MODELS_BY_TABLE, REGISTER_MODELS, STORED_CONTEXT
from store.storage import HISTORY_NAMES, Change, apply_change


def erasure_scope(repo, employee_no: str) -> dict:
    """What an erasure would find (as `store.erasure.erasure_scope`); NotFoundError if nothing."""
    repo.refresh()
    data = held_data(repo, employee_no)
    backups = sum(_backup_holds(f, employee_no) for f in _backup_folders(repo.backup_home))
    if data is None and not backups:
        raise NotFoundError("staff", employee_no)
    return {"data": data, "backups": backups}


def erase_person(repo, employee_no: str) -> dict:
    """Erase the person everywhere in one transaction, then in the backups; the pseudonym and
    what was removed. NotFoundError (nothing changes) when nothing about them is held."""
    erasure_scope(repo, employee_no)
    counts: Counter[str] = Counter()
    with repo.storage.writing() as session:
        audit = list(repo.storage.history_records("audit"))
        data = session.version.data
        identity = _identity(repo, employee_no, audit)
        plans = {key for key, plan in data.training_plans.items() if plan.staff == employee_no}
        plans |= _plans_in_audit(audit, employee_no)
        change = _register_change(data, identity, counts)
        for name in HISTORY_NAMES:
            eraser = (
                _audit_eraser(identity, plans, counts)
                if name == "audit"
                else _history_eraser(name, identity, counts)
            )
            session.rewrite_history(name, _without(eraser))
        change = dataclasses.replace(change, appends={"audit": [identity.audit_entry()]})
        _write_down(session.conn, identity)  # commits with the erasure, or not at all
        session.commit(change, apply_change(session.version.data, change))
    repo.refresh()
    counts["backups rewritten"] = _erase_in_backups(repo, identity)
    return {"pseudonym": identity.pseudonym, "counts": dict(counts)}


def finish_erasures(repo) -> dict | None:
    """Finish every erasure a crash stopped before its backups were erased (under the write
    lock); what the last one erased, None when there was none. A read-only connection cannot
    finish one, and leaves it to the next program that can."""
    if repo.storage.read_only or not repo.storage.read_value(
        "SELECT EXISTS (SELECT 1 FROM kapabel_pending_erasures)"
    ):
        return None  # the usual open: no write lock taken
    finished = None
    with repo.storage.writing() as session:
        for identity in _pending(repo, session.conn):
            rewritten = _erase_in_backups(repo, identity, conn=session.conn)
            finished = {
                "employee_no": identity.employee_no,
                "pseudonym": identity.pseudonym,
                "counts": {"backups rewritten": rewritten},
            }
    return finished


_COLUMNS = 'employee_no, pseudonym, at, "user"'


def _write_down(conn, identity: Identity) -> None:
    conn.execute(
        f"INSERT INTO kapabel_pending_erasures ({_COLUMNS}) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (employee_no) DO UPDATE SET pseudonym = EXCLUDED.pseudonym,"
        ' at = EXCLUDED.at, "user" = EXCLUDED."user"',
        (identity.employee_no, identity.pseudonym, identity.at, identity.user),
    )


def _pending(repo, conn) -> list[Identity]:
    """The erasures written down, each with the names the backups still hold for the person."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM kapabel_pending_erasures ORDER BY employee_no"
    ).fetchall()
    folders = list(_backup_folders(repo.backup_home))
    return [
        Identity(
            employee_no=no,
            pseudonym=alias,
            texts=frozenset(set().union(*(_names_in_backup(f, no) for f in folders)) - {""}),
            at=at,
            user=user,
        )
        for no, alias, at, user in rows
    ]


def _erase_in_backups(repo, identity: Identity, conn=None) -> int:
    """Erase the person from every backup, then strike the erasure off as done (on `conn`, a
    write session's, or on a connection of its own); how many backups held them."""
    rewritten = sum(
        _erase_in_folder(folder, identity) for folder in _backup_folders(repo.backup_home)
    )
    delete = "DELETE FROM kapabel_pending_erasures WHERE employee_no = %s"
    if conn is not None:
        conn.execute(delete, (identity.employee_no,))
    else:
        with repo.storage.writing() as session:
            session.conn.execute(delete, (identity.employee_no,))
    return rewritten


def _identity(repo, employee_no: str, audit: list[dict]) -> Identity:
    """Every name and address held for the person: the server's, and the backups' (after an
    erasure a crash stopped before the backups, only they still know the name)."""
    texts = _names_in_audit(audit, employee_no)
    staff = repo.ds.staff.get(employee_no)
    if staff is not None:
        texts |= {staff.name, staff.email or ""}
    for folder in _backup_folders(repo.backup_home):
        texts |= _names_in_backup(folder, employee_no)
    return new_identity(employee_no, texts, repo.user)


def _plans_in_audit(audit: list[dict], employee_no: str) -> set[str]:
    """Ids of the person's plans known only from the audit log (a plan deleted since)."""
    plans = set()
    for entry in audit:
        changes = entry.get("changes")
        staff = changes.get("staff") if isinstance(changes, dict) else None
        if entry.get("entity") == "training_plans" and employee_no in (staff or []):
            plans.add(entry.get("key"))
    return plans


def _register_change(data, identity: Identity, counts: Counter) -> Change:
    upserts: dict[str, dict] = {}
    deletes: dict[str, set[str]] = {}
    for model in REGISTER_MODELS:
        table = model.table
        for key, record in data.table(table).items():
            stored = record.model_dump(mode="json")
            if _is_own(table, stored, identity):
                counts[_OWN_COUNT[table]] += 1
                deletes.setdefault(table, set()).add(key)
                continue
            scrubbed = _scrub_record(table, stored, identity)
            if scrubbed != stored:
                counts["robots"] += table == "robots"
                fitted = _fitted(table, scrubbed)
                upserts.setdefault(table, {})[key] = MODELS_BY_TABLE[table].model_validate(
                    fitted, context=STORED_CONTEXT
                )
    return Change(upserts=upserts, deletes={t: frozenset(k) for t, k in deletes.items()})


def _without(eraser):
    def transform(records: list[dict]) -> list[dict]:
        kept = (eraser(record) for record in records)
        return [record for record in kept if record is not None]

    return transform
