"""Coverage rules (docs/rules.md): add, edit, re-key and remove.

The Competencies screen's form and `kapabel import coverage-rules` come here. A rule is checked
against the database as every record is (unknown department or competency, a level outside the
competency's scale: `store.integrity`); a change someone else made since it was read is refused
(ConflictError), never overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.errors import ValidationProblem
from store.models import CoverageRule
from store.problems import Problem

if TYPE_CHECKING:
    from store import Repository


def save_coverage_rule(
    repo: Repository, new: CoverageRule, original: CoverageRule | None = None
) -> CoverageRule:
    """Create `new` (no `original`), update it, or re-key it when the department, competency or
    level changed (the old one removed and the new one made in one transaction). Refused
    (ValidationProblem) when the new key belongs to another rule."""
    rekeyed = original is None or original.key() != new.key()
    if rekeyed and new.key() in repo.ds.coverage_rules:
        raise ValidationProblem("coverage_rules", new.key(), [Problem("", "record_exists")])
    with repo.transaction() as tx:
        if original is not None and rekeyed:
            tx.delete("coverage_rules", original.key(), expected=original)
        if original is None or rekeyed:
            return tx.create(new)
        return tx.put(new, expected=original)


def remove_coverage_rule(repo: Repository, rule: CoverageRule) -> None:
    """Remove a rule, unless someone changed it since it was read (ConflictError)."""
    with repo.transaction() as tx:
        tx.delete("coverage_rules", rule.key(), expected=rule)
