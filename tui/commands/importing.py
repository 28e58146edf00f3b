"""`kapabel import KIND FILE`: bring in a CSV file or a workbook from the HR system, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from i18n import _, ngettext
from store import resolve_target
from store.kind_names import IMPORT_KINDS
from store.text import terminal_safe
from tui.commands.options import add_db_option


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help=_("import a CSV file or a workbook (departments, staff, assessments...)"),
        description=_(
            "Import a CSV file or a workbook (.xlsx, .xlsm, .ods): rows matched on their "
            "key are added, updated or left alone. Any invalid row and nothing is written; every "
            "problem is listed as file:line: column: what is wrong (a workbook's as "
            "file:sheet:row: column: ...), exit 1. A backup is made before writing."
        ),
    )
    parser.add_argument("kind", choices=IMPORT_KINDS, help=_("what the file holds"))
    parser.add_argument(
        "file", type=Path, help=_("the CSV file or workbook (or a framework's JSON file)")
    )
    parser.add_argument(
        "--sheet", metavar=_("NAME"), help=_("a workbook's sheet to read (default: the first)")
    )
    add_db_option(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help=_("check and summarise, write nothing")
    )
    parser.add_argument(
        "--sync",
        action="store_true",
        help=_(
            "staff only: the file is the whole staff; people missing from it are deactivated, people in it active"
        ),
    )
    parser.set_defaults(handler=run)


def robot_warnings(plan, repo, db) -> list[str]:
    """For a staff import that deactivates people: each who is (or was) the last qualified
    operator of a robot in production, with the robot named (`reports.robots`)."""
    if not (plan.deactivated or plan.updated):
        return []
    import datetime as dt

    from reports.analysis import analyse
    from reports.robots import deactivation_warnings, leaving_operators
    from store import open_store, store_exists

    if repo is None and not store_exists(db):
        return []
    repo = repo or open_store(db)
    leaving = leaving_operators(repo.ds, [*plan.deactivated, *plan.updated])
    if not leaving:
        return []
    return deactivation_warnings(analyse(repo.ds, dt.date.today()), leaving)


def run(args: argparse.Namespace) -> int:
    db = resolve_target(getattr(args, "db", None))
    from store.importing import import_into

    plan, repo = import_into(
        db, args.kind, args.file, dry_run=args.dry_run, sync=args.sync, sheet=args.sheet
    )
    for note in plan.notes:
        print(terminal_safe(_("note: {note}").format(note=note)))
    if plan.problems:
        for problem in plan.problems:
            print(terminal_safe(problem), file=sys.stderr)
        n = len(plan.problems)
        message = ngettext(
            "{n} problem(s): nothing was imported", "{n} problem(s): nothing was imported", n
        )
        print(message.format(n=n), file=sys.stderr)
        return 1
    verdict = _("dry run, nothing written") if args.dry_run else _("imported")
    print(_("{summary} ({verdict})").format(summary=plan.summary(), verdict=verdict))
    for warning in robot_warnings(plan, repo, db):
        print(terminal_safe(_("warning: {warning}").format(warning=warning)), file=sys.stderr)
    if repo is not None:
        repo.save_snapshot()  # after a large history import: faster opening from now on
    return 0
