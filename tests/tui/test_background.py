"""Computations in a forked child: the result comes back, errors too, and closing stops them."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tui.background import Stopped, run_forked, stop_all


def child_pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def fails() -> None:
    raise ValueError("bad figures")


def sleeps(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def test_the_result_is_computed_in_another_process():
    pid, total = run_forked(child_pid_and_sum, list(range(1000)))
    assert total == 499500
    assert pid != os.getpid()


def test_an_error_in_the_child_is_raised_here():
    with pytest.raises(ValueError, match="bad figures"):
        run_forked(fails)


def test_stop_all_ends_a_long_computation_at_once():
    outcome: list[object] = []

    def worker() -> None:
        try:
            outcome.append(run_forked(sleeps, 30.0))
        except Stopped as stopped:
            outcome.append(stopped)

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.3)  # the child is computing
    started = time.perf_counter()
    stop_all()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert time.perf_counter() - started < 5
    assert len(outcome) == 1 and isinstance(outcome[0], Stopped)
    assert run_forked(child_pid_and_sum, [1, 2])[1] == 3  # later computations run as before
