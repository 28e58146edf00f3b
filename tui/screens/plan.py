"""One training plan opened from Training (Enter): what it is, its history, and edit.

    PlanScreen(plan_id)

The history is every audit entry about the plan (created, updated, imported, cancelled...),
read in a worker: the audit log of a large database is long. `e` edits the plan in the usual
form; the screen then shows the saved plan and its new history line.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from i18n import N_, _, format_date
from reports.rules import plan_is_overdue
from store.auditlog import describe, raw_entries
from store.labels import audit_action_label, plan_status_label
from store.models import TrainingPlan
from tui.forms import TrainingPlanForm
from tui.widgets.footer import KeysFooter


def plan_details(ds, plan: TrainingPlan, as_of) -> Text:
    """The plan in words, names exactly as stored (never markup)."""
    person = ds.staff.get(plan.staff)
    department = ds.departments.get(person.department) if person else None
    competency = ds.competencies.get(plan.competency)
    framework = ds.framework_of(plan.competency)
    course = ds.courses.get(plan.course) if plan.course else None
    rows: list[tuple[str, str]] = [
        (N_("Person"), f"{person.name if person else '?'} ({plan.staff})"),
        (N_("Department"), department.name if department else ""),
        (N_("Competency"), f"{plan.competency} {competency.name if competency else ''}".strip()),
        (
            N_("Target level"),
            f"{plan.target_level}"
            + (f" ({framework.label(plan.target_level)})" if framework else ""),
        ),
        (
            N_("Course"),
            f"{plan.course} {course.name}" if course else (plan.course or _("none")),
        ),
        (N_("Due"), format_date(plan.due) if plan.due else _("no due date")),
        (N_("Status"), plan_status_label(plan.status)),
    ]
    if plan.completed:
        rows.append((N_("Completed"), format_date(plan.completed)))
    width = max(13, *(len(_(label)) for label, _value in rows))
    text = Text()
    for label, value in rows:
        text.append(f"{_(label):>{width}}  ", style="bold")
        text.append(value)
        if label == "Due" and plan_is_overdue(plan, as_of):
            overdue = _("OVERDUE (as of {date})").format(date=format_date(as_of))
            text.append(f"  {overdue}", style="bold red")
        text.append("\n")
    return text


def plan_history(entries: list[dict], plan_id: str) -> Text:
    """Each audit entry about the plan, oldest first: when, who, what changed."""
    text = Text()
    mine = [e for e in entries if e.get("entity") == "training_plans" and e.get("key") == plan_id]
    if not mine:
        return Text(
            _(
                "No audit entry names this plan (data written in bulk, such as the demo's, is "
                "audited as one summary entry)."
            ),
            style="dim",
        )
    for entry in mine:
        at = str(entry.get("at", ""))[:16].replace("T", " ")
        action = entry.get("action", "")
        action = audit_action_label(action) if action else ""
        text.append(f"{at}  {entry.get('user', '')}  {action}", style="bold")
        text.append(f"  {describe(entry)}\n")
    return text


class PlanScreen(ModalScreen[None]):
    """A training plan's details and history; `e` edits it, Escape goes back."""

    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("e", "edit", N_("Edit")),
        Binding("f1", "app.help", N_("Help")),
    ]
    DEFAULT_CSS = """
    PlanScreen { align: center middle; background: $background 60%; }
    PlanScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PlanScreen #plan-history { height: auto; max-height: 12; }
    """
    TITLE = N_("Training plan")

    def __init__(self, plan_id: str) -> None:
        super().__init__()
        self.plan_id = plan_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="plan-title")
            yield Static(id="plan-details")
            yield Static(Text(_("History (audit log)"), style="bold"))
            with VerticalScroll(id="plan-history"):
                yield Static(
                    Text(_("reading the audit log …"), style="dim"), id="plan-history-text"
                )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_plan()

    @property
    def plan(self) -> TrainingPlan | None:
        return self.app.repo.ds.training_plans.get(self.plan_id)

    def show_plan(self) -> None:
        plan = self.plan
        title = Text(_("Training plan {plan}").format(plan=self.plan_id), style="bold")
        self.query_one("#plan-title", Static).update(title)
        details = self.query_one("#plan-details", Static)
        if plan is None:
            details.update(Text(_("This plan is no longer in the database.")))
        else:
            details.update(plan_details(self.app.repo.ds, plan, self.app.as_of))
        self._read_history()

    @work(thread=True, exclusive=True, group="plan-history")
    def _read_history(self) -> None:
        history = plan_history(raw_entries(self.app.repo), self.plan_id)
        self.app.call_from_thread(self._show_history, history)

    def _show_history(self, history: Text) -> None:
        self.query_one("#plan-history-text", Static).update(history)

    def action_edit(self) -> None:
        plan = self.plan
        if plan is not None:
            self.app.push_screen(TrainingPlanForm(plan.staff, plan=plan), self._edited)

    def _edited(self, saved: TrainingPlan | None) -> None:
        if saved is not None:
            self.show_plan()

    def action_close(self) -> None:
        self.dismiss(None)
