"""Run slow, pure computations in a forked process so they never hold this process's GIL.

A thread worker computing for seconds (the Overview's readiness trend at 50,000 staff) slows
everything the person does meanwhile, since the UI thread has to wait for the GIL. A forked
child shares the loaded data copy-on-write, computes on another core and sends back only the
(small, picklable) result. Where fork is not available, the function runs in the calling thread.

When the app closes, `stop_all()` ends the children still computing: otherwise quitting would wait
for them (seconds at 50,000 staff), since Python waits for the worker threads that wait for them.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_running: set = set()
_stopped: set[int] = set()
_guard = threading.Lock()


class Stopped(Exception):
    """The computation was stopped by `stop_all()` (the app is closing)."""


def stop_all() -> None:
    """End every child still computing; their `run_forked` calls raise Stopped."""
    with _guard:
        processes = list(_running)
        _stopped.update(p.pid for p in processes)
    for process in processes:
        process.kill()


def _child(connection, function: Callable[..., Any], args: tuple) -> None:
    try:
        connection.send((True, function(*args)))
    except BaseException as error:  # noqa: BLE001 - handed back to the parent to re-raise
        try:
            connection.send((False, error))
        except (pickle.PicklingError, TypeError):
            connection.send((False, RuntimeError(repr(error))))
    finally:
        connection.close()


def run_forked(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` computed in a forked child process (in this thread if fork is missing).

    Call it from a worker thread: it blocks until the child answers, without holding the GIL.
    Arguments are inherited by the fork, not pickled; the result must be picklable.
    """
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return function(*args)
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sending, function, args), daemon=True)
    with _guard:
        process.start()
        _running.add(process)
    sending.close()
    try:
        ok, value = receiving.recv()
    except (EOFError, OSError):  # the child died without a (whole) answer
        process.join()
        with _guard:
            stopped = process.pid in _stopped
        if stopped:
            raise Stopped from None
        return function(*args)  # it crashed: compute here instead
    finally:
        receiving.close()
        with _guard:
            _running.discard(process)
            _stopped.discard(process.pid)
    process.join()
    if not ok:
        raise value
    return value
