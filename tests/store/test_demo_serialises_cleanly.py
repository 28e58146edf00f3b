"""The demo's records are whole models: writing them raises no pydantic serializer warning (a
status set as a plain string by `model_copy` did, on every `kapabel demo` at 30 staff)."""

from __future__ import annotations

import warnings

from store.demo import generate
from store.models import MilestoneStatus
from store.repository import FolderRepository


def test_a_small_demo_is_written_without_serializer_warnings(tmp_path) -> None:
    repo = FolderRepository.open(tmp_path / "db", create=True, user="demo")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generate(repo, staff=30, seed=1)
    assert all(type(m.status) is MilestoneStatus for m in repo.ds.milestones.values())
