"""Importing .xlsx, .xlsm and .ods workbooks as HR systems write them, through the CSV import's
own checks; refusing files that are not one, encrypted, headless or too big to unpack."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from pathlib import Path

import pytest

from store.exporting import export_rows
from store.importing import KINDS, import_file, workbook
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, folder_hashes, populate
from tests.workbooks import Formula, Serial, Title, typed_export_rows, write_ods, write_xlsx

NOTES = [["Udtrukket af lønsystemet"], ["Fortroligt: personoplysninger"]]


@pytest.fixture
def db(repo: FolderRepository) -> FolderRepository:
    populate(repo)
    return repo


def test_a_staff_workbook_with_a_merged_title_danish_headers_and_numbers_as_numbers(
    db, tmp_path
) -> None:
    path = write_xlsx(
        tmp_path / "Medarbejdere.xlsx",
        {
            "Medarbejdere": [
                [Title("Medarbejdere pr. 1. november 2026", 6)],
                ["Udtrukket", dt.date(2026, 11, 1)],
                [],
                ["Medarbejdernr", "Navn", "Afdeling", "E-mail", "Stilling", "Aktiv"],
                [1001, "Åse Ørum ", "D1", "aase@kommune.dk", "Sagsbehandler", True],
                ["E2", "Bo Hansen", "D2", "", "", "ja"],
                [],
                [],
            ],
            "Noter": NOTES,
        },
    )
    plan = import_file(db, "staff", path)
    assert plan.problems == []
    assert plan.summary() == "staff: 1 added, 1 updated, 0 unchanged, 0 deactivated"
    staff = FolderRepository.open(db.path).ds.staff
    assert (staff["1001"].name, staff["1001"].role, staff["1001"].active) == (
        "Åse Ørum",
        "R1",
        True,
    )
    assert staff["E2"].department == "D2"


def test_another_sheet_by_name(db, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "roller.xlsx",
        {"Noter": NOTES, "Roller": [["Kode", "Navn"], ["R7", "Pædagog"]]},
    )
    plan = import_file(db, "roles", path, sheet="Roller")
    assert plan.summary() == "roles: 1 added, 0 updated, 0 unchanged"
    assert FolderRepository.open(db.path).ds.roles["R7"].name == "Pædagog"


def test_dates_as_serials_or_text_numbers_as_text_and_formulas_as_their_values(
    db, tmp_path
) -> None:
    path = write_xlsx(
        tmp_path / "vurderinger.xlsm",
        {
            "Vurderinger": [
                ["Medarbejdernr", "Kompetence", "Niveau", "Dato", "Kilde", "Gyldig til"],
                [EMPLOYEE_NO, "DC1.2", 2, Serial(46082), "leder", "01.03.2027"],
                [EMPLOYEE_NO, "DC1.3", "3", "15-03-2026", "selv", dt.date(2027, 3, 15)],
                ["E2", "DC1.2", Formula("=1+3", 4), dt.datetime(2026, 3, 1, 14, 30), "selv", ""],
            ]
        },
    )
    plan = import_file(db, "assessments", path)
    assert plan.problems == []
    assert plan.summary() == "assessments: 3 added, 0 updated, 0 unchanged"
    rows = {(a.staff, a.competency): a for a in FolderRepository.open(db.path).ds.assessments}
    first = rows[(EMPLOYEE_NO, "DC1.2")]
    assert (first.date, first.source, first.valid_until) == (
        dt.date(2026, 3, 1),
        "manager",
        dt.date(2027, 3, 1),
    )
    assert rows[(EMPLOYEE_NO, "DC1.3")].level == 3
    assert rows[(EMPLOYEE_NO, "DC1.3")].valid_until == dt.date(2027, 3, 15)
    assert (rows[("E2", "DC1.2")].level, rows[("E2", "DC1.2")].date) == (4, dt.date(2026, 3, 1))


def test_hours_as_numbers_or_text_with_a_decimal_comma(db, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "gevinster.xlsx",
        {
            "Ark1": [
                ["robot", "måned", "timer_sparet", "kørsler"],
                ["ROB1", "2026-02", 7.25, 30],
                ["ROB1", "03-2026", "1.234,5", "40"],
            ]
        },
    )
    plan = import_file(db, "robot-benefits", path)
    assert plan.problems == []
    benefits = FolderRepository.open(db.path).ds.robot_benefits.values()
    hours = {b.month: b.hours_saved for b in benefits}
    assert (hours["2026-02"], hours["2026-03"]) == (7.25, 1234.5)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_reads_from_a_workbook_as_from_its_csv(db, tmp_path, kind: str) -> None:
    """The export of each kind, typed as a spreadsheet holds it, under a title and beside a
    second sheet, imports as the CSV does: every row matched, nothing changed."""
    rows = typed_export_rows(KINDS[kind], list(export_rows(KINDS[kind], db.ds)))
    path = write_xlsx(
        tmp_path / f"{kind}.xlsx",
        {kind[:31]: [[Title(f"{kind} fra HR", len(rows[0]))], [], *rows], "Noter": NOTES},
    )
    before = folder_hashes(db.path)
    plan = import_file(db, kind, path)
    assert plan.problems == []
    assert (plan.added, plan.updated, plan.unchanged) == ([], [], len(rows) - 1)
    assert folder_hashes(db.path) == before


def test_an_ods_sheet_imports_like_a_workbook(db, tmp_path) -> None:
    path = write_ods(
        tmp_path / "krav.ods",
        {
            "Krav": [
                ["Kravliste 2027"],
                [],
                ["Afdeling", "Kompetence", "Niveau", "Prioritet", "Frist"],
                ["D1", "DC1.3", 3, "skal", dt.date(2027, 6, 30)],
            ]
        },
    )
    plan = import_file(db, "requirements", path)
    assert plan.problems == []
    assert plan.summary() == "requirements: 1 added, 0 updated, 0 unchanged"
    found = [
        r
        for r in FolderRepository.open(db.path).ds.requirements.values()
        if r.competency == "DC1.3"
    ]
    assert [(r.level, r.priority, r.due) for r in found] == [(3, "must", dt.date(2027, 6, 30))]


def test_problems_name_the_file_the_sheet_the_row_and_the_column(db, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "vurderinger.xlsx",
        {
            "Ark1": [
                [Title("Vurderinger", 4)],
                [],
                ["medarbejdernr", "kompetence", "niveau", "dato"],
                [EMPLOYEE_NO, "DC1.1", "tre", dt.date(2026, 3, 1)],
                ["NOPE", "DC1.1", 2, "31.02.2026"],
            ]
        },
    )
    before = folder_hashes(db.path)
    plan = import_file(db, "assessments", path)
    assert plan.problems == [
        f"{path}:Ark1:4: level: 'tre' is not a whole number",
        f"{path}:Ark1:5: employee_no: unknown employee 'NOPE'",
        f"{path}:Ark1:5: date: '31.02.2026' is not a real date",
    ]
    assert folder_hashes(db.path) == before


def _encrypted(tmp_path: Path) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp_path / "plain.xlsx", {"Ark1": [["kode", "navn"], ["R9", "X"]]})
    out = io.BytesIO()
    with open(plain, "rb") as handle:
        OOXMLFile(handle).encrypt("hemmelig", out)
    return out.getvalue()


def _headless(tmp_path: Path) -> bytes:
    return write_xlsx(
        tmp_path / "h.xlsx", {"Ark1": [*NOTES, ["Nr", "Fornavn"], ["1", "Bo"]]}
    ).read_bytes()


def _two_sheets(tmp_path: Path) -> bytes:
    return write_xlsx(tmp_path / "t.xlsx", {"Ark1": NOTES, "Noter": NOTES}).read_bytes()


BAD_WORKBOOKS = [
    (
        "roles.xlsx",
        lambda _: b"kode;navn\nR9;X\n",
        {},
        "{path}: not a spreadsheet (.xlsx, .xlsm or .ods): it is text (a CSV file? name it .csv)",
    ),
    (
        "roles.ods",
        lambda _: b"",
        {},
        "{path}: not a spreadsheet (.xlsx, .xlsm or .ods): the file is empty",
    ),
    (
        "roles.xlsx",
        _encrypted,
        {},
        "{path}: the workbook is encrypted (saved with a password): save a copy without one "
        "and import that",
    ),
    (
        "roles.xlsx",
        _headless,
        {},
        "{path}:Ark1: no header row naming the roles columns (code, name) in the first 50 rows",
    ),
    (
        "roles.xlsx",
        _two_sheets,
        {"sheet": "Løn"},
        "{path}: no sheet 'Løn': the sheets are 'Ark1', 'Noter'",
    ),
    (
        "roles.csv",
        lambda _: b"kode;navn\nR9;X\n",
        {"sheet": "Ark1"},
        "{path}: --sheet is for a spreadsheet (.xlsx, .xlsm or .ods), not this file",
    ),
]


@pytest.mark.parametrize(("name", "make", "options", "expected"), BAD_WORKBOOKS)
def test_a_bad_workbook_is_refused_in_one_line_and_nothing_is_written(
    db, tmp_path, name, make, options, expected
) -> None:
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    before = folder_hashes(db.path)
    plan = import_file(db, "roles", path, **options)
    assert plan.problems == [expected.format(path=path)]
    assert folder_hashes(db.path) == before


def test_a_workbook_unpacking_past_the_limit_is_refused_unopened(db, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1_000_000)
    rows = [["kode", "navn"]] + [[f"R{i}", "x" * 40] for i in range(30_000)]
    path = write_xlsx(tmp_path / "roles.xlsx", {"Ark1": rows})
    before = folder_hashes(db.path)
    plan = import_file(db, "roles", path)
    assert plan.problems == [
        f"{path}: the workbook would unpack to more than the limit of 1,000,000 bytes"
    ]
    assert folder_hashes(db.path) == before


@pytest.mark.parametrize("packing", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_part_holding_more_than_its_zip_entry_says_is_refused(db, tmp_path, packing) -> None:
    """A zip bomb's trick: the directory understates a part's size. It is unpacked only one
    byte past what it claims."""
    path = write_xlsx(tmp_path / "roles.xlsx", {"Ark1": [["kode", "navn"], ["R9", "X" * 5000]]})
    with zipfile.ZipFile(path) as made:
        parts = {name: made.read(name) for name in made.namelist()}
    with zipfile.ZipFile(path, "w", packing) as repacked:
        for name, content in parts.items():
            repacked.writestr(name, content)
    data = bytearray(path.read_bytes())
    sheet = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<L", data, sheet.header_offset + 22, 100)  # the local header's size
    central = data.index(b"PK\x01\x02")  # the zip's directory: find the sheet's entry
    while data[central + 46 : central + 46 + len(sheet.filename)] != sheet.filename.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<L", data, central + 24, 100)  # and the directory's
    path.write_bytes(bytes(data))
    plan = import_file(db, "roles", path)
    assert plan.problems == [
        f"{path}: not a spreadsheet (.xlsx, .xlsm or .ods): its part xl/worksheets/sheet1.xml "
        "unpacks to more than the zip file says (damaged, or a zip bomb)"
    ]


def test_a_cut_or_damaged_workbook_is_refused_never_a_traceback(db, tmp_path) -> None:
    rows = [["kode", "navn"], *([f"R{i}", f"Rolle {i}"] for i in range(200))]
    good = write_xlsx(tmp_path / "good.xlsx", {"Ark1": rows}).read_bytes()
    path = tmp_path / "roles.xlsx"
    before = folder_hashes(db.path)
    for n in range(1, 40):
        at = len(good) * n // 40
        damaged = bytearray(good)
        damaged[at : at + 8] = b"\xff" * 8
        for data in (good[:at], bytes(damaged)):
            path.write_bytes(data)
            plan = import_file(db, "roles", path, dry_run=True)
            assert len(plan.problems) <= 1 or all(":Ark1:" in p for p in plan.problems)
            if plan.problems and ":Ark1:" not in plan.problems[0]:
                assert plan.problems[0].startswith(f"{path}: not a spreadsheet")
    assert folder_hashes(db.path) == before
