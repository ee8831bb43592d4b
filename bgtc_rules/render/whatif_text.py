"""Text rendering of a what-if comparison."""

from __future__ import annotations

from bgtc_rules.advice.assessment import DISCLAIMER
from bgtc_rules.advice.whatif import Comparison


def render_comparison(comparison: Comparison) -> str:
    lines = [f"What changes (as of {comparison.after.as_of.isoformat()}, backend {comparison.after.backend}):", ""]
    if not comparison.changes:
        lines.append("  No determination changes.")
    for change in comparison.changes:
        lines.append(f"  {change.name} ({change.program}): {change.before} -> {change.after}")
        lines.append(f"      {change.reason_after}")
    unchanged = len(comparison.after.programs) - len(comparison.changes)
    lines += ["", f"{unchanged} other program(s) unchanged.", DISCLAIMER]
    return "\n".join(lines) + "\n"
