"""Reading the register files and the history (JSON Lines, checked against the lengths and
checksums meta.json records) into a Version.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from pathlib import Path

import orjson
from pydantic import ValidationError

from i18n import N_, _
from store import snapshot
from store.columns import Columns, unfit_row
from store.dataset import (
    AssessmentRow,
    Dataset,
    HistoryView,
    as_history,
    row_from_record,
    rows_from_records,
)
from store.errors import CorruptFileError, format_pydantic_error
from store.folder.layout import HISTORY_FILES, META_FILE
from store.gcpause import collector_paused
from store.history import Convert, HistoryLog, Parse, invalid_record, parse_lines, records_of
from store.integrity import counter_problems
from store.models import Assessment, AuditEntry, RobotBenefit
from store.trusted import constructor


def why_invalid(record: object, error: Exception) -> str:
    """The field-by-field reason a stored assessment is unreadable (pydantic says it best)."""
    try:
        Assessment.model_validate(record)
    except ValidationError as invalid:
        return "; ".join(format_pydantic_error(invalid))
    return f"{type(error).__name__}: {error}"


ARROW_FROM = 1 << 20
"""Bytes of history from which a first start reads it with pyarrow (`store.json_columns`):
below, orjson takes a few ms per MB and pyarrow's import (~0.05 s) is not paid."""

_NOT_READ = object()
_NO_FILE = object()


class _HistoryReadAhead:
    """A first start's history (no snapshot) read and parsed into columns in a thread while the
    register's tables are read: pyarrow parses without the GIL, on the other core."""

    def __init__(self, path: Path) -> None:
        self._found: tuple[bytes, Columns | None] | None = None
        # Not a daemon: a process that ends before its open takes up a read begun for it
        # (`begin_reading`; an error or Ctrl+C while the app loads) waits for it, where a read
        # cut off inside pyarrow by the interpreter's end crashed the process (SIGSEGV).
        self._thread = threading.Thread(target=self._read, args=(path,), daemon=False)
        self._thread.start()

    def _read(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return  # read (and refused) as usual
        self._found = data, _arrow_columns(data)

    def wait(self) -> None:
        self._thread.join()

    def columns_of(self, data: bytes) -> Columns | None | object:
        """What it made of `data` (columns, or None where pyarrow steps aside); _NOT_READ
        unless it read exactly these bytes (the file was appended to or cut meanwhile)."""
        self.wait()
        found, self._found = self._found, None
        return found[1] if found is not None and found[0] == data else _NOT_READ


def _arrow_columns(data: bytes) -> Columns | None:
    """The columns of a whole history's lines by pyarrow (imported only here: a first start);
    None without it (an installation that lacks it still opens, as before)."""
    try:
        from store.json_columns import read_columns
    except ImportError:
        return None
    return read_columns(data)


def _history_parser(ahead: _HistoryReadAhead | None) -> Parse:
    """How the history's lines are parsed: a whole history (read from its first line) as
    columns, without a row made (they are made from the columns when asked for), by pyarrow
    when large (`store.json_columns`), else by orjson (`Columns.from_lines`); else, or when a
    line is not an assessment as the store writes it, the records as `parse_lines` gives them
    (which names a bad line, and `rows_from_records` a bad record, as before)."""

    def parse(path: Path, data: bytes, first_line: int) -> list[dict] | Columns:
        if first_line == 0:
            columns = ahead.columns_of(data) if ahead is not None else _NOT_READ
            if columns is _NOT_READ:
                columns = _arrow_columns(data) if len(data) >= ARROW_FROM else None
            if columns is None:
                columns = Columns.from_lines(data)
            if columns is not None:
                return columns
        return parse_lines(path, data, first_line)

    return parse


_BEGUN: dict[Path, _HistoryReadAhead] = {}
"""Read-aheads begun before their folder was opened (`begin_reading`), by the history's path."""


def begin_reading(db: Path) -> None:
    """Begin a first start's read-ahead of `db`'s history now, before the folder is opened:
    the app's modules take ~0.3 s to import on one core while the other is idle, and
    pyarrow's parse can run there. The open takes it up (`_read_ahead`), and uses what it
    parsed only if the bytes it reads are the same (another program may append meanwhile)."""
    history = (db / HISTORY_FILES["assessments"]).resolve()
    if history not in _BEGUN:
        ahead = _new_read_ahead(db, history)
        if ahead is not None:
            _BEGUN[history] = ahead


def _read_ahead(db: Path, history: Path) -> _HistoryReadAhead | None:
    """A read-ahead of the history, on a first start (no snapshot) with a large one: the one
    `begin_reading` began, else a new one."""
    begun = _BEGUN.pop(history.resolve(), None) if _BEGUN else None
    return begun if begun is not None else _new_read_ahead(db, history)


def _new_read_ahead(db: Path, history: Path) -> _HistoryReadAhead | None:
    if snapshot.snapshot_path(db).exists():
        return None
    try:
        large = history.stat().st_size >= ARROW_FROM
    except OSError:
        return None
    return _HistoryReadAhead(history) if large else None


BENEFITS_LOG = HISTORY_FILES["robot_benefits"]
"""The name the robot benefits log's hash is recorded under, beside the tables' (`store.trusted`)."""


class _BuiltBenefits(list):
    """Benefit records built without validation from a log whose bytes are known valid."""


def _benefits_built(records: list[dict]) -> _BuiltBenefits | None:
    """The records the store wrote, built as validation builds them; None when one is not as
    the store writes it (then they are validated)."""
    build = _benefit_constructor()
    if build is None:
        return None
    try:
        return _BuiltBenefits(map(build, records))
    except (KeyError, ValueError, TypeError, AttributeError):
        return None


@functools.cache
def _benefit_constructor():
    return constructor(RobotBenefit)


def _as_written(records: list[dict], benefits: list[RobotBenefit]) -> bool:
    """Whether the log's records are exactly what the store writes of the benefits validation
    made of them (a value typed by hand with spaces around it is not: it is validated again
    at every open, as a table's is). By the model's own serializer: making the list's
    (`records_of`) cost ~20 ms at a process's first save (`appended_as_written`)."""
    written = [benefit.model_dump(mode="json") for benefit in benefits]
    return orjson.dumps(records) == orjson.dumps(written)


def appended_as_written(records: list[dict]) -> bool:
    """Whether benefit records about to be appended validate and are what the store writes of
    them: a record changed without validation (`model_copy(update=...)`) may not be, and the
    log holding it is then not known valid (its next open validates it, as before). One by
    one, by the model's own validator (made already, as the records were)."""
    try:
        benefits = [RobotBenefit.model_validate(record) for record in records]
    except ValidationError:
        return False
    return _as_written(records, benefits)


class FolderReading:
    """Loading and refreshing the data, and what `kapabel check` finds in the files. (A part of
    `FolderStorage`.)
    """

    def _load_all(self) -> None:
        # Pays a little since the history is read into columns: a first open at 50,000 staff (no
        # snapshot) is 1.89 s CPU paused against 1.95 s running; with the snapshot 0.73 against
        # 0.77 s (`benchmarks/bench_collector.py --only first-open open`; docs/performance.md).
        with collector_paused():
            self._load_all_unpaused()

    def _load_all_unpaused(self) -> None:
        ds = Dataset()
        self.trust.read()
        ahead = _read_ahead(self.path, self.logs["assessments"].path)
        try:
            for name, table in self.tables.items():
                setattr(ds, name, table.load(on_demand=self.records_on_demand))
            for log in self.logs.values():
                log.reset()
            ds.assessments = self._read_assessments(ahead)
        finally:
            if ahead is not None:
                ahead.wait()  # one at a time (a read-only open tries again after a failure)
        ds.robot_benefits = self._read_benefits()[0]
        if self.logs["audit"].committed is not None:
            self._check_audit_log()  # without a recorded length: checked before the next save
        self._publish(ds)
        self._record_valid_tables()  # once everything read whole: a damaged folder stays as it is
        if not self.read_only:
            for table in self.tables.values():
                table.keep_columns()

    def _read_assessments(self, ahead: _HistoryReadAhead | None = None) -> HistoryView:
        """The history: from the snapshot as far as it goes, then the JSON lines after it."""
        log = self.logs["assessments"]
        saved = snapshot.load(self.path, log.path, discard_stale=False, remember=not self.read_only)
        columns = None
        if saved is not None and (log.committed is None or saved[0].offset <= log.committed[0]):
            position, columns = saved
            position.resume(log)  # the history starts with the bytes these rows came from
        new, rewritten = log.read_new(
            self._rows_after(0 if columns is None else len(columns)), parse=_history_parser(ahead)
        )
        if rewritten or not columns:
            columns = None
            if snapshot.snapshot_path(self.path).exists():
                snapshot.remove(self.path)  # it could not be used: stale, damaged or foreign
        self.snapshot_rows = 0 if columns is None else len(columns)
        if columns is None:
            if isinstance(new, Columns):  # the whole history, read as columns
                return HistoryView.over_columns(new, [])
            return HistoryView(new)
        return HistoryView.over_columns(columns, new)  # its rows are made when needed

    def _rows_after(self, count: int) -> Convert:
        """Converts new history records to rows that follow `count` rows (all when rewritten)."""

        def convert(records: list[dict] | Columns, first: int, rewritten: bool):
            if isinstance(records, Columns):  # the whole history (`_history_parser`)
                return records
            return self._assessment_rows(records, 0 if rewritten else count)

        return convert

    def _check_audit_log(self) -> None:
        """Check what was added to the audit log (its recorded part by checksum only)."""
        self.logs["audit"].read_new(self._audit_entries_valid, parse_committed=False)

    def _audit_entries_valid(self, records: list[dict], first: int, rewritten: bool) -> None:
        problem = invalid_record(records, AuditEntry, first, N_("an audit entry"))
        if problem:
            raise CorruptFileError(self.logs["audit"].path, problem)

    def _assessment_rows(self, records: list[dict], first_seq: int) -> list[AssessmentRow]:
        try:
            # Rows one by one (lines the column reader refused, or another program appended):
            # making 1,000,000 rows costs 1.5 s more CPU with the collector running
            # (`benchmarks/bench_collector.py --only rows`).
            with collector_paused():
                rows = rows_from_records(records, first_seq)
        except (KeyError, ValueError, TypeError) as error:
            for i, record in enumerate(records):
                try:
                    row_from_record(record, 0)
                except (KeyError, ValueError, TypeError) as bad:
                    raise self._not_an_assessment(record, first_seq + i + 1, bad) from error
            raise
        unfit = unfit_row(rows)  # read, but not what a report can hold (a hand edit)
        if unfit is not None:
            error = ValueError("a value a report cannot hold")
            raise self._not_an_assessment(records[unfit], first_seq + unfit + 1, error)
        return rows

    def _not_an_assessment(self, record: object, number: int, error: Exception) -> CorruptFileError:
        return CorruptFileError(
            self.logs["assessments"].path,
            _("record {number} is not an assessment: {why}").format(
                number=number, why=why_invalid(record, error)
            ),
        )

    def _read_benefits(self) -> tuple[dict, bool]:
        """The benefit records read since the last time, by key, and whether the log was
        rewritten (`HistoryLog.read_new`)."""
        self._benefits_seen = _NO_FILE  # (unless the lines are parsed: `_parse_benefits`)
        return self.logs["robot_benefits"].read_new(self._benefits, parse=self._parse_benefits)

    def _parse_benefits(self, path: Path, data: bytes, first_line: int) -> list[dict]:
        """The benefit log's lines. The hash of the whole log's bytes is kept as they are
        read (and appended: `FolderStorage.commit`); while the log is known valid, it is
        recorded with the tables' (`store.trusted`), and a log read whole whose hash is
        recorded is built without validation."""
        if first_line == 0:
            self._benefits_seen = hashlib.sha256(data)
        elif not data or self.benefits_hash is None:
            self._benefits_seen = self.benefits_hash
        else:
            self._benefits_seen = self.benefits_hash.copy()
            self._benefits_seen.update(data)
        records = parse_lines(path, data, first_line)
        if first_line == 0 and self.trust.holds(BENEFITS_LOG, self._benefits_seen.hexdigest()):
            built = _benefits_built(records)
            if built is not None:
                return built
        return records

    def _benefits(self, records: list[dict], first: int, rewritten: bool) -> dict:
        """The benefit records by key (a later record for a month replaces an earlier one).

        Validated, unless the whole log's bytes are known valid (`_parse_benefits`): which
        they are once validated and found to be what the store writes of them. (At 50,000
        staff validating them cost ~22 ms of every open, and making the validator as much
        again: a command that needs no other validator made none.)"""
        seen = hashlib.sha256() if self._benefits_seen is _NO_FILE else self._benefits_seen
        if isinstance(records, _BuiltBenefits) or not records:  # (none: no validator made)
            benefits, as_written = records, True
        else:
            try:
                benefits = records_of(RobotBenefit).validate_python(records)
            except ValidationError:
                problem = invalid_record(records, RobotBenefit, first, N_("a robot benefit"))
                raise CorruptFileError(self.logs["robot_benefits"].path, str(problem)) from None
            as_written = _as_written(records, benefits)
        self.benefits_hash = seen if as_written else None
        return {benefit.key(): benefit for benefit in benefits}

    @property
    def benefits_valid(self) -> str | None:
        """The hash of the robot benefits log's bytes, when all of them are known valid."""
        return None if self.benefits_hash is None else self.benefits_hash.hexdigest()

    def _refresh_history(self, ds: Dataset) -> dict:
        """What was appended to the history, as new lists and dicts for a new Version (the
        audit log is checked, not kept); a damaged record is read again next time."""
        replaced: dict = {}
        rows, rewritten = self.logs["assessments"].read_new(self._rows_after(len(ds.assessments)))
        if rewritten:
            replaced["assessments"] = HistoryView(rows)
            self.snapshot_rows = 0
        elif rows:
            replaced["assessments"] = as_history(ds.assessments).extended(rows)
        benefits, rewritten = self._read_benefits()
        if rewritten:
            replaced["robot_benefits"] = benefits
        elif benefits:
            replaced["robot_benefits"] = {**ds.robot_benefits, **benefits}
        self._check_audit_log()
        return replaced

    def problems(self) -> list[str]:
        """The folder's part of what `kapabel check` reports: history that does not read whole
        (each audit line an audit entry), bytes past the last save, key counters behind their
        tables."""
        found: list[str] = []
        for name, log in self.logs.items():
            log_now = HistoryLog(log.path)
            log_now.expect(log.committed)
            try:
                log_now.read_new(self._audit_entries_valid if name == "audit" else None)
            except CorruptFileError as error:
                found.append(f"{log.path.name}: {_(error.problem)}")
                continue
            tail = log_now.read_past_end()
            if b"\n" in tail:
                found.append(
                    _(
                        "{file}: {size} bytes past the last save (left by an interrupted save) "
                        "are ignored"
                    ).format(file=log.path.name, size=len(tail))
                )
            elif tail:
                found.append(
                    _(
                        "{file}: torn last line ({size} bytes, left by an interrupted save) is "
                        "ignored"
                    ).format(file=log.path.name, size=len(tail))
                )
            if log.torn_path.exists():
                count = log.torn_path.read_bytes().count(b"\n")
                found.append(
                    _(
                        "{file}: {count} torn line(s) from interrupted saves were set aside "
                        "here; delete the file once you have looked at it"
                    ).format(file=log.torn_path.name, count=count)
                )
        found += [f"{META_FILE}: {p}" for p in counter_problems(self.ds, self.meta["counters"])]
        return found
