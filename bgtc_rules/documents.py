"""Read YAML or JSON documents strictly, remembering the line of every value.

Dossiers and rule files are written by hand, so the reader refuses what would otherwise
be silently accepted: duplicate keys, aliases (the "billion laughs" expansion), Python
tags, non-UTF-8 text, NaN/Infinity, oversized files. Every error names the file and line.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import input_error

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_NESTING = 32

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed document and the source line of each value, keyed by its path."""

    source: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects aliases and duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed; write the value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def _scalar_key(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.MarkedYAMLError(problem="keys must be plain strings", problem_mark=node.start_mark)
    return str(node.value)


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], depth: int) -> None:
    lines[path] = node.start_mark.line + 1
    if depth > MAX_NESTING:
        raise yaml.MarkedYAMLError(
            problem=f"nested more than {MAX_NESTING} levels deep", problem_mark=node.start_mark
        )
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = _scalar_key(key_node)
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            seen.add(key)
            _walk(value_node, (*path, key), lines, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, depth + 1)


def _reject_non_finite(data: Any, path: PathKey, source: str, doc: Document) -> None:
    if isinstance(data, float) and not math.isfinite(data):
        where = ".".join(str(p) for p in path)
        raise input_error(source, where, "NaN and infinity are not numbers a dossier can hold",
                          doc.line_of(path))
    if isinstance(data, dict):
        for key, value in data.items():
            _reject_non_finite(value, (*path, key), source, doc)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _reject_non_finite(value, (*path, index), source, doc)


def _decode(raw: bytes, source: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise input_error(source, "", "file is UTF-16 encoded; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise input_error(source, "", "file contains NUL bytes; expected UTF-8 text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise input_error(source, "", f"not valid UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def parse_yaml(text: str, source: str) -> Document:
    """Parse YAML text strictly.

    Examples:
        >>> parse_yaml("a: 1\\nb: [x, y]\\n", "t.yaml").lines[("b", 1)]
        2
    """
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise input_error(source, "", "the file is empty; expected a mapping of fields")
        lines: dict[PathKey, int] = {}
        _walk(node, (), lines, 0)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = exc.problem or str(exc)
        raise input_error(source, "", f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise input_error(source, "", f"invalid YAML: {exc}") from None
    except RecursionError:
        raise input_error(source, "", f"nested more than {MAX_NESTING} levels deep") from None
    finally:
        loader.dispose()
    doc = Document(source, data, lines)
    _reject_non_finite(data, (), source, doc)
    return doc


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a dossier can hold")


def parse_json(text: str, source: str) -> Document:
    """Parse JSON text strictly (no duplicate keys, no NaN, nothing after the value)."""
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise input_error(source, "", f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise input_error(source, "", f"nested more than {MAX_NESTING} levels deep") from None
    except ValueError as exc:
        raise input_error(source, "", f"invalid JSON: {exc}") from None
    return Document(source, data)


def read_document(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read a `.yaml`, `.yml` or `.json` file into a `Document`."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise input_error(source, "", f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise input_error(source, "", f"file is larger than {max_bytes // 1024} KiB")
    text = _decode(raw, source)
    if not text.strip():
        raise input_error(source, "", "the file is empty; expected a mapping of fields")
    if path.suffix.lower() == ".json":
        return parse_json(text, source)
    return parse_yaml(text, source)
