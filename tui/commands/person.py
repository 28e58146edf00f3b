"""`kapabel person export|erase EMPLOYEE_NO`: a person's right of access and to erasure."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from i18n import _
from store.text import terminal_safe
from tui.commands.options import add_db_option, open_scoped, table_counts

if TYPE_CHECKING:
    from store import Repository


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "person",
        help=_("export or erase everything held about one person"),
        description=_("Everything held about one person (GDPR access), or its erasure."),
    )
    actions = parser.add_subparsers(title=_("actions"), metavar=_("ACTION"), required=True)
    export = actions.add_parser("export", help=_("print everything held about the person"))
    export.add_argument("employee_no")
    export.add_argument("--format", choices=["json", "text"], default="json")
    add_db_option(export)
    export.set_defaults(handler=run_export, takes_scope=True)
    erase = actions.add_parser(
        "erase", help=_("erase the person's data everywhere (pseudonymised in the audit log)")
    )
    erase.add_argument("employee_no")
    erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    add_db_option(erase)
    erase.set_defaults(handler=run_erase)


def _open(args: argparse.Namespace) -> Repository:
    return open_scoped(args)


def run_export(args: argparse.Namespace) -> int:
    import orjson

    from store.person import person_data, person_text
    from store.text import json_safe

    data = person_data(_open(args), args.employee_no.strip())
    if args.format == "json":
        sys.stdout.write(json_safe(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()) + "\n")
    else:
        sys.stdout.write(terminal_safe(person_text(data)))
    return 0


def run_erase(args: argparse.Namespace) -> int:
    from store.erasure import erase_person, erasure_scope
    from store.errors import NotFoundError

    repo = _open(args)  # a folder finishes an erasure a crash interrupted
    employee_no = args.employee_no.strip()
    finished = getattr(repo, "finished_erasure", None)  # a server erases in one transaction
    if finished is not None and finished["employee_no"] == employee_no:
        message = _("finished the interrupted erasure of {employee_no} {done}")
        print(message.format(employee_no=employee_no, done=_done(finished)))
        return 0
    try:
        scope = erasure_scope(repo, employee_no)
    except NotFoundError:
        message = _("nothing is held about {employee_no}: erased already, or never recorded")
        print(message.format(employee_no=employee_no))
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                _("kapabel: person erase: add --yes to erase without a terminal"), file=sys.stderr
            )
            return 2
        data = scope["data"] or {"profile": None, "assessments": [], "training_plans": []}
        name = (data["profile"] or {}).get("name") or employee_no
        name, employee_no = terminal_safe(name), terminal_safe(employee_no)
        print(
            _(
                "This erases {name} ({employee_no}) for good: {assessments} assessment(s), "
                "{plans} training plan(s), robot roles, and their name in the audit log and in "
                "{backups} backup(s)."
            ).format(
                name=name,
                employee_no=employee_no,
                assessments=len(data["assessments"]),
                plans=len(data["training_plans"]),
                backups=scope["backups"],
            )
        )
        typed = input(_("Type {employee_no} to confirm: ").format(employee_no=employee_no))
        if typed.strip() != employee_no:
            print(_("not confirmed: nothing was erased"))
            return 1
    result = erase_person(repo, employee_no)
    print(_("erased {employee_no} {done}").format(employee_no=employee_no, done=_done(result)))
    return 0


def _done(result: dict) -> str:
    counts = table_counts(result["counts"]) or _("nothing left to remove")
    message = _("(now {pseudonym} in the audit log): {counts}")
    return message.format(pseudonym=result["pseudonym"], counts=counts)
