"""Writing output files atomically: a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import input_error


def _umask() -> int:
    """The process umask, read without changing it where the system allows.

    Setting it, even for an instant, applies to every thread: a file another thread creates
    meanwhile gets that mask. Where it must be set, it is set to the strictest mask.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_atomically(path: str | Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same directory and a rename."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise input_error(str(target), "", "the output directory does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as exc:
        raise input_error(str(target), "", f"cannot write here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            os.fchmod(stream.fileno(), 0o666 & ~_umask())  # mkstemp makes it private; a report is an ordinary file
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())  # on disk before it takes the name: a crash leaves the old file or the new
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise input_error(str(target), "", f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
