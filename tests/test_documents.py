from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bgtc_rules.base.documents import parse_yaml, read_document
from bgtc_rules.base.errors import InputError


def _read(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    return str(caught.value)


def test_yaml_lines_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("a:\n  b: 1\n  c: [x, y]\n")
    doc = read_document(path)
    assert doc.data == {"a": {"b": 1, "c": ["x", "y"]}}
    assert doc.line_of(("a", "c", 1)) == 3
    assert doc.line_of(("a", "missing")) == 2


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("dup.yaml", b"a: 1\na: 2\n", "duplicate key 'a'"),
        ("alias.yaml", b"a: &x [1]\nb: *x\n", "aliases"),
        ("tag.yaml", b"a: !!python/object:os.system ls\n", "invalid YAML"),
        ("empty.yaml", b"   \n", "empty"),
        ("utf16.yaml", "a: 1".encode("utf-16"), "UTF-16"),
        ("latin1.yaml", "a: caf\xe9".encode("latin-1"), "not valid UTF-8"),
        ("nan.yaml", b"a: .nan\n", "NaN"),
        ("trailing.json", b'{"a": 1} x', "invalid JSON"),
        ("dup.json", b'{"a": 1, "a": 2}', "duplicate key"),
        ("nan.json", b'{"a": NaN}', "NaN"),
        ("deep.yaml", b"a: " + b"[" * 40 + b"]" * 40 + b"\n", "nested more than"),
    ],
)
def test_hostile_documents_are_refused_with_a_message(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    message = _read(tmp_path, name, content)
    assert name in message
    assert expected in message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * 100 + b"\n")
    with pytest.raises(InputError, match="larger than"):
        read_document(path, max_bytes=50)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_document(path).data == {"a": 1}


def test_booleans_are_read_as_the_yaml_constructor_reads_them() -> None:
    spellings = ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                 "on", "On", "ON", "off", "Off", "OFF", "!!bool yes", "!!bool False", "'true'", "y", "n"]
    text = "".join(f"k{i}: {spelling}\n" for i, spelling in enumerate(spellings)) + "l: [true, no, 'off']\n"
    doc = parse_yaml(text, "b.yaml")
    assert doc.data == yaml.safe_load(text)
    assert [type(v) for v in doc.data.values()] == [type(v) for v in yaml.safe_load(text).values()]
