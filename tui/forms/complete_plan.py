"""Completing a training plan, and recording the level reached as an assessment (source training).

The plan and the assessment are saved in one transaction: both or neither.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from store.dataset import Dataset
from store.errors import StoreError
from store.integrity import level_problems
from store.models import Assessment, PlanStatus, Source, TrainingPlan
from store.repository import FolderRepository
from tui.forms.field import FormField
from tui.forms.parse import FieldProblem, whole_number


def completed_plan(plan: TrainingPlan, on: dt.date) -> TrainingPlan:
    return plan.model_copy(update={"status": PlanStatus.COMPLETED, "completed": on})


def training_assessment(plan: TrainingPlan, level: int, on: dt.date, assessor: str) -> Assessment:
    """The assessment a completed plan leaves: the level reached, source `training`."""
    return Assessment(
        staff=plan.staff,
        competency=plan.competency,
        level=level,
        date=on,
        source=Source.TRAINING,
        assessor=assessor,
        note=f"training plan {plan.id} completed",
    )


def reached_level(ds: Dataset, plan: TrainingPlan, text: str) -> int:
    """The typed level, checked against the competency's scale (FieldProblem if not valid)."""
    level = whole_number(text, "the level reached")
    problems = level_problems(ds, plan.competency, level, "level")
    if problems:
        raise FieldProblem(problems[0].partition(": ")[2])
    return level


def complete_plan(
    repo: FolderRepository, plan: TrainingPlan, on: dt.date, level: int | None
) -> TrainingPlan:
    """Mark the plan completed and (with a level) record the assessment, in one transaction."""
    done = completed_plan(plan, on)
    with repo.transaction() as tx:
        tx.put(done, expected=plan)
        if level is not None:
            tx.record(training_assessment(plan, level, on, repo.user))
    return done


class CompletePlanForm(ModalScreen[TrainingPlan | None]):
    """Confirm completing `plan`; dismisses with the completed plan, or None when cancelled."""

    CSS_PATH = "form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Complete"),
    ]

    def __init__(self, plan: TrainingPlan, on: dt.date) -> None:
        super().__init__()
        self.plan = plan
        self.on = on

    def compose(self) -> ComposeResult:
        ds, plan = self.app.repo.ds, self.plan
        person = ds.staff.get(plan.staff)
        competency = ds.competencies.get(plan.competency)
        about = Text()
        about.append(f"Complete training plan {plan.id}\n", style="bold")
        about.append(f"{person.name if person else plan.staff} ({plan.staff})\n")
        about.append(
            f"{plan.competency} {competency.name if competency else ''}"
            f" · target level {plan.target_level} · completed {self.on.isoformat()}"
        )
        with VerticalScroll(id="form"):
            yield Static(about, id="title")
            yield Checkbox(
                "Record the level reached as an assessment (source: training)",
                value=True,
                id="record",
                compact=True,
            )
            yield FormField("Level reached", "level", str(plan.target_level))
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Complete (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._check()
        self.query_one("#level", Input).focus()

    @property
    def recording(self) -> bool:
        return self.query_one("#record", Checkbox).value

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.query_one(FormField).disabled = not event.value
        self._check()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def _check(self) -> tuple[bool, int | None]:
        """(valid, level to record): the level is only checked when it is to be recorded."""
        field = self.query_one(FormField)
        if not self.recording:
            field.show(None, "no assessment will be recorded")
            return True, None
        ds = self.app.repo.ds
        try:
            level = reached_level(ds, self.plan, field.value)
        except FieldProblem as problem:
            field.show(str(problem))
            return False, None
        framework = ds.framework_of(self.plan.competency)
        field.show(None, framework.label(level) if framework and level else "")
        return True, level

    def action_save(self) -> None:
        valid, level = self._check()
        if not valid:
            self.notify("Not saved: the level is not valid", severity="warning")
            return
        try:
            done = complete_plan(self.app.repo, self.plan, self.on, level)
        except StoreError as error:
            self.query_one("#form-error", Static).update(Text(str(error)))
            return
        self.dismiss(done)

    def action_cancel(self) -> None:
        self.dismiss(None)
