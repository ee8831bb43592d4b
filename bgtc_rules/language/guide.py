"""The questions, the drafts' own questions, the interview guide and the limits on suggested
changes, read from `questions.yaml`.

`drafts:` words the questions a request draft asks about fields no rule reads (`filing.*`, the
meeting's purpose), so that no draft types its own wording; its paths are checked against the
dossier schema (object fields included).

`interview:` says which questions come first and last, the words shown for each choice, and a
cited line of help; `changes:` says which facts a suggested change may not touch (see
`engine.counterfactual`). Both are data beside the questions, so that a domain fact (a disease's
prevalence cannot change; an active control needs an approved therapy) is never a special case in
code. Every path and choice is checked against the dossier schema when the rules are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bgtc_rules.base.documents import Document
from bgtc_rules.base.errors import Problem
from bgtc_rules.dossier.paths import schema_field
from bgtc_rules.language import spec_data
from bgtc_rules.language.catalog import fact_catalog
from bgtc_rules.language.leaves import make_leaf
from bgtc_rules.language.spec import ChangeLimits, InterviewGuide, RuleFile

__all__ = ["ChangeLimits", "GuideBuilder", "InterviewGuide", "guide_from_data", "guide_to_data"]


def schema_has(path: str) -> bool:
    """Whether the dotted `path` names a field of the dossier schema (an object field included,
    which `fact_catalog` leaves out).

    Examples:
        >>> schema_has("filing.contact"), schema_has("filing.contact.email"), schema_has("filing.nothing")
        (True, True, False)
    """
    try:
        schema_field(path, through_lists=True)
    except KeyError:
        return False
    return True


@dataclass
class GuideBuilder:
    """Collects the `interview:` and `changes:` sections of the rule files (several files add up)."""

    # Empty as `InterviewGuide()` would be, without building the models' validators (about 5 ms of a
    # cold start, for a rule base read back from the cache that never adds a file).
    interview: InterviewGuide = field(default_factory=InterviewGuide.model_construct)
    changes: ChangeLimits = field(default_factory=ChangeLimits.model_construct)
    problems: list[Problem] = field(default_factory=list)

    def add(self, doc: Document, spec: RuleFile, questions: dict[str, str],
            draft_questions: dict[str, str] | None = None) -> None:
        """Check a file's questions (added to `questions`), its draft-only questions (added to
        `draft_questions`), interview guide and change limits."""
        for path, question in spec.questions.items():
            line = doc.line_of(("questions", path))
            if path not in fact_catalog():
                self.problems.append(Problem(doc.source, f"questions.{path}", "no such fact path in the dossier schema",
                                             line))
            elif path in questions:
                self.problems.append(Problem(doc.source, f"questions.{path}", "question is defined twice", line))
            questions[path] = question
        for path, question in spec.drafts.items():
            line = doc.line_of(("drafts", path))
            if not schema_has(path):
                self.problems.append(Problem(doc.source, f"drafts.{path}", "no such field in the dossier schema", line))
            elif draft_questions is not None and (path in draft_questions or path in questions):
                self.problems.append(Problem(doc.source, f"drafts.{path}", "question is defined twice", line))
            if draft_questions is not None:
                draft_questions[path] = question
        if spec.interview is not None:
            self._check_interview(doc, spec.interview)
            old, new = self.interview, spec.interview
            self.interview = InterviewGuide(
                first=[*old.first, *new.first], last=[*old.last, *new.last],
                labels={**old.labels, **new.labels}, help={**old.help, **new.help})
        if spec.changes is not None:
            self._check_changes(doc, spec.changes)
            old_limits, limits = self.changes, spec.changes
            self.changes = ChangeLimits(
                fixed=[*old_limits.fixed, *limits.fixed], forward=[*old_limits.forward, *limits.forward],
                kept=[*old_limits.kept, *limits.kept], new_items=[*old_limits.new_items, *limits.new_items])

    def _path(self, doc: Document, where: str, path: str, line_key: tuple[str | int, ...]) -> bool:
        if path in fact_catalog():
            return True
        self.problems.append(Problem(doc.source, where, f"no such fact path {path!r} in the dossier schema",
                                     doc.line_of(line_key)))
        return False

    def _check_interview(self, doc: Document, guide: InterviewGuide) -> None:
        for key in ("first", "last"):
            for index, path in enumerate(getattr(guide, key)):
                self._path(doc, f"interview.{key}", path, ("interview", key, index))
        for path, labels in guide.labels.items():
            if not self._path(doc, f"interview.labels.{path}", path, ("interview", "labels", path)):
                continue
            domain = fact_catalog()[path].domain
            for value in labels:
                if value not in domain:
                    self.problems.append(Problem(doc.source, f"interview.labels.{path}.{value}",
                                                 f"not a choice of {path}: expected one of {', '.join(domain)}",
                                                 doc.line_of(("interview", "labels", path, value))))
        for path in guide.help:
            self._path(doc, f"interview.help.{path}", path, ("interview", "help", path))

    def _check_changes(self, doc: Document, limits: ChangeLimits) -> None:
        for key in ("fixed", "forward", "kept"):
            for index, path in enumerate(getattr(limits, key)):
                self._path(doc, f"changes.{key}", path, ("changes", key, index))
        for index, item in enumerate(limits.new_items):
            where = f"changes.new_items[{index}]"
            if not self._path(doc, where, item.fact, ("changes", "new_items", index, "fact")):
                continue
            properties = {p.name for p in fact_catalog()[item.fact].item_properties}
            for name in [*item.where, *([item.program_qualifies] if item.program_qualifies else [])]:
                if name not in properties:
                    self.problems.append(Problem(doc.source, where, f"{item.fact} items have no property {name!r}",
                                                 doc.line_of(("changes", "new_items", index))))
            if item.only_if is not None and self._path(doc, where, item.only_if.fact,
                                                      ("changes", "new_items", index, "only_if")):
                try:
                    make_leaf(item.only_if, fact_catalog()[item.only_if.fact])
                except ValueError as exc:
                    self.problems.append(Problem(doc.source, where, str(exc),
                                                 doc.line_of(("changes", "new_items", index, "only_if"))))


def guide_to_data(interview: InterviewGuide, changes: ChangeLimits) -> dict[str, Any]:
    """The guide and the limits as rule-cache data (see `RuleBase.to_data`)."""
    return {"interview": spec_data.to_data(interview), "changes": spec_data.to_data(changes)}


def guide_from_data(data: dict[str, Any]) -> tuple[InterviewGuide, ChangeLimits]:
    """What `guide_to_data` wrote; `ValueError` (or `KeyError`) if it is not that."""
    interview, changes = spec_data.from_data(data["interview"]), spec_data.from_data(data["changes"])
    if not isinstance(interview, InterviewGuide) or not isinstance(changes, ChangeLimits):
        raise ValueError("cached interview guide or change limits are not what was written")
    return interview, changes
