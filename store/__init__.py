"""Kapabel's data layer: pydantic models, the database folder, importers and demo data.

Nothing here imports Textual or `reports`: dependencies point down only (docs/architecture.md).
Code above `store` opens a database with `open_store` and works on the `Repository` it returns;
a backend's classes (the folder's, PostgreSQL's) are not part of this public entry.
"""

from store.dataset import AssessmentRow, Dataset
from store.errors import (
    ConflictError,
    CorruptFileError,
    DiskError,
    InUseError,
    NotFoundError,
    StoreError,
    ValidationProblem,
)
from store.opening import (
    begin_reading,
    location,
    migrate_store,
    open_in_stages,
    open_store,
    read_current_levels,
    resolve_target,
    store_exists,
    target_name,
)
from store.unit_of_work import Repository, Transaction

__all__ = [
    "begin_reading",
    "AssessmentRow",
    "ConflictError",
    "CorruptFileError",
    "Dataset",
    "DiskError",
    "InUseError",
    "NotFoundError",
    "Repository",
    "StoreError",
    "Transaction",
    "ValidationProblem",
    "location",
    "migrate_store",
    "open_in_stages",
    "open_store",
    "read_current_levels",
    "resolve_target",
    "store_exists",
    "target_name",
]
