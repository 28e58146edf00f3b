"""argparse's own words ("usage:", "options", its error messages) in Kapabel's language.

argparse looks its texts up with the standard library's gettext (`argparse._` and
`argparse.ngettext`), in a catalogue Kapabel does not ship. `in_current_language()` points
those two names at Kapabel's catalogue (`i18n`) while a `kapabel` parser is built, parses or
writes its help (`tui.cli.KapabelParser`), and puts them back after, so any other user of
argparse in the same process keeps its own. The texts below are argparse's message ids (as
Python 3.11 words them) that a `kapabel` command can show; listed here so that the catalogue
tool extracts them and the Danish catalogue translates them.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

import i18n
from i18n import N_

ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
"""argparse's texts a `kapabel` command line can show (see the module docstring)."""


@contextmanager
def in_current_language() -> Iterator[None]:
    """argparse's texts from Kapabel's catalogue until the block ends (nesting is fine)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = i18n._, i18n.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
