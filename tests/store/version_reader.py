"""A process reading a database while another saves: `python version_reader.py <db>`.

Refreshes and analyses until a line arrives on stdin, checking that every version it reads is
one whole save: the writer records one assessment and renames department D1 to `after <n>` in
each transaction, so n must equal the number of those assessments. Prints `read <n>` for each
new version, and at the end, as JSON, how many versions it read and each mismatch it found.
"""

from __future__ import annotations

import datetime as dt
import select
import sys

import orjson

from reports.analysis import analyse
from store.repository import FolderRepository


def main(db: str) -> None:
    repo = FolderRepository.open(db, user="reader")
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    seen: set[int] = set()
    mismatches: list[str] = []
    while not select.select([sys.stdin], [], [], 0)[0]:
        repo.refresh()
        ds = repo.ds
        count = sum(1 for row in ds.assessments if row.note.startswith("loop"))
        name = ds.departments["D1"].name
        analyse(ds, dt.date(2026, 11, 1)).department_figures(None)
        if name != f"after {count}":
            mismatches.append(f"{name!r} with {count} assessments")
        if count not in seen:
            seen.add(count)
            sys.stdout.write(f"read {count}\n")  # the writer waits for it before saving on
            sys.stdout.flush()
    sys.stdout.write(orjson.dumps({"versions": len(seen), "mismatches": mismatches}).decode())


if __name__ == "__main__":
    main(sys.argv[1])
