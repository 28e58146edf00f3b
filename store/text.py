"""Which characters each kind of text may hold, and making any text safe to print.

One rule for every way in (CSV and JSON import, forms): the models apply it. The same character
classes make what the command line prints harmless on a terminal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from i18n import _

KEY_SEPARATOR = "|"
"""Joins the parts of a composite key (`Entity.key`), so no code may hold it."""

_CONTROL = "\x00-\x1f\x7f-\x9f"
_INVISIBLE = (  # zero-width space, word joiner and the other invisible operators, soft hyphen,
    # Mongolian vowel separator, zero-width no-break space, interlinear annotation marks
    "\u00ad\u180e\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
)
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiner: part of Persian and Indic spelling, emoji
_BIDI = (  # marks, embeddings, overrides and isolates: reorder what is shown
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
)
_LINE_BREAKS = "\u2028\u2029"  # line and paragraph separators: break a line where none shows
_LOOKALIKE_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # look like ' '
FORBIDDEN = {
    "code": re.compile(
        f"[{re.escape(KEY_SEPARATOR)}{_CONTROL}{_INVISIBLE}{_JOINERS}{_BIDI}{_LINE_BREAKS}"
        f"{_LOOKALIKE_SPACES}]"
    ),
    "name": re.compile(f"[{_CONTROL}{_INVISIBLE}{_BIDI}{_LINE_BREAKS}]"),
    "text": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"),
}
"""What each kind of text refuses. Codes are keys: a separator, an invisible or a reordering
character, or a space that only looks like ' ', would make two different keys look the same
or split one in two. Names and one-line values are shown everywhere, so no control, invisible,
reordering or line-breaking character; free text (notes,
descriptions) may hold tabs and line breaks but no other control character (an escape sequence
would reach the terminal)."""


@dataclass(frozen=True)
class TextRule:
    """Marks a text type (`Annotated[str, ..., TextRule("code")]`) with the characters it refuses
    (`FORBIDDEN[kind]`). Checked where records come in (`store.text_rules.text_problems`, which
    `store.integrity.record_problems` runs for every way in), never when stored records are read
    back: those were checked when written (and a file edited by hand is named by `check`)."""

    kind: str
    why: str = ""


def describe_char(char: str) -> str:
    """A character named so that a message shows it without printing it: U+202E (name)."""
    point = f"U+{ord(char):04X}"
    if char.isprintable():
        return f"{char!r} ({point} {unicodedata.name(char, '')})".replace(" )", ")")
    name = unicodedata.name(char, "")
    return f"{point} {name}" if name else _("the control character {point}").format(point=point)


def first_forbidden(value: str, kind: str) -> str | None:
    """The first character `value` may not hold as a `kind` of text; None when it is fine."""
    found = FORBIDDEN[kind].search(value)
    return found.group() if found else None


_UNSAFE_ON_TERMINAL = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_INVISIBLE}{_JOINERS}{_BIDI}{_LINE_BREAKS}]"
)
"""Controls (an escape sequence, a carriage return that overwrites the line), invisible and
reordering characters: a terminal would act on them or hide what is there. Tab and newline stay."""


_UNSAFE_LEAD_BYTES = bytes(
    [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0xC2, 0xD8, 0xE1, 0xE2, 0xEF]
)
"""Each byte that is, or starts the UTF-8 form of, a character `_UNSAFE_ON_TERMINAL` matches:
the controls themselves, then U+0080-U+00BF, U+0600-U+063F, U+1000-U+1FFF, U+2000-U+2FFF and
U+F000-U+FFFF (a test walks every character to hold the two together)."""
_SAFE_BYTES = bytes(sorted(set(range(256)) - set(_UNSAFE_LEAD_BYTES)))


def maybe_unsafe(data: bytes) -> bool:
    """Whether UTF-8 `data` may hold a character `terminal_safe` would escape (False: surely
    none). Deleting the bytes that start no such character is one pass in C, ~8 times faster
    than the regular expression over the text: a 20 MB report is checked in ~7 ms."""
    return bool(data.translate(None, _SAFE_BYTES))


def _visible(found: re.Match[str]) -> str:
    point = ord(found.group())
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on shown as an escape (\\x1b, \\u202e)."""
    return _UNSAFE_ON_TERMINAL.sub(_visible, text)


def json_safe(text: str) -> str:
    """JSON text with the same characters written as \\u escapes: the same JSON, safe to print."""
    return _UNSAFE_ON_TERMINAL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
