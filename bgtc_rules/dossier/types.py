"""The value types of dossier fields: strict counts and flags, calendar dates, bounded text, and
the strict model every dossier section derives from."""

# No `from __future__ import annotations`: pydantic would evaluate every field's annotation from
# its text when the class is made (a fifth of making a dossier model, on every cold start).

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from bgtc_rules.base.dates import out_of_range
from bgtc_rules.base.errors import shown

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _calendar_date(value: Any) -> Any:
    """Accept a date or a `YYYY-MM-DD` string naming a real day; nothing else (no timestamps)."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date as YYYY-MM-DD without a time, got {value.isoformat()!r}")
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a real date ({exc})") from None
    if isinstance(value, dt.date):
        if problem := out_of_range(value):
            raise ValueError(problem)
        return value
    raise ValueError(f"expected a date as YYYY-MM-DD, got {shown(value)}")


# Counts and flags are strict: `true` is not the count 1, and `1` or "no" is not a yes/no answer.
Count = Annotated[int, Strict(), Field(ge=0, le=10**9)]
Flag = Annotated[bool, Strict()]
Day = Annotated[dt.date, BeforeValidator(_calendar_date)]
Text = Annotated[str, Field(max_length=4000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class StrictModel(BaseModel):
    """Unknown fields are refused, and a validated dossier never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, defer_build=True)
