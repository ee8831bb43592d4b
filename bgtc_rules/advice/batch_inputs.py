"""The inputs of a batch: directories of dossier files, single dossier files and JSONL files.

Directories are searched recursively for `*.yaml`, `*.yml` and `*.json` (hidden files and
directories skipped, sorted by path); a JSONL file holds one dossier mapping per line (blank lines
skipped; an item is named `file.jsonl:LINE`). Everything is checked before the batch starts, and
the items are read lazily, in order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bgtc_rules.base.documents import MAX_DOCUMENT_BYTES, Document, parse_json
from bgtc_rules.base.errors import InputError, Problem, input_error
from bgtc_rules.base.inputs import kind_of_file
from bgtc_rules.dossier.schema import Dossier

DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")
JSONL_SUFFIX = ".jsonl"


@dataclass(frozen=True)
class Item:
    """One dossier to evaluate: a file, or one line of a JSONL file (`line` and its raw `data`)."""

    source: str
    path: str
    line: int | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class _Input:
    path: Path
    kind: str  # "dossier", "directory" (the dossier files found in it) or "jsonl"
    files: tuple[Path, ...] = ()


def _is_dossier_file(path: Path) -> bool:
    return path.suffix.lower() in DOSSIER_SUFFIXES


def _dossier_files(directory: Path) -> list[Path]:
    found: list[tuple[str, ...]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = Path(root).relative_to(directory).parts
        found.extend((*relative, name) for name in files
                     if not name.startswith(".") and _is_dossier_file(Path(name)))
    return [directory.joinpath(*parts) for parts in sorted(found)]


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSONL file with their 1-based numbers.

    A line is read at most `MAX_DOCUMENT_BYTES + 1` bytes at a time, as a file is: a longer one
    is yielded cut there (its item then fails as too long) and the rest of it skipped in pieces,
    so a line that never ends costs time, not memory.
    """
    from bgtc_rules.base.documents import MAX_DOCUMENT_BYTES
    from bgtc_rules.base.inputs import open_regular

    try:
        with open_regular(path) as stream:
            number = 0
            while raw := stream.readline(MAX_DOCUMENT_BYTES + 1):
                number += 1
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if len(raw) > MAX_DOCUMENT_BYTES and not raw.endswith(b"\n"):
                    while (rest := stream.readline(MAX_DOCUMENT_BYTES)) and not rest.endswith(b"\n"):
                        pass
                if raw.strip():
                    yield number, raw
    except OSError as exc:
        raise input_error(str(path), "", f"cannot read file: {exc.strerror or exc}") from None


class Inputs:
    """The validated inputs of a batch; iterating yields the items in order, reading lazily."""

    def __init__(self, inputs: Sequence[_Input]) -> None:
        self._inputs = tuple(inputs)

    def __iter__(self) -> Iterator[Item]:
        for entry in self._inputs:
            if entry.kind == "jsonl":
                for number, raw in _jsonl_lines(entry.path):
                    yield Item(f"{entry.path}:{number}", str(entry.path), number, raw)
            else:
                for path in entry.files:
                    yield Item(str(path), str(path))

    def fingerprint(self) -> str:
        """A digest of every input file's path, size and modification time: what a resumed batch
        must find unchanged. Paths are absolute, with the symbolic links of their directories
        resolved, so that the same batch started from another directory is the same batch; each
        directory is resolved once (resolving 5,000 files one by one took 0.11 s)."""
        digest = hashlib.sha256()
        directories: dict[Path, Path] = {}
        for entry in self._inputs:
            for path in entry.files if entry.kind != "jsonl" else (entry.path,):
                directory = directories.get(path.parent)
                if directory is None:
                    directory = directories[path.parent] = path.parent.resolve()
                info = path.stat()
                digest.update(f"{directory / path.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        return digest.hexdigest()

    def count(self) -> int:
        """How many items there are (reads the JSONL files once)."""
        return sum(len(e.files) if e.kind != "jsonl" else sum(1 for _ in _jsonl_lines(e.path))
                   for e in self._inputs)


def collect_inputs(paths: Sequence[Path]) -> Inputs:
    """Check the paths a batch was given: each an existing directory with dossiers in it, a
    dossier file, or a readable `.jsonl` file.

    Raises:
        InputError: naming every path that cannot be used.
    """
    problems: list[Problem] = []
    inputs: list[_Input] = []
    if not paths:
        problems.append(Problem("PATH", "", "give at least one directory of dossiers or JSONL file"))
    for path in paths:
        if path.is_dir():
            files = _dossier_files(path)
            if not files:
                problems.append(Problem(str(path), "", "no .yaml, .yml or .json dossier files in this directory"))
            inputs.append(_Input(path, "directory", tuple(files)))
        elif not path.exists():
            problems.append(Problem(str(path), "", "no such file or directory"))
        elif not path.is_file():
            problems.append(Problem(str(path), "", f"is {kind_of_file(path.stat().st_mode)}; expected a regular file"))
        elif path.suffix.lower() == JSONL_SUFFIX:
            if not os.access(path, os.R_OK):
                problems.append(Problem(str(path), "", "cannot read file: permission denied"))
            inputs.append(_Input(path, "jsonl"))
        elif _is_dossier_file(path):
            inputs.append(_Input(path, "dossier", (path,)))
        else:
            problems.append(Problem(str(path), "", "expected a directory, a .jsonl file or a .yaml/.yml/.json dossier"))
    if problems:
        raise InputError(problems)
    return Inputs(inputs)


def jsonl_dossier(item: Item) -> Dossier:
    """Parse and validate one JSONL line; problems name the file and the line."""
    from bgtc_rules.base.validation import validate_document

    assert item.data is not None and item.line is not None
    if len(item.data) > MAX_DOCUMENT_BYTES:
        raise input_error(item.path, "", f"line is longer than {MAX_DOCUMENT_BYTES // 1024} KiB", item.line)
    try:
        text = item.data.decode("utf-8").rstrip("\r\n")  # an error at the end is in this line, not the next
    except UnicodeDecodeError as exc:
        raise input_error(item.path, "", f"not valid UTF-8 text (byte {exc.start} of the line)", item.line) from None
    try:
        parsed = parse_json(text, item.path)
    except InputError as exc:
        raise InputError([replace(p, line=item.line) for p in exc.problems]) from None
    return validate_document(Dossier, Document(item.path, parsed.data, {(): item.line}))
