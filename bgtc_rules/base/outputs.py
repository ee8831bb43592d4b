"""Writing output files atomically: a reader never sees half a file, a failure leaves none."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, TextIO, cast

from bgtc_rules.base.errors import input_error
from bgtc_rules.base.safetext import visible


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


def writes_in_place(path: str | Path) -> bool:
    """Whether `path` is something that is written where it is, not replaced: an existing device,
    named pipe or socket (`/dev/null`, `/dev/stdout`, a FIFO), after symbolic links."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _resolved(path: Path) -> Path:
    """The file a path names, through any symbolic links: the link is kept, its target rewritten."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


class TargetLock:
    """An exclusive lock on one output file, held while it is written: a second command writing
    the same file is refused at once with a clear message, instead of both corrupting it.

    The lock is `flock` on `.<name>.lock` beside the file, removed when released (a lock left by a
    killed process is free again: the kernel drops its locks when it dies). Threads of one process
    (the library used from a server) take turns instead: each waits for the one before it.
    """

    def __init__(self, target: Path, shown: str) -> None:
        self.path = target.with_name(f".{target.name}.lock")
        self._handle: int | None = None
        with _in_process_locks_guard:
            turn = _in_process_locks.get(self.path)
            if turn is None:
                turn = _in_process_locks[self.path] = _Turn()
        turn.acquire()
        self._turn: _Turn | None = turn
        try:
            self._lock(shown)
        except BaseException:
            self._turn = None
            turn.release()
            raise

    def _lock(self, shown: str) -> None:
        while self._handle is None:
            try:
                handle = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except OSError as exc:
                raise input_error(shown, "", f"cannot write here: {exc.strerror or exc}") from None
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(handle)
                raise input_error(shown, "", "another bgtc command is writing this file right now; wait for "
                                             "it to finish or write to another file") from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(handle).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._handle = handle
            else:  # its holder removed it just before we locked it: take the new one
                os.close(handle)

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(self._handle)
            self._handle = None
        if self._turn is not None:
            self._turn.release()
            self._turn = None


class _Turn:
    """A lock that can be weakly referenced (`threading.Lock` cannot)."""

    def __init__(self) -> None:
        lock = threading.Lock()
        self.acquire, self.release = lock.acquire, lock.release


# The lock of each output being written by a thread of this process (kept while one holds it).
_in_process_locks: weakref.WeakValueDictionary[Path, _Turn] = weakref.WeakValueDictionary()
_in_process_locks_guard = threading.Lock()


def _take_name(temporary: Path, target: Path) -> None:
    """Rename the finished `temporary` over `target`, keeping the permissions (and, where this
    process may set it, the owner) that `target` had."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        with contextlib.suppress(OSError):
            os.chown(temporary, info.st_uid, info.st_gid)
    os.replace(temporary, target)


class AtomicOutput:
    """The one way an output file is written (every command's `-o`, `bgtc docs`, `plan --ics/--csv`).

    - A regular file, or a new path, is written to a temporary file beside it and renamed over it
      only when the `with` block succeeds: a failed or interrupted write leaves no partial file.
      The file keeps its permissions; a symbolic link is followed and kept (its target is
      rewritten); a lock refuses a second writer of the same file.
    - A device or a named pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in place, never
      replaced.
    - A write that fails (disk full, file too large, read-only) is an `InputError` naming the file.

    Examples:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
        >>> with AtomicOutput(target) as stream:
        ...     _ = stream.write("done\\n")
        >>> target.read_text()
        'done\\n'
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.in_place = writes_in_place(self.path)
        self.target = self.path if self.in_place else _resolved(self.path)
        directory = self.target.parent if str(self.target.parent) else Path(".")
        if self.target.is_dir():
            raise input_error(str(self.path), "", "is a directory; expected a file name")
        if not directory.is_dir():
            raise input_error(str(self.path), "", "the output directory does not exist")
        self._directory = directory
        self._temporary: Path | None = None
        self._stream: IO[str] | None = None
        self._lock: TargetLock | None = None

    def __enter__(self) -> IO[str]:
        if self.in_place:
            try:
                handle = os.open(self.path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
            except OSError as exc:
                raise input_error(str(self.path), "", f"cannot write: {exc.strerror or exc}") from None
            self._stream = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
            return self._stream
        import tempfile  # here, not at the top: with shutil and the compressors, 6 ms of every cold start
        self._lock = TargetLock(self.target, str(self.path))
        try:
            handle, name = tempfile.mkstemp(prefix=f".{self.target.name}.", dir=self._directory)
        except OSError as exc:
            self._lock.release()
            raise input_error(str(self.path), "", f"cannot write here: {exc.strerror or exc}") from None
        self._temporary = Path(name)
        os.fchmod(handle, 0o666 & ~_umask())  # mkstemp makes it private; an output is an ordinary file
        self._stream = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
        return self._stream

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._stream is not None
        try:
            if kind is None:
                self._stream.flush()
                if self._temporary is not None:
                    os.fsync(self._stream.fileno())  # on disk before it takes the name: a crash leaves old or new
            self._stream.close()
            if kind is None and self._temporary is not None:
                _take_name(self._temporary, self.target)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise input_error(str(self.path), "", f"cannot write: {error.strerror or error}") from None
        finally:
            if self._temporary is not None:
                self._temporary.unlink(missing_ok=True)
            if self._lock is not None:
                self._lock.release()
        _refuse_failed_write(self.path, exc)


def _refuse_failed_write(path: Path, exc: BaseException | None) -> None:
    """A write that failed inside the block (disk full, file too large) as the `InputError` it is."""
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        raise input_error(str(path), "", f"cannot write: {exc.strerror or exc}") from None


def write_atomically(path: str | Path, text: str) -> None:
    """Write `text` to `path` through an `AtomicOutput`, its control characters shown
    (`safetext.visible`)."""
    with AtomicOutput(path) as stream:
        stream.write(visible(text))


class LineJournal:
    """Output lines appended to a partial file beside `path`, renamed to `path` once complete.

    The partial file is `<path>.partial-<key>`, where `key` names what produced the lines (the
    batch's inputs and options), so that a later run can take up exactly where an interrupted one
    stopped: the lines `complete_lines` yields are kept, a line cut short by a crash is dropped,
    and writing goes on after them (a run that reads none starts the file over).
    While lines are being written, `path` itself is never touched: killed at any moment, even with
    SIGKILL, a run leaves the previous `path` (or none) and the partial file. An interruption
    (Ctrl-C) keeps the partial file for resuming; any other failure removes it. A write that fails
    (disk full, file too large, read-only target) is an `InputError` naming `path`.
    """

    def __init__(self, path: str | Path, key: str) -> None:
        output = AtomicOutput(path)  # the same checks of the target, and the same errors
        if output.in_place:
            raise input_error(str(path), "", "is a device or a pipe; a batch output to it cannot be resumed")
        self.path = output.path
        self.target = output.target  # through a symbolic link: the link is kept
        self.partial = self.target.with_name(f"{self.target.name}.partial-{key}")
        self._kept_bytes = 0
        self._stream: IO[str] | None = None
        self._lock: TargetLock | None = None

    def lock(self) -> None:
        """Refuse every other writer of the file until `release` (or the end of the `with` block,
        which takes the lock if it is not held yet); `InputError` if another one holds it."""
        if self._lock is None:
            self._lock = TargetLock(self.target, str(self.path))

    def release(self) -> None:
        """Let another command write the file."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def stale(self) -> list[Path]:
        """Partial files of runs with other inputs or options, which cannot be continued."""
        return sorted(p for p in self.target.parent.glob(f"{self.target.name}.partial-*") if p != self.partial)

    def complete_lines(self) -> Iterator[str]:
        """The complete lines an interrupted run left, in order and read one at a time (a batch's
        lines are about 100 KB each); each one read is kept when the journal is entered."""
        try:
            stream = self.partial.open("rb")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise input_error(str(self.partial), "", f"cannot read: {exc.strerror or exc}") from None
        with stream:
            for number, raw in enumerate(stream, 1):
                if not raw.endswith(b"\n"):
                    return  # a last line without its newline was cut short
                try:
                    line = raw[:-1].decode("utf-8")
                except UnicodeDecodeError:
                    problem = f"line {number} is not UTF-8; delete the file to start over"
                    raise input_error(str(self.partial), "", problem) from None
                self._kept_bytes += len(raw)
                yield line

    def __enter__(self) -> IO[str]:
        self.lock()
        try:
            handle = os.open(self.partial, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
            stream = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
            stream.truncate(self._kept_bytes)  # drops a line cut short, or a stale run's lines
            stream.seek(self._kept_bytes)
        except OSError as exc:
            self.release()
            raise input_error(str(self.path), "", f"cannot write here: {exc.strerror or exc}") from None
        self._stream = stream
        return stream

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._stream is not None
        keep = kind is not None and issubclass(kind, KeyboardInterrupt)
        try:
            if kind is None:
                self._stream.flush()
                os.fsync(self._stream.fileno())
            self._stream.close()
            if kind is None:
                _take_name(self.partial, self.target)
        except OSError as error:
            keep = False
            raise input_error(str(self.path), "", f"cannot write: {error.strerror or error}") from None
        finally:
            if not keep:
                self.partial.unlink(missing_ok=True)
            self.release()
        _refuse_failed_write(self.path, exc)


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    """Write `data` (a binary document, such as DOCX) to `path` through an `AtomicOutput`."""
    with AtomicOutput(path) as stream:
        cast(TextIO, stream).buffer.write(data)  # the text layer holds nothing; its flush reaches the bytes


def write_all(descriptor: int, data: bytes) -> None:
    """All of `data` to the file descriptor, write by write.

    When the reader of a pipe goes away midway, `write(2)` first returns a short count, and
    Python's buffered streams drop the rest without an error; the next `write(2)` is the one
    that reports the broken pipe.
    """
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


# What `copy_file_range` answers when it cannot copy between these two files (another file system,
# a pipe, an append-only descriptor, an old kernel): the bytes are then read and written instead.
_CANNOT_COPY_IN_KERNEL = frozenset({errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF,
                                    errno.EPERM, errno.ETXTBSY})
_PIECE = 1 << 20


def append_file(source: str | Path, descriptor: int) -> int:
    """Append the whole of the file `source` to the file descriptor, at its position; the bytes copied.

    Between regular files the kernel copies them (`copy_file_range`), so they never pass through
    this process; otherwise they are read and written in pieces of 1 MiB. A failure to write
    (disk full, broken pipe) is the `OSError` of the write.
    """
    with open(source, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        copied = 0
        copy_in_kernel = getattr(os, "copy_file_range", None)
        while copy_in_kernel is not None and copied < size:
            try:
                done = copy_in_kernel(stream.fileno(), descriptor, size - copied, copied)
            except OSError as exc:
                if exc.errno not in _CANNOT_COPY_IN_KERNEL:
                    raise
                break
            if done == 0:  # the file is shorter than it was: copy what there is the other way
                break
            copied += done
        while piece := os.pread(stream.fileno(), _PIECE, copied):
            write_all(descriptor, piece)
            copied += len(piece)
    return copied


def write_behind(descriptor: int) -> Callable[[], None] | None:
    """For a regular file open for writing: a function that starts writing to disk what was
    written to it since the last call (or since now), without waiting, and lets the page cache
    drop those pages once written; `None` for anything else (a pipe, a terminal).

    A long output written this way is mostly on disk by the time it ends, so the `fsync` that
    makes it durable has little left to do: measured on 500 MB in 1.6 MB pieces, that `fsync`
    took 0.17-0.21 s without, under a millisecond with. The output no longer fills the page cache
    either.
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        written = os.lseek(descriptor, 0, os.SEEK_CUR)
    except OSError:
        return None

    def flush() -> None:
        nonlocal written
        end = os.lseek(descriptor, 0, os.SEEK_CUR)
        if end > written:
            advise(descriptor, written, end - written, os.POSIX_FADV_DONTNEED)  # starts the writeback
        written = end
    return flush
