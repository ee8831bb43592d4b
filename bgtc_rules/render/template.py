"""A commented dossier template with every field and the question behind it (`bgtc init`).

Every field is left empty (unknown), so the template itself is a valid dossier: fill in what
you know, leave the rest.
"""

from __future__ import annotations

import textwrap
import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from bgtc_rules.dossier.schema import TEMPLATE_PLACEHOLDER, Dossier
from bgtc_rules.language.rulebase import RuleBase

HEADER = """\
# bgtc evidence dossier. Fill in what you know and leave the rest empty: an empty field is
# "unknown", and unknown is never read as "no". An empty list ([]) is a known "none".
# Check it with: bgtc evaluate THIS_FILE
"""


def _inner(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _choices(annotation: Any) -> str:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of: " + ", ".join(str(m.value) for m in annotation)
    names = {bool: "true or false", int: "a whole number", str: "text"}
    return names.get(annotation, "a date (YYYY-MM-DD)" if getattr(annotation, "__name__", "") == "date" else "")


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, 96 - len(indent), initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# ")


def _item_example(model: type[BaseModel], indent: str) -> list[str]:
    lines = [f"{indent}# for each item:"]
    first = True
    for name, info in model.model_fields.items():
        hint = _choices(_inner(info.annotation))
        prefix = "- " if first else "  "
        lines.append(f"{indent}#   {prefix}{name}:{'  # ' + hint if hint else ''}")
        first = False
    return lines


def _fields(model: type[BaseModel], prefix: str, indent: str, questions: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for name, info in model.model_fields.items():
        if name == "schema_version":
            lines.append(f"{indent}schema_version: 1")
            continue
        path = f"{prefix}{name}"
        annotation = _inner(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            lines.append(f"{indent}{name}:")
            lines.extend(_fields(annotation, f"{path}.", indent + "  ", questions))
            continue
        question = questions.get(path) or info.description
        if question:
            lines.extend(_comment(question, indent))
        if typing.get_origin(annotation) is list:
            item = _inner(typing.get_args(annotation)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                lines.extend(_item_example(item, indent))
            else:
                lines.extend(_comment("a list, " + _choices(item), indent))
        elif hint := _choices(annotation):
            lines.extend(_comment(hint, indent))
        value = f' "{TEMPLATE_PLACEHOLDER}"' if info.is_required() else ""
        lines.append(f"{indent}{name}:{value}")
    return lines


def dossier_template(rulebase: RuleBase) -> str:
    """The template, with the rules' questions as comments."""
    return HEADER + "\n".join(_fields(Dossier, "", "", rulebase.questions)) + "\n"
