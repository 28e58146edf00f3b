"""A table of how many records each table of the database holds."""

from __future__ import annotations

from textual.widgets import DataTable

from i18n import _, format_integer


class CountsTable(DataTable):
    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns(_("Table"), _("Records"))
        for name, count in self.app.repo.ds.counts().items():
            self.add_row(name.replace("_", " "), format_integer(count))
