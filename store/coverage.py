"""Coverage rules (docs/rules.md): add, edit, re-key and remove.

The Competencies screen's form and `kapabel import coverage-rules` come here. A rule is checked
against the database as every record is (unknown department or competency, a level outside the
competency's scale: `store.integrity`); a change someone else made since it was read is refused
(ConflictError), never overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.models import CoverageRule
from store.requirements import save_keyed

if TYPE_CHECKING:
    from store import Repository


def save_coverage_rule(
    repo: Repository, new: CoverageRule, original: CoverageRule | None = None
) -> CoverageRule:
    """Create `new` (no `original`), update it, or re-key it when the department, competency or
    level changed (the old one removed and the new one made in one transaction). Refused
    (ValidationProblem) when the new key belongs to another rule."""
    return save_keyed(repo, new, original, "record_exists")


def remove_coverage_rule(repo: Repository, rule: CoverageRule) -> None:
    """Remove a rule, unless someone changed it since it was read (ConflictError)."""
    with repo.transaction() as tx:
        tx.delete("coverage_rules", rule.key(), expected=rule)
