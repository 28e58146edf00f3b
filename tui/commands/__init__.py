"""One module per `kapabel` command; each adds its own sub-parser."""

from tui.commands import (
    audit,
    backup,
    check,
    copy,
    demo,
    exporting,
    importing,
    migrate,
    person,
    report,
    robot,
    serve,
)

COMMAND_MODULES = [demo, check, report]
COMMAND_MODULES += [importing, exporting, backup, person, audit]  # issue 4
COMMAND_MODULES += [migrate, copy]  # issue 11
COMMAND_MODULES += [robot]  # issue 12
COMMAND_MODULES += [serve]  # issue 13
