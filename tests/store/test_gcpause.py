"""The cycle collector is paused while a database is built and skips it once frozen."""

from __future__ import annotations

import gc

import pytest

from store.gcpause import YOUNGEST_THRESHOLD, collect_less_often, collector_paused, freeze_loaded


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.enable()


def test_paused_inside_and_enabled_again_after_without_freezing_anything():
    with collector_paused():
        assert not gc.isenabled()
        built = [{"level": i} for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # garbage made meanwhile can still be collected
    assert len(built) == 1000


def test_garbage_cycles_made_while_paused_are_collected_afterwards():
    class Node:
        pass

    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
    assert gc.collect() >= 2


def test_freeze_loaded_exempts_what_is_alive():
    data = [{"level": i} for i in range(1000)]
    freeze_loaded()
    assert gc.get_freeze_count() >= len(data)


def test_nested_pauses_enable_the_collector_only_at_the_outermost_end():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_an_error_inside_still_enables_the_collector():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("bad record")
    assert gc.isenabled()


@pytest.fixture
def thresholds_kept():
    kept = gc.get_threshold()
    yield
    gc.set_threshold(*kept)


def test_collect_less_often_raises_only_the_youngest_threshold(thresholds_kept):
    gc.set_threshold(700, 10, 10)
    collect_less_often()
    assert gc.get_threshold() == (YOUNGEST_THRESHOLD, 10, 10)
    gc.set_threshold(50_000, 5, 7)
    collect_less_often()  # never lowers one set higher
    assert gc.get_threshold() == (50_000, 5, 7)
