"""Kapabel's data layer: pydantic models, the database folder, importers and demo data.

Nothing here imports Textual or `reports`: dependencies point down only (docs/architecture.md).
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
from store.repository import FolderRepository, Repository, Transaction

__all__ = [
    "AssessmentRow",
    "ConflictError",
    "CorruptFileError",
    "Dataset",
    "DiskError",
    "FolderRepository",
    "InUseError",
    "NotFoundError",
    "Repository",
    "StoreError",
    "Transaction",
    "ValidationProblem",
]
