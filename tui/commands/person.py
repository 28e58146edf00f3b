"""`kapabel person export|erase EMPLOYEE_NO`: a person's right of access and to erasure."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from store.text import terminal_safe
from tui.commands.options import add_db_option, open_scoped

if TYPE_CHECKING:
    from store import Repository


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "person",
        help="export or erase everything held about one person",
        description="Everything held about one person (GDPR access), or its erasure.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="print everything held about the person")
    export.add_argument("employee_no")
    export.add_argument("--format", choices=["json", "text"], default="json")
    add_db_option(export)
    export.set_defaults(handler=run_export, takes_scope=True)
    erase = actions.add_parser(
        "erase", help="erase the person's data everywhere (pseudonymised in the audit log)"
    )
    erase.add_argument("employee_no")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
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
        print(f"finished the interrupted erasure of {employee_no} {_done(finished)}")
        return 0
    try:
        scope = erasure_scope(repo, employee_no)
    except NotFoundError:
        print(f"nothing is held about {employee_no}: erased already, or never recorded")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            print("kapabel: person erase: add --yes to erase without a terminal", file=sys.stderr)
            return 2
        data = scope["data"] or {"profile": None, "assessments": [], "training_plans": []}
        name = (data["profile"] or {}).get("name") or employee_no
        name, employee_no = terminal_safe(name), terminal_safe(employee_no)
        print(
            f"This erases {name} ({employee_no}) for good: {len(data['assessments'])} "
            f"assessment(s), {len(data['training_plans'])} training plan(s), robot roles, and "
            f"their name in the audit log and in {scope['backups']} backup(s)."
        )
        if input(f"Type {employee_no} to confirm: ").strip() != employee_no:
            print("not confirmed: nothing was erased")
            return 1
    result = erase_person(repo, employee_no)
    print(f"erased {employee_no} {_done(result)}")
    return 0


def _done(result: dict) -> str:
    counts = ", ".join(f"{n} {what}" for what, n in result["counts"].items() if n)
    return f"(now {result['pseudonym']} in the audit log): {counts or 'nothing left to remove'}"
