"""`kapabel backup` and `kapabel restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from i18n import _
from store import open_store
from store.backup import KeepCountError, keep_count, make_backup, restore
from tui.commands.options import UsageError, add_db_option, not_a_whole_number


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "backup",
        help=_("write a timestamped backup of the database"),
        description=_(
            "Write a timestamped copy of the database to <db>/backups/ and keep the last "
            "N (--keep, else $KAPABEL_KEEP_BACKUPS, else 10)."
        ),
    )
    add_db_option(parser)
    parser.add_argument(
        "--keep", type=_at_least_one, default=None, metavar="N", help=_("how many backups to keep")
    )
    parser.set_defaults(handler=run_backup)

    parser = subparsers.add_parser(
        "restore",
        help=_("put a backup back (the current state is kept as a backup)"),
        description=_("Check a backup, keep the current database as a backup, then restore it."),
    )
    parser.add_argument(
        "file", type=Path, help=_("a backup folder, or its name as in <db>/backups/")
    )
    add_db_option(parser)
    parser.set_defaults(handler=run_restore)


def _at_least_one(text: str) -> int:
    try:
        return keep_count(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(not_a_whole_number(text)) from None
    except KeepCountError:
        raise argparse.ArgumentTypeError(
            _("must be at least 1 (got {value})").format(value=text.strip())
        ) from None


def run_backup(args: argparse.Namespace) -> int:
    try:
        keep = keep_count(args.keep)  # $KAPABEL_KEEP_BACKUPS checked before anything is opened
    except KeepCountError as error:
        raise UsageError(str(error)) from None
    repo = open_store(getattr(args, "db", None))
    path = make_backup(repo, keep=keep)
    print(_("backup written to {path}").format(path=path))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    repo = open_store(getattr(args, "db", None))
    kept = restore(repo, args.file)  # a bare name is looked up in <db>/backups/
    print(
        _("restored {file}; the state before is kept in {kept}").format(file=args.file, kept=kept)
    )
    return 0
