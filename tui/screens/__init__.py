"""One module per screen; the screens in order, with their keys (the app, its help)."""

from i18n import N_

SCREENS_IN_ORDER: list[tuple[str, str, str]] = [
    # (mode name, key, title: shown through i18n._)
    ("overview", "1", N_("Overview")),
    ("organisation", "2", N_("Organisation")),
    ("people", "3", N_("People")),
    ("competencies", "4", N_("Competencies")),
    ("training", "5", N_("Training")),
    ("reports", "6", N_("Reports")),
    ("audit", "7", N_("Audit log")),
    ("import", "8", N_("Import")),
    ("strategy", "9", N_("Strategy")),
    ("robots", "0", N_("Robots")),
]

SERVER_FILE_MODES = frozenset({"import"})
"""Screens that read files on the machine running the app. In a browser (`kapabel serve`) the
user is not at that machine and may not see its files: these are not offered there
(`KapabelApp.server_files_allowed`; README, *In a browser*)."""


MODE_SCREENS: dict[str, tuple[str, str]] = {
    # mode name: (module, class); imported when first shown, so the first frame waits for none
    "overview": ("tui.screens.overview", "OverviewScreen"),
    "organisation": ("tui.screens.organisation", "OrganisationScreen"),
    "people": ("tui.screens.people", "PeopleScreen"),
    "competencies": ("tui.screens.competencies", "CompetenciesScreen"),
    "training": ("tui.screens.training", "TrainingScreen"),
    "reports": ("tui.screens.reports_screen", "ReportsScreen"),
    "audit": ("tui.screens.audit", "AuditScreen"),
    "import": ("tui.screens.import_screen", "ImportScreen"),
    "strategy": ("tui.screens.strategy", "StrategyScreen"),
    "robots": ("tui.screens.robots", "RobotsScreen"),
}
