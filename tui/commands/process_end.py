"""Whether this process ends as soon as its command returns.

Kept apart from `tui.cli` (which sets it) so that a command can ask without importing the
command line's module, which imports every command.
"""

_ENTERED_BY_RUN = [False]
"""Set by `tui.cli.run`: a command that may end its process at once will (`tui.cli.main` called
by a test or another program does not end it)."""


def mark_entered_by_run() -> None:
    _ENTERED_BY_RUN[0] = True


def process_ends_with_command() -> bool:
    """Whether a command that sets `quick_exit` ends the process as soon as it returns."""
    return _ENTERED_BY_RUN[0]
