"""A department scope and read-only, in the store (`open_store(department=..., read_only=...)`):
on both backends, a scoped repository holds nothing outside the department's subtree, by any
route a program reads through, refuses changes outside it, and a read-only one refuses every
save and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reports import ReportInputError, build_report, render
from store import open_store
from store.auditlog import raw_entries
from store.errors import NotFoundError, ReadOnlyError
from store.exporting import export_csv
from store.importing import KINDS
from store.lookup import ReferenceProblem, lookup
from store.models import Assessment, Competency, Source, Staff
from store.person import person_data
from store.scope import ScopeError
from tests.tui.conftest import AS_OF, small_records

OUTSIDE = ("E4", "Dorte Dahl")
"""In MRK, a sibling of SOC: outside SOC's subtree (SOC, ÆLD)."""


@pytest.fixture
def target(store_target):
    """The small municipality (tests/tui/conftest.py) on each backend."""
    repo = open_store(store_target, user="setup")
    register, assessments = small_records()
    with repo.transaction() as tx:
        for record in register:
            tx.put(record)
        for assessment in assessments:
            tx.record(assessment)
    repo.storage.close()
    return store_target


def test_a_scope_holds_only_its_subtree_with_the_same_figures(target) -> None:
    whole = open_store(target)
    scoped = open_store(target, department="SOC")
    ds = scoped.ds
    assert set(ds.departments) == {"SOC", "ÆLD"}
    assert ds.departments["SOC"].parent_code is None  # ROOT is outside
    assert set(ds.staff) == {"E1", "E2", "E3"}
    assert {row.staff for row in ds.assessments} == {"E1", "E2", "E3"}
    assert {plan.staff for plan in ds.training_plans.values()} == {"E2"}
    assert set(ds.robots) == {"R1"}
    # The department's figures are the ones the whole organisation shows for it: the
    # requirement set on ROOT (above the scope) still applies to its people.
    for kind in ("gaps", "heatmap", "training", "robots"):
        mine = render(build_report(kind, ds, AS_OF, department="SOC"), "json")
        theirs = render(build_report(kind, whole.ds, AS_OF, department="SOC"), "json")
        assert json.loads(mine) == json.loads(theirs), kind
    everyone = render(build_report("gaps", ds, AS_OF), "text")
    assert OUTSIDE[1] not in everyone and "MRK" not in everyone


def test_no_route_reaches_a_person_outside_the_scope(target) -> None:
    scoped = open_store(target, department="SOC")
    number, name = OUTSIDE
    with pytest.raises(NotFoundError):
        person_data(scoped, number)
    for table in ("staff", "departments"):
        for text in (number, name, "MRK"):
            with pytest.raises(ReferenceProblem):
                lookup(scoped.ds, table).resolve(text)
    with pytest.raises(ReportInputError):
        build_report("person", scoped.ds, AS_OF, employee=number)
    with pytest.raises(ReportInputError):
        build_report("gaps", scoped.ds, AS_OF, department="MRK")
    for kind in KINDS:
        exported = export_csv(kind, scoped.ds)
        assert number not in exported.split(",") and name not in exported, kind
        assert "MRK" not in exported and "ROOT" not in exported, kind
    audit = json.dumps(raw_entries(scoped), ensure_ascii=False)
    assert name not in audit and '"E4' not in audit and "MRK" not in audit
    assert '"E1"' in audit  # the scope's own people's changes are there
    assert all(e.key != number for e in scoped.audit_entries())


def test_a_change_outside_the_scope_is_refused_and_one_inside_saved(target) -> None:
    scoped = open_store(target, department="SOC", user="lead")
    on = dt.date(2026, 6, 1)
    outside = Assessment(staff="E4", competency="DC1.1", level=4, date=on, source=Source.MANAGER)
    with pytest.raises(ScopeError) as refused:
        scoped.record(outside)
    assert "only SOC and the departments below it" in str(refused.value)
    assert refused.value.problem.code == "outside_scope"
    person = scoped.ds.staff["E1"]
    with pytest.raises(ScopeError):  # moving someone out of the scope
        scoped.put(person.model_copy(update={"department": "MRK"}), expected=person)
    with pytest.raises(ScopeError):  # the competency catalogue is the whole organisation's
        scoped.put(Competency(code="NEW", framework="DIGCOMP", name="New"))
    with pytest.raises(ScopeError):  # nor can someone be added outside it
        scoped.create(Staff(employee_no="E9", name="Ny", department="MRK"))
    inside = Assessment(staff="E1", competency="DC1.1", level=4, date=on, source=Source.MANAGER)
    scoped.record(inside)
    whole = open_store(target)
    assert [r.level for r in whole.ds.assessments if r.staff == "E1" and r.date == on] == [4]
    assert not any(r.staff == "E4" and r.date == on for r in whole.ds.assessments)
    assert "E9" not in whole.ds.staff and "NEW" not in whole.ds.competencies
    assert whole.ds.staff["E1"].department == "SOC"
    with pytest.raises(ScopeError), scoped.erasure():  # it reaches the whole database
        pass


def test_an_unknown_department_is_refused_in_one_line(target) -> None:
    with pytest.raises(ScopeError) as refused:
        open_store(target, department="NOPE")
    assert str(refused.value) == "no department with code 'NOPE' here to limit the view to"


def test_read_only_refuses_every_save_and_writes_nothing(target) -> None:
    from tests.iohelpers import folder_hashes

    before = folder_hashes(Path(target)) if isinstance(target, Path) else None
    repo = open_store(target, read_only=True)
    assert repo.read_only and len(repo.ds.staff) == 5
    on = dt.date(2026, 6, 1)
    attempts = [
        lambda: repo.record(Assessment(staff="E1", competency="DC1.1", level=4, date=on)),
        lambda: repo.put(repo.ds.staff["E1"].model_copy(update={"name": "Changed"})),
        lambda: repo.delete("roles", "MGR"),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyError) as refused:
            attempt()
        assert refused.value.problem.code == "opened_read_only"
        assert str(refused.value).endswith("is opened read-only: nothing was saved")
    with pytest.raises(ReadOnlyError), repo.erasure():
        pass
    if before is not None:
        assert folder_hashes(Path(target)) == before
    whole = open_store(target)
    assert whole.ds.staff["E1"].name == "Åse Ørsted"
    assert not any(r.date == on for r in whole.ds.assessments)
