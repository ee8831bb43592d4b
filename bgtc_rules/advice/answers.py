"""Reading a sponsor's answers against the dossier schema: the field behind a question, what an
answer may be (`Field.hint`), and the answer read into a value (`parse_answer`) or shown back
(`format_value`). "?" is "I don't know" and "back" undoes a step (`control`).

Used by the guided interview (`interview`); no input or output happens here.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from bgtc_rules.dossier.paths import schema_field, unwrap_optional

SKIP_WORDS = frozenset({"?", "skip", "i don't know", "dont know", "don't know"})
BACK_WORDS = frozenset({"back", "<"})
NONE_WORDS = frozenset({"none", "[]"})
YES_WORDS = frozenset({"yes", "y", "true"})
NO_WORDS = frozenset({"no", "n", "false"})

FieldKind = Literal["bool", "int", "float", "str", "enum", "date", "enum_list", "items"]
Control = Literal["skip", "back"]


class AnswerError(ValueError):
    """An answer that does not fit the field; the message says what was expected."""


# --- the fields, read from the dossier schema -----------------------------------------------------


@dataclass(frozen=True)
class Field:
    """How to ask for, and read, one value: a dossier field or a property of a list item."""

    name: str
    kind: FieldKind
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    required: bool = True
    default: Any = None
    description: str = ""
    noun: str = ""  # for lists of objects: what one item is called ("endpoint")
    item_fields: tuple[Field, ...] = ()

    def hint(self) -> str:
        """What kind of answer is expected, in a few words.

        Examples:
            >>> field_for("clinical.patients_dosed").hint()
            'a whole number from 0 to 1000000000'
            >>> field_for("indication.serious").hint()
            'yes or no'
        """
        if self.kind == "bool":
            return "yes or no"
        if self.kind in ("int", "float"):
            what = "a whole number" if self.kind == "int" else "a number"
            if self.minimum is not None and self.maximum is not None:
                return f"{what} from {_number(self.minimum)} to {_number(self.maximum)}"
            if self.minimum is not None:
                return f"{what}, at least {_number(self.minimum)}"
            return what
        if self.kind == "date":
            return "a date, YYYY-MM-DD"
        if self.kind == "enum":
            return "one choice: its number or its value"
        if self.kind == "enum_list":
            return "choices separated by commas (numbers or values), or none"
        if self.kind == "items":
            return f"a list of {plural(self.noun)}, added one by one, or none"
        return "text"


def plural(noun: str) -> str:
    """`endpoint` -> `endpoints`, `available therapy` -> `available therapies`."""
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _constraints(annotation: Any, info: FieldInfo) -> tuple[Any, list[Any]]:
    """The bare type under `Annotated[...]`, and every constraint found on the way."""
    found: list[Any] = list(info.metadata)
    annotation = unwrap_optional(annotation)
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        annotation = args[0]
        for extra in args[1:]:
            found.extend(extra.metadata if isinstance(extra, FieldInfo) else [extra])
    return unwrap_optional(annotation), found


def _noun(model: type[BaseModel]) -> str:
    """`AvailableTherapy` -> `available therapy`; `DesignationRecord` -> `designation`."""
    words = re.findall(r"[A-Z][a-z]*", model.__name__)
    if len(words) > 1 and words[-1] == "Record":
        words = words[:-1]
    return " ".join(word.lower() for word in words)


def _field(name: str, info: FieldInfo) -> Field:
    annotation, constraints = _constraints(info.annotation, info)
    minimum = maximum = None
    min_length = max_length = None
    for item in constraints:
        if isinstance(item, annotated_types.Ge):
            minimum = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Gt):
            minimum = float(item.gt) + 1  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Le):
            maximum = float(item.le)  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Lt):
            maximum = float(item.lt) - 1  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.MinLen):
            min_length = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            max_length = item.max_length
    default = info.default
    required = info.is_required()
    if default is PydanticUndefined or default is None:
        default = None
    elif isinstance(default, Enum):
        default = default.value
    common: dict[str, Any] = {"minimum": minimum, "maximum": maximum, "min_length": min_length,
                              "max_length": max_length, "required": required, "default": default,
                              "description": info.description or ""}
    if typing.get_origin(annotation) is list:
        item = unwrap_optional(typing.get_args(annotation)[0])
        if isinstance(item, type) and issubclass(item, Enum):
            return Field(name, "enum_list", tuple(str(m.value) for m in item), **common)
        if isinstance(item, type) and issubclass(item, BaseModel):
            items = tuple(_field(n, i) for n, i in item.model_fields.items())
            return Field(name, "items", noun=_noun(item), item_fields=items, **common)
        raise TypeError(f"{name}: a list of {item!r} cannot be asked for")
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Field(name, "enum", tuple(str(m.value) for m in annotation), **common)
    simple: dict[Any, FieldKind] = {bool: "bool", int: "int", float: "float", str: "str", dt.date: "date"}
    if annotation in simple:
        return Field(name, simple[annotation], **common)
    raise TypeError(f"{name}: {annotation!r} cannot be asked for")


def field_for(path: str) -> Field:
    """The `Field` for a dossier field path, with its type, choices and bounds from the schema.

    Examples:
        >>> field_for("development.stage").choices[:3]
        ('research', 'ind_enabling', 'ind_active')
        >>> [f.name for f in field_for("therapy_landscape.available_therapies").item_fields]
        ['name', 'accelerated_approval_unverified']
    """
    return _field(path, schema_field(path))


# --- reading answers ------------------------------------------------------------------------------


def control(text: str) -> Control | None:
    """`skip` for "I don't know" ('?', 'skip'), `back` for 'back', else None.

    Examples:
        >>> control(" ? "), control("Back"), control("yes")
        ('skip', 'back', None)
    """
    word = text.strip().lower()
    if word in SKIP_WORDS:
        return "skip"
    if word in BACK_WORDS:
        return "back"
    return None


def _choice(field_: Field, text: str) -> str:
    word = text.strip()
    if word.isdigit():
        number = int(word)
        if 1 <= number <= len(field_.choices):
            return field_.choices[number - 1]
        raise AnswerError(f"choose a number from 1 to {len(field_.choices)}")
    key = word.lower().replace(" ", "_").replace("-", "_").replace("/", "_")
    if key in field_.choices:
        return key
    starting = [c for c in field_.choices if c.startswith(key)] if key else []
    if len(starting) == 1:
        return starting[0]
    raise AnswerError(f"{word!r} is not one of the choices: " + ", ".join(field_.choices))


def parse_answer(field_: Field, text: str) -> Any:
    """The value an answer gives a field, as it is written in a dossier, or `AnswerError`.

    Lists of objects are asked item by item (`Field.item_fields`), not parsed from one answer.

    Examples:
        >>> parse_answer(field_for("indication.serious"), "Yes")
        True
        >>> parse_answer(field_for("development.stage"), "3")
        'ind_active'
        >>> parse_answer(field_for("therapy_landscape.advantages"), "5, improved_adherence")
        ['effective_where_available_fails', 'improved_adherence']
        >>> parse_answer(field_for("clinical.patients_dosed"), "-2")
        Traceback (most recent call last):
        ...
        bgtc_rules.advice.answers.AnswerError: expected a whole number from 0 to 1000000000
    """
    text = text.strip()
    word = text.lower()
    if field_.kind == "bool":
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise AnswerError("answer yes or no")
    if field_.kind in ("int", "float"):
        cleaned = text.replace(",", "").replace("_", "")
        try:
            number: float = int(cleaned) if field_.kind == "int" else float(cleaned)
        except ValueError:
            raise AnswerError(f"expected {field_.hint()}") from None
        if (field_.minimum is not None and number < field_.minimum) or (
                field_.maximum is not None and number > field_.maximum):
            raise AnswerError(f"expected {field_.hint()}")
        return number
    if field_.kind == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise AnswerError("expected a real date as YYYY-MM-DD") from None
    if field_.kind == "enum":
        return _choice(field_, text)
    if field_.kind == "enum_list":
        if word in NONE_WORDS:
            return []
        parts = [p for p in re.split(r"[,;]", text) if p.strip()]
        if not parts:
            raise AnswerError("name at least one choice, or answer none")
        return list(dict.fromkeys(_choice(field_, p) for p in parts))
    if field_.kind == "items":
        raise AnswerError(f"{field_.name} is a list of {plural(field_.noun)}: add them one by one")
    if not text:
        raise AnswerError("expected some text")
    if field_.max_length is not None and len(text) > field_.max_length:
        raise AnswerError(f"at most {field_.max_length} characters")
    return text


def format_value(field_: Field, value: Any) -> str:
    """A value as an answer to the field's question would write it (the inverse of `parse_answer`).

    Examples:
        >>> format_value(field_for("indication.serious"), False)
        'no'
        >>> format_value(field_for("therapy_landscape.advantages"), [])
        'none'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if not value:
            return "none"
        if field_.kind == "items":
            return f"{len(value)} {field_.noun if len(value) == 1 else plural(field_.noun)}"
        return ", ".join(str(v.value if isinstance(v, Enum) else v) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
