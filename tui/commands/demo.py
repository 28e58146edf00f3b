"""`kapabel demo`: write the demo municipality and open it."""

from __future__ import annotations

import argparse
import shutil

from i18n import _
from store import location, open_store, resolve_target
from store.errors import StoreError
from store.locations import demo_db_path
from store.opening import is_url
from tui.commands.options import UsageError, add_db_option, table_counts, whole_number


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help=_("write the demo municipality and open it"),
        description=_(
            "Write a fictional Danish municipality (deterministic for a seed) to its own "
            "demo folder, or to --db, and open it. Never writes into the default database."
        ),
    )
    add_db_option(parser)
    parser.add_argument(
        "--staff", type=whole_number(1), default=1200, help=_("staff count (default 1200)")
    )
    parser.add_argument("--seed", type=int, default=1, help=_("random seed (default 1)"))
    parser.add_argument("--force", action="store_true", help=_("replace an existing database"))
    parser.add_argument("--no-open", action="store_true", help=_("write it, do not open the app"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from store.demo import DEMO_AS_OF, generate

    target = resolve_target(args.db) if getattr(args, "db", None) else demo_db_path()
    if is_url(target):
        repo = _server_database(target, force=args.force)
    else:
        repo = _folder_database(Path(target), force=args.force)
    counts = generate(repo, staff=args.staff, seed=args.seed)
    message = _("demo database written to {target}: {counts}")
    print(message.format(target=location(target), counts=table_counts(counts)))
    if args.no_open:
        return 0
    from tui.app import run_app

    # The demo's history ends at DEMO_AS_OF: open it there unless --as-of says otherwise.
    return run_app(repo, as_of=args.as_of or DEMO_AS_OF)


def _server_database(url: str, *, force: bool):
    """A migrated PostgreSQL database made new for the demo (one that holds data: --force)."""
    from store.copying import TargetNotEmptyError, make_new

    repo = open_store(url)
    try:
        make_new(repo, replace=force)
    except TargetNotEmptyError as error:
        raise UsageError(_("{problem}: add --force to replace it").format(problem=error)) from None
    return repo


def _folder_database(path, *, force: bool):
    if path.exists() and not path.is_dir():
        raise UsageError(_("{path} is a file, not a database folder").format(path=path))
    if path.exists() and any(path.iterdir()):
        if not force:
            raise UsageError(
                _("{path} already holds a database: add --force to replace it").format(path=path)
            )
        if not (path / "meta.json").exists():
            raise UsageError(
                _("{path} is not empty and not a Kapabel database: not replacing it").format(
                    path=path
                )
            )
        if path.is_symlink():
            raise UsageError(
                _(
                    "{path} is a symbolic link: --force replaces only the folder itself "
                    "(give {target})"
                ).format(path=path, target=path.resolve())
            )
        try:
            shutil.rmtree(path)
        except OSError as error:
            raise StoreError(
                _("{path}: cannot be replaced: {why}").format(
                    path=path, why=error.strerror or error
                )
            ) from None
    return open_store(path, create=True)
