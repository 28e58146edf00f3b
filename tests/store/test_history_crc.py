"""`store.history.crc_of`, the checksum the snapshot and the journal check a history's first
bytes by: the CRC-32 of exactly the first `length` bytes (all of a shorter file), for empty,
small and multi-chunk files (read in chunks); the CRC-32 used is zlib's."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store import history


@pytest.mark.parametrize("size", [0, 1, 4095, history.CHUNK + 17])
@pytest.mark.parametrize("cut", [0, 1, 0.5, 1.0, 3.0])
def test_the_checksum_is_of_the_first_bytes(tmp_path: Path, size: int, cut: float) -> None:
    data = bytes((i * 7 + i // 251) % 256 for i in range(size))
    path = tmp_path / "assessments.jsonl"
    path.write_bytes(data)
    length = int(size * cut) if isinstance(cut, float) else cut
    assert history.crc_of(path, length) == zlib.crc32(data[:length])


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        history.crc_of(tmp_path / "gone.jsonl", 10)


@given(st.binary(max_size=4096), st.integers(0, 2**32 - 1))
def test_the_checksum_is_zlibs_crc32(data: bytes, start: int) -> None:
    """The faster CRC-32 gives zlib's values (the snapshot and `meta.json` recorded those),
    from a running value and over a view of a buffer as `crc_of` hands it."""
    assert history.crc32(data, start) == zlib.crc32(data, start)
    assert history.crc32(memoryview(bytearray(data))) == zlib.crc32(data)
