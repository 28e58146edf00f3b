"""Importing the strategy (themes, stakeholders, milestones, governance) from the CSV files a
municipality writes in Danish Excel; a bad file is refused whole, naming each row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.importing import import_file
from store.repository import FolderRepository
from tests.iohelpers import folder_hashes, populate


@pytest.fixture
def db(repo: FolderRepository) -> FolderRepository:
    populate(repo)  # themes T1 (rank 1) and T2 (rank 2), two milestones of T1, two domains
    return repo


def imported(db: FolderRepository, tmp_path: Path, kind: str, text: str):
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    plan = import_file(db, kind, path)
    return plan, [line.removeprefix(f"{path}:") for line in plan.problems]


def refused(db: FolderRepository, tmp_path: Path, kind: str, text: str) -> list[str]:
    before = folder_hashes(db.path)
    _, problems = imported(db, tmp_path, kind, text)
    assert folder_hashes(db.path) == before  # nothing written
    return problems


def stored(db: FolderRepository):
    return FolderRepository.open(db.path).ds


def test_themes_with_danish_headers_and_dates_swap_their_ranks(db, tmp_path) -> None:
    plan, problems = imported(db, tmp_path, "themes", (
        "Kode;Prioritet;Titel;Slutmål;Måldato;Ejer\n"
        "T2;1;Robotter i drift;Tyve robotter;31.12.2028;IT-chefen\n"
        "T1;2;Digitale kompetencer, alle;Alle kan;2027-12-31;Direktionen\n"
        "T3;3;Data;;;\n"
    ))  # fmt: skip
    assert problems == []
    assert plan.summary() == "themes: 1 added, 2 updated, 0 unchanged"
    themes = stored(db).themes
    assert [(t.code, t.rank) for t in sorted(themes.values(), key=lambda t: t.rank)] == [
        ("T2", 1), ("T1", 2), ("T3", 3),
    ]  # fmt: skip
    assert themes["T2"].target_date == dt.date(2028, 12, 31)
    assert themes["T2"].owner == "IT-chefen"
    assert [s.name for s in themes["T1"].stakeholders] == ["MED-udvalget", "Borgerne; pårørende"]


def test_themes_sharing_a_rank_are_refused_naming_the_row(db, tmp_path) -> None:
    assert refused(
        db, tmp_path, "themes", ("kode;prioritet;titel\nT4;1;Ny\nT5;9;A\nT6;9;B\nT7;x;C\n")
    ) == [  # fmt: skip
        "2: rank: rank 1 is also the rank of T1 (Digitale kompetencer, alle): ranks are unique",
        "4: rank: rank 9 is also the rank of T5 (A): ranks are unique",
        "5: rank: 'x' is not a whole number",
    ]


def test_stakeholders_are_matched_on_theme_and_name(db, tmp_path) -> None:
    plan, problems = imported(db, tmp_path, "stakeholders", (
        "Tema;Navn;Rolle;Interesse;Indflydelse\n"
        "T1;MED-udvalget;høres;høj;høj\n"
        "T2;Borgerne;brugere;lav;middel\n"
    ))  # fmt: skip
    assert problems == []
    assert plan.summary() == "stakeholders: 1 added, 1 updated, 0 unchanged"
    themes = stored(db).themes
    med = themes["T1"].stakeholders[0]
    assert (med.name, med.role, med.interest, med.influence) == (
        "MED-udvalget",
        "høres",
        "high",
        "high",
    )
    assert len(themes["T1"].stakeholders) == 2  # the other one is kept
    assert [(s.name, s.interest) for s in themes["T2"].stakeholders] == [("Borgerne", "low")]


def test_bad_stakeholders_are_refused_naming_the_row(db, tmp_path) -> None:
    assert refused(
        db, tmp_path, "stakeholders", ("tema,navn,interesse\nT9,X,\nT1,Y,meget\nT1,,høj\n")
    ) == [  # fmt: skip
        "2: theme: unknown theme 'T9'",
        "3: interest: 'meget' is not one of low, medium, high",
        "4: name: required, but empty",
    ]


def test_milestones_are_matched_on_theme_and_title(db, tmp_path) -> None:
    pilot = next(m for m in db.ds.milestones.values() if m.title == "Pilot, fase 1")
    plan, problems = imported(db, tmp_path, "milestones", (
        "Tema;Titel;Frist;Ejer;Status\n"
        "T1;Pilot, fase 1;31.03.2027;HR;nået\n"
        "T2;Første robot;01.06.2027;;planlagt\n"
    ))  # fmt: skip
    assert problems == []
    assert plan.summary() == "milestones: 1 added, 1 updated, 0 unchanged"
    milestones = stored(db).milestones
    assert (milestones[pilot.id].status, milestones[pilot.id].owner) == ("done", "HR")
    new = next(m for m in milestones.values() if m.theme == "T2")
    assert new.id.startswith("MS-") and new.due == dt.date(2027, 6, 1)


def test_bad_milestones_are_refused_naming_the_row(db, tmp_path) -> None:
    assert refused(
        db,
        tmp_path,
        "milestones",
        (
            "Tema;Titel;Frist;Ejer;Status\n"
            "T9;A;31.03.2027;;\n"
            "T1;B;;;\n"
            "T1;C;32.01.2027;;\n"
            "T1;D;2027-01-01;;sover\n"
            "T1;D;2027-02-01;;\n"
        ),
    ) == [  # fmt: skip
        "2: theme: unknown theme 'T9'",
        "3: due: required, but empty",
        "4: due: '32.01.2027' is not a real date",
        "5: status: 'sover' is not one of planned, in_progress, done, cancelled",
        "6: theme/title: duplicate key 'T1|D' (first on line 5)",
    ]


def test_governance_in_danish_words_with_lists_in_a_cell(db, tmp_path) -> None:
    plan, problems = imported(db, tmp_path, "governance", (
        "Domæne;Input;Beslutning;Personer\n"
        'IT-arkitektur;IT-monarki, føderalt;IT-duopol;"IT-chefen; Direktionen"\n'
        "IT investment;anarki;;\n"
    ))  # fmt: skip
    assert problems == []
    assert plan.summary() == "governance: 1 added, 1 updated, 0 unchanged"
    governance = stored(db).governance
    architecture = governance["it_architecture"]
    assert architecture.input_rights == ["it_monarchy", "federal"]
    assert architecture.decision_rights == "it_duopoly"
    assert architecture.people == ["IT-chefen", "Direktionen"]
    investment = governance["it_investment"]  # an empty cell keeps who decides
    assert (investment.input_rights, investment.decision_rights) == (
        ["anarchy"],
        "business_monarchy",
    )
    assert investment.people == []  # an empty cell is the default: no one named


def test_bad_governance_rows_are_refused_naming_the_row(db, tmp_path) -> None:
    assert refused(
        db,
        tmp_path,
        "governance",
        (
            "Domæne;Input;Beslutning;Personer\n"
            "IT-infrastruktur;;;\n"
            "IT principles;kaos;IT monarchy;\n"
            "it_stuff;;anarchy;\n"
        ),
    ) == [  # fmt: skip
        "2: decision_rights: required, but missing",
        "3: input_rights: 'kaos' is not one of business_monarchy, it_monarchy, feudal, federal, "
        "it_duopoly, anarchy",
        "4: domain: 'it_stuff' is not one of it_principles, it_architecture, it_infrastructure, "
        "business_application_needs, it_investment",
    ]
