"""Checking a journal left by an interrupted commit before any of it is replayed.

`journal.json` says which temporaries replace which files and which lines to append to which
history file at which size (`FolderRepository._commit_files`). Any process that takes the lock
replays it, a reading command like `kapabel check` too, so a journal that is not exactly such a
commit of this database -- a file that is not ours, an append to anything but a history file,
lines that are not that file's records, sizes or checksums that do not match what the new
`meta.json` records (the new meta.json is in the journal itself, or a temporary of it) -- is
refused whole, naming it, and nothing is written.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Protocol

from i18n import N_, _
from store.errors import CorruptFileError
from store.files import temp_target
from store.folder.layout import (
    HISTORY_FILES,
    HISTORY_MODELS,
    META_FILE,
    SCHEMA_VERSION,
    meta_document,
)
from store.history import crc_of, invalid_record, parse_lines
from store.register import RegisterTable, parse_json_object, read_json_object


class FolderRepository(Protocol):
    """What checking a journal needs of the folder (under its write lock)."""

    path: Path
    tables: dict[str, RegisterTable]


NOUNS = {
    "assessments": N_("an assessment"),
    "robot_benefits": N_("a robot benefit"),
    "audit": N_("an audit entry"),
}


class Refused(Exception):
    """Why a journal cannot be replayed (becomes the CorruptFileError's problem)."""


def check_journal(repo: FolderRepository, journal: dict, path: Path) -> None:
    """Refuse, with CorruptFileError naming `path`, a journal that is not a commit of `repo`."""
    try:
        _check(repo, journal)
    except Refused as refused:
        raise CorruptFileError(
            path,
            _(
                "not a Kapabel journal ({why}): an interrupted save cannot be finished from it"
            ).format(why=refused),
        ) from None


def _check(repo: FolderRepository, journal: dict) -> None:
    if set(journal) - {"meta"} != {"replace", "append"} or not all(
        isinstance(journal[part], list) for part in ("replace", "append")
    ):
        raise Refused(_("it holds no replace and append steps"))
    replaced = _replace_steps(repo, journal["replace"])
    appended = _append_steps(repo, journal["append"])
    for final, temp in replaced.items():
        if temp.exists():
            _check_content(repo, final, temp)
    if "meta" in journal:  # the new meta.json itself (a save writes it in place)
        if META_FILE in replaced:
            raise Refused(_("it replaces meta.json twice"))
        recorded = _recorded_in(journal["meta"], repo.path / META_FILE)
        if journal["meta"]["meta"]["1"].get("schema_version") != SCHEMA_VERSION:
            raise Refused(
                _("its meta.json is not of schema {version}").format(version=SCHEMA_VERSION)
            )
    else:
        meta_path = replaced.get(META_FILE)
        if meta_path is None or not meta_path.exists():
            meta_path = repo.path / META_FILE  # not replaced, or replaced already: it is new
        recorded = _recorded_history(meta_path)
    for name, (before, data) in appended.items():
        _check_append(repo.path / name, before, data, recorded.get(name))
    for name, temp in replaced.items():
        if name in recorded and name not in appended:
            content = temp if temp.exists() else repo.path / name
            _check_rewrite(name, content.read_bytes(), recorded[name])


def _replace_steps(repo: FolderRepository, steps: list) -> dict[str, Path]:
    """Final file name -> temporary, each a file of this database and a temporary of ours."""
    ours = {META_FILE, *HISTORY_FILES.values(), *(t.path.name for t in repo.tables.values())}
    replaced: dict[str, Path] = {}
    for step in steps:
        if not (
            isinstance(step, list) and len(step) == 2 and all(isinstance(s, str) for s in step)
        ):
            raise Refused(_("a replace step is not [temporary, file]"))
        temp, final = step
        if final not in ours:
            raise Refused(
                _("it replaces {file!r}, which is not a file of the database").format(file=final)
            )
        if "/" in temp or temp_target(temp) != final or not temp.endswith(".txn"):
            raise Refused(_("{temp!r} is not a temporary of {file}").format(temp=temp, file=final))
        if final in replaced:
            raise Refused(_("it replaces {file} twice").format(file=final))
        replaced[final] = repo.path / temp
    return replaced


def _append_steps(repo: FolderRepository, steps: list) -> dict[str, tuple[int, bytes]]:
    """History file name -> (its size before, the lines), each lines of that file's records."""

    kinds = {file: name for name, file in HISTORY_FILES.items()}
    appended: dict[str, tuple[int, bytes]] = {}
    for step in steps:
        if not (
            isinstance(step, list)
            and len(step) == 3
            and isinstance(step[0], str)
            and type(step[1]) is int
            and step[1] >= 0
            and isinstance(step[2], str)
        ):
            raise Refused(_("an append step is not [file, size, lines]"))
        name, before, text = step
        if name not in kinds:
            raise Refused(
                _("it appends to {file!r}, which is not a history file").format(file=name)
            )
        if name in appended:
            raise Refused(_("it appends to {file} twice").format(file=name))
        data = text.encode("utf-8")
        if not data.endswith(b"\n"):
            raise Refused(_("the lines for {file} do not end with a line break").format(file=name))
        kind = kinds[name]
        try:
            records = parse_lines(repo.path / name, data, 0)
        except CorruptFileError as error:
            raise Refused(
                _("the lines for {file}: {problem}").format(file=name, problem=_(error.problem))
            ) from None
        problem = invalid_record(records, HISTORY_MODELS[kind], 0, NOUNS[kind])
        if problem:
            raise Refused(_("the lines for {file}: {problem}").format(file=name, problem=problem))
        appended[name] = (before, data)
    return appended


def _check_content(repo: FolderRepository, final: str, temp: Path) -> None:
    """The temporary holds what `final` may hold (as the next open would read it)."""

    tables = {table.path.name: table for table in repo.tables.values()}
    kinds = {file: name for name, file in HISTORY_FILES.items()}
    try:
        if final == META_FILE:
            meta_document(parse_json_object(temp, temp.read_bytes()), temp)
        elif final in tables:
            RegisterTable(tables[final].model, temp).load()
        else:
            kind = kinds[final]
            data = temp.read_bytes()
            records = parse_lines(temp, data[: data.rfind(b"\n") + 1], 0)
            problem = invalid_record(records, HISTORY_MODELS[kind], 0, NOUNS[kind])
            if problem:
                raise Refused(_("the new {file}: {problem}").format(file=final, problem=problem))
    except CorruptFileError as error:
        raise Refused(
            _("the new {file}: {problem}").format(file=final, problem=_(error.problem))
        ) from None


def _recorded_history(meta_path: Path) -> dict[str, tuple[int, int]]:
    """What the meta.json the commit leaves records for each history file."""

    try:
        data = read_json_object(meta_path)
    except CorruptFileError as error:
        raise Refused(f"{meta_path.name}: {_(error.problem)}") from None
    return _recorded_in(data, meta_path) if data is not None else {}


def _recorded_in(data: object, meta_path: Path) -> dict[str, tuple[int, int]]:
    """What a meta.json's content (`data`, parsed) records for each history file."""
    try:
        if not isinstance(data, dict):
            raise CorruptFileError(meta_path, N_("not a JSON object"))
        history = meta_document(data, meta_path)["history"]
    except CorruptFileError as error:
        raise Refused(f"{meta_path.name}: {_(error.problem)}") from None
    return {name: (entry[0], entry[1]) for name, entry in history.items()}


def _check_append(target: Path, before: int, data: bytes, recorded: tuple[int, int] | None) -> None:
    """The file is at the size the commit appends at (or part of the way, with its bytes), and
    the new meta.json records the length and checksum the append gives."""
    size = target.stat().st_size if target.exists() else 0
    if not before <= size <= before + len(data):
        raise Refused(
            _("{file} is {size} bytes, not the {before} the save appends at").format(
                file=target.name, size=size, before=before
            )
        )
    if size > before:
        with open(target, "rb") as handle:
            handle.seek(before)
            if handle.read(size - before) != data[: size - before]:
                raise Refused(
                    _("{file} holds other bytes where the save appends").format(file=target.name)
                )
    if recorded is None:
        return  # a journal of a Kapabel from before lengths were recorded
    length, crc = recorded
    if length != before + len(data):
        raise Refused(
            _("meta.json records {length} bytes for {file}, not {size}").format(
                length=length, file=target.name, size=before + len(data)
            )
        )
    start = crc_of(target, before) if before else 0  # a new file may not exist yet
    if zlib.crc32(data, start) != crc:
        raise Refused(
            _("the checksum meta.json records for {file} does not match").format(file=target.name)
        )


def _check_rewrite(name: str, content: bytes, recorded: tuple[int, int]) -> None:
    """A history file the commit replaces whole is what the new meta.json records (a restored
    backup's may hold bytes past that, as the file it was copied from did)."""
    length, crc = recorded
    if len(content) < length or zlib.crc32(content[:length]) != crc:
        raise Refused(_("meta.json does not record the new {file} as it is").format(file=name))
