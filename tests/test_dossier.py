from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgtc_rules import InputError, dossier_from_mapping, load_dossier
from bgtc_rules.dossier.loading import dossier_json_schema
from bgtc_rules.dossier.schema import Modality

from .paths import SCENARIOS


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_dossier_is_valid(path: Path) -> None:
    assert load_dossier(path).program.name


def test_json_and_yaml_read_the_same(tmp_path: Path) -> None:
    yaml_dossier = load_dossier(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")
    path = tmp_path / "d.json"
    path.write_text(json.dumps(yaml_dossier.model_dump(mode="json")))
    assert load_dossier(path) == yaml_dossier


def test_absent_fields_are_unknown_not_false() -> None:
    dossier = dossier_from_mapping({"program": {"name": "X", "modality": "aav_gene_therapy"}})
    assert dossier.program.modality is Modality.AAV_GENE_THERAPY
    assert dossier.indication.serious is None
    assert dossier.therapy_landscape.available_therapies is None


def test_errors_name_file_line_path_and_expectation(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("program:\n  name: X\n  modality: aav_gene_therapi\n"
                    "indication:\n  us_prevalence: -3\n  colour: red\n")
    with pytest.raises(InputError) as caught:
        load_dossier(path)
    lines = str(caught.value).splitlines()
    assert any(f"{path}:3: program.modality" in line and "did you mean 'aav_gene_therapy'" in line for line in lines)
    assert any(f"{path}:5: indication.us_prevalence" in line and "greater than or equal to 0" in line for line in lines)
    assert any(f"{path}:6: indication.colour: unknown field" in line for line in lines)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(InputError, match="expected a mapping"):
        load_dossier(path)


def test_schema_lists_every_section() -> None:
    schema = dossier_json_schema()
    assert {"program", "indication", "clinical", "manufacturing", "meeting"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_a_section_left_out_is_the_section_validated_with_nothing_in_it() -> None:
    # The sections' default factories make them without validating (see `Dossier`): the same
    # values, the same fields given (none), the same dump as the section validated empty.
    from pydantic import BaseModel

    from bgtc_rules.dossier.schema import Dossier

    made = dossier_from_mapping({"program": {"name": "X", "modality": "aav_gene_therapy"}})
    factories = [name for name, field in Dossier.model_fields.items() if field.default_factory]
    assert len(factories) >= 9
    for name in factories:
        section = getattr(made, name)
        assert isinstance(section, BaseModel) and not section.model_fields_set
        validated = type(section).model_validate({})
        assert section == validated and section.model_dump() == validated.model_dump()
        assert validated.model_fields_set == set()
