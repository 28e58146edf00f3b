"""The build compiles the translation catalogues (i18n/locale/*/LC_MESSAGES/kapabel.po) into
the .mo files gettext reads, with Babel (docs/languages.md): they are never committed.

Everything else about the package is in pyproject.toml; setuptools runs this `build_py` for a
wheel (`pip install .`: the .mo files go into the wheel) and for an editable install
(`pip install -e .`: next to the .po files, where the source tree is imported from).
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path("i18n") / "locale"


def compile_catalogue(po: Path, mo: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalogue = read_po(handle, locale=po.parents[1].name)
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalogue)


class build_py_with_catalogues(build_py):
    """build_py, then each language's .po compiled to its .mo."""

    def run(self) -> None:
        super().run()
        root = Path(".") if self.editable_mode else Path(self.build_lib)
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            compile_catalogue(po, root / po.with_suffix(".mo"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        if self.editable_mode:
            return super().get_outputs(include_bytecode)
        compiled = [
            str(Path(self.build_lib) / po.with_suffix(".mo"))
            for po in LOCALE.glob("*/LC_MESSAGES/*.po")
        ]
        return sorted({*super().get_outputs(include_bytecode), *compiled})


setup(cmdclass={"build_py": build_py_with_catalogues})
