"""One module per `kapabel` command; each adds its own sub-parser."""

from tui.commands import check, demo, report

COMMAND_MODULES = [demo, check, report]
