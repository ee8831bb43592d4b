"""Load dossiers from files or mappings, with located error messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bgtc_rules.base.documents import Document, read_document
from bgtc_rules.base.validation import validate_document
from bgtc_rules.dossier.schema import Dossier


def load_dossier(path: str | Path) -> Dossier:
    """Read and validate a dossier from a `.yaml`, `.yml` or `.json` file.

    Raises:
        InputError: naming the file, line and field path of every problem.
    """
    return validate_document(Dossier, read_document(Path(path)))


def dossier_from_mapping(data: Any, source: str = "<dossier>") -> Dossier:
    """Validate an already-parsed mapping (for example one JSONL line)."""
    return validate_document(Dossier, Document(source, data))


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The project publishes no web address for its schema, so its id is a name (a URN), versioned as the
# dossier's `schema_version` is: a validator can tell the versions apart without fetching anything.
DOSSIER_SCHEMA_ID = "urn:bgtc-rules:dossier:1"


def dossier_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12, the dialect pydantic writes) of the dossier format, with its `$id`."""
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": DOSSIER_SCHEMA_ID, **Dossier.model_json_schema()}


def dossier_to_json(dossier: Dossier) -> str:
    """Serialise a dossier with unknown fields left out."""
    return json.dumps(dossier.model_dump(mode="json", exclude_none=True), indent=2, sort_keys=False)
