"""The knowledge base as a whole: coverage of the programs, dated answers, cited numbers, open questions.

The open-question mapping below was written by reading section 6 ("Open questions / uncertain facts")
of the shared FDA-programs reference (27 questions) against the rules: for each question, the programs
whose rules, concepts or timings it bears on. Each must say so in a caveat, in plain words (the
product never cites the question's number: `OPEN_QUESTION_WORDS` recognises each by its caveat's words).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from bgtc_rules import RuleBase, evaluate, load_dossier
from bgtc_rules.cli import main
from bgtc_rules.language.operators import Operator
from bgtc_rules.language.spec import (
    AllCondition,
    AnyCondition,
    Condition,
    FactCondition,
    NotCondition,
    Program,
    Timing,
)
from bgtc_rules.render.rulebook import program_entries

from .paths import AS_OF, SCENARIOS
from .scenario_headers import expectations

# Every program and meeting type named in issue 3.
NAMED_PROGRAMS = (
    "orphan_drug_designation", "rare_pediatric_disease", "fast_track", "breakthrough_therapy", "rmat",
    "priority_review", "rolling_review", "accelerated_approval", "amt_designation",
    "platform_technology_designation", "rdep", "plausible_mechanism", "cnpv", "start_pilot", "cdrp_pilot",
    "rdea_pilot", "expanded_access_single_patient",
    "mtg_interact", "mtg_pre_ind", "mtg_type_a", "mtg_type_b_pre_bla", "mtg_type_b_initial_comprehensive",
    "mtg_type_b_eop", "mtg_type_c", "mtg_type_c_surrogate", "mtg_type_d",
)
MEETINGS = tuple(p for p in NAMED_PROGRAMS if p.startswith("mtg_"))

DATED = SCENARIOS / "dated_rules_2024_vs_2026_aav_rare_pediatric.yaml"
PHASE12 = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"


# --- every named program is listed, cited and dated -------------------------------------------------

def test_library_lists_every_named_program_with_citations_and_effective_from(rulebase: RuleBase) -> None:
    entries = {entry["id"]: entry for entry in program_entries(rulebase)}
    missing = [p for p in NAMED_PROGRAMS if p not in entries]
    assert not missing, f"not in the rule base: {missing}"
    for pid in NAMED_PROGRAMS:
        entry = entries[pid]
        assert entry["citations"], f"{pid} has no citation"
        assert entry["rules"], f"{pid} has no rule"
        assert dt.date.fromisoformat(entry["effective_from"]) <= AS_OF, pid
    assert all(entries[m]["kind"] == "meeting" for m in MEETINGS)
    assert not any(entries[p]["kind"] == "meeting" for p in NAMED_PROGRAMS if p not in MEETINGS)


def test_cli_rules_list_shows_every_named_program() -> None:
    result = CliRunner().invoke(main, ["rules", "list", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    listed = {entry["id"]: entry for entry in json.loads(result.stdout)["programs"]}
    for pid in NAMED_PROGRAMS:
        assert pid in listed and listed[pid]["citations"] and listed[pid]["effective_from"], pid
    text = CliRunner().invoke(main, ["rules", "list"])
    assert text.exit_code == 0
    for pid in NAMED_PROGRAMS:
        assert re.search(rf"^{pid}  \(", text.stdout, re.MULTILINE), f"{pid} missing from `bgtc rules list`"


# --- dated answers ------------------------------------------------------------------------------------

DATED_EXPECTED = {
    # START took applications from January 2 to March 1, 2024 only [S58].
    dt.date(2024, 2, 15): {
        "start_pilot": "eligible",
        "cnpv": "not_eligible",
        "rdep": "not_eligible",
        "plausible_mechanism": "not_eligible",
        "rdea_pilot": "eligible",
    },
    dt.date(2024, 6, 1): {
        "start_pilot": "closed",
        "cnpv": "not_eligible",          # pilot announced June 2025 [S56]
        "rdep": "not_eligible",          # process announced September 3, 2025 [S52]
        "plausible_mechanism": "not_eligible",  # NEJM November 2025, draft guidance February 2026 [S53][S54]
        "rdea_pilot": "eligible",        # proposals July 1, 2023 to June 30, 2027 [S60]
        "rare_pediatric_disease": "eligible",
    },
    # The RPD voucher program lapsed for new designations from December 21, 2024 to February 2, 2026;
    # this dossier does not say whether the product was designated before, so that decides [S44][S45].
    dt.date(2025, 6, 1): {
        "rare_pediatric_disease": "undetermined",
        "cnpv": "not_eligible",          # pilot announced June 17, 2025 [S56]
        "rdep": "not_eligible",
    },
    AS_OF: {
        "start_pilot": "closed",         # no second cohort (open question 16)
        "cnpv": "eligible",
        "rdep": "eligible",
        "plausible_mechanism": "not_eligible",  # in force, but not an individualized therapy
        "rdea_pilot": "eligible",
        "rare_pediatric_disease": "eligible",   # extended to Sept 30, 2029 (CAA 2026) [S43]
    },
}


@pytest.mark.parametrize("as_of", sorted(DATED_EXPECTED), ids=str)
def test_dated_rules_give_the_answers_of_their_date(rulebase: RuleBase, as_of: dt.date) -> None:
    assessment = evaluate(load_dossier(DATED), rulebase, as_of=as_of)
    got = assessment.determinations()
    assert {p: got[p] for p in DATED_EXPECTED[as_of]} == DATED_EXPECTED[as_of]


def test_a_program_not_yet_created_says_why(rulebase: RuleBase) -> None:
    assessment = evaluate(load_dossier(DATED), rulebase, as_of=dt.date(2024, 6, 1))
    for pid, start in (("cnpv", "June 17, 2025"), ("rdep", "September 3, 2025"),
                       ("plausible_mechanism", "November 12, 2025")):
        reason = assessment.program(pid).reason
        assert reason == f"Not in force on June 1, 2024: the rule that would allow it is in force from {start}.", pid
    assert assessment.program("start_pilot").deciding_rules == ("start_pilot.window_closed",)


def test_the_dated_dossier_header_has_the_two_dated_blocks() -> None:
    blocks = expectations(DATED)
    assert [as_of for as_of, _ in blocks] == [dt.date(2024, 6, 1), AS_OF]
    earlier, later = (expected for _, expected in blocks)
    assert {p for p in earlier if earlier[p] != later.get(p)} >= {"cnpv", "rdep"}


# --- no threshold or day count without a citation -----------------------------------------------------

_COMPARISONS = {Operator.LT, Operator.LE, Operator.GT, Operator.GE}


def _fact_tests(cond: Condition) -> Iterator[FactCondition]:
    if isinstance(cond, FactCondition):
        yield cond
    elif isinstance(cond, (AllCondition, AnyCondition)):
        for part in cond.all if isinstance(cond, AllCondition) else cond.any:
            yield from _fact_tests(part)
    elif isinstance(cond, NotCondition):
        yield from _fact_tests(cond.not_)


def _is_number_or_date(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, dt.date)):
        return True
    if isinstance(value, list):
        return any(_is_number_or_date(v) for v in value)
    if isinstance(value, dict):
        return any(_is_number_or_date(v) for v in value.values())
    return False


def _compares_number_or_date(test: FactCondition) -> bool:
    return test.op in _COMPARISONS or _is_number_or_date(test.value)


def test_every_rule_comparing_a_number_or_date_is_cited(rulebase: RuleBase) -> None:
    numeric = [rule for rule in rulebase.rules if any(map(_compares_number_or_date, _fact_tests(rule.spec.when)))]
    assert len(numeric) >= 10  # prevalence thresholds, patient counts, question limits, ...
    for rule in numeric:
        assert rule.spec.citations, f"{rule.id} compares a number or date without a citation"
        for citation in rule.spec.citations:
            assert citation.document.strip() and citation.section.strip(), rule.id
    thresholds = {(t.fact, t.value) for r in numeric for t in _fact_tests(r.spec.when) if t.op in _COMPARISONS}
    assert ("indication.us_prevalence", 200000) in thresholds and ("indication.us_prevalence", 1000) in thresholds


def _timings(program: Program) -> Iterator[tuple[str, Timing]]:
    if program.response is not None:
        yield "response", program.response
    if program.timeline is not None:
        for name in ("response_to_request", "meeting_held", "package_due", "preliminary_responses", "sponsor_reply"):
            timing = getattr(program.timeline, name)
            if timing is not None:
                yield f"timeline.{name}", timing


def test_every_day_count_is_cited_and_a_whole_number_or_null(rulebase: RuleBase) -> None:
    counted = 0
    for pid, program in rulebase.programs.items():
        if program.kind.value == "meeting":
            assert program.timeline is not None, f"{pid}: a meeting type without a timeline"
        for where, timing in _timings(program):
            counted += 1
            assert timing.citations, f"{pid} {where}: a day count without a citation"
            assert timing.days is None or type(timing.days) is int, f"{pid} {where}: days={timing.days!r}"
    assert counted >= 9 * 5  # at least the five timings of each of the nine meeting types


# --- open questions of the reference (section 6) reach the caveats of what they touch ---------------

# Question -> programs whose assessment caveats (program caveats, caveats of rules not refuted, caveats of
# the concepts read) must mention it.
OPEN_QUESTIONS: dict[int, tuple[str, ...]] = {
    1: ("rare_pediatric_disease", "priority_review"),     # RPD voucher after CAA 2026; vouchers redeemed for priority
    2: MEETINGS,                                           # formal-meetings guidance still a draft
    3: MEETINGS,                                           # minutes convention (pre-IND package: timing below)
    6: ("rare_pediatric_disease",),                        # "primarily affects" test
    7: ("plausible_mechanism",),                           # AAV gene addition in scope?
    8: ("rdep",),                                          # "generally" <1,000; "rapidly" progressive; no SOPP
    9: ("rmat",),                                          # September 2025 RMAT draft
    11: ("priority_review",),                              # 6/10-month clock from filing or receipt
    12: ("cnpv",),                                         # evolving pilot
    13: ("fast_track", "breakthrough_therapy", "rolling_review",  # withdrawal; endpoint list; clock start
         "rmat", "priority_review", "accelerated_approval"),      # AA-unverified products not available therapy
    14: ("accelerated_approval",),                         # confirmatory-trial reports every 180 days
    16: ("start_pilot",),                                  # no second cohort
    17: ("cdrp_pilot",),                                   # current window not verified
    18: ("platform_technology_designation",),              # early designations, revocation
    19: MEETINGS,                                          # performance-goal percentages
    20: (*MEETINGS, "priority_review", "cdrp_pilot", "rdea_pilot"),  # PDUFA VII ends Sept 30, 2027
    21: ("rmat",),                                         # "sustained effect" vs "durable modification"
    22: MEETINGS,                                          # 2025 staffing and meeting timelines
    23: ("breakthrough_therapy",),                         # no numeric "substantial improvement"
    24: ("rare_pediatric_disease",),                       # wrong "<20,000" figure
    27: ("orphan_drug_designation",),                      # refusal, revocation, annual reports
}

# Question -> programs whose response or meeting timeline carries it (the question is about a day count).
OPEN_QUESTIONS_IN_TIMINGS: dict[int, tuple[str, ...]] = {
    3: ("mtg_pre_ind",),                                   # pre-IND package 30 days before
    4: ("mtg_interact", "mtg_type_d"),                     # preliminary responses 5 or 2 days before
    5: ("mtg_interact",),                                  # INTERACT sponsor reply
    8: ("rdep",),                                          # no FDA response time
    10: ("orphan_drug_designation",),                      # 90-day goal is administrative
    15: ("expanded_access_single_patient",),               # emergency follow-up in 15 working days
    22: ("orphan_drug_designation", "rare_pediatric_disease", "fast_track", "breakthrough_therapy", "rmat",
         "priority_review", "amt_designation", "platform_technology_designation",
         "expanded_access_single_patient"),                # 2025 staffing and response times
    25: ("mtg_type_b_initial_comprehensive",),             # Initial Comprehensive timelines assumed
    26: ("mtg_type_b_pre_bla", "mtg_pre_ind", "mtg_type_b_initial_comprehensive"),  # not captured
}

# The product never names the reference notes' open questions ("open question 22" points at nothing a
# reader has): each is recognised by the words of the caveat that answers it.
OPEN_QUESTION_WORDS: dict[int, tuple[str, ...]] = {
    1: ('rare pediatric disease vouchers was not verified', 'the lapse now qualifies, were not verified',
        'The enrolled text of section 6604 was not read'),
    2: ('no final version was found',),
    3: (
        '30-day convention for minutes was not re-verified',
        "table, not from OTP's pre-IND table itself",
        'the 30-day minutes convention was not re-verified',
    ),
    4: ('The OTP value is used for CBER',),
    5: ('from the text of the OTP page',),
    6: ('looks at where the serious manifestations fall',),
    7: ('addition falls within it is not explicit',),
    8: (
        'no response time or SOPP was found',
        'prevalence is compared with 1,000',
        'response time or formal SOPP was found',
    ),
    9: ('changes are known only from law-firm summaries', 'it is known only from law-firm summaries'),
    10: ('current performance was not verified',),
    11: ('as action within 6 months after receipt',),
    12: ('and any CBER-specific handling were not verified',),
    13: ('and was not re-read in full text', 'recalled from the 2014 guidance, not re-read'),
    14: ('comes from a secondary summary of FDORA',),
    15: ('of (d) was truncated and not re-read',),
    16: ('No second cohort or extension was found', 'a second iteration after evaluating the pilot'),
    17: ('aggregator, but its dates were not read',),
    18: ('month, come from a single secondary source',),
    19: ("D's 50% in FY2023) were not captured", 'later percentages were not captured'),
    20: (
        'VIII sets from October 2027 is unknown',
        'it continues under PDUFA VIII is unknown',
        'pilot continues under PDUFA VIII is unknown',
        'the PDUFA VIII terms are not known',
    ),
    21: ("September 2025 draft's wording was not verified",),
    22: ('changes on meeting timelines was not assessed', 'staffing changes on them was not assessed'),
    23: ('better than standard therapy) is not policy',),
    24: ('the section 526 definition (fewer than 200,000)',),
    25: ('Type B (pre-BLA) value, assumed to apply', 'for the generic Type B (pre-BLA) meeting'),
    26: (
        'before a pre-BLA meeting was not captured',
        'for the generic Type B (pre-BLA) meeting',
        'length for pre-IND meetings was not captured',
    ),
    27: ('including the annual-report timing, was not re-read',),
}


def _mentioned(texts: Iterator[str] | tuple[str, ...] | list[str]) -> set[int]:
    """The open questions whose caveat words appear in `texts`."""
    joined = " ".join(" ".join(text.split()) for text in texts)
    return {question for question, words in OPEN_QUESTION_WORDS.items() if any(w in joined for w in words)}


def _timing_caveats(program: Program) -> list[str]:
    return [caveat for _, timing in _timings(program) for caveat in timing.caveats]


@pytest.fixture(scope="module")
def phase12_caveats(rulebase: RuleBase) -> dict[str, tuple[str, ...]]:
    assessment = evaluate(load_dossier(PHASE12), rulebase, as_of=AS_OF)
    return {item.program: item.caveats for item in assessment.programs}


def test_the_mapping_covers_all_27_open_questions() -> None:
    assert set(OPEN_QUESTIONS) | set(OPEN_QUESTIONS_IN_TIMINGS) == set(range(1, 28)) == set(OPEN_QUESTION_WORDS)
    named = set(NAMED_PROGRAMS)
    for mapping in (OPEN_QUESTIONS, OPEN_QUESTIONS_IN_TIMINGS):
        assert all(set(programs) <= named for programs in mapping.values())


@pytest.mark.parametrize(
    ("question", "program"),
    [(q, p) for q, programs in sorted(OPEN_QUESTIONS.items()) for p in programs],
    ids=str,
)
def test_open_question_surfaces_in_the_program_caveats(
    phase12_caveats: dict[str, tuple[str, ...]], question: int, program: str
) -> None:
    assert question in _mentioned(phase12_caveats[program]), (
        f"{program}: no caveat mentions reference open question {question}"
    )


@pytest.mark.parametrize(
    ("question", "program"),
    [(q, p) for q, programs in sorted(OPEN_QUESTIONS_IN_TIMINGS.items()) for p in programs],
    ids=str,
)
def test_open_question_surfaces_in_the_program_timings(rulebase: RuleBase, question: int, program: str) -> None:
    assert question in _mentioned(_timing_caveats(rulebase.programs[program])), (
        f"{program}: no response or timeline caveat mentions reference open question {question}"
    )


def test_every_open_question_is_caveated_somewhere(rulebase: RuleBase) -> None:
    everywhere: set[int] = set()
    for program in rulebase.programs.values():
        everywhere |= _mentioned([*program.caveats, *_timing_caveats(program)])
    for rule in rulebase.rules:
        everywhere |= _mentioned(list(rule.spec.caveats))
    assert everywhere >= set(range(1, 28)), f"not caveated anywhere: {sorted(set(range(1, 28)) - everywhere)}"
