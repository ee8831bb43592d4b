"""A cache of compiled rule bases, keyed by the content of the rule files.

Parsing and checking ~50 YAML files costs most of a cold `bgtc evaluate`; a compiled rule base is
reused while no rule file changes. The key covers every file's path and bytes and the package
version, so any edit, addition or removal makes a new entry. The cache is only a cache: it is safe
to delete, a damaged entry is rebuilt, and a cache directory that cannot be written is ignored.

`BGTC_CACHE_DIR` chooses the directory (default: `$XDG_CACHE_HOME/bgtc-rules` or
`~/.cache/bgtc-rules`); `BGTC_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ._version import __version__

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where compiled rule bases are kept, or `None` when caching is off."""
    if os.environ.get("BGTC_NO_CACHE"):
        return None
    if explicit := os.environ.get("BGTC_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bgtc-rules"


def content_key(files: Sequence[Path], extra: str = "") -> str:
    """A digest of the package version and every file's absolute path and bytes."""
    digest = hashlib.sha256(f"{__version__}\0{extra}\0".encode())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(key: str, kind: type[T], build: Callable[[], T]) -> T:
    """The cached value for `key`, or `build()` stored under it."""
    directory = cache_dir()
    if directory is None:
        return build()
    entry = directory / f"rules-{key[:32]}.pickle"
    try:
        with entry.open("rb") as handle:
            value = pickle.load(handle)
        if isinstance(value, kind):
            return value
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass  # missing or unreadable: rebuild it
    value = build()
    _store(entry, value)
    return value


def _store(entry: Path, value: object) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".rules-", dir=entry.parent)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except OSError:
        pass  # a cache that cannot be written is no cache; the rules were built all the same
