"""Record an assessment: one observation of a person's level in a competency.

    AssessmentForm(staff_no=None, competency=None, level=None, source="manager")

A ModalScreen that validates at the field (unknown employee, level outside the competency's
framework scale, bad dates), appends the assessment through `repo.record` and dismisses with the
saved `Assessment`, or with None when cancelled. After saving it calls `app.data_changed()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Input, Select, Static

from i18n import N_, _
from reports.rules import assessment_date_warning
from store.integrity import level_problems
from store.models import Assessment, Entity, Source
from store.problems import by_field
from store.staff import record_assessment
from tui.forms.base import FormField, FormScreen
from tui.forms.choices import labelled, source_options
from tui.forms.parsing import optional_text, parse_date, parse_int, parse_optional_date


def scale_hint(ds, competency: str | None, level_text: str = "", low: int = 0) -> Text:
    """'0-8 on DigComp 2.2 · 3 = Intermediate': the scale the level must lie in."""
    framework = ds.framework_of(competency) if competency else None
    if framework is None:
        return Text(_("choose a competency to see its scale"))
    scale = (
        _("{low}-{top} on {framework} (0 = none)") if low == 0 else _("{low}-{top} on {framework}")
    )
    hint = Text(scale.format(low=low, top=framework.max_level, framework=framework.name))
    try:
        level = int(level_text.strip())
    except ValueError:
        return hint
    if 1 <= level <= framework.max_level:
        hint.append(f" · {level} = ")
        hint.append(framework.label(level))
    return hint


def scale_problem(ds, values: dict[str, Any], field: str, low: int = 1) -> dict[str, str]:
    """{field: message} when the parsed level lies outside the competency's framework scale.

    `low` is 0 for an assessment (0 = none) and 1 for a target, as in `store.integrity`.
    """
    if "competency" not in values or field not in values:
        return {}
    problems = level_problems(ds, values["competency"], values[field], field, low=low)
    return by_field(problems, {field})[0]


class AssessmentForm(FormScreen[Assessment]):
    """Record an assessment; `staff_no` fixes the person, the rest are suggestions."""

    title_text = N_("Record an assessment")

    def __init__(
        self,
        staff_no: str | None = None,
        competency: str | None = None,
        level: int | None = None,
        source: str | Source = "manager",
        date: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.staff_no = staff_no
        self.competency = competency
        self.level = level
        self.source = str(Source(source))
        self.date = date

    def fields(self) -> Iterable[FormField]:
        ds = self.app.repo.ds
        if self.staff_no is not None:
            person = ds.staff.get(self.staff_no)
            shown = labelled(self.staff_no, person.name if person else _("(unknown)"))
            staff_no = self.staff_no
            yield FormField(
                "staff", _("Employee"), Static(shown, classes="fixed-value"), lambda _raw: staff_no
            )
        else:
            yield self.reference_field("staff", _("Employee"), "staff")
        yield self.reference_field(
            "competency", _("Competency"), "competencies", self.competency or ""
        )
        level = "" if self.level is None else str(self.level)
        yield FormField(
            "level",
            _("Level"),
            Input(level, placeholder=_("level"), compact=True),
            lambda raw: parse_int(raw),
            hint=scale_hint(ds, self.competency, level),
        )
        date = (self.date or self.app.as_of).isoformat()
        yield FormField("date", _("Date"), Input(date, compact=True), parse_date)
        yield FormField(
            "source",
            _("Source"),
            Select(source_options(), value=self.source, allow_blank=False, compact=True),
        )
        yield FormField(
            "assessor", _("Assessor"), Input(self.app.repo.user, compact=True), optional_text
        )
        yield FormField(
            "valid_until",
            _("Valid until"),
            Input(placeholder=_("YYYY-MM-DD (optional)"), compact=True),
            parse_optional_date,
        )
        yield FormField(
            "note", _("Note"), Input(placeholder=_("optional"), compact=True), str.strip
        )

    def on_field_changed(self, name: str) -> None:
        if name in ("competency", "level"):
            level = self.widget("level")
            assert isinstance(level, Input)
            self.set_hint(
                "level", scale_hint(self.app.repo.ds, self.resolved("competency"), level.value)
            )

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return scale_problem(self.app.repo.ds, values, "level", low=0)

    def check_warnings(self, values: dict[str, Any]) -> dict[str, str]:
        warning = (
            assessment_date_warning(values["date"], self.app.as_of) if "date" in values else None
        )
        return {"date": warning} if warning else {}

    def make_record(self, values: dict[str, Any]) -> Entity:
        return Assessment(**values)

    def save(self, record: Entity) -> Assessment:
        assert isinstance(record, Assessment)
        return record_assessment(self.app.repo, record)

    def saved_message(self, saved: Assessment) -> str:
        return _("Assessment recorded: {staff} {competency} level {level}").format(
            staff=saved.staff, competency=saved.competency, level=saved.level
        )
