from __future__ import annotations

from bgtc_rules import dossier_from_mapping
from bgtc_rules.engine.facts import dossier_facts
from bgtc_rules.language.catalog import fact_catalog


def test_catalog_has_leaf_and_derived_paths() -> None:
    catalog = fact_catalog()
    assert catalog["indication.us_prevalence"].kind == "int"
    assert catalog["development.stage"].kind == "enum"
    assert catalog["clinical.endpoints"].kind == "items"
    assert catalog["meeting.questions#count"].kind == "int"
    assert catalog["meeting.questions[].discipline"].kind == "enum_list"


def test_lists_become_counts_values_and_signatures() -> None:
    facts = dossier_facts(dossier_from_mapping({
        "program": {"name": "X"},
        "meeting": {"questions": [
            {"text": "a", "topic": "toxicology_design", "discipline": "pharmacology_toxicology"},
            {"text": "b", "topic": "trial_design", "discipline": "clinical"},
            {"text": "c", "topic": "endpoints", "discipline": "clinical"},
        ]},
    }))
    assert facts["meeting.questions#count"] == 3
    assert facts["meeting.questions[].discipline#count"] == 2
    assert facts["meeting.questions[].discipline"] == ("clinical", "pharmacology_toxicology")
    assert "topic=trial_design;discipline=clinical" in facts["meeting.questions"]  # type: ignore[operator]


def test_unknown_lists_stay_unknown_and_empty_lists_are_known() -> None:
    facts = dossier_facts(dossier_from_mapping({"program": {"name": "X"}, "clinical": {"endpoints": []}}))
    assert facts["meeting.questions"] is None
    assert facts["meeting.questions#count"] is None
    assert facts["clinical.endpoints"] == ()
    assert facts["clinical.endpoints#count"] == 0
