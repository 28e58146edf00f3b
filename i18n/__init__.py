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

import gettext as _gettext
from pathlib import Path

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "N_", "_", "language", "ngettext", "set_language"]

DOMAIN = "kapabel"
LANGUAGES = ("en", "da")
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
    if code == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


def _(message: str) -> str:
    """`message` in the current language (itself when the catalogue has no entry)."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it (see the module docstring)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current language."""
    return _translations.ngettext(singular, plural, n)
