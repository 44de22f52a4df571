"""The dbt project as Dagster sees it. The manifest is prepared by `make manifest` (or by
`dagster dev` through prepare_if_dev), never parsed at import in production."""

from __future__ import annotations

import json
from functools import lru_cache

from dagster_dbt import DbtProject

from insights.marts import mart_models
from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Dagster's own idiom, and a no-op outside `dagster dev` (it checks DAGSTER_IS_DEV_CLI, which
# only `dagster dev` sets, for its code server and the runs it launches): there it re-parses,
# so an edited model shows after "Reload definitions". Everywhere else (tests, `dagster job
# execute`, CI) nothing is parsed at import and the manifest must already exist: `make
# manifest`, or tests/conftest.py for a test session (tests/orchestration/test_import.py).
dbt_project.prepare_if_dev()


@lru_cache(maxsize=1)
def _parsed_manifest(mtime_ns: int) -> dict:
    return json.loads(dbt_project.manifest_path.read_text())


def manifest() -> dict:
    """The parsed manifest, read once per version of the file rather than once per lookup
    (dbt_marts looks up every mart it counts)."""
    return _parsed_manifest(dbt_project.manifest_path.stat().st_mtime_ns)


def model_relation(model_name: str) -> str:
    """`schema.table` of a dbt model or seed, from the manifest, so a schema change in dbt is followed."""
    for node in manifest()["nodes"].values():
        # Seeds are tables too, should the project gain one.
        if node["resource_type"] in ("model", "seed") and node["name"] == model_name:
            return f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
    raise KeyError(f"dbt model {model_name} is not in {dbt_project.manifest_path}")


def mart_descriptions() -> dict[str, str]:
    """Every model under models/marts with its description: what the serving snapshot carries."""
    return mart_models(manifest())
