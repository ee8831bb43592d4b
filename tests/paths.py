"""Paths and dates shared by the tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
AS_OF = dt.date(2026, 11, 21)
