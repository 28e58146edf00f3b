"""`kapabel export KIND`: a table as CSV, or a workbook for an .xlsx --output, in the import format
(export -> import changes nothing)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from i18n import _, ngettext
from store.kind_names import IMPORT_KINDS
from tui.commands.options import add_db_option, open_scoped


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help=_("export a table as CSV (or .xlsx) in the import format"),
        description=_(
            "Write a table as CSV with the columns `kapabel import` reads, or as a "
            "workbook when --output ends in .xlsx (typed cells, text never a formula). CSV cells that "
            "a spreadsheet would run as a formula get a leading apostrophe, removed again on import."
        ),
    )
    parser.add_argument("kind", choices=IMPORT_KINDS, help=_("what to export"))
    add_db_option(parser)
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        help=_("write to FILE (default: stdout); FILE.xlsx: a workbook"),
    )
    parser.set_defaults(handler=run, takes_scope=True)


def run(args: argparse.Namespace) -> int:
    repo = open_scoped(args)
    if args.output is not None and args.output.suffix.lower() == ".xlsx":
        from store.exporting import export_xlsx
        from tui.commands.report import write_output

        data, rows = export_xlsx(args.kind, repo.ds)
        write_output(args.output.expanduser(), data)
        print(rows_written(args.kind, rows, args.output), file=sys.stderr)
        return 0
    from store.exporting import export_csv

    text = export_csv(args.kind, repo.ds)
    if args.output is None:
        from tui.commands.report import write_stdout

        write_stdout(text, "csv")
        return 0
    from tui.commands.report import write_output

    write_output(args.output.expanduser(), text)
    rows = text.count("\r\n") - 1
    print(rows_written(args.kind, rows, args.output), file=sys.stderr)
    return 0


def rows_written(kind: str, rows: int, output: Path) -> str:
    """What an export to a file says on stderr (the data went to the file)."""
    message = ngettext(
        "{kind}: {n} row(s) written to {file}", "{kind}: {n} row(s) written to {file}", rows
    )
    return message.format(kind=kind, n=rows, file=output)
