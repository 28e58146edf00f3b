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


def add_scope_options(parser: argparse.ArgumentParser) -> None:
    """`--department CODE` and `--read-only`: open the database limited to one department and
    all below it, or refusing every save (`store.open_store`; for the app, `serve` and the
    commands that only read)."""
    parser.add_argument(
        "--department",
        dest="scope",
        metavar="CODE",
        default=argparse.SUPPRESS,
        help="show only this department and all below it (nothing outside can be reached)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="open the database read-only: every save is refused",
    )


SCOPE_COMMANDS = "the app, serve, report, export, audit, check and person export"


def check_scope_allowed(args: argparse.Namespace) -> None:
    """--department and --read-only are refused by a command that writes or copies the whole
    database (import, backup, restore, erase, demo, copy, migrate), rather than ignored."""
    asked = [
        option
        for option, given in (
            ("--department", getattr(args, "scope", None)),
            ("--read-only", getattr(args, "read_only", False)),
        )
        if given
    ]
    if asked and not getattr(args, "takes_scope", True):
        raise UsageError(f"{' and '.join(asked)} apply only to {SCOPE_COMMANDS}")


def open_scoped(args: argparse.Namespace, **options):
    """The database of `--db`, limited by `kapabel --department` and `--read-only`."""
    from store import open_store

    return open_store(
        getattr(args, "db", None),
        department=getattr(args, "scope", None),
        read_only=getattr(args, "read_only", False),
        **options,
    )
