"""Random rows and random bytes: the importers answer with problems, never a traceback, and
either write the whole file or nothing at all."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.importing import KINDS, import_file
from store.repository import FolderRepository
from tests.iohelpers import folder_hashes, populate

CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "D1",
            "D2",
            "E2",
            "E4711",
            "RPA1",
            "DC1.1",
            "R1",
            "ROB1",
            "ja",
            "x",
            "3",
            "9",
            "-1",
            "2026-01-05",
            "31.12.2026",
            "2026-13",
            "'=1",
            '"',
            ";",
            "\n",
        ]
    ),
    st.text(max_size=12),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("prop") / "db"
    populate(FolderRepository.open(path, create=True, user="prop"))
    return path


def _check(template: Path, kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "db"
        shutil.copytree(template, db)
        repo = FolderRepository.open(db, user="prop")
        file = Path(scratch) / "in.csv"
        file.write_bytes(data)
        before = folder_hashes(db)
        plan = import_file(repo, kind, file, backup=False)
        after = folder_hashes(db)
        if plan.problems or not plan.changes:
            assert after == before, plan.problems
            assert all(p.startswith(str(file)) for p in plan.problems)
        else:
            reopened = FolderRepository.open(db)
            assert reopened.problems() == []
            assert len(reopened.audit_entries()) >= len(repo.audit_entries()) - plan.changes


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in '",;\n\t') else cell

    lines = [delimiter.join(quote(c) for c in line) for line in [header, *rows]]
    return "\r\n".join(lines).encode("utf-8", "replace")


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(sorted(KINDS)),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    drop=st.integers(0, 3),
)
def test_random_rows_never_a_traceback_never_a_partial_write(
    template, kind, rows, delimiter, drop
) -> None:
    header = [c.name for c in KINDS[kind].columns][: max(1, len(KINDS[kind].columns) - drop)]
    _check(template, kind, _csv(header, rows, delimiter))


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(sorted(KINDS)), data=st.binary(max_size=300))
def test_random_bytes_never_a_traceback_never_a_partial_write(template, kind, data) -> None:
    _check(template, kind, data)
