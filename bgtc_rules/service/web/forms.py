"""What a form post carries: its fields (URL-encoded or multipart, for a file), and the dossier
that travels with the page in a hidden field, read by the same strict reader as a dossier file.

The server keeps nothing between requests: every page puts the dossier's text (and, in the
interview, the steps taken) into its forms, and every post brings them back.

Examples:
    >>> form = read_form(b"as_of=2026-11-21&dossier=a%3A+1&x=", "application/x-www-form-urlencoded")
    >>> form.text("dossier"), form.text("x"), form.text("missing")
    ('a: 1', '', '')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from bgtc_rules.base.dates import out_of_range
from bgtc_rules.base.documents import Document, parse_document
from bgtc_rules.base.errors import InputError, Problem, input_error, shown
from bgtc_rules.dossier.schema import Dossier

FORM = "form"
MAX_FIELDS = 1000


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


@dataclass
class Form:
    """The fields of one post (each name may repeat) and its uploaded files."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, Upload] = field(default_factory=dict)

    def text(self, name: str) -> str:
        for key, value in self.fields:
            if key == name:
                return value
        return ""

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.fields)

    def date(self, name: str, default: dt.date) -> dt.date:
        value = self.text(name).strip()
        if not value:
            return default
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            raise input_error(FORM, name, f"expected a date as YYYY-MM-DD, got {shown(value)}") from None
        if problem := out_of_range(date):  # as every date given: a plan must not overflow
            raise input_error(FORM, name, problem)
        return date


def read_form(raw: bytes, content_type: str | None) -> Form:
    """A form body as the browser sends it: URL-encoded, or multipart when it carries a file."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return _multipart(raw, content_type or "")
    if media_type not in ("application/x-www-form-urlencoded", ""):
        raise InputError([Problem(FORM, "", f"unsupported media type {shown(media_type)}; expected a form")])
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InputError([Problem(FORM, "", "the form cannot be read (not UTF-8, or too many fields)")]) from None
    return Form(pairs)


def _multipart(raw: bytes, content_type: str) -> Form:
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1")
                                                  + b"\r\n\r\n" + raw)
    if not message.is_multipart():
        raise InputError([Problem(FORM, "", "the form cannot be read (a broken multipart body)")])
    form = Form()
    for number, part in enumerate(message.iter_parts()):
        if number >= MAX_FIELDS:
            raise InputError([Problem(FORM, "", "the form has too many fields")])
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            form.files[name] = Upload(filename, content)
        else:
            form.fields.append((name, content.decode("utf-8", errors="replace")))
    return form


# --- the dossier that travels with the page --------------------------------------------------------


@dataclass(frozen=True)
class Carried:
    """A dossier's text and the name it came under (a file name, a scenario, `<interview>`)."""

    text: str
    source: str

    @property
    def is_json(self) -> bool:
        """JSON when the file was JSON (by its name, else by its first character), as `bgtc evaluate` reads it."""
        if self.source.lower().endswith(".json"):
            return True
        if self.source.lower().endswith((".yaml", ".yml")):
            return False
        return self.text.lstrip().startswith("{")

    def document(self, max_bytes: int) -> Document:
        return parse_document(self.text.encode("utf-8"), self.source or "dossier", self.is_json, max_bytes)

    def dossier(self, max_bytes: int) -> Dossier:
        from bgtc_rules.base.validation import validate_document

        return validate_document(Dossier, self.document(max_bytes))


def carried(form: Form) -> Carried:
    """The dossier the page carries (its hidden fields `dossier` and `source`)."""
    text = form.text("dossier")
    if not text.strip():
        raise input_error(FORM, "dossier", "this page carries no dossier; open one from the start page")
    # a browser sends a hidden field's line breaks as CRLF; the reader gets the text as it was opened
    return Carried(text.replace("\r\n", "\n"), form.text("source") or "dossier")


def uploaded(form: Form) -> Carried:
    """The dossier chosen on the start page: an uploaded file, else the pasted text."""
    upload = form.files.get("file")
    if upload is not None and upload.content.strip():
        try:
            text = upload.content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise input_error(upload.filename, "", "the file is not UTF-8 text") from None
        return Carried(text, upload.filename or "dossier")
    text = form.text("text").replace("\r\n", "\n")
    if not text.strip():
        raise input_error(FORM, "file", "choose a dossier file (YAML or JSON), or paste its text")
    return Carried(text, form.text("name").strip() or "pasted dossier")
