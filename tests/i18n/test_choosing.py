"""Which language Kapabel speaks (issue #13): --lang, then KAPABEL_LANG, then the language last
chosen in the app, then the system locale, else English (docs/languages.md)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from i18n import LanguageError, choose_language, remember_language, remembered_language


def test_the_option_wins_over_everything():
    environ = {"KAPABEL_LANG": "en", "LANG": "en_GB.UTF-8"}
    assert choose_language("da", environ, remembered="en") == "da"
    assert choose_language("en", {"KAPABEL_LANG": "da", "LANG": "da_DK"}, remembered="da") == "en"


def test_the_variable_comes_next_then_the_remembered_choice_then_the_system():
    assert choose_language(None, {"KAPABEL_LANG": "da", "LANG": "en_US"}, remembered="en") == "da"
    assert choose_language(None, {"LANG": "en_US.UTF-8"}, remembered="da") == "da"
    assert choose_language(None, {"LANG": "da_DK.UTF-8"}, remembered=None) == "da"
    assert choose_language(None, {"LANG": "da_DK.UTF-8"}, remembered="en") == "en"


@pytest.mark.parametrize(
    "environ",
    [
        {"LC_ALL": "da_DK.UTF-8", "LANG": "en_US.UTF-8"},
        {"LC_MESSAGES": "da_DK", "LANG": "C.UTF-8"},
        {"LANG": "da"},
        {"LANGUAGE": "da:en", "LANG": "en_US.UTF-8"},
        {"KAPABEL_LANG": "", "LANG": "da_DK.UTF-8"},  # empty: as if not set
    ],
)
def test_a_danish_system_locale_gives_danish(environ):
    assert choose_language(None, environ) == "da"


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"LANG": "C.UTF-8"},
        {"LANG": "de_DE.UTF-8"},
        {"LC_ALL": "en_DK.UTF-8", "LANG": "da_DK.UTF-8"},  # LC_ALL decides before LANG
        {"LANGUAGE": "da", "LC_ALL": "C"},  # gettext ignores LANGUAGE in the C locale
    ],
)
def test_otherwise_english(environ):
    assert choose_language(None, environ) == "en"


def test_values_are_read_leniently_as_to_case_and_spaces():
    assert choose_language(" DA ", {}) == "da"
    assert choose_language(None, {"KAPABEL_LANG": "Da"}) == "da"


def test_a_bad_option_or_variable_is_refused_naming_where_it_came_from():
    with pytest.raises(LanguageError, match=r"--lang: 'fr' is not a language Kapabel speaks"):
        choose_language("fr", {})
    with pytest.raises(LanguageError, match=r"KAPABEL_LANG='sv' is not a language") as raised:
        choose_language(None, {"KAPABEL_LANG": "sv"})
    assert "da or en" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_remembered_language_that_is_not_known_is_passed_over():
    assert choose_language(None, {"LANG": "da_DK"}, remembered="klingon") == "da"


def test_the_choice_is_remembered_in_a_private_settings_file(tmp_path: Path):
    path = tmp_path / "config" / "kapabel" / "settings.json"
    assert remembered_language(path) is None
    remember_language("da", path)
    assert remembered_language(path) == "da"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    remember_language("en", path)
    assert remembered_language(path) == "en"
    assert not [p for p in path.parent.iterdir() if p != path]  # no temporary file left


def test_the_settings_file_is_in_the_user_config_dir_by_default(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    remember_language("da")
    assert remembered_language() == "da"
    assert (tmp_path / "kapabel" / "settings.json").is_file()


def test_other_settings_in_the_file_are_kept(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "nord"}', encoding="utf-8")
    remember_language("da", path)
    assert '"theme": "nord"' in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'["da"]', b'{"language": 5}', b'{"language": "fr"}', b"\xff\xfe", b""],
)
def test_a_damaged_settings_file_is_ignored(tmp_path: Path, content: bytes):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert remembered_language(path) is None
    remember_language("da", path)  # and replaced by a good one when a language is chosen
    assert remembered_language(path) == "da"


def test_a_folder_where_the_settings_file_should_be_is_ignored(tmp_path: Path):
    """A settings file that cannot be read (here: a folder; CI runs as root, who reads any
    file whatever its mode) is passed over."""
    assert remembered_language(tmp_path) is None
