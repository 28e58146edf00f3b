"""Importing the CSV files HR systems and survey tools export: plan, check, then write once.

`import_file` reads a file, plans every change against the database and lists every problem as
`file:line: column: what is wrong`. Only a plan without problems is written, in one transaction,
after a backup; `dry_run` stops before writing.
"""

from __future__ import annotations

from pathlib import Path

from store.errors import StoreError
from store.importing.framework_json import looks_like_json, plan_framework
from store.importing.kinds import KINDS, Column, Kind
from store.importing.plan import Plan, plan_csv
from store.models import Assessment, Department, Entity, RobotBenefit
from store.repository import FolderRepository

__all__ = ["KINDS", "Column", "Kind", "Plan", "import_file", "plan_file"]


def plan_file(repo: FolderRepository, kind_name: str, path: Path, sync: bool = False) -> Plan:
    """What importing `path` as `kind_name` would change, and every problem; writes nothing."""
    kind = KINDS[kind_name]
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        plan = Plan(kind, source)
        plan.problems.append(f"{source}: cannot be read: {error.strerror or error}")
        return plan
    if sync and kind_name != "staff":
        plan = Plan(kind, source)
        plan.problems.append(f"{source}: --sync: only a staff import can deactivate missing rows")
        return plan
    if kind_name == "competencies" and looks_like_json(data):
        return plan_framework(data, source, repo.ds)
    return plan_csv(kind, data, source, repo.ds, sync=sync)


def import_file(
    repo: FolderRepository,
    kind_name: str,
    path: Path,
    *,
    dry_run: bool = False,
    sync: bool = False,
    backup: bool = True,
) -> Plan:
    """Plan, and unless `dry_run` or a problem, write the import in one transaction."""
    repo.refresh()
    state = _state(repo)
    plan = plan_file(repo, kind_name, path, sync)
    if dry_run or plan.problems or not plan.changes:
        return plan
    if backup:
        from store.backup import make_backup

        make_backup(repo)
    try:
        with repo.transaction() as tx:
            if _state(repo) != state:  # someone wrote meanwhile: plan again on what is there now
                plan = plan_file(repo, kind_name, path, sync)
                if plan.problems:
                    raise _Abandon
            for record in _in_writing_order(plan):
                if isinstance(record, Assessment | RobotBenefit):
                    tx.record(record)
                else:
                    tx.put(record)
    except _Abandon:
        return plan
    except StoreError as error:
        plan.problems.append(f"{plan.source}: {error}")
    return plan


class _Abandon(Exception):
    """Leave the transaction without writing (it rolls back)."""


def _state(repo: FolderRepository) -> tuple:
    """Changes whenever another process has written to the database."""
    tables = tuple(table.signature for table in repo.tables.values())
    logs = tuple(
        (log.inode, log.offset) for log in repo.logs.values() if log.path.name != "audit.jsonl"
    )
    return tables, logs, len(repo.ds.assessments)


def _in_writing_order(plan: Plan) -> list[Entity]:
    """Frameworks before their competencies, parent departments before their children."""
    records = [*plan.extra_records, *plan.in_file_order, *plan.deactivated]
    if plan.kind.model is not Department:
        return records
    by_code = {r.key(): r for r in records}
    ordered: list[Entity] = []
    placed: set[str] = set()

    def place(record: Department) -> None:
        if record.code in placed:
            return
        placed.add(record.code)
        parent = by_code.get(record.parent_code or "")
        if parent is not None:
            place(parent)
        ordered.append(record)

    for record in records:
        place(record)
    return ordered
