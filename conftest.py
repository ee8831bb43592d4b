"""The package's doctests are collected from its modules (pyproject: `bgtc_rules` in testpaths).
A module that needs an optional library not installed here is left out, as the program leaves
it unused: httptools comes with `uvicorn[standard]`, and `bgtc serve` falls back to h11 without it.
"""

from __future__ import annotations

import importlib.util

collect_ignore = [] if importlib.util.find_spec("httptools") else ["bgtc_rules/service/guard_httptools.py"]
