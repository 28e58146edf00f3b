"""What the `kapabel` command line and each command share: the usage error and option types.

Its own module, below `tui.cli` and every `tui.commands` module, so that neither imports the
other (`tui.cli` imports the commands to build its parser).
"""

from __future__ import annotations

import argparse
import datetime as dt


class UsageError(Exception):
    """Bad input on the command line: one line on stderr, exit status 2."""

    def __init__(self, message: str, prog: str | None = None) -> None:
        super().__init__(message)
        self.prog = prog


def iso_date(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD dates, with a message that names the value."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def whole_number(minimum: int):
    """argparse type for a whole number of at least `minimum`, naming a bad value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}: {value}")
        return value

    return parse


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database folder or postgresql:// URL (default: $KAPABEL_DB, else the user data "
        "directory)",
    )
