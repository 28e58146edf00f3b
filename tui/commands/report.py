"""`kapabel report KIND`: write a report to stdout or a file, without starting the app."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from i18n import _
from tui.commands.options import UsageError, add_db_option, iso_date, open_scoped, whole_number

REPORT_CHOICES = (
    "gaps", "heatmap", "person", "training", "robots", "strategy", "trend", "coverage", "ratings",
    "experts", "compare",
)  # fmt: skip
"""Kept here too so `kapabel --help` does not import the reports (checked by a test)."""
OWN_OPTIONS = {
    "threshold": ("ratings", "--threshold"),
    "stale_months": ("ratings", "--stale-months"),
    "within_days": ("ratings", "--within-days"),
    "competency": ("experts", "--competency"),
    "min_level": ("experts", "--min-level"),
    "from_date": ("compare", "--from"),
    "to_date": ("compare", "--to"),
}
"""Options of one report kind: dest -> (kind, option); given to another kind, they are refused."""
MIN_WIDTH = 40
"""reports.render.text.MIN_WIDTH, for the same reason."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help=_("write a report ({kinds})").format(kinds=", ".join(REPORT_CHOICES)),
        description=_(
            "Write a report for the whole organisation or one department (and all below "
            "it), as of a date, to stdout or --output."
        ),
    )
    parser.add_argument(
        "kind", choices=REPORT_CHOICES, metavar=_("KIND"), help=", ".join(REPORT_CHOICES)
    )
    add_db_option(parser)
    parser.add_argument("--department", metavar=_("CODE"), help=_("only this department and below"))
    parser.add_argument(
        "--as-of",
        dest="report_as_of",
        type=iso_date,
        metavar=_("YYYY-MM-DD"),
        help=_("as of this date (default: today)"),
    )
    parser.add_argument(
        "--format", dest="fmt", choices=("text", "md", "csv", "json", "xlsx"), default="text",
        help=_("output format (default: text); xlsx: a workbook, written to --output"),
    )  # fmt: skip
    parser.add_argument("--output", metavar=_("FILE"), help=_("write to FILE instead of stdout"))
    parser.add_argument(
        "--width", type=whole_number(MIN_WIDTH), metavar="N",
        help=_("text format: wrap within N columns (default: the terminal's width on a "
        "terminal, else 100)"),
    )  # fmt: skip
    parser.add_argument("--employee", metavar=_("NO"), help=_("employee number (person report)"))
    parser.add_argument(
        "--threshold", type=whole_number(1), metavar="N",
        help=_("ratings: self and others this many levels apart disagree (default 2)"),
    )  # fmt: skip
    parser.add_argument(
        "--stale-months", type=whole_number(1), metavar="N",
        help=_("ratings: a required rating older than N months is stale (default 24)"),
    )  # fmt: skip
    parser.add_argument(
        "--within-days", type=whole_number(0), metavar="N",
        help=_("ratings: list required ratings lapsing within N days (default 60)"),
    )  # fmt: skip
    parser.add_argument("--competency", metavar=_("CODE"), help=_("experts: the competency"))
    parser.add_argument(
        "--min-level", type=whole_number(1), metavar="L",
        help=_("experts: everyone at level L or above (default: each department's highest)"),
    )  # fmt: skip
    parser.add_argument(
        "--from", dest="from_date", type=iso_date, metavar=_("YYYY-MM-DD"),
        help=_("compare: the earlier date"),
    )  # fmt: skip
    parser.add_argument(
        "--to", dest="to_date", type=iso_date, metavar=_("YYYY-MM-DD"),
        help=_("compare: the later date (default: the as-of date)"),
    )  # fmt: skip
    parser.set_defaults(handler=run, takes_scope=True)


def report_as_of(args: argparse.Namespace) -> dt.date:
    """The report's date: `report --to` (compare), `report --as-of`, else `kapabel --as-of`,
    else today."""
    return (
        getattr(args, "to_date", None)
        or args.report_as_of
        or getattr(args, "as_of", None)
        or dt.date.today()
    )


def report_options(args: argparse.Namespace) -> dict[str, object]:
    """The chosen kind's own options that were given (the report's defaults otherwise)."""
    return {
        dest: getattr(args, dest)
        for dest, (kind, _) in OWN_OPTIONS.items()
        if kind == args.kind and dest != "to_date" and getattr(args, dest, None) is not None
    }


def check_options(args: argparse.Namespace) -> None:
    """Refuse an option the chosen report would ignore, before the database is opened."""

    if args.kind == "person":
        if not args.employee:
            raise UsageError(_("the person report needs --employee NO"))
        if args.department:
            raise UsageError(
                _("--department does not apply to the person report (it is one person)")
            )
    elif args.employee:
        raise UsageError(
            _("--employee is only for the person report (use --department for a part)")
        )
    for dest, (kind, option) in OWN_OPTIONS.items():
        if getattr(args, dest, None) is not None and args.kind != kind:
            raise UsageError(
                _("{option} is only for the {kind} report").format(option=option, kind=kind)
            )
    if args.kind == "experts" and not args.competency:
        raise UsageError(_("the experts report needs --competency CODE"))
    if args.kind == "compare" and not args.from_date:
        raise UsageError(_("the compare report needs --from YYYY-MM-DD (and --to, default today)"))
    if args.kind == "compare" and args.report_as_of and args.to_date:
        raise UsageError(_("give the compare report --to, not --as-of as well"))
    if args.width is not None and args.fmt != "text":
        raise UsageError(
            _("--width is only for --format text (not {format})").format(format=args.fmt)
        )
    if args.fmt == "xlsx" and not args.output:
        raise UsageError(_("--format xlsx needs --output FILE (a workbook is not text to print)"))


def text_width(args: argparse.Namespace) -> int | None:
    """--width, else the terminal's width when the text goes to one, else None (the default)."""
    import shutil
    import sys

    if args.width is not None:
        return args.width
    if args.output is None and sys.stdout.isatty():
        return max(MIN_WIDTH, shutil.get_terminal_size().columns)
    return None


def run(args: argparse.Namespace) -> int:
    from reports import CURRENT_LEVEL_KINDS, ReportInputError, build_report, render_file
    from store import read_current_levels
    from store.gcpause import collector_paused, freeze_loaded
    from store.locations import is_url, resolve_target
    from tui.commands.process_end import process_ends_with_command

    check_options(args)
    as_of = report_as_of(args)
    # Pays: one command, so the collector would only rescan the loaded data: `report gaps` at
    # 50,000 staff, 0.73 s CPU paused against 0.77 s running (JSON), 1.00 against 1.41 s
    # (text) (`benchmarks/bench_collector.py --only open text`; docs/performance.md).
    with collector_paused():
        db = getattr(args, "db", None)
        limited = getattr(args, "scope", None) is not None or getattr(args, "read_only", False)
        if args.kind in CURRENT_LEVEL_KINDS and not limited:  # a server picks them itself
            ds = read_current_levels(db, as_of)
        else:
            ds = open_scoped(args).ds
        try:
            report = build_report(
                args.kind,
                ds,
                as_of,
                department=args.department,
                employee=args.employee,
                **report_options(args),
            )
        except ReportInputError as error:
            raise UsageError(str(error)) from None
        content = render_file(report, args.fmt, width=text_width(args))
        if args.output:
            write_output(Path(args.output).expanduser(), content)
        else:
            write_stdout(content, args.fmt)
        args.quick_exit = not is_url(resolve_target(db))  # nothing left to close (tui.cli.run)
        if args.quick_exit and process_ends_with_command():
            # The process ends now: the collection the pause's end would start scanned
            # everything made during it for nothing (~27 ms CPU at 50,000 staff, JSON).
            freeze_loaded()
    return 0


def write_stdout(content: str | bytes, fmt: str) -> None:
    """Print a report or export so that no character in it can act on the terminal: JSON with
    such characters as \\u escapes (the same JSON), text and Markdown (read by people) always
    with them shown as escapes, CSV only when the terminal is the reader (a pipe gets the data)."""
    import os
    import sys

    from store.text import json_safe, maybe_unsafe, terminal_safe

    escape = json_safe if fmt == "json" else terminal_safe
    if fmt not in ("json", "text", "md") and not sys.stdout.isatty():
        escape = None
    buffer = getattr(sys.stdout, "buffer", None)
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if buffer is None or encoding != "utf8" or os.linesep != "\n":
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        sys.stdout.write(text if escape is None else escape(text))
        return
    # Written as UTF-8 bytes, checked as bytes: a large report seldom holds a character to
    # escape, and the check is far quicker than the escaping's regular expression (issue 14).
    errors = sys.stdout.errors or "strict"
    data = content if isinstance(content, bytes) else content.encode("utf-8", errors)
    if escape is not None and maybe_unsafe(data):
        data = escape(data.decode("utf-8")).encode("utf-8", errors)
    sys.stdout.flush()
    buffer.write(data)


def write_output(path: Path, content: str | bytes) -> None:
    """Write the file (0600, atomically); a path that cannot be written is bad usage."""
    from store.files import OutputError
    from store.opening import write_for_people

    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        write_for_people(path, data)
    except OutputError as error:
        raise UsageError(_("--output: {problem}").format(problem=error)) from None
