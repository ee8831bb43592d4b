"""Problem documents (RFC 9457, `application/problem+json`): every answer that is not a success.

A bad request gets the same problems the command line prints (file, line, field path, what was
expected), never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from bgtc_rules.base.errors import Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem_document(status: int, detail: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """The body of an error answer.

    Examples:
        >>> problem_document(413, "the body is larger than 2048 KiB")["title"]
        'Request Entity Too Large'
    """
    document: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
                                "detail": detail}
    if problems:
        document["problems"] = [p.to_dict() for p in problems]
    return document


def problem_json(status: int, detail: str, problems: Sequence[Problem] = ()) -> str:
    return json.dumps(problem_document(status, detail, problems), indent=2, ensure_ascii=False) + "\n"
