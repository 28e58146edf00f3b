"""The catalogues keep the translation complete (issue #13): the template holds exactly what the
source marks, the Danish catalogue translates every entry of it (none fuzzy, none empty), and
no translation drops or invents a `{placeholder}` (the `.format()` after `_()` would then raise
KeyError, or lose a figure, at run time).

Each check is a function over a parsed catalogue, so that the checks themselves are tested on a
small broken catalogue below, as well as run on the committed ones.
"""

from __future__ import annotations

import gettext
import io
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from i18n.catalogue import TEMPLATE, extract, po_path

UPDATE = "run `python -m i18n.catalogue update` (then translate the new Danish entries)"

Key = tuple[str | None, str | tuple[str, ...]]
"""A message's identity: its context and its id (a plural's id is (singular, plural))."""


def parse(text: bytes | str, locale: str | None = None) -> Catalog:
    """A catalogue from .po/.pot text; an invalid line raises instead of being skipped."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)


def read(path: Path, locale: str | None = None) -> Catalog:
    return parse(path.read_bytes(), locale)


def entries(catalogue: Catalog) -> list[Message]:
    """The messages (the header, whose id is empty, left out)."""
    return [message for message in catalogue if message.id]


def keys(catalogue: Catalog) -> set[Key]:
    return {(message.context, message.id) for message in entries(catalogue)}


def difference(expected: Catalog, actual: Catalog) -> list[str]:
    """What `actual` lacks of `expected` and holds beyond it, one line each."""
    want, have = keys(expected), keys(actual)
    return [f"missing: {key[1]!r}" for key in sorted(want - have, key=repr)] + [
        f"not in the source: {key[1]!r}" for key in sorted(have - want, key=repr)
    ]


def forms(message: Message) -> list[str]:
    """A message's translation(s): one string, or one per plural form."""
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def originals(message: Message) -> list[str]:
    """The English text each translation form stands for: msgid, then msgid_plural (for a
    language with more plural forms than two, the plural stands for the rest)."""
    if not isinstance(message.id, tuple):
        return [message.id]
    singular, plural = message.id[0], message.id[1]
    return [singular] + [plural] * (len(forms(message)) - 1)


def fuzzy(catalogue: Catalog) -> list[str]:
    return [repr(message.id) for message in entries(catalogue) if message.fuzzy]


def untranslated(catalogue: Catalog) -> list[str]:
    """Entries with an empty msgstr, an empty plural form, or too few plural forms."""
    wanted = catalogue.num_plurals
    found = []
    for message in entries(catalogue):
        translations = forms(message)
        plural = isinstance(message.id, tuple)
        if not all(translations) or (plural and len(translations) != wanted):
            found.append(repr(message.id))
    return found


def fields(text: str) -> set[str] | None:
    """The `{placeholder}` names `str.format` fills in `text` (`{person.name}` -> person); None
    when `text` is not a valid format string."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names = set()
    for _literal, name, _spec, _conversion in parsed:
        if name is not None:
            names.add(name.split(".", 1)[0].split("[", 1)[0])
    return names


def placeholder_problems(catalogue: Catalog) -> list[str]:
    """Translations that lose a placeholder of their English text, add one it lacks, or are not
    valid format strings where the English text is one."""
    problems = []
    for message in entries(catalogue):
        english_ids = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = set().union(*(fields(text) or set() for text in english_ids))
        for english, translation in zip(originals(message), forms(message), strict=True):
            if not translation:
                continue  # untranslated: reported by its own check
            wanted, given = fields(english), fields(translation)
            if wanted is None:
                continue  # the English text is no format string: never .format()ted
            if given is None:
                problems.append(f"{translation!r} (for {english!r}) has an unmatched brace")
                continue
            for name in sorted(wanted - given):
                problems.append(f"{translation!r} (for {english!r}) lacks {{{name}}}")
            for name in sorted(given - allowed):
                problems.append(f"{translation!r} (for {english!r}) adds {{{name}}}")
    return problems


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """What the source marks now, extracted as `python -m i18n.catalogue update` extracts it."""
    output = tmp_path_factory.mktemp("i18n") / "kapabel.pot"
    extract(output)
    return read(output)


@pytest.fixture(scope="module")
def danish() -> Catalog:
    return read(po_path("da"), "da")


def test_the_template_holds_what_the_source_marks(extracted) -> None:
    problems = difference(extracted, read(TEMPLATE))
    assert not problems, f"i18n/locale/kapabel.pot is out of date: {UPDATE}\n" + "\n".join(problems)


def test_the_danish_catalogue_holds_what_the_source_marks(extracted, danish) -> None:
    problems = difference(extracted, danish)
    assert not problems, f"the Danish kapabel.po is out of date: {UPDATE}\n" + "\n".join(problems)
    assert not danish.obsolete, f"obsolete (#~) entries in the Danish kapabel.po: {UPDATE}"


def test_no_danish_entry_is_fuzzy(danish) -> None:
    found = fuzzy(danish)
    assert not found, (
        "fuzzy Danish entries (check the translation, then remove '#, fuzzy'):\n" + "\n".join(found)
    )


def test_every_danish_entry_is_translated(danish) -> None:
    found = untranslated(danish)
    assert not found, (
        f"{len(found)} Danish entries without a translation (fill in msgstr, every plural "
        "form):\n" + "\n".join(found)
    )


def test_every_danish_translation_keeps_the_placeholders(danish) -> None:
    found = placeholder_problems(danish)
    assert not found, "Danish translations whose {placeholders} differ:\n" + "\n".join(found)


def test_the_catalogues_parse_and_compile() -> None:
    """An invalid line raises in `parse`; Babel's own checks (plural forms, format markers)
    pass, and the Danish catalogue compiles to the .mo the app loads."""
    read(TEMPLATE)
    catalogue = read(po_path("da"), "da")
    errors = [f"{message.id!r}: {problems}" for message, problems in catalogue.check()]
    assert not errors, "\n".join(errors)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    loaded = gettext.GNUTranslations(compiled)
    for message in entries(catalogue):
        if isinstance(message.id, str) and message.string:
            assert loaded.gettext(message.id) == message.string


# The checks above, on a small catalogue with one of each mistake.

BROKEN = r"""
msgid ""
msgstr ""
"Language: da\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"Content-Type: text/plain; charset=utf-8\n"

msgid "Save"
msgstr "Gem"

#, fuzzy
msgid "Saved {name}"
msgstr "Gemte {name}"

msgid "Cancel"
msgstr ""

msgid "{n} person"
msgid_plural "{n} people"
msgstr[0] "{n} person"
msgstr[1] ""

msgid "{count} of {total} met"
msgstr "{count} opfyldt"

msgid "Hello {name}"
msgstr "Hej {navn}"

msgid "Level {level}"
msgstr "Niveau {level"

msgid "{n} robot"
msgid_plural "{n} robots"
msgstr[0] "én robot"
msgstr[1] "{n} robotter"

msgid "Use {braces}"
msgstr "Brug {braces}"
"""


def test_the_checks_find_each_kind_of_mistake() -> None:
    catalogue = parse(BROKEN, "da")
    assert fuzzy(catalogue) == ["'Saved {name}'"]
    assert untranslated(catalogue) == ["'Cancel'", "('{n} person', '{n} people')"]
    assert placeholder_problems(catalogue) == [
        "'{count} opfyldt' (for '{count} of {total} met') lacks {total}",
        "'Hej {navn}' (for 'Hello {name}') lacks {name}",
        "'Hej {navn}' (for 'Hello {name}') adds {navn}",
        "'Niveau {level' (for 'Level {level}') has an unmatched brace",
        "'én robot' (for '{n} robot') lacks {n}",
    ]


def test_the_comparison_names_what_is_missing_and_what_is_gone() -> None:
    source = parse('msgid ""\nmsgstr ""\n\nmsgid "Save"\nmsgstr ""\n\nmsgid "New"\nmsgstr ""\n')
    committed = parse('msgid ""\nmsgstr ""\n\nmsgid "Save"\nmsgstr ""\n\nmsgid "Old"\nmsgstr ""\n')
    assert difference(source, committed) == ["missing: 'New'", "not in the source: 'Old'"]


def test_an_invalid_catalogue_does_not_parse() -> None:
    with pytest.raises(PoFileError, match="misformatted keyword on 5"):
        parse('msgid ""\nmsgstr ""\n\nmsgid "Save"\nmsgstr "Gem"\nmsgtsr "Gem"\n')
    with pytest.raises(PoFileError, match="missing msgstr"):
        parse('msgid ""\nmsgstr ""\n\nmsgid "Save"\n')
