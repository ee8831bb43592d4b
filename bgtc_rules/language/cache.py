"""A cache of compiled rule bases, keyed by the content of the rule files.

Parsing and checking ~50 YAML files costs most of a cold `bgtc evaluate`; a compiled rule base is
reused while no rule file changes. The key covers every file's path and bytes and the package
version, so any edit, addition or removal makes a new entry. The cache is only a cache: it is safe
to delete, a damaged entry is rebuilt, and a cache directory that cannot be written is ignored.

The same directory keeps the code generated from a rule base (see `valuation`), compiled, keyed
by the generated text and the Python version.

`BGTC_CACHE_DIR` chooses the directory (default: `$XDG_CACHE_HOME/bgtc-rules` or
`~/.cache/bgtc-rules`); `BGTC_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

from bgtc_rules._version import __version__

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


def compiled_code(source: str, filename: str) -> CodeType:
    """`compile(source, filename, "exec")`, kept in the cache directory (compiling is most of
    the cost of generated code)."""
    directory = cache_dir()
    if directory is None:
        return compile(source, filename, "exec")
    key = hashlib.sha256(MAGIC_NUMBER + f"{__version__}\0{filename}\0{source}".encode()).hexdigest()
    entry = directory / f"code-{key[:32]}.marshal"
    try:
        code = marshal.loads(entry.read_bytes())
        if isinstance(code, CodeType):
            return code
    except (OSError, EOFError, ValueError, TypeError):
        pass  # missing or unreadable: compile it again
    code = compile(source, filename, "exec")
    _store(entry, code, marshal.dump)
    return code


def _store(entry: Path, value: object, dump: Callable[[Any, Any], object] | None = None) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".rules-", dir=entry.parent)
        with os.fdopen(handle, "wb") as stream:
            if dump is None:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            else:
                dump(value, stream)
        os.replace(temporary, entry)
    except OSError:
        pass  # a cache that cannot be written is no cache; the rules were built all the same
