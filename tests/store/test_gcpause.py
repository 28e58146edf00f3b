"""The cycle collector is paused while a database is built and skips the result afterwards."""

from __future__ import annotations

import gc

import pytest

from store.gcpause import collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def test_paused_inside_enabled_again_after_and_what_was_built_is_frozen():
    with collector_paused():
        assert not gc.isenabled()
        built = [{"level": i} for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)


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
