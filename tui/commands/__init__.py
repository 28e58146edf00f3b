"""One module per `kapabel` command; each adds its own sub-parser."""

from tui.commands import check, demo

COMMAND_MODULES = [demo, check]
