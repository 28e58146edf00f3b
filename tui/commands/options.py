"""What the `kapabel` command line and each command share: the usage error and option types.

Its own module, below `tui.cli` and every `tui.commands` module, so that neither imports the
other (`tui.cli` imports the commands to build its parser).
"""

from __future__ import annotations

import argparse
import datetime as dt

from i18n import N_, _, ngettext


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
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {text!r}").format(text=text)
        ) from None


def whole_number(minimum: int):
    """argparse type for a whole number of at least `minimum`, naming a bad value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(not_a_whole_number(text)) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                _("must be at least {minimum}: {value}").format(minimum=minimum, value=value)
            )
        return value

    return parse


def not_a_whole_number(text: str) -> str:
    return _("not a whole number: {text!r}").format(text=text)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar=_("PATH"),
        default=argparse.SUPPRESS,
        help=_(
            "database folder or postgresql:// URL (default: $KAPABEL_DB, else the user data "
            "directory)"
        ),
    )


def add_scope_options(parser: argparse.ArgumentParser) -> None:
    """`--department CODE` and `--read-only`: open the database limited to one department and
    all below it, or refusing every save (`store.open_store`; for the app, `serve` and the
    commands that only read)."""
    parser.add_argument(
        "--department",
        dest="scope",
        metavar=_("CODE"),
        default=argparse.SUPPRESS,
        help=_("show only this department and all below it (nothing outside can be reached)"),
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("open the database read-only: every save is refused"),
    )


SCOPE_COMMANDS = N_("the app, serve, report, export, audit, check and person export")


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
        options = asked[0]
        if len(asked) == 2:
            options = _("{first} and {second}").format(first=asked[0], second=asked[1])
        message = _("{options} apply only to {commands}")
        raise UsageError(message.format(options=options, commands=_(SCOPE_COMMANDS)))


def open_scoped(args: argparse.Namespace, **options):
    """The database of `--db`, limited by `kapabel --department` and `--read-only`."""
    from store import open_store

    return open_store(
        getattr(args, "db", None),
        department=getattr(args, "scope", None),
        read_only=getattr(args, "read_only", False),
        **options,
    )


def table_counts(counts: dict[str, int], *, zeros: bool = False) -> str:
    """ "12 departments, 1200 staff": each table's count (not those at 0 unless `zeros`), in
    the current language (the English words are the tables' names, as `kapabel import` and
    `export` call them)."""
    return ", ".join(table_count(name, n) for name, n in counts.items() if n or zeros)


def table_count(name: str, n: int) -> str:
    """One table's count, in words."""
    words = {
        "departments": ngettext("{n} departments", "{n} departments", n),
        "roles": ngettext("{n} roles", "{n} roles", n),
        "staff": ngettext("{n} staff", "{n} staff", n),
        "frameworks": ngettext("{n} frameworks", "{n} frameworks", n),
        "competencies": ngettext("{n} competencies", "{n} competencies", n),
        "requirements": ngettext("{n} requirements", "{n} requirements", n),
        "coverage_rules": ngettext("{n} coverage_rules", "{n} coverage_rules", n),
        "courses": ngettext("{n} courses", "{n} courses", n),
        "training_plans": ngettext("{n} training_plans", "{n} training_plans", n),
        "robots": ngettext("{n} robots", "{n} robots", n),
        "themes": ngettext("{n} themes", "{n} themes", n),
        "milestones": ngettext("{n} milestones", "{n} milestones", n),
        "governance": ngettext("{n} governance", "{n} governance", n),
        "settings": ngettext("{n} settings", "{n} settings", n),
        "assessments": ngettext("{n} assessments", "{n} assessments", n),
        "robot_benefits": ngettext("{n} robot_benefits", "{n} robot_benefits", n),
        "audit": ngettext("{n} audit", "{n} audit", n),
        # what an erasure removed (store.erasure)
        "staff record": ngettext("{n} staff record", "{n} staff record", n),
        "training plans": ngettext("{n} training plans", "{n} training plans", n),
        "audit entries": ngettext("{n} audit entries", "{n} audit entries", n),
        "backups rewritten": ngettext("{n} backups rewritten", "{n} backups rewritten", n),
        "partial backups removed": ngettext(
            "{n} partial backups removed", "{n} partial backups removed", n
        ),
        "torn lines files": ngettext("{n} torn lines files", "{n} torn lines files", n),
    }
    return words.get(name, "{n} " + name).format(n=n)
