"""Keep the catalogues in step with the source: `python -m i18n.catalogue update|fill-from FILE`.

`update` extracts every marked text (`_`, `N_`, `ngettext`) from store/, reports/ and tui/ into
i18n/locale/kapabel.pot and merges it into each language's .po: new texts arrive untranslated,
texts gone from the source are dropped. Entries carry no source locations and are sorted, so two
people marking different files rarely touch the same lines.

`fill-from FILE` copies the translations from another .po file (say, your own version before a
rebase) into the Danish catalogue wherever that one has none: after a conflict in kapabel.po,
take main's version, run `update`, then `fill-from` your old file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from i18n import DOMAIN, LOCALE_DIR

ROOT = LOCALE_DIR.parents[1]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCES = ("store", "reports", "tui")
KEYWORDS = ("_", "N_", "ngettext:1,2")


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(output: Path = TEMPLATE) -> None:
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract",
        "--no-default-keywords",
        *keywords,
        "--no-location",
        "--sort-output",
        "--no-wrap",
        "--project",
        "Kapabel",
        "--copyright-holder",
        "Kapabel's authors",
        "-o",
        str(output),
        *(str(ROOT / source) for source in SOURCES),
    )


_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): [^\\]*\\n"$', re.MULTILINE)


def _steady_header(path: Path) -> None:
    """Babel stamps the time of each run in the header; a fixed stamp keeps two people's updates
    from conflicting on it."""
    text = path.read_text(encoding="utf-8")
    path.write_text(_DATES.sub(r'"\1: 2026-12-05 00:00+0000\\n"', text), encoding="utf-8")


def update() -> None:
    extract()
    _steady_header(TEMPLATE)
    for code in ("da",):
        target = po_path(code)
        catalogue = ["-i", str(TEMPLATE), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", code]
        if not target.exists():
            _pybabel("init", *catalogue, "--no-wrap")
        _pybabel("update", *catalogue, "--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap")
        _steady_header(target)


def fill_from(other: Path, code: str = "da") -> int:
    """Translations from `other` for entries of `code`'s catalogue that have none; how many."""
    target = po_path(code)
    with target.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    with other.open("rb") as handle:
        source = read_po(handle, locale=code)
    filled = 0
    for message in catalogue:
        if not message.id or (
            message.string
            and all(message.string if isinstance(message.string, tuple) else [message.string])
        ):
            continue
        found = source.get(message.id)
        if found is not None and found.string and not found.fuzzy:
            message.string = found.string
            filled += 1
    with target.open("wb") as handle:
        write_po(handle, catalogue, width=0, sort_output=True, no_location=True)
    _steady_header(target)
    return filled


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["fill-from"] and len(argv) == 2:
        print(f"{fill_from(Path(argv[1]))} translation(s) filled", file=sys.stderr)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
