"""Reading a spreadsheet (.xlsx, .xlsm, .ods) as the rows of text cells the CSV import checks.

There is one validator: a sheet becomes `CsvRow`s (its row numbers as Excel shows them) and
goes through the same header matching, cell parsers and planning as a CSV file
(`store.importing.plan.plan_rows`). What is particular to a spreadsheet lives here:

- which sheet (the first unless named; an unknown name is refused naming the sheets there);
- where the header is: HR systems put a title, a date and blank rows above it, so the header is
  the first row naming the kind's columns (all its required ones, or at least two);
- typed cells as text the parsers read: a real date as YYYY-MM-DD, a number as written
  (12, 12.5), yes/no for a boolean; a formula gives its cached value; an error cell is empty;
- refusing, in one line, what is not a workbook, is encrypted, or would unpack to more than
  `MAX_UNPACKED_BYTES` (a "zip bomb" is measured before it is opened, never unpacked).

The reader is python-calamine (Rust): measured against openpyxl's read-only mode it reads a
1,000,000-row sheet several times faster (see benchmarks/bench_excel.py).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from i18n import N_, _
from store.dataset import Dataset
from store.importing.csvfile import CsvRow
from store.importing.kinds import Column, Kind, normalise_header
from store.importing.plan import Plan, plan_rows
from store.problems import Problem, render

SUFFIXES = (".xlsx", ".xlsm", ".ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An OLE2 compound file: an old .xls, or an .xlsx saved with a password (its parts encrypted
inside one, as the stream `EncryptedPackage`)."""
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

MAX_UNPACKED_BYTES = 2 * 1024**3
"""The most a workbook's parts may unpack to (2 GiB; a 1,000,000-row sheet unpacks to ~150 MB).
A workbook is a zip file, and a small zip can unpack to terabytes: its parts' sizes are added
up from the zip's directory, and each part is checked, while it is read, not to hold more than
its stated size, so nothing is unpacked beyond the limit."""

HEADER_SEARCH_ROWS = 50
"""How far down a sheet its header row is looked for (titles and notes above it are skipped)."""


class WorkbookProblem(ValueError):
    """The workbook, or the chosen sheet, cannot be read; `problem` says why."""

    def __init__(self, code: str, **params: object) -> None:
        self.problem = Problem("", code, params)
        super().__init__(render(self.problem))


def is_spreadsheet(path: Path | str, data: bytes) -> bool:
    """A file to read as a workbook: by its name, or by its first bytes (a zip or OLE file is
    never a CSV file, whatever it is called)."""
    return Path(path).suffix.lower() in SUFFIXES or data.startswith((ZIP_MAGIC, OLE_MAGIC))


@dataclass
class Sheet:
    """The sheet chosen, and its rows (all of them padded from row 1, as Excel numbers them)."""

    name: str
    rows: Iterable[list]


def sheet_names(data: bytes) -> list[str]:
    """The names of the workbook's worksheets, in order (WorkbookProblem when it cannot be read)."""
    return list(_open(data).sheet_names)


def open_sheet(data: bytes, name: str | None = None) -> Sheet:
    """The sheet called `name` (default: the first) of the workbook in `data`."""
    import python_calamine

    book = _open(data)
    names = list(book.sheet_names)
    if not names:
        raise WorkbookProblem("not_spreadsheet", reason=N_("it holds no sheet"))
    if name is None:
        name = names[0]
    elif name not in names:
        raise WorkbookProblem("no_such_sheet", sheet=name, sheets=", ".join(map(repr, names)))
    try:
        return Sheet(name, book.get_sheet_by_name(name).iter_rows())
    except python_calamine.CalamineError as error:
        raise WorkbookProblem("not_spreadsheet", reason=_why(error)) from None


def _open(data: bytes):  # -> python_calamine.CalamineWorkbook
    """The workbook, once it is known to be one that may be unpacked. The reader is loaded only
    here: a CSV import (and every other command) starts without it."""
    import python_calamine

    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise WorkbookProblem("workbook_encrypted")
    elif data.startswith(ZIP_MAGIC):
        _check_zip(data)
    else:
        raise WorkbookProblem("not_spreadsheet", reason=_what_it_is(data))
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise WorkbookProblem("workbook_encrypted") from None
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise WorkbookProblem("not_spreadsheet", reason=_why(error)) from None


def _check_zip(data: bytes) -> None:
    """Refuse a zip whose parts would unpack to more than MAX_UNPACKED_BYTES, or that is
    encrypted (an .ods saved with a password), before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise WorkbookProblem(
            "not_spreadsheet", reason=_("a broken zip file ({reason})").format(reason=error)
        ) from None
    with archive:
        parts = archive.infolist()
        if any(part.flag_bits & 0x1 for part in parts):
            raise WorkbookProblem("workbook_encrypted")
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            raise WorkbookProblem("workbook_too_large", limit=MAX_UNPACKED_BYTES)
        for part in parts:
            _check_part(data, part)
        manifest = "META-INF/manifest.xml"  # an .ods saved with a password says so here
        if manifest in archive.namelist() and b"encryption-data" in archive.read(manifest):
            raise WorkbookProblem("workbook_encrypted")


CHUNK = 1 << 20
OVERSIZED = N_("its part {part} unpacks to more than the zip file says (damaged, or a zip bomb)")
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
"""A zip part's local header: signature ... name length, extra length (30 bytes)."""


def _check_part(data: bytes, part: zipfile.ZipInfo) -> None:
    """Unpack one part, counting, to see that it holds no more than its stated size (a part
    whose directory entry understates it is how a zip bomb slips past a size check); the
    unpacking stops one byte past that size."""
    if part.compress_type == zipfile.ZIP_STORED:
        if part.compress_size != part.file_size:  # stored: what is there is what it unpacks to
            raise WorkbookProblem("not_spreadsheet", reason=_(OVERSIZED).format(part=part.filename))
        return
    if part.compress_type != zipfile.ZIP_DEFLATED:
        raise WorkbookProblem("not_spreadsheet", reason=N_("a zip file packed in an unknown way"))
    try:
        header = LOCAL_HEADER.unpack_from(data, part.header_offset)
    except struct.error:
        raise WorkbookProblem("not_spreadsheet", reason=N_("a broken zip file")) from None
    start = part.header_offset + LOCAL_HEADER.size + header[-2] + header[-1]
    packed = memoryview(data)[start : start + part.compress_size]
    unpack = zlib.decompressobj(-zlib.MAX_WBITS)
    unpacked = 0
    try:
        for offset in range(0, len(packed), CHUNK):
            piece = packed[offset : offset + CHUNK]
            while piece and not unpack.eof:
                unpacked += len(unpack.decompress(piece, CHUNK))
                piece = unpack.unconsumed_tail
                if unpacked > part.file_size:
                    raise WorkbookProblem(
                        "not_spreadsheet", reason=_(OVERSIZED).format(part=part.filename)
                    )
    except zlib.error as error:
        raise WorkbookProblem(
            "not_spreadsheet", reason=_("a broken zip file ({reason})").format(reason=error)
        ) from None


def _why(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _what_it_is(data: bytes) -> str:
    head = data[:512].lstrip()
    if not head:
        return N_("the file is empty")
    if head.startswith((b"{", b"[")):
        return N_("it looks like JSON")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return N_("it is neither a zip-based workbook nor text")
    return N_("it is text (a CSV file? name it .csv)")


def text_rows(rows: Iterable[list]) -> Iterator[CsvRow]:
    """Every non-blank row as text cells, numbered from 1 as Excel numbers rows."""
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() if type(cell) is str else cell_text(cell) for cell in row]
        if any(cells):
            while not cells[-1]:
                cells.pop()
            yield CsvRow(number, cells)


def cell_text(value: object) -> str:
    """A typed cell as the CSV parsers read it: dates ISO, numbers as written, yes/no."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def is_header(cells: list[str], kind: Kind, names: dict[str, Column]) -> bool:
    """A row naming every required column of the kind, or at least two of its columns."""
    named = {names[key].name for cell in cells if (key := normalise_header(cell)) in names}
    required = {column.name for column in kind.columns if column.required}
    return len(named) >= 2 or (bool(named) and required <= named)


def from_header(rows: Iterator[CsvRow], kind: Kind, names: dict[str, Column]) -> Iterator[CsvRow]:
    """The rows from the header on (title and blank rows above it skipped)."""
    for seen, row in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        if is_header(row.cells, kind, names):
            yield row
            yield from rows
            return
    required = ", ".join(c.name for c in kind.columns if c.required)
    raise WorkbookProblem("no_header", kind=kind.name, columns=required, rows=HEADER_SEARCH_ROWS)


def plan_workbook(
    kind: Kind, data: bytes, source: str, ds: Dataset, sync: bool = False, sheet: str | None = None
) -> Plan:
    """Plan importing a sheet of the workbook in `data` as `kind`; problems are placed as
    `file:sheet:row: column: message` (`file: message` for the workbook as a whole)."""
    try:
        chosen = open_sheet(data, sheet)
    except WorkbookProblem as error:
        plan = Plan(kind, source)
        plan.refuse(error.problem)
        return plan
    plan = Plan(kind, f"{source}:{chosen.name}")
    return plan_rows(plan, lambda names: from_header(text_rows(chosen.rows), kind, names), ds, sync)
