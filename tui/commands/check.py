"""`kapabel check`: validate a database and list each problem."""

from __future__ import annotations

import argparse

from i18n import _, ngettext
from store import location, resolve_target
from store.errors import StoreError
from store.text import terminal_safe
from tui.commands.options import add_db_option, open_scoped, table_counts


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help=_("validate a database (schema, references, duplicate keys)"),
        description=_("Validate a database and list each problem. Exit 0 when clean, 1 when not."),
    )
    add_db_option(parser)
    parser.set_defaults(handler=run, takes_scope=True)


def report_lines(path: object, problems: list[str], counts: dict[str, int] | None) -> list[str]:
    """What `check` prints: one line per problem, then a verdict with the table counts."""
    lines = [_("problem: {problem}").format(problem=problem) for problem in problems]
    n = len(problems)
    verdict = _("clean") if not n else ngettext("{n} problem(s)", "{n} problem(s)", n).format(n=n)
    if counts is None:
        line = _("{path}: {verdict} (the database could not be opened)")
        lines.append(line.format(path=path, verdict=verdict))
    else:
        line = _("{path}: {verdict} ({counts})")
        lines.append(
            line.format(path=path, verdict=verdict, counts=table_counts(counts, zeros=True))
        )
    return lines


def run(args: argparse.Namespace) -> int:
    path = resolve_target(getattr(args, "db", None))
    try:
        repo = open_scoped(args, validate_everything=True)  # a check trusts no recorded hash
    except StoreError as error:
        problems, counts = [str(error)], None
    else:
        problems, counts = repo.problems(), repo.ds.counts()
    print(terminal_safe("\n".join(report_lines(location(path), problems, counts))))
    return 0 if not problems else 1
