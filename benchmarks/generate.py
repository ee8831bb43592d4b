"""A seeded generator of realistic evidence dossiers, for batch runs and the performance benchmark.

The dossiers cover every development stage and modality, prevalences from ultra-rare to common,
serious or not, pediatric or adult onset, with and without available therapy, clinical data from
none to substantial improvement, designations held and meeting questions. Fields are correlated
the way real programs are (a pre-IND program has dosed no patient; a phase 3 program has started
its pivotal trial), and each dossier leaves some fields unknown: a per-dossier rate drawn between
5% and 25% (15% on average), as a sponsor's first dossier would.

Every dossier is a plain mapping valid for `bgtc_rules.dossier_from_mapping` (dates are ISO
strings, so the mappings are JSON-ready). The same seed gives the same dossiers, and the first
`n` dossiers of a seed do not depend on how many are generated.

Examples:
    >>> first = generate(3, seed=7)
    >>> first == generate(3, seed=7) and first[:2] == generate(2, seed=7)
    True
    >>> sorted(first[0])[:3]
    ['clinical', 'designations', 'development']

Command line:
    python -m benchmarks.generate --count 1000 --seed 1 --out dossiers/        # one YAML file each
    python -m benchmarks.generate --count 1000 --seed 1 --out dossiers.jsonl   # one JSON line each
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

# Fields every generated dossier states before unknowns are dropped: the rate at which these are
# missing is the dossier set's unknown rate (checked by the tests).
CORE_FIELDS: tuple[tuple[str, str], ...] = (
    ("program", "modality"),
    ("program", "sustained_effect"),
    ("indication", "us_prevalence"),
    ("indication", "serious"),
    ("indication", "serious_manifestations_before_18"),
    ("indication", "genetic_cause_known"),
    ("therapy_landscape", "available_therapies"),
    ("development", "stage"),
    ("development", "phase"),
    ("nonclinical", "proof_of_concept"),
    ("clinical", "patients_dosed"),
    ("clinical", "endpoints"),
)

UNKNOWN_RATE_RANGE = (0.05, 0.25)

STAGES = ("research", "ind_enabling", "ind_active", "bla_submitted", "bla_approved")
_STAGE_WEIGHTS = (12, 22, 46, 12, 8)

MODALITIES = (
    "aav_gene_therapy", "other_in_vivo_gene_therapy", "genetically_modified_cells", "cell_therapy",
    "antisense_or_rna", "genome_editing", "biologic", "small_molecule",
)
_MODALITY_WEIGHTS = (35, 8, 15, 8, 12, 10, 7, 5)
_GENE_THERAPIES = {"aav_gene_therapy", "other_in_vivo_gene_therapy", "genetically_modified_cells", "genome_editing"}

_MECHANISMS: dict[str, tuple[tuple[str, int], ...]] = {
    "aav_gene_therapy": (("gene_replacement", 85), ("gene_knockdown", 10), ("gene_editing", 5)),
    "other_in_vivo_gene_therapy": (("gene_replacement", 80), ("gene_knockdown", 10), ("other", 10)),
    "genetically_modified_cells": (("gene_replacement", 45), ("gene_editing", 25), ("cell_replacement", 20),
                                   ("other", 10)),
    "cell_therapy": (("cell_replacement", 70), ("other", 30)),
    "antisense_or_rna": (("gene_knockdown", 55), ("splice_modulation", 45)),
    "genome_editing": (("gene_editing", 100),),
    "biologic": (("protein_replacement", 70), ("other", 30)),
    "small_molecule": (("other", 100),),
}
_ROUTES: dict[str, tuple[tuple[str, int], ...]] = {
    "aav_gene_therapy": (("intravenous", 35), ("intrathecal", 15), ("intracerebroventricular", 8),
                         ("intraparenchymal", 8), ("subretinal", 14), ("intravitreal", 8), ("intramuscular", 12)),
    "other_in_vivo_gene_therapy": (("intravenous", 60), ("intramuscular", 25), ("other", 15)),
    "genetically_modified_cells": (("ex_vivo", 85), ("intravenous", 15)),
    "cell_therapy": (("intravenous", 50), ("intraparenchymal", 20), ("other", 30)),
    "antisense_or_rna": (("intrathecal", 45), ("intravenous", 35), ("intravitreal", 10), ("other", 10)),
    "genome_editing": (("intravenous", 60), ("ex_vivo", 40)),
    "biologic": (("intravenous", 85), ("other", 15)),
    "small_molecule": (("other", 100),),
}
_CAPSIDS = ("AAV9", "AAV8", "AAVrh74", "AAV2", "AAV5", "AAVrh10", "AAV1", "AAV6", "engineered capsid")
_PLATFORMS = ("AAV9 suspension HEK293 process", "Lentiviral vector LVV-2", "Lipid nanoparticle LNP-7",
              "Autologous CD34+ transduction process", "ASO chemistry platform")

# Disease archetypes: (name, pediatric onset likelihood, serious likelihood, oncology).
_DISEASES: tuple[tuple[str, float, float, bool], ...] = (
    ("neuronal ceroid lipofuscinosis", 0.95, 0.99, False),
    ("spinal muscular atrophy", 0.9, 0.99, False),
    ("Duchenne muscular dystrophy", 0.95, 0.99, False),
    ("hemophilia B", 0.5, 0.9, False),
    ("retinitis pigmentosa", 0.4, 0.7, False),
    ("Leber congenital amaurosis", 0.9, 0.8, False),
    ("mucopolysaccharidosis", 0.9, 0.95, False),
    ("Fabry disease", 0.3, 0.9, False),
    ("sickle cell disease", 0.6, 0.95, False),
    ("beta thalassemia", 0.7, 0.9, False),
    ("amyotrophic lateral sclerosis", 0.02, 0.99, False),
    ("Huntington disease", 0.05, 0.99, False),
    ("ornithine transcarbamylase deficiency", 0.85, 0.95, False),
    ("glycogen storage disease", 0.8, 0.85, False),
    ("Rett syndrome", 0.95, 0.95, False),
    ("epidermolysis bullosa", 0.9, 0.9, False),
    ("Parkinson disease", 0.01, 0.8, False),
    ("age-related macular degeneration", 0.0, 0.6, False),
    ("androgenetic alopecia", 0.05, 0.02, False),
    ("osteoarthritis of the knee", 0.0, 0.25, False),
    ("relapsed B-cell lymphoma", 0.1, 0.99, True),
    ("pediatric high-grade glioma", 0.95, 0.99, True),
    ("acute myeloid leukemia", 0.15, 0.99, True),
)

_TOPIC_DISCIPLINE: dict[str, str] = {
    "product_characterization": "cmc",
    "manufacturing_process": "cmc",
    "toxicology_design": "pharmacology_toxicology",
    "first_in_human_design": "clinical",
    "trial_design": "clinical",
    "endpoints": "clinical",
    "surrogate_endpoint": "clinical",
    "natural_history": "clinical",
    "pediatric_plan": "regulatory",
    "safety_issue": "clinical",
    "clinical_hold": "regulatory",
    "dispute": "regulatory",
    "bla_content": "regulatory",
    "other": "regulatory",
}
_OTHER_DISCIPLINE = {"trial_design": "statistics", "endpoints": "statistics", "first_in_human_design":
                     "clinical_pharmacology", "product_characterization": "regulatory"}
_STAGE_TOPICS: dict[str, tuple[str, ...]] = {
    "research": ("product_characterization", "toxicology_design", "natural_history", "other"),
    "ind_enabling": ("product_characterization", "manufacturing_process", "toxicology_design",
                     "first_in_human_design", "natural_history", "pediatric_plan"),
    "ind_active": ("trial_design", "endpoints", "surrogate_endpoint", "natural_history", "pediatric_plan",
                   "safety_issue", "manufacturing_process", "dispute", "other"),
    "bla_submitted": ("bla_content", "manufacturing_process", "safety_issue", "dispute"),
    "bla_approved": ("manufacturing_process", "safety_issue", "pediatric_plan", "other"),
}
_QUESTION_TEXT: dict[str, str] = {
    "product_characterization": "Are the proposed potency and identity assays adequate for {p}?",
    "manufacturing_process": "Is the comparability plan for the {p} process change sufficient?",
    "toxicology_design": "Does the proposed toxicology study in one species support first-in-human dosing of {p}?",
    "first_in_human_design": "Is the proposed starting dose and staggered enrolment for {p} acceptable?",
    "trial_design": "Can a single-arm trial against natural history support approval of {p}?",
    "endpoints": "Is the proposed primary endpoint clinically meaningful for {d}?",
    "surrogate_endpoint": "Could the biomarker response to {p} be reasonably likely to predict clinical benefit?",
    "natural_history": "Is our natural-history cohort for {d} adequate as an external control?",
    "pediatric_plan": "Does the initial pediatric study plan for {p} address the youngest patients?",
    "safety_issue": "How should the liver enzyme elevations seen with {p} be monitored?",
    "clinical_hold": "What is needed to lift the clinical hold on {p}?",
    "dispute": "Can the agency reconsider its position on the primary analysis for {p}?",
    "bla_content": "Is the planned content of the {p} BLA acceptable for filing?",
    "other": "Is an expanded access protocol for {p} appropriate at this stage?",
}

_ENDPOINT_NAMES: dict[str, tuple[str, ...]] = {
    "clinical": ("Motor milestone score", "Survival without permanent ventilation", "Visual function score",
                 "Annualized bleeding rate", "Six-minute walk distance", "Seizure frequency"),
    "intermediate_clinical": ("Time to loss of ambulation", "Vaso-occlusive crises per year",
                              "Transfusion independence"),
    "surrogate": ("Factor IX activity", "Microdystrophin expression", "Fetal hemoglobin level",
                  "Urinary glycosaminoglycans"),
    "biomarker": ("CSF neurofilament light chain", "Plasma substrate level", "Vector copy number",
                  "Enzyme activity in leukocytes"),
}


def _pick(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def _log_uniform(rng: random.Random, low: float, high: float) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def _date(rng: random.Random, start: dt.date, end: dt.date) -> str:
    return (start + dt.timedelta(days=rng.randrange((end - start).days + 1))).isoformat()


def _prevalence(rng: random.Random) -> int:
    band = rng.choices(("ultra_rare", "rare", "threshold", "common"), weights=(30, 50, 5, 15))[0]
    if band == "ultra_rare":
        return _log_uniform(rng, 5, 1_000)
    if band == "rare":
        return _log_uniform(rng, 1_000, 199_999)
    if band == "threshold":
        return rng.randint(190_000, 210_000)
    return _log_uniform(rng, 200_001, 5_000_000)


def _program(rng: random.Random, index: int, modality: str, individualized: bool, stage: str) -> dict[str, Any]:
    mechanism = _pick(rng, _MECHANISMS[modality])
    gene_targeted = mechanism in {"gene_replacement", "gene_editing", "gene_knockdown", "splice_modulation"}
    code = "".join(rng.choices("ABCDEFGHJKLMNPRSTVXZ", k=3))
    program: dict[str, Any] = {
        "name": f"{code}-{index + 1:05d}",
        "sponsor": f"Example Therapeutics {rng.randint(1, 400)}",
        "modality": modality,
        "route": _pick(rng, _ROUTES[modality]),
        "mechanism": mechanism,
    }
    if modality == "aav_gene_therapy":
        program["capsid"] = rng.choice(_CAPSIDS)
    sustained = {"antisense_or_rna": 0.1, "cell_therapy": 0.6, "biologic": 0.0, "small_molecule": 0.0}
    program["sustained_effect"] = _chance(rng, sustained.get(modality, 0.92))
    program["regulated_solely_under_361"] = modality == "cell_therapy" and _chance(rng, 0.05)
    program["individualized"] = individualized
    program["corrects_genetic_defect"] = mechanism in {"gene_replacement", "gene_editing"} and _chance(rng, 0.9)
    program["targets_root_cause"] = gene_targeted or _chance(rng, 0.4)
    if stage != "research" or _chance(rng, 0.3):
        program["target_engagement_confirmed"] = _chance(rng, 0.7)
    roll = rng.random()
    if roll < 0.25:
        priorities = ["innovative_therapy", "large_unmet_need", "onshoring", "affordability", "public_health_crisis"]
        program["national_priorities"] = sorted(rng.sample(priorities, rng.randint(1, 2)))
    elif roll < 0.5:
        program["national_priorities"] = []
    return program


def _indication(rng: random.Random, modality: str) -> tuple[dict[str, Any], bool, bool]:
    disease, pediatric_odds, serious_odds, oncology = rng.choice(_DISEASES)
    prevalence = _prevalence(rng)
    serious = _chance(rng, serious_odds)
    pediatric = _chance(rng, pediatric_odds)
    indication: dict[str, Any] = {
        "disease": f"Example {disease} (subtype {rng.randint(1, 12)})",
        "us_prevalence": prevalence,
        "serious": serious,
        "serious_manifestations_before_18": pediatric and serious,
        "genetic_cause_known": _chance(rng, 0.95 if modality in _GENE_THERAPIES else 0.7),
        "progressive": _chance(rng, 0.8 if serious else 0.3),
        "natural_history_characterized": _chance(rng, 0.5),
        "oncology": oncology,
        "life_threatening_or_severely_debilitating": serious and _chance(rng, 0.7),
    }
    if _chance(rng, 0.7):
        indication["prevalence_source"] = rng.choice(
            ("Patient registry (example)", "Published epidemiology study (example)", "Claims database (example)"))
    if serious:
        indication["seriousness_rationale"] = "Progressive loss of function with substantial morbidity or mortality."
    if pediatric and serious:
        indication["disability_or_death_first_decade"] = _chance(rng, 0.6)
    if _chance(rng, 0.6):
        indication["cost_recovery_expected"] = _chance(rng, 0.7 if prevalence >= 200_000 else 0.1)
    return indication, serious, pediatric


def _therapy_landscape(rng: random.Random) -> tuple[dict[str, Any], bool]:
    if _chance(rng, 0.55):
        landscape: dict[str, Any] = {"available_therapies": []}
        if _chance(rng, 0.5):
            landscape["advantages"] = []
        return landscape, False
    therapies = [
        {"name": f"Approved therapy {chr(65 + i)}", "accelerated_approval_unverified": _chance(rng, 0.15)}
        for i in range(rng.randint(1, 3))
    ]
    advantages = ["improved_effectiveness", "avoids_serious_side_effects", "improved_diagnosis",
                  "reduces_treatment_limiting_toxicity", "effective_where_available_fails",
                  "addresses_emerging_need", "improved_adherence"]
    landscape = {"available_therapies": therapies,
                 "advantages": sorted(rng.sample(advantages, rng.choices((0, 1, 2), weights=(3, 5, 2))[0]))}
    return landscape, True


def _phase(rng: random.Random, stage: str) -> str:
    if stage in {"research", "ind_enabling"}:
        return "none"
    if stage == "ind_active":
        return rng.choices(("phase_1", "phase_1_2", "phase_2", "phase_3"), weights=(25, 35, 20, 20))[0]
    return rng.choices(("phase_1_2", "phase_2", "phase_3"), weights=(15, 15, 70))[0]


def _development(rng: random.Random, stage: str, phase: str) -> dict[str, Any]:
    clinical_stage = stage not in {"research", "ind_enabling"}
    bla = stage in {"bla_submitted", "bla_approved"}
    late = phase in {"phase_2", "phase_3"}
    pivotal_started = bla or phase == "phase_3" or (phase == "phase_2" and _chance(rng, 0.3))
    pivotal_completed = bla or (phase == "phase_3" and _chance(rng, 0.3))
    development: dict[str, Any] = {
        "stage": stage,
        "phase": phase,
        "product_selected": stage != "research" or _chance(rng, 0.5),
        "pre_ind_meeting_held": _chance(rng, 0.9 if clinical_stage else 0.4 if stage == "ind_enabling" else 0.0),
        "end_of_phase_1_held": clinical_stage and late and _chance(rng, 0.4),
        "end_of_phase_2_held": (bla or phase == "phase_3") and _chance(rng, 0.7),
        "pivotal_started": pivotal_started,
        "pivotal_completed": pivotal_completed,
        "pre_bla_meeting_held": bla or (pivotal_completed and _chance(rng, 0.5)),
        "natural_history_study": _chance(rng, 0.6),
        "priority_review_voucher_held": _chance(rng, 0.05),
        "accelerated_timeline": _chance(rng, 0.3),
    }
    if clinical_stage:
        development["clinical_hold"] = stage == "ind_active" and _chance(rng, 0.08)
        development["ind_in_ectd"] = _chance(rng, 0.85)
    if stage == "bla_submitted":
        development["non_approval_action_received"] = _chance(rng, 0.1)
    return development


def _nonclinical(rng: random.Random, stage: str) -> dict[str, Any]:
    early = {"research": (0.5, 0.05, 0.2), "ind_enabling": (0.85, 0.6, 0.5)}
    poc, tox, cmc = early.get(stage, (0.95, 1.0, 0.85))
    return {"proof_of_concept": _chance(rng, poc), "definitive_toxicology_started": _chance(rng, tox),
            "cmc_aligned_with_clinical": _chance(rng, cmc)}


def _endpoint(rng: random.Random, signal: str) -> dict[str, Any]:
    kind = rng.choices(("clinical", "intermediate_clinical", "surrogate", "biomarker"), weights=(40, 15, 20, 25))[0]
    effects = {
        "none": (("not_yet_measured", 60), ("no_change", 40)),
        "negative": (("worsening", 40), ("no_change", 60)),
        "modest": (("improvement", 75), ("no_change", 25)),
        "strong": (("substantial_improvement", 70), ("improvement", 30)),
    }
    endpoint: dict[str, Any] = {
        "name": rng.choice(_ENDPOINT_NAMES[kind]),
        "kind": kind,
        "comparator": rng.choices(("placebo", "active_control", "natural_history", "external_control", "baseline",
                                   "none"), weights=(12, 5, 30, 13, 35, 5))[0],
        "effect": _pick(rng, effects[signal]),
    }
    if kind in {"surrogate", "biomarker"}:
        endpoint["surrogate_status"] = rng.choices(("validated", "reasonably_likely", "novel"), weights=(2, 4, 4))[0]
    return endpoint


def _clinical(rng: random.Random, phase: str, individualized: bool) -> dict[str, Any]:
    if phase == "none":
        return {"patients_dosed": 0, "endpoints": []}
    low, high = {"phase_1": (1, 12), "phase_1_2": (3, 30), "phase_2": (10, 80), "phase_3": (20, 400)}[phase]
    dosed = rng.randint(1, 3) if individualized else rng.randint(low, high)
    first_in_human = phase == "phase_1"
    signal = rng.choices(("none", "negative", "modest", "strong"),
                         weights=(45, 5, 35, 15) if first_in_human else (10, 10, 45, 35))[0]
    return {
        "patients_dosed": dosed,
        "endpoints": [_endpoint(rng, signal) for _ in range(rng.randint(1, 4))],
        "confirmatory_trial_planned": _chance(rng, 0.4),
        "novel_efficacy_endpoint": _chance(rng, 0.2),
    }


def _manufacturing(rng: random.Random, modality: str) -> dict[str, Any]:
    if not _chance(rng, 0.6):
        return {}
    manufacturing: dict[str, Any] = {"novel_technology": _chance(rng, 0.3),
                                     "quality_equivalent_or_better": _chance(rng, 0.5)}
    if modality in _GENE_THERAPIES | {"antisense_or_rna"} and _chance(rng, 0.5):
        manufacturing.update({
            "platform": rng.choice(_PLATFORMS),
            "platform_in_approved_product": _chance(rng, 0.25),
            "platform_right_of_reference": _chance(rng, 0.5),
            "platform_multi_product_evidence": _chance(rng, 0.4),
            "platform_efficiencies_likely": _chance(rng, 0.6),
        })
    if _chance(rng, 0.4):
        improvements = ["reduces_development_time", "increases_supply", "improves_quality_control", "reduces_cost"]
        manufacturing["improvements"] = sorted(rng.sample(improvements, rng.randint(0, 2)))
    return manufacturing


def _designations(rng: random.Random, stage: str, prevalence: int, pediatric: bool, serious: bool,
                  modality: str) -> list[dict[str, Any]]:
    start = {"research": dt.date(2024, 1, 1), "ind_enabling": dt.date(2022, 1, 1)}.get(stage, dt.date(2018, 1, 1))
    end = dt.date(2026, 10, 31)
    statuses = (("granted", 60), ("requested", 20), ("planned", 10), ("denied", 8), ("rescinded", 2))
    records: list[dict[str, Any]] = []

    def add(program: str, probability: float) -> None:
        if _chance(rng, probability):
            record = {"program": program, "status": _pick(rng, statuses)}
            if record["status"] != "planned" and _chance(rng, 0.8):
                record["date"] = _date(rng, start, end)
            records.append(record)

    clinical_stage = stage not in {"research", "ind_enabling"}
    add("orphan_drug_designation", (0.75 if clinical_stage else 0.35) if prevalence < 200_000 else 0.03)
    add("rare_pediatric_disease", 0.5 if pediatric and serious and prevalence < 200_000 else 0.02)
    if clinical_stage:
        add("fast_track", 0.45 if serious else 0.05)
        add("rmat", 0.3 if modality in _GENE_THERAPIES | {"cell_therapy"} else 0.02)
        add("breakthrough_therapy", 0.15)
        add("platform_technology_designation", 0.05)
    if stage in {"bla_submitted", "bla_approved"}:
        add("priority_review", 0.5)
    return records


def _meeting(rng: random.Random, stage: str, on_hold: bool, program: str, disease: str) -> dict[str, Any]:
    topics = list(_STAGE_TOPICS[stage]) + (["clinical_hold"] if on_hold else [])
    questions = []
    for topic in rng.sample(topics, min(len(topics), rng.choices((0, 1, 2, 3, 4), weights=(25, 25, 25, 15, 10))[0])):
        discipline = _OTHER_DISCIPLINE[topic] if topic in _OTHER_DISCIPLINE and _chance(rng, 0.3) \
            else _TOPIC_DISCIPLINE[topic]
        questions.append({"text": _QUESTION_TEXT[topic].format(p=program, d=disease), "topic": topic,
                          "discipline": discipline})
    return {"questions": questions, "program_stalled": _chance(rng, 0.3 if on_hold else 0.08),
            "dispute": _chance(rng, 0.05), "complex_issue": _chance(rng, 0.2)}


def _expanded_access(rng: random.Random, serious: bool) -> dict[str, Any]:
    return {
        "patient_identified": _chance(rng, 0.8),
        "immediately_life_threatening": serious and _chance(rng, 0.5),
        "comparable_alternative_available": _chance(rng, 0.2),
        "benefit_justifies_risk": _chance(rng, 0.7),
        "physician_judges_risk_acceptable": _chance(rng, 0.8),
        "available_under_other_protocol": _chance(rng, 0.3),
        "emergency": _chance(rng, 0.2),
    }


def _drop_unknowns(rng: random.Random, section: dict[str, Any], rate: float, keep: frozenset[str]) -> None:
    for key in list(section):
        if key not in keep and rng.random() < rate:
            del section[key]


_REQUIRED = frozenset({"name"})
_NOTHING = frozenset[str]()


def generate_dossier(rng: random.Random, index: int) -> dict[str, Any]:
    """One dossier, drawing only from `rng` (dossier `index` of a generated set)."""
    stage = rng.choices(STAGES, weights=_STAGE_WEIGHTS)[0]
    modality = rng.choices(MODALITIES, weights=_MODALITY_WEIGHTS)[0]
    individualized = _chance(rng, 0.25 if modality == "antisense_or_rna" else 0.05)
    phase = _phase(rng, stage)
    program = _program(rng, index, modality, individualized, stage)
    indication, serious, pediatric = _indication(rng, modality)
    landscape, _ = _therapy_landscape(rng)
    development = _development(rng, stage, phase)
    dossier: dict[str, Any] = {
        "schema_version": 1,
        "program": program,
        "indication": indication,
        "therapy_landscape": landscape,
        "development": development,
        "nonclinical": _nonclinical(rng, stage),
        "clinical": _clinical(rng, phase, individualized),
        "manufacturing": _manufacturing(rng, modality),
        "designations": _designations(rng, stage, indication["us_prevalence"], pediatric, serious, modality),
        "meeting": _meeting(rng, stage, bool(development.get("clinical_hold")), program["name"],
                            indication["disease"]),
    }
    if _chance(rng, 0.1):
        dossier["expanded_access"] = _expanded_access(rng, serious)

    rate = rng.uniform(*UNKNOWN_RATE_RANGE)
    for name, section in dossier.items():
        if isinstance(section, dict):
            _drop_unknowns(rng, section, rate, _REQUIRED if name == "program" else _NOTHING)
    if rng.random() < rate:
        del dossier["designations"]
    return dict(sorted(dossier.items()))


def iter_dossiers(count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """`count` dossiers from `random.Random(seed)`, one at a time."""
    rng = random.Random(seed)
    for index in range(count):
        yield generate_dossier(rng, index)


def generate(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """`count` dossiers from `random.Random(seed)`."""
    return list(iter_dossiers(count, seed))


_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def to_yaml(dossier: dict[str, Any]) -> str:
    return yaml.dump(dossier, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def write(count: int, seed: int, out: Path) -> list[Path]:
    """Write dossiers to `out`: one JSONL file if it ends in `.jsonl`, else a directory of YAML files."""
    if out.suffix.lower() == ".jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as stream:
            for dossier in iter_dossiers(count, seed):
                stream.write(json.dumps(dossier, ensure_ascii=False) + "\n")
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(count)))
    written = []
    for index, dossier in enumerate(iter_dossiers(count, seed)):
        path = out / f"dossier-{index + 1:0{width}d}.yaml"
        path.write_text(to_yaml(dossier), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate",
                                     description="Generate realistic, seeded evidence dossiers.")
    parser.add_argument("--count", type=int, required=True, help="how many dossiers")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--out", type=Path, required=True,
                        help="a directory (one YAML file per dossier) or a FILE.jsonl (one dossier per line)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be 0 or more")
    try:
        written = write(args.count, args.seed, args.out)
    except OSError as exc:
        print(f"error: {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    target = args.out if args.out.suffix.lower() == ".jsonl" else f"{len(written)} files in {args.out}"
    print(f"{args.count} dossiers (seed {args.seed}) -> {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
