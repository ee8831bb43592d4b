"""Three-valued truth as people see it: each value's mark, words and colours, defined once for
every renderer and export.

A condition, a rule or a concept holds (`True`), does not (`False`), or cannot be told yet
(`None`: a fact it needs is unknown). Unknown is not false, so it has a mark, words and colours of
its own everywhere. `Look` is also how a determination is shown (`engine.determination`). Imports nothing of the
project, so the command line can name determinations without loading the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

Truth = bool | None


@dataclass(frozen=True)
class Look:
    """How a value is shown: a symbol, a word, colours (`stroke` for text and borders, `fill` for
    the background, in drawings and HTML; `terminal` a colour name for the terminal) and the CSS
    class the report's stylesheet colours it by. Every mark says what it means by symbol and word
    as well as by colour."""

    symbol: str
    word: str
    stroke: str
    fill: str
    css: str
    terminal: str


@dataclass(frozen=True)
class TruthLook(Look):
    """A truth value's look, with its phrase in the proof text's sentences and its word in the
    JSON exports."""

    phrase: str
    export: str


TRUTH_LOOKS: dict[Truth, TruthLook] = {
    True: TruthLook("✔", "holds", "#1a7f37", "#dafbe1", "v-true", "green", "holds", "true"),
    False: TruthLook("✘", "refuted", "#c4232d", "#ffebe9", "v-false", "red", "does not hold", "false"),
    None: TruthLook("?", "unknown", "#8a5a00", "#fff3c4", "v-unknown", "yellow", "cannot tell yet", "unknown"),
}

# A refuted alternative: one branch of an `any` that is false while another holds, an exclusion
# that does not apply, or what a `not` needs to be false. Not a failure, so not drawn as one.
ALTERNATIVE_LOOK = Look("○", "not needed", "#6e7781", "#f6f8fa", "v-alternative", "white")


def truth_look(value: Truth, alternative: bool = False) -> Look:
    """How `value` is shown; `alternative`: the value is that of a refuted alternative, which a
    false value shows as not needed rather than as a failure.

    Examples:
        >>> truth_look(True).word, truth_look(False, alternative=True).word, truth_look(None).symbol
        ('holds', 'not needed', '?')
    """
    return ALTERNATIVE_LOOK if alternative and value is False else TRUTH_LOOKS[value]


def truth_word(value: Truth) -> str:
    """The value as the JSON exports write it.

    Examples:
        >>> truth_word(True), truth_word(False), truth_word(None)
        ('true', 'false', 'unknown')
    """
    return TRUTH_LOOKS[value].export
