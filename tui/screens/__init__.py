"""One module per screen; the screens in order, with their keys (the app, its help)."""

SCREENS_IN_ORDER: list[tuple[str, str, str]] = [
    # (mode name, key, title)
    ("overview", "1", "Overview"),
    ("organisation", "2", "Organisation"),
    ("people", "3", "People"),
    ("competencies", "4", "Competencies"),
    ("training", "5", "Training"),
    ("reports", "6", "Reports"),
    ("audit", "7", "Audit log"),
    ("import", "8", "Import"),
    ("strategy", "9", "Strategy"),
    ("robots", "0", "Robots"),
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
