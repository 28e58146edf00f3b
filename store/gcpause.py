"""Pause Python's cycle collector while building the large, cycle-free structures of a database.

Loading 50,000 staff makes about a million objects (records, tuples, dicts) and the analysis as
many again. None of them form reference cycles, yet the collector would scan them all on every
full collection: over a second at start-up, and pauses of 0.1-0.4 s later whenever a screen
opens. So the collector is paused while they are built, and what was built is frozen
(`gc.freeze`): later collections skip it. Frozen objects are still freed by reference counting
once nothing uses them, so replacing the data after a reload does not leak it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside; everything alive on leaving is frozen.

    Safe to nest and to use from several threads: the collector is enabled again by whichever
    call found it enabled.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
