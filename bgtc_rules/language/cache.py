"""A cache of compiled rule bases and generated code, that only ever reads back what it wrote.

Parsing and checking ~50 YAML files costs most of a cold `bgtc evaluate`; a compiled rule base is
reused while no rule file changes. The key covers every file's path and bytes and the package
version, so any edit, addition or removal makes a new entry. The same directory keeps the code
generated from a rule base (see `valuation`), compiled, keyed by the generated text and the
Python version.

The cache is only a cache: it is safe to delete, a damaged entry is rebuilt, and a directory that
cannot be written is ignored. It is also a place other people might write to (a shared CI cache, a
team folder under /tmp), so nothing in it is trusted until checked, as ssh and pip check theirs:

- the directory is created 0700; a directory (or an ancestor) owned by another user, or writable
  by group or others (an ancestor may be, if it is sticky, as /tmp is), turns the cache off with
  one warning;
- an entry is opened without following symlinks and must be a regular file owned by the user
  and writable by nobody else;
- every entry carries an HMAC-SHA256 of its kind, key and payload under a random per-user key
  (`key`, 0600, in the directory), so an entry that was truncated, swapped for another key's, or
  written by anyone without that key is refused and rebuilt;
- compiled rule bases are stored as JSON (`RuleBase.to_data`), which is read back through the
  rule schema, never as a pickle; generated code is stored as marshalled bytecode and only
  executed when its HMAC verifies.

`BGTC_CACHE_DIR` chooses the directory (default: `$XDG_CACHE_HOME/bgtc-rules` or
`~/.cache/bgtc-rules`); `BGTC_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import marshal
import os
import stat
import warnings
from collections.abc import Callable, Sequence
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

from bgtc_rules._version import __version__

T = TypeVar("T")

KEY_FILE = "key"
_HEADER = b"bgtc-cache 2 "  # then the hex HMAC and a newline, then the payload
_DIGEST_HEX = 64
_SECRET_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class CacheWarning(UserWarning):
    """The cache directory or an entry is not safe to use; the rules are built without it."""


def cache_dir() -> Path | None:
    """Where compiled rule bases are kept, or `None` when caching is off."""
    if os.environ.get("BGTC_NO_CACHE"):
        return None
    if explicit := os.environ.get("BGTC_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bgtc-rules"


def content_key(sources: Sequence[tuple[Path, bytes]], extra: str = "") -> str:
    """A digest of the package version and every file's absolute path and bytes (as read once by
    the caller, who builds from those same bytes)."""
    digest = hashlib.sha256(f"{__version__}\0{extra}\0".encode())
    for path, raw in sources:
        digest.update(str(path.resolve()).encode() + b"\0" + raw + b"\0")
    return digest.hexdigest()


def cached(key: str, encode: Callable[[T], Any], decode: Callable[[Any], T], build: Callable[[], T]) -> T:
    """The value kept under `key` (a JSON document, `decode`d), or `build()` stored under it."""
    store = _Store.open()
    if store is None:
        return build()
    name = f"rules-{key[:32]}.json"
    payload = store.read(name, key)
    if payload is not None:
        try:
            return decode(json.loads(payload))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            pass  # verified but not decodable (another version's schema, nesting too deep): rebuild
    value = build()
    store.write(name, key, json.dumps(encode(value), separators=(",", ":")).encode())
    return value


def compiled_code(source: str, filename: str) -> CodeType:
    """`compile(source, filename, "exec")`, kept in the cache directory (compiling is most of
    the cost of generated code)."""
    store = _Store.open()
    if store is None:
        return compile(source, filename, "exec")
    key = hashlib.sha256(MAGIC_NUMBER + f"{__version__}\0{filename}\0{source}".encode()).hexdigest()
    name = f"code-{key[:32]}.marshal"
    payload = store.read(name, key)
    if payload is not None:
        try:
            code = marshal.loads(payload)
            if isinstance(code, CodeType):
                return code
        except (EOFError, ValueError, TypeError):
            pass
    code = compile(source, filename, "exec")
    store.write(name, key, marshal.dumps(code))
    return code


class _Store:
    """A checked cache directory and its HMAC key."""

    def __init__(self, directory: Path, secret: bytes) -> None:
        self.directory = directory
        self.secret = secret

    @classmethod
    def open(cls) -> _Store | None:
        directory = cache_dir()
        if directory is None:
            return None
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            directory.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None  # cannot be created (read-only home, ...): no cache, no noise
        refusal = _unsafe_directory(directory)
        if refusal:
            _warn(f"ignoring the rules cache {directory}: {refusal}")
            return None
        secret = _secret(directory)
        return None if secret is None else cls(directory, secret)

    def _mac(self, name: str, key: str, payload: bytes) -> bytes:
        message = f"{name}\0{key}\0".encode() + payload
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest().encode()

    def read(self, name: str, key: str) -> bytes | None:
        """The verified payload of entry `name`, or `None` (missing, unsafe, damaged or forged)."""
        content = _read_own_file(self.directory / name)
        if content is None:
            return None
        start = len(_HEADER) + _DIGEST_HEX + 1
        if not content.startswith(_HEADER) or content[start - 1:start] != b"\n":
            return None
        mac, payload = content[len(_HEADER):start - 1], content[start:]
        return payload if hmac.compare_digest(mac, self._mac(name, key, payload)) else None

    def write(self, name: str, key: str, payload: bytes) -> None:
        _write_private(self.directory / name, _HEADER + self._mac(name, key, payload) + b"\n" + payload)


def _unsafe_directory(directory: Path) -> str:
    """Why `directory` must not be trusted, or "" if it may be (the checks ssh makes of ~/.ssh):
    it must be the user's and writable by nobody else; each ancestor the user's or root's, and
    writable by others only if sticky (as /tmp is)."""
    me = os.getuid()
    path = directory.resolve()
    for current in (path, *path.parents):
        try:
            info = current.stat()
        except OSError as exc:
            return f"cannot check {current}: {exc.strerror}"
        owners = (me,) if current == path else (me, 0)
        if info.st_uid not in owners:
            return f"{current} is owned by another user (uid {info.st_uid})"
        shared = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        if shared and (current == path or not info.st_mode & stat.S_ISVTX):
            mode = stat.S_IMODE(info.st_mode)
            return f"{current} is writable by group or others (mode {mode:04o}); chmod go-w it"
    return ""


def _read_own_file(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file, not a symlink, owned by the user and writable
    by nobody else; `None` if it is missing; `None` with a warning if it is there but unsafe."""
    try:
        handle = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError:
        _warn(f"ignoring the cache entry {path}: it is a symlink or cannot be opened")
        return None
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
            _warn(f"ignoring the cache entry {path}: not a regular file of yours, writable only by you")
            return None
        return stream.read()


def _secret(directory: Path) -> bytes | None:
    """The per-user HMAC key, made on first use; `None` if the key file is unsafe."""
    path = directory / KEY_FILE
    existing = _read_own_file(path)
    if existing is not None and len(existing) == _SECRET_BYTES:
        return existing
    if existing is None and os.path.lexists(path):
        return None  # there but not ours to trust (already warned)
    if existing is not None:  # damaged: only we can write here, so replacing it is safe
        secret = os.urandom(_SECRET_BYTES)
        _write_private(path, secret)
        return secret
    secret = os.urandom(_SECRET_BYTES)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except FileExistsError:  # another process made it first
        raced = _read_own_file(path)
        return raced if raced is not None and len(raced) == _SECRET_BYTES else None
    except OSError:
        return None
    with os.fdopen(handle, "wb") as stream:
        stream.write(secret)
    return secret


def _write_private(entry: Path, content: bytes) -> None:
    """Write `content` to `entry` atomically (a private temporary file, then a rename)."""
    import tempfile  # only on a miss: with shutil and the compressors, 6 ms of every cold start

    try:
        handle, temporary = tempfile.mkstemp(prefix=".entry-", dir=entry.parent)  # mode 0600
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a cache that cannot be written is no cache; the rules were built all the same


_warned: set[str] = set()


def _warn(message: str) -> None:
    if message not in _warned:  # once per process, however many entries are refused
        _warned.add(message)
        warnings.warn(message, CacheWarning, stacklevel=2)
