"""The policy vocabulary's steps about the request drafts (`advice.drafts`): which parts a draft
has and which it leaves out, for the dossier as it stands. Each returns the program it named, as
every `Then` step does (`policy.steps`)."""

from __future__ import annotations

from bgtc_rules.advice.drafts import Draft, build_draft
from bgtc_rules.policy.world import StepFailed, World


def _draft(world: World, program: str) -> Draft:
    if world.dossier is None or world.assessment is None:
        raise StepFailed("no 'When it is evaluated' step ran")
    return build_draft(world.dossier, world.assessment, world.rules, program, world.assessment.as_of)


def _parts(draft: Draft) -> list[str]:
    """The titles of the draft's sections and of their elements, in order."""
    return [title for section in draft.sections for title in (section.title, *(e.title for e in section.elements))]


def _has(draft: Draft, text: str) -> bool:
    return any(text.lower() in title.lower() for title in _parts(draft))


def draft_has_part(world: World, program: str, text: str) -> str:
    draft = _draft(world, program)
    if not _has(draft, text):
        raise StepFailed(f"the {program} draft has the parts: {'; '.join(_parts(draft))}")
    return program


def draft_has_no_part(world: World, program: str, text: str) -> str:
    draft = _draft(world, program)
    if _has(draft, text):
        raise StepFailed(f"the {program} draft has a part on {text!r}")
    return program


def draft_says(world: World, program: str, text: str) -> str:
    draft = _draft(world, program)
    plain = "\n".join(line.plain() for element in draft.elements() for line in element.lines)
    if text.lower() not in plain.lower():
        raise StepFailed(f"the {program} draft does not say {text!r}")
    return program
