"""The dbt models as assets: staging + intermediate before the theme step, marts after it.

Two selections over one manifest, because the theme step (Python) sits between dbt layers;
dbt sources named `raw.*` / `themes.*` map to the Python assets' keys, so the graph is one.
"""


from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project


class LayerTranslator(DagsterDbtTranslator):
    """Group dbt assets by their layer folder (staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select="staging intermediate",
    name="dbt_staging",
    dagster_dbt_translator=LayerTranslator(),
)
def dbt_staging(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select="marts",
    name="dbt_marts",
    dagster_dbt_translator=LayerTranslator(),
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
