"""`kapabel check`: validate a database and list each problem."""

from __future__ import annotations

import argparse

from store import location, resolve_target
from store.errors import StoreError
from store.text import terminal_safe
from tui.commands.options import add_db_option, open_scoped


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate a database (schema, references, duplicate keys)",
        description="Validate a database and list each problem. Exit 0 when clean, 1 when not.",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run, takes_scope=True)


def report_lines(path: object, problems: list[str], counts: dict[str, int] | None) -> list[str]:
    """What `check` prints: one line per problem, then a verdict with the table counts."""
    lines = [f"problem: {problem}" for problem in problems]
    verdict = "clean" if not problems else f"{len(problems)} problem(s)"
    if counts is None:
        lines.append(f"{path}: {verdict} (the database could not be opened)")
    else:
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        lines.append(f"{path}: {verdict} ({summary})")
    return lines


def run(args: argparse.Namespace) -> int:
    path = resolve_target(getattr(args, "db", None))
    try:
        repo = open_scoped(args)
    except StoreError as error:
        problems, counts = [str(error)], None
    else:
        problems, counts = repo.problems(), repo.ds.counts()
    print(terminal_safe("\n".join(report_lines(location(path), problems, counts))))
    return 0 if not problems else 1
