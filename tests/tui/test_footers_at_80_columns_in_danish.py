"""At 80 columns, every screen's footer shows in Danish each key it shows in English (Danish
labels are longer: a key cut off, such as "? Hjælp" on a person's page, cannot be read)."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from textual.widgets._footer import FooterKey

import i18n
from store.demo import DEMO_AS_OF
from store.repository import FolderRepository
from tests.tui.test_every_screen_in_danish import walk_every_screen
from tui.app import KapabelApp
from tui.widgets.footer import KeysFooter

SMALL = (80, 24)


def keys_in_full(screen) -> set[str]:
    """The footer keys drawn whole: within the footer and not under the palette key docked
    at its right."""
    shown = set()
    for footer in screen.query(KeysFooter):
        keys = list(footer.query(FooterKey))
        palette = [key.region for key in keys if key.has_class("-command-palette")]
        for key in keys:
            geometry = screen.find_widget(key)
            whole = geometry.region.intersection(geometry.clip) == geometry.region
            covered = not key.has_class("-command-palette") and any(
                key.region.overlaps(region) for region in palette
            )
            if whole and not covered:
                shown.add(key.key)
    return shown


async def footer_keys_of_every_screen(app: KapabelApp) -> dict[str, set[str]]:
    """Each visit's name -> the keys its footer shows in full at 80×24."""
    return await walk_every_screen(app, SMALL, lambda app, _text: keys_in_full(app.screen))


def footers_in(language: str, template) -> dict[str, set[str]]:
    path = template.parent.parent / f"footers-{language}" / "demo"
    if not path.exists():
        shutil.copytree(template, path)
    repo = FolderRepository.open(path, user="tester")
    i18n.set_language(language)
    try:
        return asyncio.run(
            footer_keys_of_every_screen(KapabelApp(repo, as_of=DEMO_AS_OF, watch_interval=None))
        )
    finally:
        i18n.set_language("en")


@pytest.fixture(scope="module")
def footers(demo_db_template) -> dict[str, dict[str, set[str]]]:
    return {language: footers_in(language, demo_db_template) for language in ("en", "da")}


def test_every_footer_key_shown_in_english_is_shown_in_danish_at_80_columns(footers) -> None:
    english, danish = footers["en"], footers["da"]
    cut = {
        name: sorted(keys - danish[name]) for name, keys in english.items() if keys - danish[name]
    }
    assert not cut, f"footer keys cut off in Danish at 80 columns: {cut}"


def test_help_and_quit_are_readable_in_danish_where_they_were_cut(footers) -> None:
    """The keys seen cut off in the walk (and so a check that the test sees real keys)."""
    danish = footers["da"]
    assert "question_mark" in danish["Person"] and "question_mark" in danish["Competencies"]
    assert {"question_mark", "q"} <= danish["Training"]
