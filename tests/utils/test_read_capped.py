"""read_capped reads at most the cap, whatever the file says its size is."""

from __future__ import annotations

import io
import os

import pytest

from indcli.utils.files import read_capped


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_a_regular_file_is_read_up_to_the_cap(tmp_path, size):
    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    with open(path, "rb") as handle:
        assert read_capped(handle, 101) == b"x" * min(size, 101)


def test_a_file_that_grows_after_its_size_was_asked_is_still_capped(tmp_path, monkeypatch):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 500)
    real = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real(fd)[:6], 10, *real(fd)[7:])))
    with open(path, "rb") as handle:
        assert read_capped(handle, 101) == b"x" * 101


def test_a_pipe_or_stream_without_a_size_is_read_up_to_the_cap(tmp_path):
    read, write = os.pipe()
    os.write(write, b"y" * 300)
    os.close(write)
    with os.fdopen(read, "rb") as handle:
        assert read_capped(handle, 101) == b"y" * 101
    assert read_capped(io.BytesIO(b"z" * 50), 101) == b"z" * 50
