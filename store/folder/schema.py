"""Opening a database folder: its schema in meta.json, migrating an older one, and refusing a newer
one or a folder of someone else's files.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from i18n import N_, _
from store import snapshot
from store.errors import CorruptFileError, StoreError
from store.files import temp_target
from store.folder.layout import BACKUP_DIR, LOCK_FILE, META_FILE, SCHEMA_VERSION, meta_document
from store.register import parse_json_object, read_raw


def read_meta(meta_path: Path) -> tuple[dict | None, bytes | None]:
    """meta.json parsed, and its bytes (None, None: missing); CorruptFileError if damaged."""
    raw = read_raw(meta_path)
    return (None, None) if raw is None else (parse_json_object(meta_path, raw), raw)


class FolderSchema:
    """What meta.json says and how a folder becomes a database. (A part of `FolderStorage`.)"""

    def _prepare_schema(self) -> bool:
        """Read meta, migrate an older database; True when the folder is a brand-new database."""
        from store.folder import migrations

        meta_path = self.path / META_FILE
        data, signature = read_meta(meta_path)
        if data is None:
            if migrations.needs_migration(self.path):
                migrations.migrate(self)
                data, signature = read_meta(meta_path)
            elif any(t.path.exists() for t in self.tables.values()):
                raise CorruptFileError(meta_path, N_("missing, but table files exist"))
            else:
                self._check_empty_folder()  # again, now under the lock
                return True
        self._set_meta(data, meta_path, signature)
        version = self.meta.get("schema_version")
        if not isinstance(version, int):
            raise CorruptFileError(meta_path, N_("no schema_version"))
        if version > SCHEMA_VERSION:
            raise StoreError(
                _(
                    "{path} was written by a newer Kapabel (schema {version}; this one reads up "
                    "to {known}): upgrade Kapabel"
                ).format(path=self.path, version=version, known=SCHEMA_VERSION)
            )
        if version < SCHEMA_VERSION:
            migrations.migrate(self)
            data, signature = read_meta(meta_path)
            self._set_meta(data, meta_path, signature)
        migrations.tidy_after_migration(self.path)
        return False

    def _set_meta(self, data: dict, meta_path: Path, raw: bytes | None) -> None:
        self.meta = meta_document(data, meta_path)
        self.meta_raw = raw
        self.trust.take_written(self.meta.get("tables"))
        for log in self.logs.values():
            committed = self.meta["history"].get(log.path.name)
            log.expect(tuple(committed) if committed else None)

    def _check_empty_folder(self) -> None:
        """A new database goes only into an empty folder, never among someone's other files."""
        ours = self.data_files() | {LOCK_FILE, BACKUP_DIR, snapshot.CACHE_DIR}
        strangers = sorted(
            p.name
            for p in self.path.iterdir()
            if p.name not in ours and temp_target(p.name) not in ours
        )
        if strangers:
            shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
            raise StoreError(
                _(
                    "{path} holds other files ({shown}) and no Kapabel database: choose an "
                    "empty or new folder"
                ).format(path=self.path, shown=shown)
            )

    def meta_bytes(self) -> bytes:
        """meta.json as a save writes it: this schema (whatever was read), what it records."""
        return orjson.dumps({"meta": {"1": {**self.meta, "schema_version": SCHEMA_VERSION}}})
