"""Which language Kapabel speaks, and the user's remembered choice (docs/languages.md).

In order: `--lang`, then KAPABEL_LANG, then the language last chosen in the app (a small
settings file in the user's config folder), then the system locale, else English. Choosing is a
pure function of those inputs, so the command line calls it once at start with what it has.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

LANGUAGES = ("en", "da")
VARIABLE = "KAPABEL_LANG"
SETTINGS_FILE = "settings.json"


class LanguageError(ValueError):
    """A language asked for that Kapabel does not speak; the message names where it came from."""


def known_language(value: str | None) -> str | None:
    """`value` as a language code Kapabel speaks ("da", " DA " -> "da"), else None."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower()
    return code if code in LANGUAGES else None


def system_language(environ: Mapping[str, str]) -> str:
    """The language of the system locale, read as gettext reads it: LANGUAGE (a list, unless the
    locale is C), else the first of LC_ALL, LC_MESSAGES, LANG that is set; Danish when it starts
    with "da", else English."""
    locale = next(
        (environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), ""
    )
    candidates = [locale]
    if environ.get("LANGUAGE") and locale.split(".")[0] not in ("C", "POSIX"):
        candidates = environ["LANGUAGE"].split(":")
    for candidate in candidates:
        if candidate.lower().startswith("da"):
            return "da"
        if candidate.lower().startswith("en"):
            return "en"
    return "en"


def choose_language(
    option: str | None,
    environ: Mapping[str, str],
    remembered: str | None = None,
) -> str:
    """The language to speak: `option` (--lang), then KAPABEL_LANG in `environ`, then the
    `remembered` choice, then the system locale in `environ`, else English.

    A bad --lang or KAPABEL_LANG raises LanguageError (one line naming the option or variable);
    a bad remembered value is passed over (the settings file may be old or damaged).
    """
    allowed = " or ".join(sorted(LANGUAGES))
    if option is not None:
        code = known_language(option)
        if code is None:
            raise LanguageError(
                f"--lang: {option.strip()!r} is not a language Kapabel speaks ({allowed})"
            )
        return code
    variable = environ.get(VARIABLE, "")
    if variable.strip():
        code = known_language(variable)
        if code is None:
            raise LanguageError(
                f"{VARIABLE}={variable.strip()!r} is not a language Kapabel speaks ({allowed})"
            )
        return code
    return known_language(remembered) or system_language(environ)


def settings_path() -> Path:
    """The user's settings file, in the platform's user config folder (Linux: ~/.config/kapabel)."""
    from platformdirs import user_config_path

    return user_config_path("kapabel", appauthor=False) / SETTINGS_FILE


def _read_settings(path: Path) -> dict:
    """The settings in `path`; empty when the file is missing, unreadable or damaged."""
    try:
        settings = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def remembered_language(path: Path | None = None) -> str | None:
    """The language last chosen in the app, or None (none chosen, or the file is damaged)."""
    return known_language(_read_settings(path or settings_path()).get("language"))


def remember_language(code: str, path: Path | None = None) -> None:
    """Keep `code` as this user's language: the settings file is 0600 in a 0700 folder,
    replaced whole (never half written). Raises OSError when it cannot be written."""
    if known_language(code) != code:
        raise ValueError(f"unknown language {code!r}")
    path = path or settings_path()
    settings = _read_settings(path)
    settings["language"] = code
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps(settings, indent=2).encode("utf-8") + b"\n")
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
