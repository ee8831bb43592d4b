"""Truth values and determinations are shown by their looks (`language.truth`,
`engine.determination`); the stylesheets colour the same CSS classes and must agree with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bgtc_rules.advice.labels import label
from bgtc_rules.engine.determination import Determination
from bgtc_rules.language.truth import TRUTH_LOOKS, truth_word

PACKAGE = Path(__file__).resolve().parent.parent / "bgtc_rules"
REPORT_CSS = (PACKAGE / "render" / "templates" / "report.css").read_text(encoding="utf-8")
WEB_CSS = (PACKAGE / "service" / "web" / "static" / "web.css").read_text(encoding="utf-8")


def _colours(css: str, pattern: str) -> dict[str, tuple[str, ...]]:
    return {match[0]: match[1:] for match in re.findall(pattern, css)}


@pytest.mark.parametrize("determination", list(Determination))
def test_the_stylesheets_colour_a_determination_as_its_look_does(determination: Determination) -> None:
    look = determination.look
    badges = _colours(REPORT_CSS, r"\.(d-\w+) \.badge, \.badge\.d-\w+ \{ color: (#\w+); background: (#\w+);")
    sections = _colours(REPORT_CSS, r"section\.program\.(d-\w+) \{ border-left-color: (#\w+);")
    listed = _colours(WEB_CSS, r"\.program-list > li\.(d-\w+) \{ border-left-color: (#\w+);")
    assert badges[look.css] == (look.stroke, look.fill)
    assert sections[look.css] == listed[look.css] == (look.stroke,)


@pytest.mark.parametrize("value", [True, False, None])
def test_the_report_stylesheet_colours_a_truth_mark_as_its_look_does(value: bool | None) -> None:
    look = TRUTH_LOOKS[value]
    marks = _colours(REPORT_CSS, r"\.(v-\w+) > \.line \.mark, \.v-\w+ > \.mark \{ color: (#\w+);")
    assert marks[look.css] == (look.stroke,)


def test_a_determination_reads_as_its_label_wherever_a_coded_value_is_worded() -> None:
    assert [label(d) for d in Determination] == [d.look.label for d in Determination]
    assert label(Determination.UNDETERMINED) == "cannot tell yet"


def test_the_exports_word_for_unknown_is_not_false() -> None:
    assert [truth_word(v) for v in (True, False, None)] == ["true", "false", "unknown"]
