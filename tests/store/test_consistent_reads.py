"""Readers work on an immutable version: saves made meanwhile never change what they read.

The app analyses in worker threads while the user saves on the UI thread; before versions, a
save changed the one dataset the analysis iterated over (figures from two states, or "dictionary
changed size during iteration").
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import orjson

from reports.analysis import analyse
from store.models import Assessment, Department, Staff
from store.repository import FolderRepository

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 1)
SAVES = 12


def figures(ds) -> tuple:
    """What an analysis of `ds` says: the whole organisation's figures, and the history size."""
    analysis = analyse(ds, AS_OF)
    return len(ds.assessments), analysis.department_figures(None), len(analysis.gap_rows(None))


def test_analyses_in_threads_each_see_one_version_while_assessments_are_recorded(
    demo_repo: FolderRepository,
) -> None:
    repo = demo_repo
    people = [s for s in repo.ds.staff.values() if s.active][:SAVES]
    first = repo.ds
    first_count = len(first.assessments)
    seen: list[tuple[object, tuple]] = []
    errors: list[BaseException] = []
    done = threading.Event()
    progress = threading.Condition()

    def reader() -> None:
        try:
            while not done.is_set():
                ds = repo.ds  # as a screen's worker takes it
                result = figures(ds)
                with progress:
                    seen.append((ds, result))
                    progress.notify_all()
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        for i, person in enumerate(people):
            level = 1 + i % 6
            repo.record(
                Assessment(staff=person.employee_no, competency="DC1.1", level=level, date=AS_OF)
            )
            # Before the next save, at least one analysis of this version: each reader may
            # still finish one it began before the save, so three more results hold a new one.
            with progress:
                wanted = len(seen) + 3
                progress.wait_for(lambda n=wanted: len(seen) >= n or errors, timeout=120)
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert len(first.assessments) == first_count  # the version read first never changed
    versions = {id(ds): ds for ds, _ in seen}
    assert len(versions) >= SAVES  # the readers really read while the history grew
    for ds, result in seen:
        assert first_count <= result[0] <= first_count + SAVES
        assert figures(ds) == result  # the data it analysed is still exactly that version


def test_a_transaction_sees_its_own_changes_and_others_see_them_only_once_committed(
    repo: FolderRepository,
) -> None:
    before = repo.ds
    other_thread_saw: list[bool] = []
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="Borgerservice"))
        tx.put(Staff(employee_no="E1", name="Bo", department="D1"))
        assert "E1" in repo.ds.staff  # the transaction's own thread sees its changes
        looker = threading.Thread(target=lambda: other_thread_saw.append("E1" in repo.ds.staff))
        looker.start()
        looker.join()
    assert other_thread_saw == [False]
    assert "E1" in repo.ds.staff and "E1" not in before.staff


def test_processes_reading_while_another_saves_each_read_whole_saves(
    repo: FolderRepository,
) -> None:
    """Each save records an assessment and renames D1 in one commit (several files): a reader
    process never sees one without the other."""
    with repo.transaction() as tx:
        tx.put(Department(code="D1", name="after 0"))
        tx.put(Staff(employee_no="E1", name="Bo", department="D1"))
    readers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "store" / "version_reader.py"), str(repo.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for _ in range(2)
    ]
    try:
        for reader in readers:
            assert reader.stdout.readline() == "ready\n"
            assert reader.stdout.readline() == "read 0\n"
        for n in range(1, 41):
            with repo.transaction() as tx:
                tx.record(
                    Assessment(
                        staff="E1",
                        competency="DC1.1",
                        level=1 + n % 6,
                        date=AS_OF,
                        note=f"loop {n}",
                    )
                )
                tx.put(Department(code="D1", name=f"after {n}"))
            for reader in readers:  # each reader reads this version before the next save
                assert reader.stdout.readline() == f"read {n}\n"
        results = []
        for reader in readers:
            out, err = reader.communicate("stop\n", timeout=300)
            assert reader.returncode == 0, err
            results.append(orjson.loads(out))
    finally:
        for reader in readers:
            if reader.poll() is None:
                reader.kill()
    assert [r["mismatches"] for r in results] == [[], []]
    assert [r["versions"] for r in results] == [41, 41]


def test_a_refresh_that_ends_after_another_threads_save_does_not_undo_it(
    repo: FolderRepository, monkeypatch
) -> None:
    repo.put(Department(code="D1", name="Borgerservice"))
    FolderRepository.open(repo.path).put(Department(code="D2", name="Teknik"))  # to refresh
    read, go = threading.Event(), threading.Event()
    refresh = repo.storage.refresh

    def slow_refresh(known=None):
        newer = refresh(known)
        read.set()
        go.wait(timeout=60)  # the save below runs here, unless it must wait its turn
        return newer

    monkeypatch.setattr(repo.storage, "refresh", slow_refresh)
    refresher = threading.Thread(target=repo.refresh)
    refresher.start()
    assert read.wait(timeout=60)
    saver = threading.Thread(target=lambda: repo.put(Department(code="D3", name="Skole")))
    saver.start()
    saver.join(timeout=1)
    go.set()
    refresher.join(timeout=60)
    saver.join(timeout=60)

    assert {"D1", "D2", "D3"} <= set(repo.ds.departments)
