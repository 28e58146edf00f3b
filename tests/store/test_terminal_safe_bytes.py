"""`store.text.maybe_unsafe` tells, from a text's UTF-8 bytes, whether it may hold a character
`terminal_safe` / `json_safe` would escape: never "no" when it does (a report of millions of
characters is then printed without running the slower regular expression over it)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.text import _UNSAFE_ON_TERMINAL, json_safe, maybe_unsafe, terminal_safe

# Every character the escaping looks for, its neighbours, and the usual text around them.
NEAR = [
    *range(0x00, 0x21), *range(0x7E, 0xC0), 0x061B, 0x061C, 0x061D, 0x180D, 0x180E, 0x180F,
    *range(0x2000, 0x2070), *range(0xFEFE, 0xFF00), *range(0xFFF8, 0xFFFE),
]  # fmt: skip
TEXT = st.text(
    st.one_of(
        st.sampled_from([chr(c) for c in NEAR]),
        st.sampled_from(list('abcæøåÆØÅé€’ {}":,\\')),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)


@given(TEXT)
@settings(max_examples=2000, deadline=None)
def test_a_text_needing_escapes_is_never_passed_as_safe(text: str) -> None:
    if _UNSAFE_ON_TERMINAL.search(text):
        assert maybe_unsafe(text.encode("utf-8", "surrogatepass"))
    if not maybe_unsafe(text.encode("utf-8", "surrogatepass")):
        assert terminal_safe(text) == text and json_safe(text) == text


def test_danish_letters_and_json_punctuation_are_safe() -> None:
    assert not maybe_unsafe('{"name": "Søren Ærø Åberg", "gap": 2}\n'.encode())
    assert maybe_unsafe("Eve \u202eevil".encode())


def test_every_character_needing_an_escape_starts_with_a_byte_looked_for() -> None:
    for point in range(0x110000):
        char = chr(point)
        if _UNSAFE_ON_TERMINAL.match(char):
            assert maybe_unsafe(char.encode("utf-8")), f"U+{point:04X}"
