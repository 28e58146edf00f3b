"""The coverage rule form: add or edit "at least N people at level L in C, in this department
(and, with each, in every department below)". The department and competency take a code or a
name (F2 searches); the level is checked against the competency's scale; the rule itself is
stored by `store.coverage`, which refuses what the database would not hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import Input

from i18n import _, ngettext
from store.dataset import Dataset
from store.models import CoverageRule, Entity
from tui.forms.assessment import scale_problem
from tui.forms.base import FormField
from tui.forms.checkbox import MarkedCheckbox
from tui.forms.parsing import parse_int
from tui.forms.requirement import CodeFormScreen


def describe_rule(ds: Dataset, rule: CoverageRule) -> str:
    """'2 people at DC1.1 level 3 in D10 Borgerservice (and each department below)'."""
    department = ds.departments.get(rule.department)
    where = f"{rule.department} {department.name}" if department else rule.department
    n = rule.min_people
    if rule.each:
        text = ngettext(
            "{n} people at {competency} level {level} in {department} (and each department below)",
            "{n} people at {competency} level {level} in {department} (and each department below)",
            n,
        )
    else:
        text = ngettext(
            "{n} people at {competency} level {level} in {department}",
            "{n} people at {competency} level {level} in {department}",
            n,
        )
    return text.format(n=n, competency=rule.competency, level=rule.level, department=where)


class CoverageRuleForm(CodeFormScreen):
    """Add (original None) or edit a coverage rule; dismisses with the saved one, or None."""

    def __init__(self, original: CoverageRule | None = None, competency: str | None = None) -> None:
        super().__init__()
        self.original = original
        self.start = (
            {
                "department": original.department,
                "competency": original.competency,
                "level": str(original.level),
                "min_people": str(original.min_people),
            }
            if original
            else {"competency": competency or ""}
        )
        self.each = bool(original and original.each)
        self.title_text = _("Edit coverage rule") if original else _("New coverage rule")

    def fields(self) -> Iterable[FormField]:
        start = self.start
        yield self.code_field("department", _("Department"), start.get("department", ""), True)
        yield self.code_field("competency", _("Competency"), start.get("competency", ""), True)
        yield self.level_field(_("Level"), start.get("level", ""), start.get("competency", ""))
        yield FormField(
            "min_people",
            _("At least"),
            Input(start.get("min_people", "1"), placeholder=_("people"), compact=True),
            parse_int,
        )
        yield FormField(
            "each",
            _("Each"),
            MarkedCheckbox(_("also every department below"), self.each, compact=True),
        )

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return scale_problem(self.app.repo.ds, values, "level")

    def make_record(self, values: dict[str, Any]) -> Entity:
        return CoverageRule(**values)

    def save(self, record: Entity) -> CoverageRule:
        from store.coverage import save_coverage_rule

        assert isinstance(record, CoverageRule)
        return save_coverage_rule(self.app.repo, record, self.original)

    def saved_message(self, saved: CoverageRule) -> str:
        return _("Saved: {what}").format(what=describe_rule(self.app.repo.ds, saved))
