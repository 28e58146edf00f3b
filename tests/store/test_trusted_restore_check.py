"""A restore checks the backup before it is put back (`FolderBackups.checked`: "the one place a
backup's files are validated"). A backup's meta.json comes with the backup, like its tables: the
hashes it records must not let a table the check would refuse through unvalidated."""

from __future__ import annotations

import orjson
import pytest

from store import trusted
from store.backup import make_backup, restore
from store.errors import StoreError
from store.models import Role
from store.repository import FolderRepository
from tests.iohelpers import folder_hashes, populate


def test_a_backup_whose_meta_json_claims_an_invalid_table_valid_is_still_refused(
    repo: FolderRepository,
) -> None:
    populate(repo)
    repo.put(Role(code="R9", name="A role"))
    backup = make_backup(repo)
    roles = orjson.loads((backup / "roles.json").read_bytes())
    doc = next(d for d in roles["roles"].values() if d["code"] == "R9")
    doc["name"] = ""  # a Name is never empty: validation refuses it
    bad = orjson.dumps(roles)
    (backup / "roles.json").write_bytes(bad)
    meta = orjson.loads((backup / "meta.json").read_bytes())
    meta["meta"]["1"]["tables"]["hashes"]["roles"] = trusted.content_hash(bad)
    (backup / "meta.json").write_bytes(orjson.dumps(meta))
    before = folder_hashes(repo.path)

    with pytest.raises(StoreError, match="not restored: roles.json"):
        restore(repo, backup)

    assert folder_hashes(repo.path) == before
