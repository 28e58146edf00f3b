"""Keep Python's cycle collector away from the large, cycle-free structures of a database.

Loading 50,000 staff makes about a million objects (records, tuples, dicts) and the analysis as
many again. None of them form reference cycles, yet the collector would scan them all, again and
again while they are built and on every full collection after: over a second at start-up, and
pauses of 0.1-0.4 s later while a screen opens.

- `collector_paused()` keeps the collector off while they are built.
- `freeze_loaded()` (once, in a long-running app, right after the first load) moves everything
  alive into the permanent generation, which collections skip. Garbage cycles that exist at that
  moment are never collected, so it is not repeated: each call would trap whatever cycles were
  waiting, and a long session would grow. Frozen objects are still freed by reference counting,
  so replacing the data after a reload does not leak it.
- `collect_less_often()` (in the app, after the first load) lets the youngest generation grow to
  10,000 new objects before a collection, not 700. The screens' own rows (a whole organisation's
  gaps report, everyone's People entries: ~2 million references at 50,000 staff) are not frozen,
  and with the default thresholds a full collection scanned them about once a second of use,
  0.07-0.12 s each, inside whatever was opening or saving then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside.

    Safe to nest and to use from several threads: the collector is enabled again by whichever
    call found it enabled.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


YOUNGEST_THRESHOLD = 10_000
"""New objects before the youngest generation is collected (Python's default: 700)."""


def collect_less_often() -> None:
    """Collect the youngest generation only every `YOUNGEST_THRESHOLD` new objects (the older
    generations' ratios stay): a large app's heap makes every full collection long."""
    youngest, middle, oldest = gc.get_threshold()
    gc.set_threshold(max(YOUNGEST_THRESHOLD, youngest), middle, oldest)


def freeze_loaded() -> None:
    """Exempt everything alive now from later collections (see the module's note: call once)."""
    gc.freeze()
