"""Reading a CSV file as it comes out of an HR system or Danish Excel.

UTF-8 with or without BOM, else Windows-1252; comma, semicolon or tab, whichever makes the header
read best; quoted cells may hold delimiters and line breaks; blank lines are skipped. Every row
keeps the line number it starts on, for `file:line: column: message`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import methodcaller

from i18n import N_
from store.importing.cells import ESCAPE, unescape_cell
from store.problems import Problem, render

DELIMITERS = (",", ";", "\t")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BOM = b"\xef\xbb\xbf"


class FileProblem(ValueError):
    """The file as a whole cannot be read (not text, empty, no header)."""

    def __init__(self, line: int, code: str, **params: object) -> None:
        self.problem = Problem("", code, params)
        super().__init__(render(self.problem))
        self.line = line
        self.column = "file"


@dataclass(frozen=True)
class CsvRow:
    line: int
    cells: list[str]


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252; binary refused."""
    if not data.strip():
        raise FileProblem(1, "file_empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16, tabs
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise FileProblem(1, "not_text", why=N_("broken UTF-16")) from None
    if b"\x00" in data:
        raise FileProblem(1, "not_text", why=N_("it holds binary data"))
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem(1, "not_text", why=N_("neither UTF-8 nor Windows-1252")) from None
    if CONTROL.search(text):
        raise FileProblem(1, "not_text", why=N_("it holds control characters"))
    return text


_ESCAPED = methodcaller("startswith", ESCAPE)


def csv_row(line: int, cells: list[str]) -> CsvRow | None:
    """The row starting on `line`, its cells as read: trimmed, unescaped; None when blank."""
    cells = list(map(str.strip, cells))  # no Python loop per cell
    if not any(cells):
        return None
    if any(map(_ESCAPED, cells)):
        cells = [unescape_cell(cell) for cell in cells]
    return CsvRow(line, cells)


def _rows(text: str, delimiter: str, lines: Iterator[str] | None = None) -> Iterator[CsvRow]:
    lines = io.StringIO(text, newline="") if lines is None else lines
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    start = 1
    for cells in reader:
        row = csv_row(start, cells)
        if row is not None:
            yield row
        start = reader.line_num + 1


def first_row(text: str, delimiter: str) -> CsvRow | None:
    try:
        return next(_rows(text, delimiter, _lines(text)), None)
    except csv.Error:
        return None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` as `io.StringIO(text, newline="")` gives them, found only as far as
    they are read (the first row of an 80 MB file without copying the file)."""
    return (found.group() for found in _LINE.finditer(text))


def choose_delimiter(text: str, score: Callable[[list[str]], int]) -> str:
    """The delimiter whose header row `score`s best (known column names); comma on a tie."""
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        header = first_row(text, delimiter)
        points = score(header.cells) if header else -1
        if points > best_score:
            best, best_score = delimiter, points
    return best


def read_rows(text: str, delimiter: str) -> Iterator[CsvRow]:
    """Every non-blank row, header first; a broken quote becomes a FileProblem."""
    rows = _rows(text, delimiter)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileProblem(0, "not_csv", reason=str(error)) from None
        yield row
