"""Fast track, breakthrough therapy and RMAT designation requests: the cover letter and the
concise summary the expedited-programs and RMAT guidances ask for."""

from __future__ import annotations

from bgtc_rules.advice.drafts.common import (
    Body,
    Context,
    contact_lines,
    disease_fragment,
    names_lines,
    office_text,
    product_facts,
    timeline_section,
)
from bgtc_rules.advice.drafts.model import Element, Fragment, Line, Section
from bgtc_rules.advice.drafts.reader import Reader, bullet, line
from bgtc_rules.advice.drafts.sources import (
    BREAKTHROUGH_STATUTE,
    FAST_TRACK_STATUTE,
    RMAT_GUIDANCE,
    RMAT_PAGE,
    expedited,
)
from bgtc_rules.advice.labels import label
from bgtc_rules.language.spec import Citation

TITLES = {"fast_track": "FAST TRACK DESIGNATION", "breakthrough_therapy": "BREAKTHROUGH THERAPY DESIGNATION",
          "rmat": "REGENERATIVE MEDICINE ADVANCED THERAPY DESIGNATION"}


def _cover_letter(ctx: Context, citation: Citation) -> Element:
    r = ctx.reader
    heading = f"REQUEST FOR {TITLES[ctx.program.id]}"
    stage = r.value("development.stage")
    if stage is None:
        wording: Fragment = r.text("development.stage", "Is the IND already active (the request is an IND "
                                   "amendment) or is the request sent with the initial IND?")
    elif stage == "ind_enabling":
        wording = f"INITIAL INVESTIGATIONAL NEW DRUG SUBMISSION and {heading}"
    else:
        wording = heading
    return Element("Cover letter", citation, (
        line("Identify the submission in the cover letter, in bold uppercase letters, as: ", wording),
        *contact_lines(r),
        bullet("IND number: ", r.text("filing.ind_number", "What is the IND number (or 'with the initial IND')?")),
        *names_lines(r),
        bullet(f"Submitted to: {office_text(r)}"),
        bullet("Proposed indication: ", r.text("filing.proposed_indication", "What is the proposed indication?")),
    ))


def _therapies(r: Reader) -> Fragment:
    return r.text("therapy_landscape.available_therapies", "Which therapies are approved in the U.S. for the "
                  "indication (none, if none)?", lambda v: "; ".join(t["name"] for t in v) or "none approved")


def _serious(r: Reader) -> list[Line]:
    return [bullet("Disease: ", disease_fragment(r)),
            bullet("Serious or life-threatening: ", r.text("indication.serious", "Is the disease serious or "
                                                           "life-threatening?")),
            bullet("Why it is serious: ", r.text("indication.seriousness_rationale", "What makes the disease "
                                                 "serious (morbidity with substantial impact on day-to-day "
                                                 "functioning, or mortality)?"))]


def _unmet_need(r: Reader) -> list[Line]:
    return [bullet("Available therapy: ", _therapies(r)),
            bullet("Advantages claimed over available therapy: ", r.text(
                "therapy_landscape.advantages", "How does the product improve on available therapy, if any "
                "therapy exists?", lambda v: "; ".join(label(a) for a in v) or "none claimed")),
            bullet("Why a new therapy is needed: ", r.text("filing.therapy_need", "What need do available "
                                                           "treatments leave unmet?"))]


def _endpoints(r: Reader) -> Fragment:
    def render(endpoints: list[dict[str, str]]) -> str:
        if not endpoints:
            return "none measured yet"
        return "; ".join(f"{e['name']} ({label(e['kind'])}, vs {label(e['comparator'])}: {label(e['effect'])})"
                         for e in endpoints)
    return r.text("clinical.endpoints", "Which endpoints have been measured in patients, against which comparator, "
                  "with which effect?", render)


def _clinical_evidence(r: Reader) -> list[Line]:
    return [bullet("Patients who have received the product: ", r.text("clinical.patients_dosed", "How many "
                                                                      "patients have received the product?")),
            bullet("Endpoints and outcomes: ", _endpoints(r)),
            bullet("Design, conduct and analysis of the studies: ", r.text(
                "filing.clinical_data", "Summarise the clinical studies: design, conduct, dosing, outcome "
                "assessment, monitoring, analysis and safety"))]


def _prior(r: Reader) -> Line:
    return bullet("Documents previously submitted to the IND that support the request: ", r.text(
        "filing.prior_submissions", "Which documents already in the IND support the request, each with the date "
        "it was submitted so FDA can find it (none, if none)?"))


def fast_track_request(ctx: Context) -> Body:
    r = ctx.reader
    cite = expedited("fast track designation request content")
    summary = Section("Concise summary supporting fast track designation", (
        _cover_letter(ctx, cite),
        Element("Basis for a serious condition", FAST_TRACK_STATUTE, tuple(_serious(r))),
        Element("Potential to address an unmet medical need, and how development evaluates it", cite, (
            *_unmet_need(r),
            bullet("Supporting nonclinical or clinical data: ", r.text(
                "filing.nonclinical_data", "Which nonclinical (or clinical) data show the potential to address the "
                "unmet need?")),
            bullet("How the planned program evaluates that potential: ", r.text(
                "filing.development_plan", "Which planned studies will evaluate the product's potential to address "
                "the unmet need?")),
            _prior(r))),
    ))
    return Body(f"Fast track designation request: {r.value('program.name')}",
                (summary, timeline_section(ctx.program, ctx.start)),
                ("The request content was read in a public copy of the June 2013 draft of the guidance (its list of "
                 "what a fast track request should contain, in about 10 to 20 pages); that it stands unchanged in "
                 "Appendix 1 of the final May 2014 guidance was not checked against the final text.",))


def breakthrough_request(ctx: Context) -> Body:
    r = ctx.reader
    cite = expedited("breakthrough therapy designation request content")
    summary = Section("Concise summary supporting breakthrough therapy designation", (
        _cover_letter(ctx, cite),
        Element("Basis for a serious condition", BREAKTHROUGH_STATUTE, tuple(_serious(r))),
        Element("Preliminary clinical evidence of substantial improvement over available therapy", cite, (
            bullet("Available therapy: ", _therapies(r)), *_clinical_evidence(r),
            line("Discuss why each endpoint is clinically significant and how large the improvement is over "
                 "available therapy (or over natural history, where none is approved)."), _prior(r))),
    ))
    return Body(f"Breakthrough therapy designation request: {r.value('program.name')}",
                (summary, timeline_section(ctx.program, ctx.start)),
                ("The elements follow the 2014 guidance's description of breakthrough requests (Appendix 1) as "
                 "summarised in the shared reference; its full text was not found. They match FDA's 2012 interim "
                 "'Fact Sheet: Breakthrough Therapies' (read in a public reproduction), which also asks for a "
                 "completed Form FDA 1571 with the request; whether Appendix 1 repeats that was not verified.",))


def rmat_request(ctx: Context) -> Body:
    r = ctx.reader
    definition: list[Line] = [
        line(r.text("filing.product_description", "What is the product: vector, capsid, transgene and regulatory "
                    "elements, dose form, route?")),
        *product_facts(r),
        bullet("Sustained effect on cells or tissues: ", r.text(
            "program.sustained_effect", "Is the gene therapy expected to have a sustained effect on cells or "
            "tissues?")),
        bullet("Regulated solely under PHS Act section 361 / 21 CFR 1271: ", r.text(
            "program.regulated_solely_under_361", "Is the product regulated solely under PHS Act section 361?")),
    ]
    summary = Section("Concise summary supporting RMAT designation", (
        _cover_letter(ctx, RMAT_PAGE),
        Element("The product, and why it is a regenerative medicine therapy", RMAT_GUIDANCE, tuple(definition)),
        Element("The disease or condition is serious", RMAT_GUIDANCE, tuple(_serious(r))),
        Element("Risks and benefits of available therapies, and the unmet medical need", RMAT_GUIDANCE, (
            *_unmet_need(r),
            line("Summarise the risks and benefits of each available therapy listed above, if any."))),
        Element("Preliminary clinical evidence of the potential to address the unmet need", RMAT_GUIDANCE, (
            bullet("Conditions of administration: ", r.text("program.route", "How is the product administered?",
                                                            label)),
            *_clinical_evidence(r))),
        Element("The IND is not on clinical hold", RMAT_PAGE, (
            bullet("On clinical hold: ", r.text("development.clinical_hold", "Is the IND on clinical hold?")),)),
    ))
    return Body(f"RMAT designation request: {r.value('program.name')}",
                (summary, timeline_section(ctx.program, ctx.start)),
                ("The content list is the 2019 RMAT guidance's (section III.C), as reproduced in public slides; FDA's "
                 "revised draft of September 2025 is not final and its changes to the request content were not "
                 "verified.",))
