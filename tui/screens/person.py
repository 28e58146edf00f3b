"""A person's page: each required competency (required, current, date, source, gap as a bar),
the assessment history (newest first) and the training plans, with the actions HR takes there.

Figures come from `app.analysis` (reports.analysis); writes go through the forms, which call
`app.data_changed()`, so after a save this page and the department readiness show the new state.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from i18n import N_, _, format_date, format_percent
from reports.analysis import PersonRow
from reports.robots import last_operator_warning, robots_operated_by
from store.dataset import AssessmentRow
from store.errors import StoreError
from store.labels import phase_label, plan_status_label, source_label
from store.models import Robot, Staff, TrainingPlan
from store.staff import set_active
from tui.forms import AssessmentForm, ConfirmDialog, PersonForm, TrainingPlanForm
from tui.screens.plan import PlanScreen
from tui.widgets.columns import fit_widths, titled
from tui.widgets.footer import KeysFooter
from tui.widgets.person_cells import date_text, gap_bar, level_text, one_line

# Fixed widths fit the longest value (a competency code: 8); at 80 columns what they leave is
# enough for the flexible column's minimum, so no table is wider than the screen.
REQUIRED_FIXED = {
    "Req.": 4, "Current": 7, "Self/oth.": 9, "Date": 11, "Source": 8, "Gap": 8, "Open plan": 12,
}  # fmt: skip
SELF_OTHER_FROM = 96
"""Narrower than this, the self/others column is left out (the ratings report has it)."""
HISTORY_FIXED = {"Date": 10, "Comp.": 8, "Level": 5, "Source": 8, "Valid until": 11}
PLANS_FIXED = {"Plan": 9, "Comp.": 8, "Target": 6, "Due": 10, "Status": 11, "Completed": 10}
COLUMN_TITLES = {
    "Competency": N_("Competency"),
    "Req.": N_("Req."),
    "Current": N_("Current"),
    "Self/oth.": N_("Self/oth."),
    "Date": N_("Date"),
    "Source": N_("Source"),
    "Gap": N_("Gap"),
    "Open plan": N_("Open plan"),
    "Comp.": N_("Comp."),
    "Level": N_("Level"),
    "Assessor": N_("Assessor"),
    "Valid until": N_("Valid until"),
    "Note": N_("Note"),
    "Plan": N_("Plan"),
    "Target": N_("Target"),
    "Course": N_("Course"),
    "Due": N_("Due"),
    "Status": N_("Status"),
    "Completed": N_("Completed"),
    "Robot": N_("Robot"),
    "Name": N_("Name"),
    "Phase": N_("Phase"),
    "Qualified": N_("Qualified"),
}
"""Column keys (English, as the widths and tests name them) -> titles shown through _()."""
COLUMNS = {
    "person-required": (
        "Competency",
        "Req.",
        "Current",
        "Self/oth.",
        "Date",
        "Source",
        "Gap",
        "Open plan",
    ),  # fmt: skip
    "person-history": ("Date", "Comp.", "Level", "Source", "Assessor", "Valid until", "Note"),
    "person-plans": ("Plan", "Comp.", "Target", "Course", "Due", "Status", "Completed"),
}
LEGEND = N_(
    "✓ meets · ■ level short · — not assessed · ↓ low plan · ≠ self and manager/test 2+ apart"
    " · ! over 24 months old"
)


def self_other_text(rating) -> Text:
    """Own level / manager's or test's, side by side; ≠ when they disagree (the ratings rule)."""
    if rating is None:
        return Text("—")
    shown = "/".join("—" if v is None else str(v) for v in (rating.self_level, rating.other_level))
    text = Text(shown)
    if rating.disagreement:
        text.append(" ≠", style="bold yellow")
    return text


def stale_date_text(date, stale: bool) -> Text:
    """The current rating's date; ! after it when it is stale (words in the legend)."""
    text = date_text(date)
    if stale:
        text.append("!", style="bold yellow")
    return text


def pct_text(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


class PersonScreen(Screen):
    TITLE = N_("Person")
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#person-required"
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("a", "assess", N_("Assess")),
        Binding("t", "plan", N_("Training plan")),
        Binding("e", "edit", N_("Edit")),
        Binding("d", "deactivate", N_("Deactivate")),
        Binding("d", "reactivate", N_("Reactivate")),
    ]

    def __init__(self, employee_no: str) -> None:
        super().__init__()
        self.employee_no = employee_no
        self.rows: dict[str, PersonRow] = {}
        self.plans: dict[str, TrainingPlan] = {}
        self.history_competency: dict[str, str] = {}
        self.shown: tuple | None = None
        self.widths: dict[str, dict[str, int]] = {}
        self._asked = self._shown_asked = 0
        """Reloads asked for and the latest shown (`_show_figures`)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(_("Loading…")), id="person-summary")
        with VerticalScroll(id="person-body"):
            yield Static(_("Required competencies"), classes="section-title", id="title-required")
            yield DataTable(id="person-required", cursor_type="row")
            yield Static(
                _("Assessment history, newest first"), classes="section-title", id="title-history"
            )
            yield DataTable(id="person-history", cursor_type="row")
            yield Static(_("Training plans"), classes="section-title", id="title-plans")
            yield DataTable(id="person-plans", cursor_type="row")
            yield Static(_("Robots they operate"), classes="section-title", id="title-robots")
            yield DataTable(id="person-robots", cursor_type="row")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_columns()
        self._asked += 1
        self.load(self._asked)  # after the first layout (shown during it, the page scrolled)

    def set_columns(self) -> None:
        """Columns sized to the screen: free text (names, notes) gets what is left; the tables
        are emptied only when their widths change."""
        total = max(60, self.size.width - 4)  # the tables' side margins
        self.self_other_shown = total >= SELF_OTHER_FROM
        required_fixed = {
            k: v for k, v in REQUIRED_FIXED.items() if self.self_other_shown or k != "Self/oth."
        }
        widths = {
            "person-required": fit_widths(total, titled(required_fixed), {"Competency": 1.0}, 12),
            "person-history": fit_widths(
                total, titled(HISTORY_FIXED), {"Assessor": 1.0, "Note": 2.0}, 8
            ),
            "person-plans": fit_widths(total, titled(PLANS_FIXED), {"Course": 1.0}, 6),
        }
        if widths == self.widths:
            return  # the same columns: the rows shown stay
        self.widths = widths
        for table_id, columns in COLUMNS.items():
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear(columns=True)
            for label in columns:
                if label in self.widths[table_id]:
                    title = _(COLUMN_TITLES[label])
                    table.add_column(title, width=self.widths[table_id][label], key=label)

    def on_resize(self) -> None:
        before = self.widths
        self.set_columns()
        if before != self.widths and self.shown is not None:
            self._show(*self.shown)

    # ---- data ---------------------------------------------------------------------------
    @property
    def person(self) -> Staff | None:
        return self.app.repo.ds.staff.get(self.employee_no)

    def reload_data(self) -> None:
        """After a save of assessments the figures are a few milliseconds away: shown at once,
        so the first frame after the form closes has them; otherwise worked out in a worker."""
        self._asked += 1
        analysis = self.app.analysis_if_quick()
        if analysis is None:
            self.load(self._asked)
        else:
            self._show_figures(self._asked, self._page_figures(analysis))

    @work(thread=True, exclusive=True, group="person-load")
    def load(self, asked: int) -> None:
        """The figures can take a moment at 50,000 staff: compute them off the UI thread."""
        figures = self._page_figures(self.app.analysis)
        self.app.call_from_thread(self._show_figures, asked, figures)

    def _page_figures(self, analysis) -> tuple | None:
        """What the page shows, from `analysis` (None: the person is gone)."""
        person = self.person
        if person is None:
            return None
        rows = analysis.person_rows(self.employee_no)
        from reports.ratings import person_ratings

        ratings = person_ratings(analysis, self.employee_no)
        history = sorted(
            analysis.history_for(self.employee_no), key=lambda r: (r.date, r.seq), reverse=True
        )
        plans = sorted(analysis.plans_for(self.employee_no), key=lambda p: p.id)
        readiness = analysis.department_figures(person.department).readiness_pct
        robots = robots_operated_by(analysis, self.employee_no)
        return ratings, (person, rows, history, plans, readiness, robots)

    def _show_figures(self, asked: int, figures: tuple | None) -> None:
        """Show figures made for the `asked`-th reload, unless newer ones were shown already (a
        worker that finished after a quicker update)."""
        if asked < self._shown_asked:
            return
        self._shown_asked = asked
        if figures is None:
            self._gone()
            return
        self.ratings, shown = figures
        self._show(*shown)

    def _gone(self) -> None:
        self.query_one("#person-summary", Static).update(
            Text(
                _("No one with employee number {employee_no} any more.").format(
                    employee_no=self.employee_no
                ),
                style="bold red",
            )
        )

    def _show(
        self,
        person: Staff,
        rows: list[PersonRow],
        history: list[AssessmentRow],
        plans: list[TrainingPlan],
        readiness: float | None,
        robots: list[tuple[Robot, bool]] = (),
    ) -> None:
        self.shown = (person, rows, history, plans, readiness, robots)
        self.refresh_bindings()
        self.sub_title = f"{person.employee_no}"
        self.query_one("#person-summary", Static).update(self.summary(person, rows, readiness))
        self._fill_required(rows)
        self._fill_history(history)
        self._fill_plans(plans)
        self._fill_robots(robots)

    def _fill_robots(self, robots: list[tuple[Robot, bool]]) -> None:
        """The robots they operate and whether they are qualified for each (words, a sign)."""
        table = self.query_one("#person-robots", DataTable)
        if not table.columns:
            for label in ("Robot", "Name", "Phase", "Qualified"):
                table.add_column(_(COLUMN_TITLES[label]), key=label)
        table.clear()
        for robot, qualified in robots:
            table.add_row(
                Text(robot.code),
                one_line(robot.name, 40),
                Text(phase_label(robot.phase)),
                Text(_("✓ yes")) if qualified else Text(_("✗ no"), style="bold red"),
                key=robot.code,
            )
        self.query_one("#title-robots", Static).update(
            _("Robots they operate ({count})").format(count=len(robots))
        )

    def summary(self, person: Staff, rows: list[PersonRow], readiness: float | None) -> Text:
        ds = self.app.repo.ds
        department = ds.departments.get(person.department)
        role = ds.roles.get(person.role) if person.role else None
        text = one_line(person.name, style="bold")
        text.append(f"  {person.employee_no}")
        if not person.active:
            text.append("  " + _("INACTIVE (left out of figures)"), style="bold reverse")
        text.append("\n")
        text.append_text(one_line(department.name if department else _("(unknown department)")))
        text.append(f" ({person.department}) · ")
        text.append_text(one_line(role.name if role else _("no role")))
        agent = _("Digital agent: yes") if person.digital_agent else _("Digital agent: no")
        text.append(f" · {agent}")
        if person.start_date:
            started = _("Started {date}").format(date=format_date(person.start_date))
            text.append(f" · {started}")
        short = sum(1 for row in rows if row.gap > 0)
        text.append("\n" + _("Gaps:") + " ")
        text.append(
            _("{short} of {required} short").format(short=short, required=len(rows)), style="bold"
        )
        readiness_of = _("Readiness of {department} and below:").format(
            department=person.department
        )
        text.append(f" · {readiness_of} ")
        text.append(pct_text(readiness), style="bold")
        as_of = _("as of {date}").format(date=format_date(self.app.as_of))
        text.append(f" · {as_of}")
        return text

    def _competency_label(self, code: str) -> Text:
        """'DC1.1 Browsing, search…': the code, then as much of the name as fits."""
        width = self.widths["person-required"]["Competency"]
        competency = self.app.repo.ds.competencies.get(code)
        label = Text(code, style="bold")
        room = width - len(code) - 1
        if competency is not None and room > 3:
            label.append(" ")
            label.append_text(one_line(competency.name, room))
        return label

    def _fill_required(self, rows: list[PersonRow]) -> None:
        table = self.query_one("#person-required", DataTable)
        keep = self._cursor_key(table)
        table.clear()
        self.rows = {row.competency: row for row in rows}
        ratings = getattr(self, "ratings", {})
        for row in rows:
            rating = ratings.get(row.competency)
            plan = row.open_plan
            if plan is None:
                plan_cell = Text("—")
            else:
                plan_cell = Text(f"{plan.id}→{plan.target_level}")
                if not row.training_covered:
                    plan_cell.append("↓", style="bold")
            cells = [
                self._competency_label(row.competency),
                Text(str(row.required)),
                level_text(row.current),
                self_other_text(rating),
                stale_date_text(row.date, rating is not None and rating.stale),
                Text(source_label(row.source) if row.source else "—"),
                gap_bar(row.required, row.current, row.gap),
                plan_cell,
            ]
            if not self.self_other_shown:
                del cells[3]
            table.add_row(*cells, key=row.competency)
        self._restore_cursor(table, keep)
        title = Text(_("Required competencies") if rows else _("No competencies are required here"))
        title.append(f"  {_(LEGEND)}", style="not bold dim")
        self.query_one("#title-required", Static).update(title)

    def _fill_history(self, history: list[AssessmentRow]) -> None:
        table = self.query_one("#person-history", DataTable)
        widths = self.widths["person-history"]
        table.clear()
        self.history_competency = {}
        for row in history:
            key = str(row.seq)
            self.history_competency[key] = row.competency
            table.add_row(
                date_text(row.date),
                Text(row.competency),
                Text(str(row.level)),
                Text(source_label(row.source)),
                one_line(row.assessor or "—", widths["Assessor"]),
                date_text(row.valid_until),
                one_line(row.note, widths["Note"]),
                key=key,
            )
        title = _("Assessment history, newest first ({count})").format(count=len(history))
        self.query_one("#title-history", Static).update(title)

    def _fill_plans(self, plans: list[TrainingPlan]) -> None:
        table = self.query_one("#person-plans", DataTable)
        keep = self._cursor_key(table)
        table.clear()
        self.plans = {plan.id: plan for plan in plans}
        for plan in plans:
            table.add_row(
                Text(plan.id),
                Text(plan.competency),
                Text(str(plan.target_level)),
                one_line(plan.course or "—", self.widths["person-plans"]["Course"]),
                date_text(plan.due),
                Text(plan_status_label(plan.status)),
                date_text(plan.completed),
                key=plan.id,
            )
        self._restore_cursor(table, keep)
        self.query_one("#title-plans", Static).update(
            _("Training plans ({count})").format(count=len(plans))
        )

    @staticmethod
    def _cursor_key(table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @staticmethod
    def _restore_cursor(table: DataTable, key: str | None) -> None:
        if key is not None and key in table.rows:
            table.move_cursor(row=table.get_row_index(key), animate=False)

    def selected_competency(self) -> str | None:
        """The competency of the row under the cursor in the table that has focus."""
        focused = self.focused
        if not isinstance(focused, DataTable):
            return None
        key = self._cursor_key(focused)
        if key is None:
            return None
        if focused.id == "person-required":
            return key
        if focused.id == "person-history":
            return self.history_competency.get(key)
        plan = self.plans.get(key)
        return plan.competency if plan else None

    # ---- actions ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        person = self.person
        if action == "deactivate":
            return person is not None and person.active
        if action == "reactivate":
            return person is not None and not person.active
        if action in ("assess", "plan", "edit"):
            return person is not None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_assess(self) -> None:
        self.app.push_screen(AssessmentForm(self.employee_no, self.selected_competency()))

    def action_plan(self) -> None:
        """Update the plan under the cursor (or the competency's open plan), else add one."""
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "person-plans":
            plan = self.plans.get(self._cursor_key(focused) or "")
            if plan is not None:
                self.app.push_screen(TrainingPlanForm(self.employee_no, plan=plan))
                return
        competency = self.selected_competency()
        row = self.rows.get(competency or "")
        if row is not None and row.open_plan is not None:
            self.app.push_screen(TrainingPlanForm(self.employee_no, plan=row.open_plan))
            return
        target = row.required if row is not None else None
        self.app.push_screen(TrainingPlanForm(self.employee_no, competency, target_level=target))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a plan opens it (details, history, edit), as on the Training screen."""
        if event.data_table.id != "person-plans":
            return
        event.stop()
        plan = self.plans.get(event.row_key.value or "")
        if plan is not None:
            self.app.push_screen(PlanScreen(plan.id))

    def action_edit(self) -> None:
        if self.person is not None:
            self.app.push_screen(PersonForm(self.person))

    def action_deactivate(self) -> None:
        self._confirm_active(False)

    def action_reactivate(self) -> None:
        self._confirm_active(True)

    def _confirm_active(self, active: bool) -> None:
        person = self.person
        if person is None:
            return
        verb = _("Reactivate") if active else _("Deactivate")
        asked = (
            _("Reactivate {name} ({employee_no})?")
            if active
            else _("Deactivate {name} ({employee_no})?")
        )
        question = Text()
        before, _name, after = asked.partition("{name}")  # the name bold, never markup
        question.append(before)
        question.append_text(one_line(person.name, 50, style="bold"))
        question.append(after.format(employee_no=person.employee_no) + "\n\n")
        if active:
            question.append(_("They count in the figures again from now on."))
        else:
            question.append(
                _("They stay in the history but leave every figure and list of active staff.")
            )
            warning = last_operator_warning(self.app.analysis, person.employee_no)
            if warning:
                question.append(f"\n\n⚠ {warning}", style="bold")

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_active(person, active)

        self.app.push_screen(ConfirmDialog(question, verb), answered)

    def set_active(self, person: Staff, active: bool) -> None:
        """Save the change unless someone else changed the person meanwhile."""
        try:
            set_active(self.app.repo, person, active)
        except StoreError as error:
            self.app.notify(str(error), title=_("Not saved"), severity="error", markup=False)
            self.app.data_changed()
            return
        self.app.data_changed()
        done = _("{employee_no} reactivated") if active else _("{employee_no} deactivated")
        self.app.notify(done.format(employee_no=person.employee_no), markup=False)
