"""Importing the CSV files HR systems and survey tools export: plan, check, then write once.

`import_file` reads a file, plans every change against the database and lists every problem as
`file:line: column: what is wrong`. Only a plan without problems is written, in one transaction,
after a backup; `dry_run` stops before writing.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from i18n import N_, _
from store.dataset import AssessmentRow
from store.errors import StoreError, os_reason
from store.gcpause import collector_paused
from store.importing.csvplan import plan_csv
from store.importing.framework_json import looks_like_json, plan_framework
from store.importing.kinds import KINDS, Column, Kind
from store.importing.plan import Plan
from store.importing.workbook import WorkbookProblem, is_spreadsheet, plan_workbook, sheet_names
from store.models import Assessment, Department, Entity, RobotBenefit
from store.opening import open_store, store_exists
from store.problems import Problem, render
from store.progress import Progress, tell

if TYPE_CHECKING:
    from store import Repository

__all__ = [
    "KINDS",
    "Column",
    "Kind",
    "Plan",
    "import_file",
    "import_into",
    "plan_file",
    "workbook_sheets",
]

MAX_IMPORT_BYTES = 2 * 1024**3
"""The largest file an import reads (2 GiB): far beyond any HR export (a million assessments
take ~80 MB), yet a mistaken path to a device or a huge dump is refused instead of filling memory."""

_NOT_REGULAR = {
    stat.S_IFDIR: N_("a folder"),
    stat.S_IFIFO: N_("a named pipe"),
    stat.S_IFCHR: N_("a device"),
    stat.S_IFBLK: N_("a device"),
    stat.S_IFSOCK: N_("a socket"),
}


class UnreadableFile(Exception):
    """An import file that is not a regular file of a readable size; `problem` says why."""

    def __init__(self, code: str, **params: object) -> None:
        self.problem = Problem("", code, params)
        super().__init__(render(self.problem))


def read_import_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` (default MAX_IMPORT_BYTES) bytes.

    Opened without blocking and checked on the open descriptor, so a named pipe cannot hang the
    import and a device (/dev/zero) is never read; the read stops one byte past the limit.
    """
    limit = MAX_IMPORT_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise UnreadableFile("file_unreadable", reason=os_reason(error)) from None
    kind = stat.S_IFMT(os.fstat(fd).st_mode)
    if kind != stat.S_IFREG:
        os.close(fd)
        raise UnreadableFile("file_not_regular", what=_NOT_REGULAR.get(kind, N_("not a file")))
    with open(fd, "rb", closefd=True) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableFile("file_unreadable", reason=os_reason(error)) from None
    if len(data) > limit:
        raise UnreadableFile("file_too_large", limit=limit)
    return data


def workbook_sheets(path: Path) -> list[str]:
    """The sheets of the workbook at `path`, in order, for choosing one; [] when it is not a
    workbook that can be read (planning it then says why)."""
    try:
        data = read_import_file(Path(path))
    except UnreadableFile:
        return []
    if not is_spreadsheet(path, data):
        return []
    try:
        return sheet_names(data)
    except WorkbookProblem:
        return []


def plan_file(
    repo: Repository,
    kind_name: str,
    path: Path,
    sync: bool = False,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> Plan:
    """What importing `path` as `kind_name` would change, and every problem; writes nothing.
    A spreadsheet (.xlsx, .xlsm, .ods) is read from its first sheet, or the one named `sheet`."""
    tell(progress, _("Reading and checking the file"), 0.0)
    kind = KINDS[kind_name]
    source = str(path)
    try:
        data = read_import_file(Path(path))
    except UnreadableFile as error:
        plan = Plan(kind, source)
        plan.refuse(error.problem)
        return plan
    if sync and kind_name != "staff":
        plan = Plan(kind, source)
        plan.refuse(Problem("", "sync_staff_only"))
        return plan
    if is_spreadsheet(path, data):
        return plan_workbook(kind, data, source, repo.ds, sync=sync, sheet=sheet)
    if sheet is not None:
        plan = Plan(kind, source)
        plan.refuse(Problem("", "sheet_needs_workbook"))
        return plan
    if kind_name == "competencies" and looks_like_json(data):
        return plan_framework(data, source, repo.ds)
    return plan_csv(kind, data, source, repo.ds, sync=sync, progress=progress)


def import_file(
    repo: Repository,
    kind_name: str,
    path: Path,
    *,
    dry_run: bool = False,
    sync: bool = False,
    backup: bool = True,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Plan, and unless `dry_run` or a problem, write the import in one transaction.
    `progress` is told each step: reading and checking, the backup, writing (by the record)."""
    repo.refresh()
    state = _state(repo)
    plan = plan_file(repo, kind_name, path, sync, sheet, progress)
    if dry_run or plan.problems or not plan.changes:
        return plan
    try:
        if backup:
            from store.backup import make_backup

            tell(progress, _("Making a backup"), 0.4)
            make_backup(repo)  # refused too on a read-only database: nothing is written
    except StoreError as error:
        plan.refuse(Problem("", "text", {"text": str(error)}))
        return plan
    try:
        # Paused through the whole write (the record_all parts, the commit): enabled between
        # the parts, the collector swept the growing history again and again (importing a
        # million assessments: 25.0 s -> 22.1 s CPU, as benchmarks/bench_import.py imports).
        with collector_paused(), repo.transaction() as tx:
            if _state(repo) != state:  # someone wrote meanwhile: plan again on what is there now
                plan = plan_file(repo, kind_name, path, sync, sheet)
                if plan.problems:
                    raise _Abandon
            records = _in_writing_order(plan)
            if plan.kind.fold is not None:
                records = plan.kind.fold(repo.ds, records)
            history = [r for r in records if isinstance(r, HISTORY)]
            register = [r for r in records if not isinstance(r, HISTORY)]
            for record in _told(register, progress, 0.5, 0.6 if history else 0.95):
                tx.put(record)
            # The plan checked every row on this version (planned again above if it changed):
            # the history is appended in bulk, not checked a second time.
            checked_on = _state(repo)
            for part in _told(_parts(history, 100), progress, 0.6, 0.95):
                tx.record_all(part, checked_on=checked_on)
            tell(progress, _("Saving"), 0.95)
    except _Abandon:
        return plan
    except StoreError as error:
        plan.refuse(Problem("", "text", {"text": str(error)}))
    return plan


def import_into(
    db: Path | str,
    kind_name: str,
    path: Path,
    *,
    dry_run: bool = False,
    sync: bool = False,
    sheet: str | None = None,
) -> tuple[Plan, Repository | None]:
    """Import into the database at `db`, making it only when the import is written.

    Where there is no database yet, the file is first planned against a new, empty database in
    a scratch folder: a dry run, a missing file or a file with problems leaves nothing behind.
    The repository is returned when the import was written.
    """
    if not store_exists(db):
        with tempfile.TemporaryDirectory(prefix="kapabel-plan-") as scratch:
            trial = open_store(Path(scratch) / "db", create=True)
            plan = plan_file(trial, kind_name, path, sync, sheet)
        if dry_run or plan.problems or not plan.changes:
            return plan, None
    repo = open_store(db, create=True)
    plan = import_file(repo, kind_name, path, dry_run=dry_run, sync=sync, sheet=sheet)
    return plan, None if dry_run or plan.problems else repo


HISTORY = (Assessment, AssessmentRow, RobotBenefit)
"""What an import appends to the history (a plan holds assessments as `AssessmentRow`s)."""


class _Abandon(Exception):
    """Leave the transaction without writing (it rolls back)."""


def _state(repo: Repository) -> object:
    """Changes whenever anyone has changed the data (the stamp of the newest version the
    repository has seen, whichever backend keeps it; `store.storage.Version`)."""
    return repo.version.stamp


def _told(
    records: Sequence[Entity], progress: Progress | None, start: float, end: float
) -> Iterator[Entity]:
    """The records, telling `progress` how many are written (every hundredth part of them)."""
    if progress is None:
        yield from records
        return
    step = max(1, len(records) // 100)
    for done, record in enumerate(records):
        if done % step == 0:
            progress(_("Writing the records"), start + (end - start) * done / len(records))
        yield record


def _parts(records: list[Entity], count: int) -> list[list[Entity]]:
    """`records` in at most `count` parts of equal size, in order."""
    size = max(1, -(-len(records) // count))
    return [records[start : start + size] for start in range(0, len(records), size)]


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
