"""The list behind an Overview figure: one table of a report (coverage rules not met,
departments without a digital agent, ratings expiring soon), as `kapabel report` writes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from i18n import N_, format_integer
from tui.widgets.footer import KeysFooter
from tui.widgets.tables import cell

MAX_COLUMN = 32
"""A long name is cut in the list (with …); the report has it whole."""


class FindingsScreen(ModalScreen[None]):
    """Rows of one report table; Escape goes back to the Overview."""

    BINDINGS = [Binding("escape", "dismiss", N_("Close")), Binding("f1", "app.help", N_("Help"))]
    DEFAULT_CSS = """
    FindingsScreen { align: center middle; background: $background 60%; }
    FindingsScreen > Vertical {
        width: 100%; height: 100%; border: thick $primary; background: $surface; padding: 0 1;
    }
    FindingsScreen DataTable { height: 1fr; }
    """
    AUTO_FOCUS = "#findings"

    def __init__(self, title: str, headers: list[str], rows: list[list[str]]) -> None:
        super().__init__()
        self.heading, self.headers, self.rows = title, headers, rows
        self.TITLE = title  # Help's "Keys on ..." names the list (already in the language)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                cell(f"{self.heading}: {format_integer(len(self.rows))}"), id="findings-title"
            )
            yield DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#findings", DataTable)
        for index, header in enumerate(self.headers):
            longest = max((len(row[index]) for row in self.rows), default=0)
            table.add_column(header, key=header, width=min(MAX_COLUMN, max(longest, len(header))))
        for row in self.rows:
            table.add_row(*(cell(value) for value in row))


def findings_rows(analysis, key: str) -> tuple[str, list[str], list[list[str]]]:
    """(title, headers, rows as text) of the report table behind Overview figure `key`: the
    same builders and cells as `kapabel report coverage` / `ratings`."""
    from reports.coverage import build_coverage
    from reports.ratings import DatedPair, RatingFindings, RatingsReport, expiring_pairs
    from reports.render.cells import cell_text

    if key == "expiring":
        pairs: list[DatedPair] = expiring_pairs(analysis)
        names = {p.employee_no: analysis.ds.staff[p.employee_no].name for p in pairs}
        report = RatingsReport(
            analysis.as_of, None, RatingFindings([], [], pairs), 2, 24, 60, names
        )
        table = report.tables()[2]
    else:
        report = build_coverage(analysis)
        table = report.tables()[0 if key == "coverage" else 1]
        if key == "coverage":  # the unmet ones: what the figure counts (not by the cell's words)
            met = [r.met for c in report.coverage for r in c.results]
            table.rows = [row for row, is_met in zip(table.rows, met, strict=True) if not is_met]
    headers = [cell_text(header) for header in table.headers]
    return cell_text(table.title), headers, [[cell_text(v) for v in row] for row in table.rows]
