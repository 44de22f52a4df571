import json

import pytest

from insights.marts import mart_models, read_marts


def _node(name, folder, resource_type="model"):
    return {
        "name": name,
        "resource_type": resource_type,
        "fqn": ["customer_insights", folder, name],
        "description": name,
    }


def test_marts_are_the_models_of_the_marts_folder_only(tmp_path):
    manifest = {
        "nodes": {
            "model.a": _node("stg_zendesk__tickets", "staging"),
            "model.b": _node("dim_themes", "marts"),
            "seed.c": _node("theme_overrides", "marts", resource_type="seed"),
            "model.d": _node("roadmap_candidates", "marts"),
        }
    }
    assert mart_models(manifest) == {"dim_themes": "dim_themes", "roadmap_candidates": "roadmap_candidates"}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert list(read_marts(path)) == ["dim_themes", "roadmap_candidates"]


def test_a_missing_manifest_names_the_command_that_writes_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="make manifest"):
        read_marts(tmp_path / "manifest.json")
