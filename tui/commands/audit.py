"""`kapabel audit [--since DATE] [--employee NO]`: who changed what, and when."""

from __future__ import annotations

import argparse

from i18n import _
from store.text import terminal_safe
from tui.commands.options import add_db_option, iso_date, open_scoped


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "audit",
        help=_("list audit entries (who changed what, when)"),
        description=_("List audit entries, oldest first."),
    )
    add_db_option(parser)
    parser.add_argument(
        "--since", type=iso_date, metavar=_("YYYY-MM-DD"), help=_("from this date on")
    )
    parser.add_argument("--employee", metavar=_("NO"), help=_("only entries about this employee"))
    parser.set_defaults(handler=run, takes_scope=True)


def run(args: argparse.Namespace) -> int:
    from store.auditlog import describe, filter_entries, raw_entries

    repo = open_scoped(args)
    entries = filter_entries(raw_entries(repo), since=args.since, employee=args.employee)
    count = 0
    for entry in entries:
        count += 1
        at = str(entry.get("at", "")).replace("T", " ")[:19]
        what = f"{entry.get('action')} {entry.get('entity')} {entry.get('key')}"
        detail = describe(entry)
        line = f"{at}  {entry.get('user')}  {what}" + (f"  ({detail})" if detail else "")
        print(terminal_safe(line))
    if count == 0:
        print(_("no audit entries match"))
    return 0
