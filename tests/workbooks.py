"""Workbooks shaped as HR systems write them, made in the tests: .xlsx with xlsxwriter (the writer
Kapabel uses), .ods by hand (a zip of XML parts, as LibreOffice writes it)."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import xlsxwriter

from store.importing.cells import parse_date, parse_int, parse_number, unescape_cell


@dataclass(frozen=True)
class Title:
    """A title merged across `width` cells (as an HR system puts above its header)."""

    text: str
    width: int = 4


@dataclass(frozen=True)
class Serial:
    """A date as Excel stores it: the day's serial number, formatted as a date."""

    number: int


@dataclass(frozen=True)
class Formula:
    """A formula and the value Excel cached for it."""

    formula: str
    value: Any


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Each sheet's rows, every value typed: dates as Excel dates, numbers as numbers, text as
    text (never a formula), a bold header-like format here and there."""
    book = xlsxwriter.Workbook(str(path))
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, Title):
                    sheet.merge_range(r, c, r, c + value.width - 1, value.text, bold)
                elif isinstance(value, Serial):
                    sheet.write_number(r, c, value.number, date)
                elif isinstance(value, Formula):
                    sheet.write_formula(r, c, value.formula, None, value.value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
        sheet.write_blank(len(rows) + 20, 0, None, bold)  # formatting below the data
    book.close()
    return path


def typed_export_rows(kind, header_and_rows: list[list[str]]) -> list[list[Any]]:
    """An export's text rows with the cells an HR spreadsheet would hold: dates as Excel dates,
    whole numbers as numbers, other numbers as text with a decimal comma."""
    header, *rows = header_and_rows
    parsers = [kind.column_by_field[_field(kind, name)].parse for name in header]
    typed = []
    for row in rows:
        cells: list[Any] = []
        for parse, cell in zip(parsers, row, strict=True):
            if cell and parse is parse_date:
                cells.append(parse_date(cell))
            elif cell and parse is parse_int:
                cells.append(parse_int(cell))
            elif cell and parse is parse_number:
                cells.append(cell.replace(".", ","))
            else:
                cells.append(unescape_cell(cell))  # a cell holds the value, not CSV's escape
        typed.append(cells)
    return [header, *typed]


def _field(kind, column_name: str) -> str:
    return next(c.field for c in kind.columns if c.name == column_name)


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """An OpenDocument spreadsheet: text, floats and dates typed as LibreOffice types them."""
    tables = []
    for name, rows in sheets.items():
        xml_rows = []
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, dt.date):
                    iso = value.isoformat()
                    cells.append(
                        f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
                        f"<text:p>{value:%d-%m-%Y}</text:p></table:table-cell>"
                    )
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    cells.append(
                        f'<table:table-cell office:value-type="float" office:value="{value}">'
                        f"<text:p>{value}</text:p></table:table-cell>"
                    )
                elif value in (None, ""):
                    cells.append("<table:table-cell/>")
                else:
                    cells.append(
                        '<table:table-cell office:value-type="string">'
                        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                    )
            xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        tables.append(
            f"<table:table table:name={quoteattr(name)}>{''.join(xml_rows)}</table:table>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
