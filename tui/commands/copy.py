"""`kapabel copy SOURCE TARGET`: a whole database, between any two backends."""

from __future__ import annotations

import argparse

from i18n import _
from store import location, open_store, resolve_target
from store.opening import is_url
from tui.commands.options import UsageError, table_counts


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "copy",
        help=_("copy a whole database to another (folder or PostgreSQL, either way)"),
        description=_(
            "Make TARGET exactly SOURCE: every table, the whole history and audit log, "
            "the id counters. Each is a database folder or a postgresql:// URL: folder -> "
            "PostgreSQL moves a database to a server (run `kapabel migrate --db URL` first), "
            "PostgreSQL -> folder makes a portable copy anyone can open. A folder TARGET is made "
            "if missing; a TARGET that holds data is refused unless --replace."
        ),
    )
    parser.add_argument("source", metavar=_("SOURCE"), help=_("the database to copy"))
    parser.add_argument("target", metavar=_("TARGET"), help=_("the database to make a copy of it"))
    parser.add_argument(
        "--replace", action="store_true", help=_("replace what TARGET holds (else refused)")
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from store.copying import copy_database

    source, target = resolve_target(args.source), resolve_target(args.target)
    if str(source) == str(target):
        raise UsageError(_("SOURCE and TARGET are the same database"))
    source_repo = open_store(source)
    target_repo = open_store(target, create=not is_url(target))
    try:
        counts = copy_database(source_repo, target_repo, replace=args.replace)
    finally:
        for repo in (source_repo, target_repo):
            repo.storage.close()
    message = _("copied {source} to {target}: {counts}")
    print(
        message.format(
            source=location(source), target=location(target), counts=table_counts(counts)
        )
    )
    return 0
