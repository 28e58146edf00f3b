"""`kapabel copy SOURCE TARGET`: a whole database, between any two backends."""

from __future__ import annotations

import argparse

from store import location, open_store, resolve_target
from store.opening import is_url
from tui.commands.options import UsageError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "copy",
        help="copy a whole database to another (folder or PostgreSQL, either way)",
        description="Make TARGET exactly SOURCE: every table, the whole history and audit log, "
        "the id counters. Each is a database folder or a postgresql:// URL: folder -> "
        "PostgreSQL moves a database to a server (run `kapabel migrate --db URL` first), "
        "PostgreSQL -> folder makes a portable copy anyone can open. A folder TARGET is made "
        "if missing; a TARGET that holds data is refused unless --replace.",
    )
    parser.add_argument("source", metavar="SOURCE", help="the database to copy")
    parser.add_argument("target", metavar="TARGET", help="the database to make a copy of it")
    parser.add_argument(
        "--replace", action="store_true", help="replace what TARGET holds (else refused)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from store.copying import copy_database

    source, target = resolve_target(args.source), resolve_target(args.target)
    if str(source) == str(target):
        raise UsageError("SOURCE and TARGET are the same database")
    source_repo = open_store(source)
    target_repo = open_store(target, create=not is_url(target))
    try:
        counts = copy_database(source_repo, target_repo, replace=args.replace)
    finally:
        for repo in (source_repo, target_repo):
            repo.storage.close()
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    print(f"copied {location(source)} to {location(target)}: {summary}")
    return 0
