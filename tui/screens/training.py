"""Training: every plan, filtered by status and due date; start, complete, assign to a cohort.

Only one page of the chosen plans is built as table rows, so 20,000 plans stay quick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Label, Select

from i18n import N_, _, format_date, format_integer, ngettext
from reports.plan_filters import DueFilter, StatusFilter, plan_counts, select_plans
from reports.rules import plan_is_overdue
from store.dataset import Dataset
from store.errors import StoreError
from store.models import TrainingPlan
from store.problems import render
from store.training import cancel_plan, close_refusal, start_plan, start_refusal, status_text
from tui.forms.cohort import CohortForm
from tui.forms.complete_plan import CompletePlanForm
from tui.forms.confirm import ConfirmDialog
from tui.screens.base import DataScreen
from tui.widgets.columns import fit_widths, titled
from tui.widgets.footer import KeysFooter
from tui.widgets.paged_table import PagedTable
from tui.widgets.tables import cell

STATUS_CHOICES = [
    (N_("Open"), StatusFilter.OPEN),
    (N_("Planned"), StatusFilter.PLANNED),
    (N_("In progress"), StatusFilter.IN_PROGRESS),
    (N_("Completed"), StatusFilter.COMPLETED),
    (N_("Cancelled"), StatusFilter.CANCELLED),
    (N_("All statuses"), StatusFilter.ALL),
]
"""Open plans first: what HR works on; `s` cycles through the rest."""
DUE_CHOICES = [
    (N_("Any due date"), DueFilter.ANY),
    (N_("Overdue"), DueFilter.OVERDUE),
    (N_("Due in 30 days"), DueFilter.DUE_30),
    (N_("Due in 90 days"), DueFilter.DUE_90),
]
PLAN_COLUMNS = [
    (N_("Due"), 10),
    (N_("Status"), 19),
    (N_("Person"), 21),
    (N_("Comp."), 8),
    (N_("Target"), 6),
    (N_("Course"), 7),
    (N_("Employee"), 8),
    (N_("Department"), None),
    (N_("Plan"), 9),
]
"""Widths fit the values (a competency code: 8, a course: 7); the department takes what the
screen has left, at least DEPARTMENT_MIN: at 120 columns every column shows."""
DEPARTMENT_MIN = 12


def plan_column_widths(total: int) -> dict[str, int]:
    fixed = {label: width for label, width in PLAN_COLUMNS if width is not None}
    return fit_widths(total, titled(fixed), {"Department": 1.0}, DEPARTMENT_MIN)


COHORT_DUE_DAYS = 90
"""A cohort's plans are due this many days after the as-of date unless changed in the form."""


def plan_row(ds: Dataset, plan: TrainingPlan, as_of: dt.date) -> list[Text]:
    """One table row; an overdue plan says so in words and colour."""
    person = ds.staff.get(plan.staff)
    department = ds.departments.get(person.department) if person else None
    due = cell(format_date(plan.due) if plan.due else "")
    status = cell(status_text(plan.status))
    if plan_is_overdue(plan, as_of):
        due.stylize("bold red")
        status = cell(_("OVERDUE {status}").format(status=status.plain))
        status.stylize("bold red")
    return [
        due,
        status,
        cell(person.name if person else "?"),
        cell(plan.competency),
        cell(plan.target_level),
        cell(plan.course or ""),
        cell(plan.staff),
        cell(department.name if department else ""),
        cell(plan.id),
    ]


def translated(choices: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """A Select's choices with their words in the current language."""
    return [(_(label), value) for label, value in choices]


def next_choice(choices: list[tuple[str, object]], current: object) -> object:
    values = [value for _, value in choices]
    index = values.index(current) if current in values else -1
    return values[(index + 1) % len(values)]


def counts_line(counts: dict[str, int]) -> str:
    """Open, overdue and due-in-30-days plans, each count a word that agrees with its number
    in Danish ('1 forsinket', '2 forsinkede')."""
    words = {
        "open": ngettext("{n} open", "{n} open", counts["open"]),
        "overdue": ngettext("{n} overdue", "{n} overdue", counts["overdue"]),
        "due_30": ngettext("{n} due in 30 days", "{n} due in 30 days", counts["due_30"]),
    }
    return " · ".join(text.format(n=format_integer(counts[key])) for key, text in words.items())


class TrainingScreen(DataScreen):
    """All training plans with their status; the actions act on the highlighted plan."""

    TITLE = N_("Training")
    CSS_PATH = "training.tcss"
    BINDINGS = [
        Binding("p", "start", N_("Start")),
        Binding("c", "complete", N_("Complete")),
        Binding("g", "cohort", N_("Cohort")),
        Binding("s", "cycle_status", N_("Status")),
        Binding("o", "cycle_due", N_("Due")),
        # Not in the footer (full at 80 columns): ? and the palette list them.
        Binding("x", "cancel_plan", N_("Cancel plan"), show=False),
        Binding("enter", "open_plan", N_("Open plan (details, history, edit)"), show=False),
        Binding("left_square_bracket", "page(-1)", N_("Prev page"), show=False),
        Binding("right_square_bracket", "page(1)", N_("Next page"), show=False),
    ]
    PALETTE_ACTIONS = [
        (
            N_("Open the highlighted plan"),
            "open_plan",
            N_("its details, history and edit (Enter)"),
        ),
        (
            N_("Assign training to a cohort"),
            "cohort",
            N_("Plans for those required to reach a level"),
        ),
        (N_("Mark the highlighted plan in progress"), "start", N_("planned -> in progress")),
        (N_("Complete the highlighted plan"), "complete", N_("and record the level reached")),
        (
            N_("Cancel the highlighted plan"),
            "cancel_plan",
            N_("asks first; the plan is kept, cancelled"),
        ),
        (N_("Show overdue training plans"), "show_overdue", N_("Open plans past their due date")),
    ]
    """(title, action, help) for the command palette, which shows them through _()."""

    def __init__(self) -> None:
        super().__init__()
        self._ordered: list[TrainingPlan] = []
        self._shown_filters: tuple[StatusFilter, DueFilter] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                translated(STATUS_CHOICES),
                value=StatusFilter.OPEN,
                allow_blank=False,
                id="status",
                compact=True,
            )
            yield Select(
                translated(DUE_CHOICES),
                value=DueFilter.ANY,
                allow_blank=False,
                id="due",
                compact=True,
            )
            yield Label("", id="counts")
        yield PagedTable(id="plans", page_size=100)
        yield Label("", id="page-info")
        yield KeysFooter()

    @property
    def ds(self) -> Dataset:
        return self.app.repo.ds

    @property
    def table(self) -> PagedTable:
        return self.query_one("#plans", PagedTable)

    @property
    def status_filter(self) -> StatusFilter:
        return self.query_one("#status", Select).value  # type: ignore[return-value]

    @property
    def due_filter(self) -> DueFilter:
        return self.query_one("#due", Select).value  # type: ignore[return-value]

    _widths: dict[str, int] = {}

    def on_mount(self) -> None:
        self._set_columns()
        self.reload_data()
        self.table.focus()

    def show_data(self) -> None:
        """Data changed: order all plans once; filters then pick from that order."""
        ds, as_of = self.ds, self.app.as_of
        self._ordered = select_plans(ds.training_plans.values(), as_of)
        counts = plan_counts(self._ordered, as_of)
        self.query_one("#counts", Label).update(Text(counts_line(counts)))
        self._shown_filters = None
        self._fill()

    def on_resize(self) -> None:
        if self._set_columns():
            self._shown_filters = None  # the page is drawn again in the new columns
            self._fill()

    def _set_columns(self) -> bool:
        """Columns for the screen's width; True when they changed."""
        widths = plan_column_widths(self.size.width)
        if widths == self._widths:
            return False
        self._widths = widths
        self.table.clear(columns=True)
        for label, _width in PLAN_COLUMNS:
            self.table.add_column(_(label), width=widths[label])
        return True

    def _fill(self) -> None:
        """Show the plans the filters choose (only when the choice changed or data did)."""
        filters = (self.status_filter, self.due_filter)
        if filters == self._shown_filters:
            return
        self._shown_filters = filters
        ds, as_of = self.ds, self.app.as_of
        plans = select_plans(self._ordered, as_of, *filters)
        self.table.show(
            [p.id for p in plans],
            lambda key: plan_row(ds, ds.training_plans[key], as_of),
            keep=self.table.current_key,
        )

    def on_paged_table_page_changed(self, event: PagedTable.PageChanged) -> None:
        if event.total == 0:
            text = _("No plans match the filters")
        else:
            text = _("Plans {first}-{last} of {total}").format(
                first=format_integer(event.first),
                last=format_integer(event.last),
                total=format_integer(event.total),
            )
            if event.total > event.last or event.first > 1:
                text += "  ·  " + _("[ ] turn the page")
        self.query_one("#page-info", Label).update(Text(text))

    def on_select_changed(self, event: Select.Changed) -> None:
        self._fill()

    # ------------------------------------------------------------------ filters
    def action_cycle_status(self) -> None:
        select = self.query_one("#status", Select)
        select.value = next_choice(STATUS_CHOICES, select.value)

    def action_cycle_due(self) -> None:
        select = self.query_one("#due", Select)
        select.value = next_choice(DUE_CHOICES, select.value)

    def action_show_overdue(self) -> None:
        self.query_one("#due", Select).value = DueFilter.OVERDUE

    def action_page(self, step: int) -> None:
        if step > 0:
            self.table.action_next_page()
        else:
            self.table.action_prev_page()

    # ------------------------------------------------------------------ actions
    def highlighted_plan(self) -> TrainingPlan | None:
        key = self.table.current_key
        plan = self.ds.training_plans.get(key) if key else None
        if plan is None:
            self.notify(_("No plan highlighted"), severity="warning")
        return plan

    def on_data_table_row_selected(self, event) -> None:
        """Enter on a plan (the table has the key) opens it."""
        event.stop()
        self.action_open_plan()

    def action_open_plan(self) -> None:
        from tui.screens.plan import PlanScreen

        plan = self.highlighted_plan()
        if plan is not None:
            self.app.push_screen(PlanScreen(plan.id))

    def action_start(self) -> None:
        plan = self.highlighted_plan()
        if plan is None:
            return
        refusal = start_refusal(plan)
        if refusal is not None:
            self.notify(render(refusal), severity="warning", markup=False)
            return
        self._save_status(plan, start_plan, _("{plan} is in progress"))

    def action_complete(self) -> None:
        plan = self._open_plan()
        if plan is not None:
            self.app.push_screen(CompletePlanForm(plan, self.app.as_of))

    def action_cancel_plan(self) -> None:
        """Cancel an open plan (after asking); it stays on record with status cancelled."""
        plan = self._open_plan()
        if plan is None:
            return
        person = self.app.repo.ds.staff.get(plan.staff)
        asked = _("Cancel {plan}: {name}, {competency} to level {level}?")
        before, _name, after = asked.partition("{name}")  # the name as typed, never markup
        question = Text(before.format(plan=plan.id))
        question.append(person.name if person else plan.staff)
        question.append(after.format(competency=plan.competency, level=plan.target_level))

        def answered(yes: bool | None) -> None:
            if yes:
                self._save_status(plan, cancel_plan, _("{plan} is cancelled"))

        self.app.push_screen(
            ConfirmDialog(question, confirm_label=_("Cancel plan"), keep_label=_("Keep it")),
            answered,
        )

    def _open_plan(self) -> TrainingPlan | None:
        """The highlighted plan if it is still open (planned or in progress); else it says why."""
        plan = self.highlighted_plan()
        refusal = close_refusal(plan) if plan is not None else None
        if refusal is not None:
            self.notify(render(refusal), severity="warning", markup=False)
            return None
        return plan

    def _save_status(self, plan: TrainingPlan, change: Callable, done: str) -> None:
        """Start or cancel the plan (`store.training`); refused if someone changed it meanwhile.
        `done` is the message on success, {plan} standing for the plan's id."""
        try:
            change(self.app.repo, plan)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=8, markup=False)
            self.app.data_changed()
            return
        self.app.data_changed()
        self.notify(done.format(plan=plan.id), markup=False)

    def action_cohort(self) -> None:
        self.app.push_screen(CohortForm(due=self.app.as_of + dt.timedelta(days=COHORT_DUE_DAYS)))
