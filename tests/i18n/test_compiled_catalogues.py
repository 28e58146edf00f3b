"""The Danish catalogue is compiled by the build into the wheel (never committed), and a source
tree without a fresh .mo translates from the .po, compiled in memory (docs/languages.md)."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "i18n" / "locale" / "da" / "LC_MESSAGES" / "kapabel.po"
MO_IN_WHEEL = "i18n/locale/da/LC_MESSAGES/kapabel.mo"


def a_translated_entry() -> tuple[str, str]:
    """An entry of the real Danish catalogue with its translation (whichever comes first)."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="da")
    for message in catalogue:
        if message.id and isinstance(message.id, str) and message.string:
            return message.id, message.string
    pytest.fail("the Danish catalogue has no translated entry")


def write_catalogue(path: Path, entries: dict[str, str], *, compiled: bool) -> None:
    catalogue = Catalog(locale="da", domain="kapabel")
    for message_id, string in entries.items():
        catalogue.add(message_id, string)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        (write_mo if compiled else write_po)(handle, catalogue)


def test_the_po_of_the_source_tree_translates_when_no_mo_was_built(tmp_path: Path):
    message_id, string = a_translated_entry()
    locale = tmp_path / "locale"
    shutil.copytree(PO.parents[2], locale, ignore=shutil.ignore_patterns("*.mo"))
    translations = i18n.load_translations("da", locale)
    assert translations.gettext(message_id) == string


def test_an_mo_older_than_its_po_is_passed_over(tmp_path: Path):
    po = tmp_path / "da" / "LC_MESSAGES" / "kapabel.po"
    mo = po.with_suffix(".mo")
    write_catalogue(mo, {"Save": "Gem (gammel)"}, compiled=True)
    write_catalogue(po, {"Save": "Gem"}, compiled=False)
    os.utime(mo, (po.stat().st_mtime - 60, po.stat().st_mtime - 60))
    assert i18n.load_translations("da", tmp_path).gettext("Save") == "Gem"
    write_catalogue(mo, {"Save": "Gem (bygget)"}, compiled=True)
    os.utime(mo, (po.stat().st_mtime + 60, po.stat().st_mtime + 60))
    assert i18n.load_translations("da", tmp_path).gettext("Save") == "Gem (bygget)"


def test_english_needs_no_catalogue(tmp_path: Path):
    assert i18n.load_translations("en", tmp_path).gettext("Save") == "Save"


def test_no_compiled_catalogue_is_committed():
    listed = subprocess.run(
        ["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert listed.stdout == ""
    ignored = subprocess.run(["git", "check-ignore", "-q", str(PO.with_suffix(".mo"))], cwd=ROOT)
    assert ignored.returncode == 0


def source_copy(tmp_path: Path) -> Path:
    """The files a build reads, copied (a build writes into the tree it builds)."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc")
    for package in ("store", "reports", "tui", "i18n"):
        shutil.copytree(ROOT / package, source / package, ignore=skip)
    return source


def wheel_from(built: Path, tmp_path: Path) -> Path:
    """The wheel pip builds from `built` (a source tree or an sdist), as `pip install` does."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(built), "--no-deps"]
        + ["-q", "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("kapabel-*.whl")
    return wheel


def test_the_wheel_carries_the_compiled_danish_catalogue(tmp_path: Path):
    """Built as `pip install .` builds it, from the source tree."""
    message_id, string = a_translated_entry()
    with zipfile.ZipFile(wheel_from(source_copy(tmp_path), tmp_path)) as archive:
        names = archive.namelist()
        compiled = archive.read(MO_IN_WHEEL)
    assert not [name for name in names if name.endswith((".po", ".pot"))]
    assert gettext.GNUTranslations(BytesIO(compiled)).gettext(message_id) == string


def test_the_sdist_carries_the_catalogues_to_compile(tmp_path: Path):
    """An sdist (`python -m build`, a package index) holds the .po for its own build."""
    source = source_copy(tmp_path)
    subprocess.run(
        [sys.executable, "-c", "from setuptools import build_meta as b; b.build_sdist('dist')"],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (sdist,) = (source / "dist").glob("kapabel-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(name.endswith("i18n/locale/da/LC_MESSAGES/kapabel.po") for name in names)
    assert not any(name.endswith(".mo") for name in names)
