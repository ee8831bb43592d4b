"""`base.outputs.append_file` and `write_all`: how a batch's spooled lines reach their output."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

import bgtc_rules.base.outputs as outputs
from bgtc_rules.base.outputs import append_file, write_all

LINES = "".join(f'{{"n":{n},"text":"é\u2028{"x" * n}"}}\n' for n in range(4000)).encode("utf-8")


@pytest.fixture
def spool(tmp_path: Path) -> Path:
    path = tmp_path / "spool.jsonl"
    path.write_bytes(LINES)
    assert len(LINES) > 2 * (1 << 20)  # more than one piece of the read-and-write way
    return path


def test_appends_after_what_the_file_holds_at_its_position(spool: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"kept\n")
    descriptor = os.open(out, os.O_WRONLY)
    try:
        os.lseek(descriptor, 0, os.SEEK_END)
        assert append_file(spool, descriptor) == len(LINES)
        assert append_file(spool, descriptor) == len(LINES)
    finally:
        os.close(descriptor)
    assert out.read_bytes() == b"kept\n" + LINES + LINES


def test_reads_and_writes_where_the_kernel_cannot_copy(spool: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Another file system (EXDEV) or an old kernel: the same bytes, copied the other way."""
    calls = 0

    def cross_device(*args: object) -> int:
        nonlocal calls
        calls += 1
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(outputs.os, "copy_file_range", cross_device, raising=False)
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stream:
        assert append_file(spool, stream.fileno()) == len(LINES)
    assert calls == 1 and out.read_bytes() == LINES


def test_a_pipe_gets_every_byte(spool: Path) -> None:
    reader, writer = os.pipe()
    received = bytearray()

    def drain() -> None:
        while chunk := os.read(reader, 65536):
            received.extend(chunk)

    thread = threading.Thread(target=drain)
    thread.start()
    try:
        append_file(spool, writer)
    finally:
        os.close(writer)
        thread.join()
        os.close(reader)
    assert bytes(received) == LINES


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_write_that_fails_is_the_os_error(spool: Path) -> None:
    """A full disk is reported, not taken for a reason to copy another way."""
    descriptor = os.open("/dev/full", os.O_WRONLY)
    try:
        with pytest.raises(OSError) as raised:
            append_file(spool, descriptor)
    finally:
        os.close(descriptor)
    assert raised.value.errno == errno.ENOSPC


def test_write_all_goes_on_after_a_short_write(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    written: list[bytes] = []

    def short(descriptor: int, data: memoryview) -> int:
        piece = bytes(data[:7])  # as a pipe whose reader is slow
        written.append(piece)
        return len(piece)

    monkeypatch.setattr(outputs.os, "write", short)
    write_all(1, b"0123456789" * 5)
    assert b"".join(written) == b"0123456789" * 5 and len(written) == 8


def test_write_behind_starts_the_writeback_of_each_new_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    advised: list[tuple[int, int, int]] = []
    real = os.posix_fadvise

    def recorded(descriptor: int, offset: int, length: int, advice: int) -> None:
        advised.append((offset, length, advice))
        real(descriptor, offset, length, advice)

    monkeypatch.setattr(outputs.os, "posix_fadvise", recorded)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"kept\n")
    descriptor = os.open(out, os.O_WRONLY)
    try:
        os.lseek(descriptor, 0, os.SEEK_END)
        flush = outputs.write_behind(descriptor)
        assert flush is not None
        write_all(descriptor, LINES)
        flush()
        flush()  # nothing new: nothing asked
        write_all(descriptor, b"last\n")
        flush()
    finally:
        os.close(descriptor)
    assert advised == [(5, len(LINES), os.POSIX_FADV_DONTNEED), (5 + len(LINES), 5, os.POSIX_FADV_DONTNEED)]
    assert out.read_bytes() == b"kept\n" + LINES + b"last\n"


def test_write_behind_is_for_regular_files_only() -> None:
    reader, writer = os.pipe()
    try:
        assert outputs.write_behind(writer) is None
    finally:
        os.close(reader)
        os.close(writer)
    descriptor = os.open(os.devnull, os.O_WRONLY)
    try:
        assert outputs.write_behind(descriptor) is None
    finally:
        os.close(descriptor)
