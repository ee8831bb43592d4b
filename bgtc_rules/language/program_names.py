"""The names a user may type for a program: its id in any case, and the common names its title gives.

`bgtc explain x.yaml RMAT`, `... "fast track"`, `... pre-IND` and `... breakthrough_therapy` name the
same programs as their ids. The first words of a name will do when they name one program
("breakthrough"); a name that could mean several ("Type B") is refused with each of them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from bgtc_rules.base.errors import input_error
from bgtc_rules.language.spec import Program

MEETING_PREFIX = "mtg_"


def normalised(text: str) -> str:
    """Lower case, every run of other characters than letters and digits one `_`.

    Examples:
        >>> normalised("Pre-IND meeting"), normalised(" RMAT "), normalised("fast-track")
        ('pre_ind_meeting', 'rmat', 'fast_track')
    """
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _names_of(program: Program) -> set[str]:
    """The id, the title with and without its parentheses and a closing "designation", each
    abbreviation the title puts in parentheses, the initials of a designation's title (BTD, ODD,
    FTD), and for a meeting the id without `mtg_`."""
    names = {normalised(program.id)}
    if program.id.startswith(MEETING_PREFIX):
        names.add(normalised(program.id[len(MEETING_PREFIX):]))
    title = program.name
    plain = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", " ", title)  # the title without its parentheses
    for text in (title, plain.split(" - ")[0]):
        names.add(normalised(text))
        names.add(normalised(re.sub(r"\b(designation|meeting|pilot|process|framework)\s*$", "", text.strip())))
    names.update(normalised(abbreviation) for abbreviation in re.findall(r"\(([A-Z][A-Za-z]+)\)", title))
    words = normalised(plain).split("_")
    if len(words) >= 3 and words[-1] == "designation":  # "breakthrough therapy designation": BTD
        names.add("".join(word[0] for word in words))
    names.discard("")
    return names


def program_names(programs: Mapping[str, Program]) -> dict[str, tuple[str, ...]]:
    """Each name a user may type (normalised) -> the ids of the programs it names (one, unless ambiguous).

    Examples:
        >>> from bgtc_rules.language.rulebase import RuleBase
        >>> names = program_names(RuleBase.load().programs)
        >>> names["rmat"], names["fast_track"], names["pre_ind"], names["orphan_drug"], names["btd"]
        (('rmat',), ('fast_track',), ('mtg_pre_ind',), ('orphan_drug_designation',), ('breakthrough_therapy',))
    """
    found: dict[str, set[str]] = {}
    for program in programs.values():
        for name in _names_of(program):
            found.setdefault(name, set()).add(program.id)
    for program_id in programs:  # an id always names its own program, even where a title could too
        found[normalised(program_id)] = {program_id}
    return {name: tuple(sorted(ids)) for name, ids in found.items()}


def resolve_program(programs: Mapping[str, Program], text: str, extra: Iterable[str] = ()) -> str:
    """The id of the program `text` names (its id in any case, or a common name), or one of `extra`.

    Raises:
        InputError: `text` names no program, or more than one; the message lists what it could be.

    Examples:
        >>> from bgtc_rules.language.rulebase import RuleBase
        >>> programs = RuleBase.load().programs
        >>> resolve_program(programs, "RMAT"), resolve_program(programs, "Fast Track")
        ('rmat', 'fast_track')
    """
    if text in programs or text in extra:
        return text
    key = normalised(text)
    for name in extra:
        if normalised(name) == key:
            return name
    names = program_names(programs)
    ids = names.get(key) or tuple(sorted({i for name, found in names.items() if name.startswith(key + "_")
                                          for i in found}))  # the first words of a name: "breakthrough"
    if len(ids) == 1:
        return ids[0]
    if ids:
        raise input_error("PROGRAM", text, "names more than one program; give one of: " + ", ".join(ids))
    everything = sorted([*programs, *extra])
    # The closest ids first: the full list is long, and a long message is cut when shown.
    close = difflib.get_close_matches(key, everything, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise input_error("PROGRAM", text, f"unknown program (any case, or its common name as "
                                       f"`bgtc rules list` shows it); {hint}expected one of: {', '.join(everything)}")
