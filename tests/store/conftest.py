"""Fixtures for the store's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import i18n


@pytest.fixture
def danish() -> Iterator[None]:
    """The test runs in Danish; English again after it."""
    i18n.set_language("da")
    yield
    i18n.set_language("en")
