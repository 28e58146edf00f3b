"""Finding a record by code or name, as the pickers and the CSV import do (store.lookup)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.importing import import_file
from store.lookup import (
    SEARCH_LIMIT,
    AmbiguousReference,
    Choice,
    Lookup,
    UnknownReference,
    fold,
    lookup,
)
from store.models import Department, Role, Staff
from store.repository import FolderRepository


@pytest.fixture
def ds(repo: FolderRepository):
    with repo.transaction() as tx:
        tx.put(Department(code="60101", name="Jobcenter Højgaard"))
        tx.put(Department(code="60102", name="Ydelser", parent_code="60101"))
        tx.put(Role(code="SAG", name="Sagsbehandler"))
        tx.put(Role(code="LED", name="Leder"))
        tx.put(Role(code="LED2", name="leder"))
        tx.put(Staff(employee_no="E1", name="Åse Ørsted", department="60101"))
        tx.put(Staff(employee_no="E2", name="Bo Hansen", department="60102"))
        tx.put(Staff(employee_no="E3", name="Bo Hansen", department="60101", active=False))
    return repo.ds


def test_fold_drops_case_and_accents_and_reads_danish_letters() -> None:
    assert fold("Højgård") == fold("HOJGAARD") == fold("hojgard")
    assert fold("Åse") == fold("Aase") == fold("ase")
    assert fold("Ærø") == "aero"
    assert fold("Zoë") == "zoe"


def test_a_code_or_a_whole_name_resolves(ds) -> None:
    roles = lookup(ds, "role")
    assert roles.resolve("SAG") == "SAG"
    assert roles.resolve("sag") == "SAG"
    assert roles.resolve(" Sagsbehandler ") == "SAG"
    assert roles.resolve("SAGSBEHANDLER") == "SAG"
    assert lookup(ds, "department").resolve("jobcenter hojgaard") == "60101"
    assert lookup(ds, "employee").resolve("ase orsted") == "E1"


def test_a_name_several_records_share_is_refused_and_they_are_named(ds) -> None:
    with pytest.raises(AmbiguousReference) as found:
        lookup(ds, "employee").resolve("Bo Hansen")
    message = str(found.value)
    assert "E2" in message and "E3" in message and "give the code" in message
    with pytest.raises(AmbiguousReference):
        lookup(ds, "role").resolve("Leder")  # 'Leder' and 'leder' fold to the same name


def test_an_unknown_text_is_named_with_the_closest_records(ds) -> None:
    with pytest.raises(UnknownReference) as found:
        lookup(ds, "role").resolve("Sagsbehandlr")
    assert str(found.value).startswith("unknown role 'Sagsbehandlr'")
    assert "closest: SAG Sagsbehandler" in str(found.value)


def test_search_finds_by_code_name_words_accents_and_letters_in_order(ds) -> None:
    staff = lookup(ds, "staff")
    assert [c.key for c in staff.search("orsted")] == ["E1"]
    assert [c.key for c in lookup(ds, "department").search("hojgaard")] == ["60101"]
    assert [c.key for c in lookup(ds, "role").search("sgsbh")] == ["SAG"]  # fuzzy
    assert {c.key for c in staff.search("hansen")} == {"E2", "E3"}
    assert staff.search("zzz") == []
    people = staff.search("")
    assert [c.key for c in people] == ["E1", "E2", "E3"]
    assert "inactive" in people[2].detail  # told apart from the active Bo Hansen


def test_exact_and_prefix_matches_come_before_fuzzy_ones() -> None:
    choices = [Choice("K9", "Kaj Kristensen"), Choice("K1", "Karen"), Choice("KA", "Ka")]
    assert [c.key for c in Lookup("staff", choices).search("ka")] == ["KA", "K9", "K1"]


def test_search_shows_at_most_the_limit_at_scale() -> None:
    choices = [Choice(f"E{n:05}", f"Person {n} Højgaard") for n in range(50_000)]
    index = Lookup("staff", choices)
    found = index.search("hojgaard")
    assert len(found) == SEARCH_LIMIT
    assert [c.key for c in index.search("E49999")] == ["E49999"]


def test_the_csv_import_resolves_role_names_like_the_forms(ds, repo, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("employee_no,name,department_code,role\nE7,Ny,60101,sagsbehandler\n")
    plan = import_file(repo, "staff", path)
    assert plan.problems == []
    assert FolderRepository.open(repo.path).ds.staff["E7"].role == "SAG"
    path.write_text("employee_no,name,department_code,role\nE8,Ny,60101,Leder\n")
    plan = import_file(repo, "staff", path)
    assert len(plan.problems) == 1
    assert "role" in plan.problems[0] and "LED" in plan.problems[0]
    assert "give the code" in plan.problems[0]
