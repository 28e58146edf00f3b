"""`kapabel serve`: the app in web browsers, with textual-serve.

Each browser session is its own process running the app (`kapabel [--department ...]
[--read-only]` on the database named in its KAPABEL_DB), so sessions share nothing but the database, whose locking and change detection
hold between processes as between terminals. The server binds to loopback unless told
otherwise and says so: it is meant to sit behind the organisation's reverse proxy and sign-on
(README, *In a browser*).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

from i18n import _, language
from tui.commands.options import (
    UsageError,
    add_db_option,
    add_scope_options,
    open_scoped,
    whole_number,
)

LANGUAGE_VARIABLE = "KAPABEL_LANG"
"""How `kapabel serve --lang` (the global option: tui/cli.py) reaches each session's app."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=_("serve the app to web browsers (each session its own process)"),
        description=_(
            "Serve the app to web browsers with textual-serve. Binds to loopback "
            "(127.0.0.1) unless --host says otherwise: put the organisation's reverse proxy and "
            "single sign-on in front of it (see the README)."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("address to listen on (default: 127.0.0.1)")
    )
    parser.add_argument(
        "--port", type=port_number, default=8000, metavar="N", help=_("port (default: 8000)")
    )
    add_db_option(parser)
    add_scope_options(parser)
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help=_(
            "the address browsers use, when a reverse proxy serves it elsewhere "
            "(https://kapabel.example.dk/); default http://HOST:PORT"
        ),
    )
    parser.set_defaults(handler=run, takes_scope=True)


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1-65535."""
    value = whole_number(1)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(_("not a port (1-65535): {value}").format(value=value))
    return value


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


DATABASE_VARIABLE = "KAPABEL_DB"
"""How the database reaches each session: in its environment, not on its command line, where
every user of the machine could read a URL's password (`ps`)."""


def session_command(args: argparse.Namespace) -> list[str]:
    """The command each browser session runs: this Kapabel's app with the same options (the
    database in DATABASE_VARIABLE)."""
    command = [sys.executable, "-m", "tui.cli"]
    if getattr(args, "as_of", None) is not None:
        command += ["--as-of", args.as_of.isoformat()]
    if getattr(args, "scope", None):
        command += ["--department", args.scope]
    if getattr(args, "read_only", False):
        command.append("--read-only")
    return command


def listening_message(host: str, port: int, public_url: str | None) -> str:
    """What the server says on start: where, and who can reach it."""
    where = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
    if is_loopback(host):
        reach = _(
            "loopback only: reachable from this machine alone; put a reverse proxy with "
            "sign-on in front to serve others (README, In a browser)"
        )
    else:
        reach = _(
            "on {host}: anyone who can reach this machine can open it, without signing on; "
            "prefer 127.0.0.1 behind a reverse proxy with sign-on"
        ).format(host=host)
    if public_url:
        message = _(
            "kapabel: serving on {where} ({reach}); browsers use {public}. Ctrl+C stops it."
        )
    else:
        message = _("kapabel: serving on {where} ({reach}). Ctrl+C stops it.")
    return message.format(where=where, reach=reach, public=public_url)


def run(args: argparse.Namespace) -> int:
    from store import resolve_target

    target = resolve_target(getattr(args, "db", None))
    repo = open_scoped(args)  # an unknown department or a missing database: one line, now
    repo.storage.close()
    os.environ[DATABASE_VARIABLE] = str(target)
    if getattr(args, "lang", None):  # the language it speaks (checked by `kapabel`'s start)
        os.environ[LANGUAGE_VARIABLE] = language()
    command = shlex.join(session_command(args))
    server = _server(command, args.host, args.port, args.public_url)
    try:
        server.serve()
    except OSError as error:
        raise UsageError(
            _("cannot listen on {host}:{port}: {why}").format(
                host=args.host, port=args.port, why=error.strerror
            )
        ) from None
    return 0


def _server(command: str, host: str, port: int, public_url: str | None):
    """textual-serve's Server, saying where it listens (and whether only this machine can
    reach it) instead of its banner."""
    from textual_serve.server import Server

    class KapabelServer(Server):
        async def on_startup(self, app) -> None:
            print(listening_message(host, port, public_url), file=sys.stderr, flush=True)

    return KapabelServer(command, host=host, port=port, title="Kapabel", public_url=public_url)
