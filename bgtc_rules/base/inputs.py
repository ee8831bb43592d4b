"""Opening input files: only regular files are read, and never more than a limit.

A named pipe given as an input waits for a writer for ever when opened for reading, and a device
(`/dev/zero`, often through a symbolic link) never ends: each input is opened without blocking and
checked on its descriptor before a byte is read (dossiers, rule files, JSONL files).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from bgtc_rules.base.errors import input_error


def kind_of_file(mode: int) -> str:
    """What a file that is not a regular file is, in words (for messages).

    Examples:
        >>> import stat
        >>> kind_of_file(stat.S_IFIFO | 0o644), kind_of_file(stat.S_IFCHR | 0o666)
        ('a named pipe (FIFO)', 'a device')
    """
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading in binary, if it is a regular file (after symlinks); else `InputError`.

    It is opened without blocking and checked on the descriptor before anything is read: opening a
    named pipe for reading waits for a writer, and reading a device (`/dev/zero`) never ends.
    """
    source = str(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise input_error(source, "", f"cannot read file: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise input_error(source, "", f"is {kind_of_file(mode)}; expected a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise


def read_input(path: Path, max_bytes: int) -> bytes:
    """The bytes of an input file, at most `max_bytes + 1` of them (one more shows it is too large);
    `InputError` for a file that is not a regular file or cannot be read."""
    with open_regular(path) as handle:
        try:
            return handle.read(max_bytes + 1)
        except OSError as exc:
            raise input_error(str(path), "", f"cannot read file: {exc.strerror or exc}") from None


def decode_text(raw: bytes, source: str) -> str:
    """An input's bytes as text: UTF-8 (a byte-order mark dropped), with a clear refusal of anything else."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise input_error(source, "", "file is UTF-32 encoded; save it as UTF-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise input_error(source, "", "file is UTF-16 encoded; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        odd, even = raw[1:400:2], raw[0:400:2]
        if odd.count(0) >= 0.4 * len(odd) or even.count(0) >= 0.4 * len(even):
            raise input_error(source, "", "file looks UTF-16 encoded (NUL bytes between characters); save it as UTF-8")
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise input_error(source, "", "file contains NUL bytes; expected UTF-8 text", line)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise input_error(source, "", f"not valid UTF-8 text (byte {exc.start}); save it as UTF-8", line) from None
