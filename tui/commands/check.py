"""`kapabel check`: validate a database and list each problem."""

from __future__ import annotations

import argparse

from store.errors import CorruptFileError
from store.locations import resolve_db_path
from store.repository import FolderRepository


def add_parser(subparsers) -> None:
    from tui.cli import add_db_option

    parser = subparsers.add_parser(
        "check",
        help="validate a database (schema, references, duplicate keys)",
        description="Validate a database and list each problem. Exit 0 when clean, 1 when not.",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = resolve_db_path(getattr(args, "db", None))
    try:
        repo = FolderRepository.open(path)
    except CorruptFileError as error:
        print(f"problem: {error}")
        return 1
    problems = repo.problems()
    for problem in problems:
        print(f"problem: {problem}")
    counts = ", ".join(f"{n} {name}" for name, n in repo.ds.counts().items())
    verdict = "clean" if not problems else f"{len(problems)} problem(s)"
    print(f"{path}: {verdict} ({counts})")
    return 0 if not problems else 1
