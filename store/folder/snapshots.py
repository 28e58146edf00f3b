"""The history snapshot: a cache of the assessments as read, so a big database opens fast
(`store.snapshot`).
"""

from __future__ import annotations

from collections.abc import Callable

from store import snapshot
from store.columns import HistoryColumns, columns_of
from store.errors import StoreError
from store.folder.layout import ERASURE_FILE


class FolderSnapshots:
    """Saving the history snapshot without holding the lock while it is encoded. (A part of
    `FolderStorage`.)
    """

    def save_snapshot(
        self,
        *,
        min_new_rows: int | None = None,
        encode: Callable[[HistoryColumns, snapshot.Position], bytes] = snapshot.encode,
    ) -> bool:
        """Save a snapshot of the history for faster opening, when at least `min_new_rows`
        (default `snapshot.WORTH_SAVING_ROWS`) rows had to be read from the JSON lines; True
        if one was saved.

        The rows are taken under the lock, encoded without it (other writers need not wait)
        and written under the lock again only if the history is still the file they came
        from. Encoding is saving the columns the figures are computed from (made now if no
        analysis made them yet): no work per row, so it runs in this process.
        """
        if self.read_only:
            return False
        try:
            if min_new_rows is None:
                min_new_rows = snapshot.WORTH_SAVING_ROWS
            return self._save_snapshot(min_new_rows, encode)
        except (StoreError, OSError):
            return False  # only ever a speed-up: the next open reads the JSON lines instead

    def _save_snapshot(self, min_new_rows: int, encode: Callable) -> bool:
        log = self.logs["assessments"]
        with self._locked():
            if (self.path / ERASURE_FILE).exists():
                return False  # the rows may hold the person being erased
            position = snapshot.Position.of(log)
            rows = self.ds.assessments
            if position is None or len(rows) - self.snapshot_rows < min_new_rows:
                return False
        columns = columns_of(rows)  # this version's rows: later saves do not change them
        data = encode(columns, position)
        with self._locked():
            if not position.still_holds(log.path):
                return False
            snapshot.write(self.path, data)
            self.snapshot_rows = len(columns)
        return True
