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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bgtc_rules.base.errors import InputError, input_error
from bgtc_rules.base.fastjson import NOT_FAST, fast_json
from bgtc_rules.base.inputs import decode_text, read_input
from bgtc_rules.base.jsonerrors import json_syntax_message
from bgtc_rules.base.yamlshape import scan_can_refuse, scan_events

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_NESTING = 32
MAX_INTEGER_DIGITS = 30  # far beyond any count; Python refuses to convert more than 4,300 digits

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed document and the line of each value by path (for a JSON `text` read fast: on first use)."""

    source: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    text: str | None = field(default=None, repr=False)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        if self.text is not None:
            self.lines, self.text = _json_lines(self.text, self.source), None
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


_MERGE_TAG = "tag:yaml.org,2002:merge"
_REFUSED_TAGS = ("binary", "set", "omap", "pairs")


def _refuse_base_60(node: yaml.ScalarNode) -> None:
    """YAML 1.1 reads `1:00:00` as the base-60 number 3600: in a dossier it is a time or a typo,
    never a count, so it is refused rather than read as a number nobody wrote."""
    if ":" in str(node.value):
        raise yaml.constructor.ConstructorError(
            problem=f"{node.value!r} is read by YAML as a base-60 number; write a plain number "
                    "(or quote it if it is text)",
            problem_mark=node.start_mark,
        )


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
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                problem=f"{node.value!r} is not a valid date ({exc}); expected YYYY-MM-DD",
                problem_mark=node.start_mark,
            ) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        _refuse_base_60(node)
        digits = sum(ch.isalnum() for ch in str(node.value))
        if digits > MAX_INTEGER_DIGITS:
            raise yaml.constructor.ConstructorError(
                problem=f"integer with {digits} digits is too long (at most {MAX_INTEGER_DIGITS})",
                problem_mark=node.start_mark,
            )
        return yaml.constructor.SafeConstructor.construct_yaml_int(self, node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        _refuse_base_60(node)
        return yaml.constructor.SafeConstructor.construct_yaml_float(self, node)

    def construct_refused(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            problem=f"the tag {node.tag!r} is not allowed; write plain values",
            problem_mark=node.start_mark,
        )


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float)
for _tag in _REFUSED_TAGS:
    _StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _StrictLoader.construct_refused)


if getattr(yaml, "__with_libyaml__", False):

    class _FastStrictLoader(yaml.CSafeLoader):
        """The same checks on libyaml's parser (about 8x faster than the pure-Python one).

        libyaml composes in C, where `compose_node` cannot be overridden: aliases are refused
        by `yamlshape.scan_events` before composing (which also bounds the nesting the C composer sees),
        and caught again in `_Builder` as a node met twice. The pass is left out when the text
        shows it cannot refuse anything (`yamlshape.scan_can_refuse`).
        """

    for _name in ("timestamp", "int", "float"):
        _FastStrictLoader.add_constructor(f"tag:yaml.org,2002:{_name}",
                                          getattr(_StrictLoader, f"construct_yaml_{_name}"))
    for _tag in _REFUSED_TAGS:
        _FastStrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _StrictLoader.construct_refused)
    _LOADER: type[Any] = _FastStrictLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _LOADER = _StrictLoader

def _scalar_key(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.MarkedYAMLError(problem="keys must be plain strings", problem_mark=node.start_mark)
    return str(node.value)


_MAP_TAG, _SEQ_TAG, _STR_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"
_BOOL_TAG, _BOOL_VALUES = "tag:yaml.org,2002:bool", yaml.constructor.SafeConstructor.bool_values


class _Builder:
    """Builds a composed document's value in one walk: the line of every value, the checks on
    the tree (aliases, merge and duplicate keys, depth), and the first number that is not finite.

    Plain mappings, sequences, strings and booleans are built here (most of a dossier); other
    scalars, and anything tagged otherwise, by the loader's constructors, which apply the strict
    rules (dates, integer length, refused tags)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.lines: dict[PathKey, int] = {}
        self.non_finite: PathKey | None = None
        self._seen: set[int] = set()

    def build(self, node: yaml.Node, path: PathKey = (), depth: int = 0) -> Any:
        if id(node) in self._seen:  # the same node in two places is what an alias composes to
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed; write the value out",
                                       problem_mark=node.start_mark)
        self._seen.add(id(node))
        self.lines[path] = node.start_mark.line + 1
        if depth > MAX_NESTING:
            raise yaml.MarkedYAMLError(
                problem=f"nested more than {MAX_NESTING} levels deep", problem_mark=node.start_mark
            )
        kind = type(node)
        if kind is yaml.MappingNode:
            mapping: dict[Any, Any] = {}
            keys: set[str] = set()
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:
                    raise yaml.MarkedYAMLError(
                        problem="merge keys (<<) are not allowed; write the fields out",
                        problem_mark=key_node.start_mark,
                    )
                key = _scalar_key(key_node)
                if key in keys:
                    raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
                keys.add(key)
                value = self.build(value_node, (*path, key), depth + 1)
                mapping[key if key_node.tag == _STR_TAG else self.loader.construct_object(key_node)] = value
            return mapping if node.tag == _MAP_TAG else self.loader.construct_object(node, deep=True)
        if kind is yaml.SequenceNode:
            items = [self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
            return items if node.tag == _SEQ_TAG else self.loader.construct_object(node, deep=True)
        if node.tag == _STR_TAG and kind is yaml.ScalarNode:  # what the str constructor returns
            return node.value
        if node.tag == _BOOL_TAG and kind is yaml.ScalarNode:  # what the bool constructor returns
            return _BOOL_VALUES[node.value.lower()]
        value = self.loader.construct_object(node)
        if type(value) is float and not math.isfinite(value) and self.non_finite is None:
            self.non_finite = path
        return value


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, source: str) -> InputError:
    """A located message for a YAML error, with a hint where libyaml's wording is terse."""
    line = exc.problem_mark.line + 1 if exc.problem_mark else None
    problem = exc.problem or str(exc)
    lines = text.splitlines()
    if line is not None and 0 < line <= len(lines) and "\t" in lines[line - 1] and "token" in problem:
        problem += " (a tab: YAML is indented with spaces)"
    return input_error(source, "", f"invalid YAML: {problem}", line)


def parse_yaml(text: str, source: str) -> Document:
    """Parse YAML text strictly.

    Examples:
        >>> parse_yaml("a: 1\\nb: [x, y]\\n", "t.yaml").lines[("b", 1)]
        2
    """
    try:
        if scan_can_refuse(text, MAX_NESTING):
            scan_events(_LOADER(text), MAX_NESTING)
        builder, data = _compose(text, source)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, text, source) from None
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise input_error(source, "", f"control character {char} is not allowed in YAML text", at) from None
    except yaml.YAMLError as exc:
        raise input_error(source, "", f"invalid YAML: {exc}") from None
    except RecursionError:
        raise input_error(source, "", f"nested more than {MAX_NESTING} levels deep") from None
    doc = Document(source, data, builder.lines)
    if builder.non_finite is not None:
        where = ".".join(str(p) for p in builder.non_finite)
        raise input_error(source, where, "NaN and infinity are not numbers a dossier can hold",
                          doc.line_of(builder.non_finite))
    return doc


def _compose(text: str, source: str) -> tuple[_Builder, Any]:
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise input_error(source, "", "the file is empty; expected a mapping of fields")
        builder = _Builder(loader)
        return builder, builder.build(node)
    finally:
        loader.dispose()


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


_JSON_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[{}\[\],:]|[^\s{}\[\],:"]+|\s+')


def _json_lines(text: str, source: str) -> dict[PathKey, int]:
    """The line of every value in JSON text (already parsed once), keyed by its path.

    Also finds, with their line, what the parser's hooks refuse without saying where:
    duplicate keys, NaN/Infinity, numbers out of range, nesting deeper than `MAX_NESTING`.

    Examples:
        >>> _json_lines('{"a": [1,\\n 2]}', "t.json")[("a", 1)]
        2
    """
    lines: dict[PathKey, int] = {}
    # One frame per open container: its path, the keys seen (objects) or the next index (arrays).
    frames: list[tuple[PathKey, set[str] | list[int]]] = []
    key: str | None = None
    line = 1

    def where(path: PathKey) -> str:
        return ".".join(str(p) for p in path)

    def value_path() -> PathKey:
        if not frames:
            return ()
        path, seen = frames[-1]
        if isinstance(seen, list):
            seen[0] += 1
            return (*path, seen[0] - 1)
        return (*path, key if key is not None else "")

    expecting_key = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            line += token.count("\n")
            continue
        if token in ":]},":
            if token in "]}":
                frames.pop()
            expecting_key = token == "," and isinstance(frames[-1][1], set)
            continue
        if expecting_key:
            key = json.loads(token)
            seen = frames[-1][1]
            assert isinstance(seen, set) and isinstance(key, str)
            if key in seen:
                raise input_error(source, where((*frames[-1][0], key)), f"invalid JSON: duplicate key {key!r}", line)
            seen.add(key)
            expecting_key = False
            continue
        path = value_path()
        key = None
        lines[path] = line
        if len(path) > MAX_NESTING:
            raise input_error(source, where(path), f"nested more than {MAX_NESTING} levels deep", line)
        if token in "{[":
            frames.append((path, set() if token == "{" else [0]))
            expecting_key = token == "{"
        elif token in ("NaN", "Infinity", "-Infinity"):
            raise input_error(source, where(path), f"invalid JSON: {token} is not a number a dossier can hold", line)
        elif token[0] in "-0123456789":
            try:
                (_json_int if re.fullmatch(r"-?\d+", token) else _json_float)(token)
            except ValueError as exc:
                raise input_error(source, where(path), f"invalid JSON: {exc}", line) from None
    return lines


def parse_json(text: str, source: str) -> Document:
    """Parse JSON strictly (no duplicate keys, no NaN, ...): fast (`base.fastjson`) or located.

    Examples:
        >>> doc = parse_json('{"a": [1, 2],\\n "b": true}', "t.json")
        >>> doc.data, doc.line_of(("b",))
        ({'a': [1, 2], 'b': True}, 2)
    """
    data = fast_json(text, MAX_NESTING)
    return parse_json_located(text, source) if data is NOT_FAST else Document(source, data, text=text)


def parse_json_located(text: str, source: str) -> Document:
    """`parse_json` by Python's parser, with the line of every value and of every problem."""
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant,
                          parse_int=_json_int, parse_float=_json_float)
    except json.JSONDecodeError as exc:
        raise input_error(source, "", json_syntax_message(exc), exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        _json_lines(text, source)  # names the line of what the hooks refused
        deep = f"nested more than {MAX_NESTING} levels deep"
        raise input_error(source, "", f"invalid JSON: {exc}" if isinstance(exc, ValueError) else deep) from None
    return Document(source, data, _json_lines(text, source))


def read_document(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read a `.yaml`, `.yml` or `.json` file into a `Document`."""
    return parse_document(read_input(path, max_bytes), str(path), path.suffix.lower() == ".json", max_bytes)


def parse_document(raw: bytes, source: str, is_json: bool, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """A file's bytes, or a request body's, as a `Document`: JSON if `is_json`, else YAML."""
    if len(raw) > max_bytes:
        raise input_error(source, "", f"file is larger than {max_bytes // 1024} KiB")
    text = decode_text(raw, source)
    if not text.strip():
        raise input_error(source, "", "the file is empty; expected a mapping of fields")
    return parse_json(text, source) if is_json else parse_yaml(text, source)
