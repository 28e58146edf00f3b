"""The names of the kinds of file `kapabel import` reads and `kapabel export` writes.

The command line offers them as choices when it builds its parser, for every command; importing
`store.importing` for that cost each command ~11 ms of its start-up, so the names live here
alone (tests/store/test_kind_names.py holds them equal to `store.importing.KINDS`).
"""

IMPORT_KINDS: tuple[str, ...] = (
    "departments",
    "roles",
    "staff",
    "competencies",
    "requirements",
    "coverage-rules",
    "assessments",
    "training",
    "robot-benefits",
    "themes",
    "stakeholders",
    "milestones",
    "governance",
    "robots",
    "robot-operators",
    "robot-competencies",
)
