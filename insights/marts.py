"""Which tables are marts: every dbt model under `models/marts`, read from dbt's manifest.

The one list. The serving snapshot publishes these, the run summary counts them and the
tests check them, so a new mart is a new SQL file and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Where `make manifest` (dbt parse) writes it: the repository's dbt project, found from this
# package (an editable install), so the CLI works from any folder.
DEFAULT_MANIFEST = Path(__file__).resolve().parent.parent / "dbt_project" / "target" / "manifest.json"


def mart_models(manifest: Mapping[str, Any]) -> dict[str, str]:
    """Model name -> description for every model in the marts folder, in manifest order."""
    return {
        node["name"]: node["description"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1:2] == ["marts"]
    }


def read_marts(manifest_path: str | Path = DEFAULT_MANIFEST) -> dict[str, str]:
    path = Path(manifest_path)
    if not path.exists():
        raise FileNotFoundError(f"no dbt manifest at {path}: run `make manifest` (dbt parse) first")
    return mart_models(json.loads(path.read_text()))
