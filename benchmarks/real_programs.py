"""The real-program validation set: what the rules say about designations FDA actually granted.

`tests/real_programs/grants.yaml` lists FDA grants to real gene-therapy programs; each names a dossier
snapshot of the evidence public on the grant date. Every snapshot is evaluated as of its grant date and
each granted designation's determination is counted. A granted designation should never come out
`not_eligible` (tests/test_real_programs.py fails if one does); `undetermined` is an honest answer
when the public record is silent on a fact the rules need, and the deciding unknowns say which.
An entry may instead list `refused` designations (denied, rescinded or revoked, documented in public):
those should never come out `eligible`.

    .venv/bin/python -m benchmarks.real_programs            # the shares, then one line per grant
    .venv/bin/python -m benchmarks.real_programs --json     # the same as JSON
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.engine.results import ProgramAssessment

ROOT = Path(__file__).resolve().parent.parent
VALIDATION_SET = ROOT / "tests" / "real_programs"
MANIFEST = VALIDATION_SET / "grants.yaml"
DETERMINATIONS = ("eligible", "undetermined", "not_yet", "not_eligible")
_KEYS = {"snapshot", "program", "platform", "date", "source"}
_OUTCOME_KEYS = ("granted", "refused")


@dataclass(frozen=True)
class Grant:
    """One FDA grant: the designations granted to a program on a date, and its evidence snapshot."""

    snapshot: Path
    program: str
    platform: str
    granted: tuple[str, ...]
    date: dt.date
    source: str
    refused: tuple[str, ...] = ()


@dataclass(frozen=True)
class GrantResult:
    """What the rules conclude, as of the grant date, for one designation that FDA granted."""

    grant: Grant
    designation: str
    assessment: ProgramAssessment

    @property
    def determination(self) -> str:
        return self.assessment.determination.value

    @property
    def deciding_unknowns(self) -> tuple[str, ...]:
        """The unknown facts that would decide an undetermined result (empty otherwise)."""
        return tuple(fact.path for fact in self.assessment.missing)

    def why_not_eligible(self) -> str:
        """The exclusions that hold and the failed conditions of the refuted eligibility rules."""
        parts: list[str] = []
        for rule in self.assessment.rules:
            if rule.rule_id not in self.assessment.deciding_rules:
                continue
            if rule.value is True:
                parts.append(f"{rule.rule_id} holds: {rule.explanation}")
            elif rule.failed:
                parts.append(f"{rule.rule_id} refuted, failed: {'; '.join(rule.failed)}")
        return " | ".join(parts) or self.assessment.reason


def _manifest_error(index: int, field: str, expected: str) -> ValueError:
    return ValueError(f"{MANIFEST}: grants[{index}].{field}: expected {expected}")


def load_grants(manifest: Path = MANIFEST) -> list[Grant]:
    """The grants listed in the manifest, with their snapshot paths; malformed entries raise ValueError."""
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    entries = data.get("grants") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{manifest}: grants: expected a non-empty list")
    grants: list[Grant] = []
    for index, entry in enumerate(entries):
        outcome = [key for key in _OUTCOME_KEYS if isinstance(entry, dict) and key in entry]
        if not isinstance(entry, dict) or len(outcome) != 1 or set(entry) != _KEYS | set(outcome):
            raise _manifest_error(index, "*", f"exactly the keys {sorted(_KEYS)} and one of {list(_OUTCOME_KEYS)}")
        listed = entry[outcome[0]]
        if not isinstance(listed, list) or not listed or not all(isinstance(g, str) for g in listed):
            raise _manifest_error(index, outcome[0], "a non-empty list of program ids")
        granted = listed if outcome[0] == "granted" else []
        refused = listed if outcome[0] == "refused" else []
        if not isinstance(entry["date"], dt.date):
            raise _manifest_error(index, "date", "a date as YYYY-MM-DD")
        for field in ("snapshot", "program", "platform", "source"):
            if not isinstance(entry[field], str) or not entry[field]:
                raise _manifest_error(index, field, "a non-empty string")
        grants.append(Grant(snapshot=manifest.parent / entry["snapshot"], program=entry["program"],
                            platform=entry["platform"], granted=tuple(granted), date=entry["date"],
                            source=entry["source"], refused=tuple(refused)))
    return grants


def _evaluated(grants: Sequence[Grant], rulebase: RuleBase,
               designations: Callable[[Grant], tuple[str, ...]]) -> list[GrantResult]:
    """Each snapshot that has `designations` evaluated as of its date; one result per designation."""
    results: list[GrantResult] = []
    for grant in grants:
        if not designations(grant):
            continue
        assessment = evaluate(load_dossier(grant.snapshot), rulebase, as_of=grant.date, source=str(grant.snapshot))
        results.extend(GrantResult(grant, designation, assessment.program(designation))
                       for designation in designations(grant))
    return results


def evaluate_grants(grants: Sequence[Grant], rulebase: RuleBase) -> list[GrantResult]:
    """Each grant's snapshot evaluated as of the grant date; one result per granted designation."""
    return _evaluated(grants, rulebase, lambda grant: grant.granted)


def evaluate_refusals(grants: Sequence[Grant], rulebase: RuleBase) -> list[GrantResult]:
    """Each refusal's snapshot evaluated as of its date; one result per refused designation."""
    return _evaluated(grants, rulebase, lambda grant: grant.refused)


def summary(results: Sequence[GrantResult], refusals: Sequence[GrantResult] = ()) -> dict[str, Any]:
    """The shares of each determination over all granted designations, and the unknowns that decide;
    the documented refusals with what the rules say of each."""
    counts = Counter(r.determination for r in results)
    unknowns = Counter(path for r in results if r.determination == "undetermined" for path in r.deciding_unknowns)
    return {
        "grants": len(results),
        "programs": len({r.grant.program.split(",")[0].split(" / ")[0] for r in results}),
        "shares": {d: {"count": counts[d], "share": counts[d] / len(results) if results else 0.0}
                   for d in DETERMINATIONS},
        "deciding_unknowns": dict(unknowns.most_common()),
        "results": [
            {"snapshot": r.grant.snapshot.name, "program": r.grant.program, "designation": r.designation,
             "date": r.grant.date.isoformat(), "determination": r.determination,
             "deciding_unknowns": list(r.deciding_unknowns),
             **({"why": r.why_not_eligible()} if r.determination == "not_eligible" else {})}
            for r in results
        ],
        "refusals": [
            {"snapshot": r.grant.snapshot.name, "program": r.grant.program, "designation": r.designation,
             "date": r.grant.date.isoformat(), "determination": r.determination}
            for r in refusals
        ],
    }


def _print(report: dict[str, Any]) -> None:
    print(f"Real-program validation set: {report['grants']} granted designations, "
          f"{len({r['snapshot'] for r in report['results']})} snapshots")
    for name, share in report["shares"].items():
        print(f"  {name:<13} {share['count']:>3}  {share['share']:6.1%}")
    if report["deciding_unknowns"]:
        print("Deciding unknowns of the undetermined (how many grants each):")
        for path, count in report["deciding_unknowns"].items():
            print(f"  {path:<40} {count}")
    print("Per grant:")
    for r in report["results"]:
        line = f"  {r['date']}  {r['designation']:<24} {r['determination']:<13} {r['snapshot']}"
        if r["deciding_unknowns"]:
            line += "  unknown: " + ", ".join(r["deciding_unknowns"])
        if "why" in r:
            line += "  WHY: " + r["why"]
        print(line)
    if report["refusals"]:
        print(f"Documented refusals ({len(report['refusals'])}; none should be eligible):")
        for r in report["refusals"]:
            print(f"  {r['date']}  {r['designation']:<24} {r['determination']:<13} {r['snapshot']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.real_programs", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    grants, rulebase = load_grants(), RuleBase.load()
    report = summary(evaluate_grants(grants, rulebase), evaluate_refusals(grants, rulebase))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)
    wrong_refusals = sum(r["determination"] == "eligible" for r in report["refusals"])
    return 1 if report["shares"]["not_eligible"]["count"] or wrong_refusals else 0


if __name__ == "__main__":
    sys.exit(main())
