"""`kapabel migrate`: bring a database's schema up to this program's."""

from __future__ import annotations

import argparse
import sys

from i18n import _
from store import location, migrate_store, resolve_target
from store.locations import ENV_VAR
from store.opening import is_url
from tui.commands.options import UsageError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help=_("bring a PostgreSQL database's schema up to this Kapabel's"),
        description=_(
            "Create Kapabel's tables in an empty PostgreSQL database, or apply the "
            "migrations an older Kapabel's database lacks, in one transaction, recorded in the "
            "database and in its audit log. A database a newer Kapabel migrated is refused "
            "(exit 1). A folder database needs no command: it is migrated when it is opened."
        ),
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=_(
            "postgresql://[USER@]HOST[:PORT]/DATABASE[?sslmode=...] (default: ${variable})"
        ).format(variable=ENV_VAR),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    target = resolve_target(getattr(args, "db", None))
    if not is_url(target):
        raise UsageError(_("--db (or $KAPABEL_DB) must be a postgresql:// URL"))
    before, after = migrate_store(target)
    where = location(target)
    if before == after:
        print(_("{where}: schema {after}, up to date").format(where=where, after=after))
    else:
        print(
            _("{where}: schema {before} -> {after}").format(where=where, before=before, after=after)
        )
    sys.stdout.flush()
    return 0
