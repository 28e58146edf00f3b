"""The `kapabel` command line: opens the app, or runs one command and exits.

Each command lives in its own module under `tui/commands/` with `add_parser(subparsers)`; the
handler it sets returns the exit status. Textual is imported only when the app opens, so
`kapabel report` stays quick.
"""

from __future__ import annotations

import os

# Before numpy is imported (store imports it): Kapabel does no linear algebra, and OpenBLAS
# starting a thread per core cost each command ~30 ms of CPU at `import numpy` (0.11 -> 0.075 s
# user, 2 cores; issue 14). A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import NoReturn  # noqa: E402

from i18n import _  # noqa: E402
from store.errors import StoreError  # noqa: E402
from store.text import terminal_safe  # noqa: E402
from tui.commands import COMMAND_MODULES  # noqa: E402
from tui.commands.argparse_words import in_current_language  # noqa: E402
from tui.commands.options import (  # noqa: E402
    UsageError,
    add_db_option,
    add_scope_options,
    check_scope_allowed,
    iso_date,
)

__all__ = ["EXIT_OK", "EXIT_PROBLEM", "EXIT_USAGE", "UsageError", "build_parser", "main", "run"]

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


class KapabelParser(argparse.ArgumentParser):
    """argparse with the README's promise for bad usage: one line on stderr, exit status 2,
    and with argparse's own words in the current language (`tui.commands.argparse_words`).

    argparse prints the whole usage before its error; a user needs the problem and where help
    is, so the line names the command, the problem, and that command's --help.
    """

    def __init__(self, *args, **kwargs) -> None:
        with in_current_language():  # the -h option's help, the "options" heading
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with in_current_language():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, args=None, namespace=None):
        with in_current_language():  # its errors, and --help printed while parsing
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with in_current_language():
            return super().format_usage()

    def format_help(self) -> str:
        with in_current_language():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        problem = " ".join(message.removeprefix("argument ").split())
        raise UsageError(
            _("{problem}; see {prog} --help").format(problem=problem, prog=self.prog),
            prog=self.prog,
        )


def _remember_parser(parser: argparse.ArgumentParser) -> None:
    """Each (sub)command's parser in its defaults, so that an unknown option is reported by the
    command it was given to (argparse leaves that to the top-level parser); and whether it
    takes `kapabel --department/--read-only` (only those that say so: `takes_scope`). Every
    parser takes `--lang`, before or after the command."""
    parser.set_defaults(command_parser=parser)
    _add_lang_option(parser)
    if parser.get_default("takes_scope") is None:
        parser.set_defaults(takes_scope=False)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                _remember_parser(sub)


def _add_lang_option(parser: argparse.ArgumentParser) -> None:
    """`--lang da|en`: read by `main` before parsing (`_lang_given`), so that even the parser's
    own texts (--help) are in that language; given here for --help and to take its value."""
    from i18n import _

    parser.add_argument(
        "--lang",
        metavar="da|en",
        default=argparse.SUPPRESS,
        help=_(
            "language (default: $KAPABEL_LANG, else the one last chosen in the app, else the "
            "system's; see docs/languages.md)"
        ),
    )


def _lang_given(argv: Sequence[str]) -> str | None:
    """The value of the last `--lang X` or `--lang=X` in `argv` (before a `--`), or None."""
    given = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            given = argv[index + 1]
        elif arg.startswith("--lang="):
            given = arg.removeprefix("--lang=")
    return given


def start_language(argv: Sequence[str]) -> None:
    """Speak the language chosen by --lang, KAPABEL_LANG, the user's last choice in the app or
    the system locale (`i18n.choose_language`): once, before anything is said."""
    from i18n import choose_language, remembered_language, set_language

    set_language(choose_language(_lang_given(argv), os.environ, remembered_language()))


def kapabel_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kapabel")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked for (importlib.metadata costs ~40 ms)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, help=_("show the version and exit"))

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"kapabel {kapabel_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = KapabelParser(
        prog="kapabel",
        description=_(
            "Digital competencies, training and robots against the digitalisation "
            "strategy. Without a command, opens the app."
        ),
    )
    parser.add_argument("--version", action=_VersionAction)
    add_db_option(parser)
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar=_("YYYY-MM-DD"),
        default=None,
        help=_("show everything as of this date (default: today)"),
    )
    add_scope_options(parser)
    parser.set_defaults(handler=_open_app, takes_scope=True)
    subparsers = parser.add_subparsers(title=_("commands"), metavar=_("COMMAND"))
    for module in COMMAND_MODULES:
        module.add_parser(subparsers)
    _remember_parser(parser)
    return parser


def _open_app(args: argparse.Namespace) -> int:
    """Open the app at once; it loads the database in a worker behind a loading screen.

    Without a terminal there is no screen to explain a problem on, so the database is opened
    first and a damaged one ends as one line on stderr, exit status 1 (a browser session of
    `kapabel serve` has a screen: Textual's web driver, named in TEXTUAL_DRIVER).
    """
    from store import begin_reading, resolve_target
    from tui.commands.options import open_scoped

    path = resolve_target(getattr(args, "db", None))
    limits = {
        "department": getattr(args, "scope", None),
        "read_only": getattr(args, "read_only", False),
    }
    if not sys.stdout.isatty() and not os.environ.get("TEXTUAL_DRIVER"):
        repo = open_scoped(args, create=True)
        from tui.app import run_app

        return run_app(repo, as_of=args.as_of)
    begin_reading(path)  # a first start's history is parsed while the app's modules load
    from tui.app import run_app

    return run_app(as_of=args.as_of, db_path=path, **limits)


_QUICK_EXIT = [False]
"""Set by `main` when the command that ran may end its process at once (`run`)."""


def main(argv: Sequence[str] | None = None) -> int:
    from i18n import LanguageError

    argv = sys.argv[1:] if argv is None else list(argv)
    _QUICK_EXIT[0] = False  # set again below by a command that may end its process at once
    try:
        start_language(argv)
    except LanguageError as error:
        print(terminal_safe(f"kapabel: {error}"), file=sys.stderr)
        return EXIT_USAGE
    parser = build_parser()
    args = None
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            args.command_parser.error(_("unrecognized arguments: %s") % " ".join(unknown))
        check_scope_allowed(args)
        if getattr(args, "lang", None) is not None and _lang_given(argv) is None:
            start_language(["--lang", args.lang])  # an abbreviation argparse took (--la da)
        code = args.handler(args)
        _QUICK_EXIT[0] = code == EXIT_OK and getattr(args, "quick_exit", False)
        return code
    except UsageError as error:
        prog = error.prog or getattr(args, "command_parser", parser).prog
        print(terminal_safe(f"{prog}: {error}"), file=sys.stderr)
        return EXIT_USAGE
    except StoreError as error:
        print(terminal_safe(f"kapabel: {error}"), file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print(_("kapabel: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        _stdout_to_nowhere()  # the reader went (`kapabel report | head`): stop quietly
        return EXIT_PROBLEM


def _stdout_to_nowhere() -> None:
    """Point standard output at the null device, so that what is still buffered for a reader
    that has gone is dropped at exit, not reported as a second broken pipe."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a file (a test's capture): nothing is flushed to a pipe at exit
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, fd)
    os.close(nowhere)


def run() -> None:
    from tui.commands.process_end import mark_entered_by_run

    mark_entered_by_run()
    code = main()
    if _QUICK_EXIT[0]:
        # A one-shot command that loaded a database and wrote its output (a handler sets
        # `args.quick_exit`: folders only, no server connection to close). Tearing down what
        # it loaded -- every record freed one by one, every module cleared -- cost ~50 ms of
        # 0.35 s CPU at 5,000 staff and ~0.1 s at 50,000 (issue 14); the system frees the
        # memory at once. Its files are closed already; the output is flushed first.
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(code)  # as usual: Python reports the broken pipe
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
