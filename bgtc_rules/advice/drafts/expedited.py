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
    BREAKTHROUGH_FACT_SHEET,
    BREAKTHROUGH_PRELIMINARY,
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
        wording: Fragment = r.gap("development.stage")
    elif stage == "ind_enabling":
        wording = f"INITIAL INVESTIGATIONAL NEW DRUG SUBMISSION and {heading}"
    else:
        wording = heading
    return Element("Cover letter", citation, (
        line("Identify the submission in the cover letter, in bold uppercase letters, as: ", wording),
        *contact_lines(r),
        bullet("IND number: ", r.text("filing.ind_number")),
        *names_lines(r),
        bullet(f"Submitted to: {office_text(r)}"),
        bullet("Proposed indication: ", r.text("filing.proposed_indication")),
    ))


def _therapies(r: Reader) -> Fragment:
    return r.text("therapy_landscape.available_therapies", lambda v: "; ".join(t["name"] for t in v) or "none approved")


def _serious(r: Reader) -> list[Line]:
    return [bullet("Disease: ", disease_fragment(r)),
            bullet("Serious or life-threatening: ", r.text("indication.serious")),
            bullet("Why it is serious: ", r.text("indication.seriousness_rationale"))]


def _unmet_need(r: Reader) -> list[Line]:
    return [bullet("Available therapy: ", _therapies(r)),
            bullet("Advantages claimed over available therapy: ", r.text(
                "therapy_landscape.advantages", lambda v: "; ".join(label(a) for a in v) or "none claimed")),
            bullet("Why a new therapy is needed: ", r.text("filing.therapy_need"))]


def _endpoints(r: Reader) -> Fragment:
    def render(endpoints: list[dict[str, str]]) -> str:
        if not endpoints:
            return "none measured yet"
        return "; ".join(f"{e['name']} ({label(e['kind'])}, vs {label(e['comparator'])}: {label(e['effect'])})"
                         for e in endpoints)
    return r.text("clinical.endpoints", render)


def _clinical_evidence(r: Reader) -> list[Line]:
    return [bullet("Patients who have received the product: ", r.text("clinical.patients_dosed")),
            bullet("Endpoints and outcomes: ", _endpoints(r)),
            bullet("Design, conduct and analysis of the studies: ", r.text("filing.clinical_data"))]


def _prior(r: Reader) -> Line:
    return bullet("Documents previously submitted to the IND that support the request: ",
                  r.text("filing.prior_submissions"))


def _safety(r: Reader, citation: Citation) -> Element:
    return Element("Safety so far", citation, (
        bullet("Safety summary: ", r.text("filing.safety_summary")),
        line("Summarise the adverse events and serious adverse events seen in the patients treated, and weigh "
             "them against the effect claimed."),
    ))


def _form_1571(ctx: Context, citation: Citation, sources: str) -> Element:
    """How the request reaches FDA: to the IND, with a Form FDA 1571 (prompted in the draft itself)."""
    r = ctx.reader
    designation = TITLES[ctx.program.id].lower()
    return Element("How the request is sent: to the IND, with Form FDA 1571", citation, (
        line("Send the request to the IND as an amendment (or together with the initial IND), with the cover "
             f"letter above and a completed Form FDA 1571 ({sources})."),
        bullet("On the Form FDA 1571: the sponsor (", r.text("program.sponsor"), "), the IND number (",
               r.text("filing.ind_number"), "), the product's name (", r.text("filing.proper_name"),
               f"), and that the submission contains a request for {designation}."),
    ))


def _preliminary_advice(ctx: Context) -> Element | None:
    """FDA's optional preliminary breakthrough advice, offered while the request is not yet made."""
    if ctx.assessment.designation(ctx.program.id).asked:
        return None
    return Element("Before requesting: preliminary advice from the review division (optional)",
                   BREAKTHROUGH_PRELIMINARY, (
        line("A sponsor may first ask the review division whether a request is appropriate now: ask the "
             "regulatory project manager of the division holding the IND for the 'Preliminary Breakthrough Therapy "
             "Designation (BTD) Advice Request' template and submit it to the IND as an amendment; the division "
             "then holds a teleconference and says whether a request is appropriate, may be too preliminary, or "
             "does not meet the criteria now."),
        bullet("The advice is not binding and does not predict FDA's decision on a request."),
        bullet("The advice request may go to a pre-IND file, but the breakthrough request itself only once the "
               "IND is open."),
    ))


def fast_track_request(ctx: Context) -> Body:
    r = ctx.reader
    cite = expedited("fast track designation request content")
    summary = Section("Concise summary supporting fast track designation", (
        _cover_letter(ctx, cite),
        Element("Basis for a serious condition", FAST_TRACK_STATUTE, tuple(_serious(r))),
        Element("Potential to address an unmet medical need, and how development evaluates it", cite, (
            *_unmet_need(r),
            bullet("Supporting nonclinical or clinical data: ", r.text("filing.nonclinical_data")),
            bullet("How the planned program evaluates that potential: ", r.text("filing.development_plan")),
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
        _safety(r, cite),
        _form_1571(ctx, BREAKTHROUGH_FACT_SHEET, "FDA's breakthrough fact sheet asks for both"),
    ))
    advice = _preliminary_advice(ctx)
    sections = (summary, *([Section("Optional first step", (advice,))] if advice else ()),
                timeline_section(ctx.program, ctx.start))
    return Body(f"Breakthrough therapy designation request: {r.value('program.name')}", sections, (
        "The elements follow the 2014 guidance's description of breakthrough requests (Appendix 1) as "
        "summarised in the shared reference; its full text was not found. They match FDA's 2012 interim "
        "'Fact Sheet: Breakthrough Therapies' (read in a public reproduction), which also asks for a "
        "completed Form FDA 1571 with the request; whether Appendix 1 repeats that was not verified.",
        "The texts read do not name a safety summary as an item of its own; the draft asks for one because FDA "
        "weighs the effect against the product's risks, and a significantly improved safety profile is itself "
        "a route to designation.",
        "Preliminary advice follows question 23 of FDA's breakthrough FAQ, read as quoted word for word in public "
        "reproductions. A 2016 law-firm description of FDA's advice form (Hyman, Phelps & McNamara) adds that "
        "it is at most two pages, the teleconference lasts 15 minutes, and no minutes are issued; FDA's own "
        "text saying so was not read.",
    ))


def rmat_request(ctx: Context) -> Body:
    r = ctx.reader
    definition: list[Line] = [
        line(r.text("filing.product_description")),
        *product_facts(r),
        bullet("Sustained effect on cells or tissues: ", r.text("program.sustained_effect")),
        bullet("Regulated solely under PHS Act section 361 / 21 CFR 1271: ",
               r.text("program.regulated_solely_under_361")),
    ]
    summary = Section("Concise summary supporting RMAT designation", (
        _cover_letter(ctx, RMAT_PAGE),
        Element("The product, and why it is a regenerative medicine therapy", RMAT_GUIDANCE, tuple(definition)),
        Element("The disease or condition is serious", RMAT_GUIDANCE, tuple(_serious(r))),
        Element("Risks and benefits of available therapies, and the unmet medical need", RMAT_GUIDANCE, (
            *_unmet_need(r),
            line("Summarise the risks and benefits of each available therapy listed above, if any."))),
        Element("Preliminary clinical evidence of the potential to address the unmet need", RMAT_GUIDANCE, (
            bullet("Conditions of administration: ", r.text("program.route", label)),
            *_clinical_evidence(r))),
        _safety(r, RMAT_GUIDANCE),
        Element("The IND is not on clinical hold", RMAT_PAGE, (
            bullet("On clinical hold: ", r.text("development.clinical_hold")),)),
        _form_1571(ctx, RMAT_PAGE, "as for any IND amendment; FDA's RMAT page itself names only the cover letter"),
    ))
    return Body(f"RMAT designation request: {r.value('program.name')}",
                (summary, timeline_section(ctx.program, ctx.start)),
                ("The content list is the 2019 RMAT guidance's (section III.C), as reproduced in public slides; FDA's "
                 "revised draft of September 2025 is not final and its changes to the request content were not "
                 "verified.",
                 "FDA's RMAT page says the request is made with the initial IND or as an amendment to it; that the "
                 "amendment carries a Form FDA 1571 is from the breakthrough fact sheet, not from an RMAT text read "
                 "here. The safety summary answers the guidance's 'patient monitoring' and 'outcomes' in the "
                 "preliminary clinical evidence; it is not an item of its own there."))
