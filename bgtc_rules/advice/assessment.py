"""The result of evaluating one dossier: per-program determinations with their evidence.

`Assessment.to_dict()` is the versioned JSON export (`format: bgtc.assessment/2`); its key
order and list order are stable, so the same input gives byte-identical JSON. Version 2 added,
for each program, its `standing` with its designation and, for a conditional program, the
designations it is `available_once` granted; the determination `closed`; and, in place of
version 1's `stacking` notes, the recommended `course` and the `benefits` matrix.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.advice.course import Course
from bgtc_rules.advice.export_parts import firing_dict, program_dict, program_json, standing_dict, standing_json
from bgtc_rules.advice.references import References, Tables
from bgtc_rules.advice.stacking import BenefitMatrix
from bgtc_rules.advice.standing import DesignationState, Standing, standing_text
from bgtc_rules.base.jsontext import compact
from bgtc_rules.engine.results import Determination, FiredRule, ProgramAssessment, citation_dict
from bgtc_rules.language.leaves import Truth
from bgtc_rules.language.truth import truth_word

FORMAT = "bgtc.assessment/2"
DISCLAIMER = "Decision support only; not a determination by FDA."


@dataclass(frozen=True)
class Assessment:
    dossier_name: str
    source: str
    as_of: dt.date
    backend: str
    rules_edition: str
    rules_digest: str
    programs: tuple[ProgramAssessment, ...]
    concepts: dict[str, Truth]
    firings: tuple[FiredRule, ...]
    course: Course = field(default_factory=Course)  # the one recommended course (`advice.course`)
    benefits: BenefitMatrix = field(default_factory=BenefitMatrix)  # what each designation adds
    rule_outcomes: Mapping[str, Truth] = field(default_factory=dict)  # every rule: held, refuted or unknown
    # The rule base's ids for its citations and caveats (see `References`); first-use ids without it.
    references: References | None = field(default=None, compare=False, repr=False)
    # Each program's standing with its designation, as the dossier records it (`advice.standing`).
    designations: Mapping[str, DesignationState] = field(default_factory=dict)
    # The programs that follow from another designation, with those designations (`available_with`).
    follows_from: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def program(self, program_id: str) -> ProgramAssessment:
        for item in self.programs:
            if item.program == program_id:
                return item
        raise KeyError(program_id)

    def designation(self, program_id: str) -> DesignationState:
        """The program's standing (`Standing.NONE` where the dossier records nothing)."""
        return self.designations.get(program_id) or DesignationState(program_id, Standing.NONE)

    def gives_now(self, program_id: str) -> tuple[ProgramAssessment, ...]:
        """The programs this designation, held, makes available now (for breakthrough therapy and
        RMAT: the initial comprehensive meeting; with fast track, rolling review)."""
        return tuple(p for p in self.programs if program_id in self.follows_from.get(p.program, ())
                     and p.determination is Determination.ELIGIBLE)

    def standing_words(self, program_id: str) -> str:
        """The program's standing in a sentence, the same in every interface ("" when the dossier
        records nothing); for a designation held, what it gives now."""
        state = self.designation(program_id)
        words = standing_text(state)
        if state.standing is Standing.HELD:
            gives = [p.name for p in self.gives_now(program_id)]
            if gives:
                words += " What it gives now: " + "; ".join(gives) + "."
        return words

    def determinations(self) -> dict[str, str]:
        # `_value_`: an enum member's `.value` is a descriptor call, ten times as slow (twice a line)
        return {p.program: p.determination._value_ for p in self.programs}

    def standings(self) -> dict[str, str]:
        """Each program's standing with its designation, where the dossier records one (not "none")."""
        return {program: state.standing.value for program, state in sorted(self.designations.items())
                if state.standing is not Standing.NONE}

    def to_dict(self) -> dict[str, Any]:
        """The versioned export. Citations and caveats, shared by many rules, are listed once in
        `sources` and `caveats` and referred to by id (`c1`, `k1`, ...). The ids are the rule
        base's (the same source has the same id in every assessment of that rule base); each
        table lists the entries used, in id order."""
        tables = Tables(self.references)
        return self._export(tables, [{**program_dict(p, tables), "standing": standing_dict(self.designation(p.program))}
                                     for p in self.programs])

    def _export(self, tables: Tables, programs: list[dict[str, Any]] | None) -> dict[str, Any]:
        """The export; with `programs` None, the programs and both tables are left as `_SPLICE`
        marks for `to_json` to fill in."""
        fired = [firing_dict(f, tables) for f in self.firings]
        spliced = programs is None
        return {
            "format": FORMAT,
            "disclaimer": DISCLAIMER,
            # the source the caller named (a file, `?source=`), or no key: an empty name says nothing
            "dossier": {"name": self.dossier_name, **({"source": self.source} if self.source else {})},
            "as_of": self.as_of.isoformat(),
            "backend": self.backend,
            "rules": {"edition": self.rules_edition, "digest": self.rules_digest},
            "programs": _SPLICE if spliced else programs,
            "course": self.course.to_dict(tables.cite),
            "benefits": self.benefits.to_dict(tables.cite),
            "concepts": {name: truth_word(value) for name, value in sorted(self.concepts.items())},
            "fired_rules": fired,
            "sources": _SPLICE if spliced else {key: citation_dict(c) for key, c in tables.used_citations()},
            "caveats": _SPLICE if spliced else dict(tables.used_caveats()),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The export as text; `indent=None` writes one compact line (much faster, for batches)."""
        if indent is not None:
            return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False) + "\n"
        # Each program's part is written once per rule base and case (programs are shared between
        # assessments, see `engine.determine.Determiner`), each source once per rule base; the parts are
        # spliced into the rest, which is written as usual.
        tables = Tables(self.references)
        # The program's part is shared between dossiers; its standing is this dossier's, added last.
        programs = "[" + ",".join(program_json(p, tables)[:-1] + ',"standing":'
                                  + standing_json(self.designations.get(p.program)) + "}"
                                  for p in self.programs) + "]"
        before, after_programs, after_sources, after_caveats = _compact(self._export(tables, None)).split(
            _SPLICE_JSON)
        return "".join((before, programs, after_programs, tables.sources_json(), after_sources,
                        tables.caveats_json(), after_caveats, "\n"))


_SPLICE = "\x00splice\x00"  # a string no export contains: JSON writes NUL escaped
_SPLICE_JSON = json.dumps(_SPLICE)  # how it reads in the compact text


_compact = compact
