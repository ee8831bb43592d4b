"""Read YAML or JSON documents strictly, remembering the line of every value.

Dossiers and rule files are written by hand, so the reader refuses what would otherwise
be silently accepted: duplicate keys, aliases and merge keys (the "billion laughs"
expansion), Python and other non-data tags, non-UTF-8 text, control characters, impossible
dates, NaN/Infinity, numbers too long to be counts, deep nesting, oversized files. Every
error names the file and, where it can, the line. A UTF-8 byte-order mark is accepted.
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
MAX_INTEGER_DIGITS = 30  # far beyond any count; Python refuses to convert more than 4,300 digits

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


_MERGE_TAG = "tag:yaml.org,2002:merge"
_REFUSED_TAGS = ("binary", "set", "omap", "pairs")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects aliases, merge keys, duplicate keys and non-data tags, and
    turns impossible dates and overlong integers into located errors."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed; write the value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                problem=f"{node.value!r} is not a valid date ({exc}); expected YYYY-MM-DD",
                problem_mark=node.start_mark,
            ) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        digits = sum(ch.isalnum() for ch in str(node.value))
        if digits > MAX_INTEGER_DIGITS:
            raise yaml.constructor.ConstructorError(
                problem=f"integer with {digits} digits is too long (at most {MAX_INTEGER_DIGITS})",
                problem_mark=node.start_mark,
            )
        return super().construct_yaml_int(node)

    def construct_refused(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            problem=f"the tag {node.tag!r} is not allowed; write plain values",
            problem_mark=node.start_mark,
        )


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
for _tag in _REFUSED_TAGS:
    _StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _StrictLoader.construct_refused)


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
            if key_node.tag == _MERGE_TAG:
                raise yaml.MarkedYAMLError(
                    problem="merge keys (<<) are not allowed; write the fields out",
                    problem_mark=key_node.start_mark,
                )
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
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise input_error(source, "", f"control character {char} is not allowed in YAML text", at) from None
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


def _json_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise ValueError(f"integer with {digits} digits is too long (at most {MAX_INTEGER_DIGITS})")
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range for a number")
    return value


def _depth(data: Any) -> int:
    """The deepest level of any value (the top level is 0), counted as for YAML, without recursion."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, (dict, list)):
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def parse_json(text: str, source: str) -> Document:
    """Parse JSON text strictly (no duplicate keys, no NaN, nothing after the value).

    Examples:
        >>> parse_json('{"a": [1, 2]}', "t.json").data
        {'a': [1, 2]}
    """
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant,
                          parse_int=_json_int, parse_float=_json_float)
    except json.JSONDecodeError as exc:
        raise input_error(source, "", f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise input_error(source, "", f"nested more than {MAX_NESTING} levels deep") from None
    except ValueError as exc:
        raise input_error(source, "", f"invalid JSON: {exc}") from None
    if _depth(data) > MAX_NESTING:
        raise input_error(source, "", f"nested more than {MAX_NESTING} levels deep")
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
