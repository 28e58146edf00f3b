"""The storage contract's shared pieces: a Version is never changed by the change after it."""

from __future__ import annotations

import datetime as dt

import pytest

from store.dataset import Dataset, HistoryView, published, row_from_model
from store.models import Assessment, Department, Robot, RobotBenefit, Staff
from store.storage import Change, apply_change


def base() -> Dataset:
    ds = Dataset()
    ds.departments = {"D1": Department(code="D1", name="Borgerservice")}
    ds.assessments = [
        row_from_model(
            Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 5)), 0
        )
    ]
    return ds


def test_a_change_makes_a_new_dataset_and_leaves_the_old_one_as_it_was() -> None:
    old = base()
    new_row = row_from_model(
        Assessment(staff="E1", competency="DC1.1", level=3, date=dt.date(2026, 2, 5)), 1
    )
    change = Change(
        upserts={"departments": {"D2": Department(code="D2", name="Teknik")}},
        deletes={"departments": frozenset({"D1"})},
        appends={"assessments": [new_row.to_model().model_dump(mode="json")]},
    )

    new = apply_change(old, change, [new_row])

    assert sorted(new.departments) == ["D2"] and sorted(old.departments) == ["D1"]
    assert [r.level for r in new.assessments] == [2, 3]
    assert [r.level for r in old.assessments] == [2]
    assert new.roles is old.roles  # untouched tables are shared, not copied


def test_a_benefit_replaces_its_months_record_in_the_new_version_only() -> None:
    old = base()
    old.robots = {"R1": Robot(code="R1", name="Bot", department="D1")}
    first = RobotBenefit(robot="R1", month="2026-01", hours_saved=5)
    old.robot_benefits = {first.key(): first}
    again = RobotBenefit(robot="R1", month="2026-01", hours_saved=8)

    new = apply_change(old, Change(appends={"robot_benefits": [again.model_dump(mode="json")]}))

    assert new.robot_benefits[first.key()].hours_saved == 8
    assert old.robot_benefits[first.key()].hours_saved == 5


def test_an_empty_change_is_empty_and_changes_nothing() -> None:
    old = base()
    assert Change().is_empty()
    assert apply_change(old, Change()) is old
    assert not Change(counters={"TP": 3}).is_empty()


def rows(*levels: int) -> list:
    return [
        row_from_model(
            Assessment(staff="E1", competency="DC1.1", level=level, date=dt.date(2026, 1, 5)), i
        )
        for i, level in enumerate(levels)
    ]


def test_versions_share_the_history_yet_each_sees_only_its_own_rows() -> None:
    a, b, c, d, e = rows(1, 2, 3, 4, 5)
    first = HistoryView([a])
    saving = first.appender()
    saving.append(b)
    second = saving.frozen()
    published(second)
    assert list(first) == [a] and list(second) == [a, b]

    failed = second.appender()  # a save that never committed...
    failed.append(c)
    saving = second.appender()  # ...leaves nothing for the next one to see
    saving.append(d)
    third = saving.frozen()
    published(third)
    assert list(third) == [a, b, d] and list(second) == [a, b]

    older = first.extended([e])  # an older version extended never cuts a newer one
    assert list(older) == [a, e] and list(third) == [a, b, d]


def test_a_history_view_reads_like_the_list_it_replaces() -> None:
    a, b, c = rows(1, 2, 3)
    view = HistoryView([a, b, c]).appender()
    view.append(rows(4)[0])
    shorter = HistoryView([a, b, c])
    assert len(shorter) == 3 and shorter[-1] == c and shorter[1:] == [b, c]
    assert shorter[::2] == [a, c] and shorter == [a, b, c] and shorter != [a, b]
    with pytest.raises(IndexError):
        shorter[3]


def test_a_failed_save_leaves_the_history_as_it_was(repo) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    repo.put(Staff(employee_no="E1", name="Bo", department="D1"))
    repo.record(Assessment(staff="E1", competency="DC1.1", level=1, date=dt.date(2026, 1, 5)))
    with pytest.raises(RuntimeError), repo.transaction() as tx:
        tx.record(Assessment(staff="E1", competency="DC1.1", level=2, date=dt.date(2026, 1, 6)))
        raise RuntimeError("the user's code failed")
    repo.record(Assessment(staff="E1", competency="DC1.1", level=3, date=dt.date(2026, 1, 7)))
    assert [r.level for r in repo.ds.assessments] == [1, 3]
    assert [r.seq for r in repo.ds.assessments] == [0, 1]
