from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from bgtc_rules import dossier_from_mapping
from bgtc_rules.dossier.paths import field_reader
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.facts import _summary, dossier_facts
from bgtc_rules.language.catalog import FactPath, fact_catalog

from .strategies import dossiers


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


def _facts_by_path(dossier: Dossier) -> dict[str, object]:
    """The definition the generated reader transcribes: each fact's field read by its dotted path
    (None where it or a section on the way is absent), then summarised."""
    found: dict[str, object] = {}
    for path, fact in fact_catalog().items():
        raw = field_reader(FactPath.parse(path).field)(dossier)
        found[path] = None if raw is None else _summary(fact)(raw)
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers())
def test_the_generated_reader_reads_every_fact_as_its_path_says(data: dict[str, object]) -> None:
    dossier = dossier_from_mapping(data)
    facts = dossier_facts(dossier)
    expected = _facts_by_path(dossier)
    assert list(facts) == list(expected)  # the catalogue's order
    assert {path: (value, type(value)) for path, value in facts.items()} == \
        {path: (value, type(value)) for path, value in expected.items()}


def test_signatures_are_every_combination_written_as_an_item_signature() -> None:
    # `FactType.signatures` writes each property's part once; the signatures must be those
    # `item_signature` writes of each combination of the wanted values, in the same order.
    import itertools

    from bgtc_rules.language.catalog import item_signature

    items = [fact for fact in fact_catalog().values() if fact.kind == "items"]
    assert items
    for fact in items:
        properties = fact.item_properties
        wanted_sets = [{}, {prop.name: prop.domain[:1] for prop in properties[:1]},
                       {prop.name: prop.domain[::-1][:2] for prop in properties[::2]}]
        for wanted in wanted_sets:
            choices = [wanted.get(prop.name, prop.domain) for prop in properties]
            expected = tuple(item_signature(dict(zip([p.name for p in properties], combo, strict=True)), properties)
                             for combo in itertools.product(*choices))
            assert fact.signatures(wanted) == expected
