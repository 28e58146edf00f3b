"""Kapabel's two languages, Danish and English, through gettext catalogues (docs/languages.md).

Mark every user-visible text where it is written:

- `_("Save")` translates now, in the current language: use it in code that runs when the text
  is shown (a compose, a render, a message built for this user);
- `N_("Save")` only marks a text written at import time (class attributes such as BINDINGS,
  module-level tables) for extraction; the code that shows it calls `_()` on it then;
- `ngettext("{n} person", "{n} people", n)` for counts; placeholders are `{name}` fields filled
  with `.format()` after translating (an f-string cannot be looked up in a catalogue).

English is the source language: the message ids are the English texts, so English needs no
catalogue of its own. This module imports nothing from the rest of Kapabel, so that every layer
(store, reports, tui) may use it.
"""

from __future__ import annotations

import datetime as _dt
import gettext as _gettext
from pathlib import Path

from i18n.choice import (
    LANGUAGES,
    LanguageError,
    choose_language,
    remember_language,
    remembered_language,
)

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "LanguageError",
    "N_",
    "_",
    "choose_language",
    "format_date",
    "format_decimal",
    "format_integer",
    "format_percent",
    "language",
    "load_translations",
    "ngettext",
    "remember_language",
    "remembered_language",
    "set_language",
]

DOMAIN = "kapabel"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = "en"
_translations: _gettext.NullTranslations = _gettext.NullTranslations()


def set_language(code: str) -> None:
    """Make `code` ("en" or "da") the language of every text translated from now on."""
    global _current, _translations
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    _translations = _load(code)
    _current = code


def language() -> str:
    """The current language code."""
    return _current


def _load(code: str) -> _gettext.NullTranslations:
    return load_translations(code, LOCALE_DIR)


_compiled: dict[Path, tuple[float, _gettext.GNUTranslations]] = {}
"""Catalogues compiled in memory, by .po file, with the modification time they were read at."""


def load_translations(code: str, locale_dir: Path = LOCALE_DIR) -> _gettext.NullTranslations:
    """The catalogue of `code` in `locale_dir`: the .mo the build compiled (setup.py), unless it
    is missing or older than its .po (a source tree; a .po just edited): then the .po, compiled
    in memory with Babel. English, the language of the message ids, needs none."""
    if code == "en":
        return _gettext.NullTranslations()
    po = locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    po_time = po.stat().st_mtime if po.exists() else None
    if mo.exists() and (po_time is None or mo.stat().st_mtime >= po_time):
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    if po_time is None:
        return _gettext.NullTranslations()
    cached = _compiled.get(po)
    if cached is None or cached[0] != po_time:
        cached = (po_time, _compile(po, code))
        _compiled[po] = cached
    return cached[1]


def _compile(po: Path, code: str) -> _gettext.GNUTranslations:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """`message` in the current language (itself when the catalogue has no entry)."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it (see the module docstring)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current language."""
    return _translations.ngettext(singular, plural, n)


# Dates and numbers as the current language writes them (issue #13): English keeps the formats
# Kapabel always showed (ISO dates, 1,234 and 62.5), Danish uses Babel's Danish locale (27-11-2026,
# 1.234 and 62,5). Only screens and text/Markdown reports use these; CSV, JSON and workbooks keep
# machine formats whatever the language.


def format_date(value: _dt.date) -> str:
    """A date: 2026-11-27 in English, 27-11-2026 in Danish."""
    if _current == "en":
        return value.isoformat()
    from babel.dates import format_date as babel_format_date  # ~15 ms: only when not English

    return babel_format_date(value, "dd-MM-yyyy", locale=_current)


def format_integer(value: int) -> str:
    """A count with thousands grouped: 1,234 in English, 1.234 in Danish."""
    if _current == "en":
        return f"{value:,}"
    return format_decimal(value, 0, grouping=True)


def format_decimal(value: float, digits: int = 1, grouping: bool = False) -> str:
    """A number with `digits` decimals: 62.5 in English, 62,5 in Danish."""
    if _current == "en":
        return f"{value:,.{digits}f}" if grouping else f"{value:.{digits}f}"
    from babel.numbers import get_decimal_symbol, get_group_symbol

    # Python rounds, Babel's locale data gives the symbols: both languages then round alike.
    english = f"{value:,.{digits}f}" if grouping else f"{value:.{digits}f}"
    symbols = {",": get_group_symbol(_current), ".": get_decimal_symbol(_current)}
    return "".join(symbols.get(char, char) for char in english)


def format_percent(value: float, digits: int = 1) -> str:
    """A percentage given as 0-100: 62.5 % in English, 62,5 % in Danish."""
    return f"{format_decimal(value, digits)} %"
