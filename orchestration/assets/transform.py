"""The dbt models as assets: staging + intermediate before the theme step, marts after it.

Two selections over one manifest, because the theme step (Python) sits between dbt layers
(theme_overrides, the model reading the user's curation file, goes with the marts);
dbt sources named `raw.*` / `themes.*` map to the Python assets' keys, so the graph is one.
"""

import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.dbt_project import dbt_project, model_relation


class LayerTranslator(DagsterDbtTranslator):
    """Group dbt assets by their layer folder (staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        return super().get_group_name(dbt_resource_props)


def dbt_build_args(warehouse: DuckDBResource) -> list[str]:
    """`dbt build` on the warehouse file the Python assets use.

    dbt runs in the dbt project folder, so a path it read from the environment could name a
    different file than the one the Python assets opened; profiles.yml takes this var first.
    """
    return ["build", "--vars", json.dumps({"warehouse_path": warehouse.database})]


# dagster-dbt gives each invocation its own target folder, `<asset>-<run id[:7]>-<hex>` under
# dbt_project/target, with dbt's compiled SQL, run results and dbt.log (about 17 MB a run).
# Only the newest few are kept; the project's own manifest.json and partial parse stay.
KEEP_DBT_INVOCATIONS = 6
INVOCATION_FOLDER = re.compile(r"^dbt_(staging|marts)-[0-9a-f]+-[0-9a-f]+$")


def prune_dbt_targets(target_dir: Path, keep: int = KEEP_DBT_INVOCATIONS) -> list[Path]:
    """Delete all but the `keep` newest per-invocation folders in `target_dir`; return the deleted."""
    if not target_dir.is_dir():
        return []
    folders = [p for p in target_dir.iterdir() if p.is_dir() and INVOCATION_FOLDER.match(p.name)]
    folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    deleted = folders[keep:]
    for folder in deleted:
        shutil.rmtree(folder, ignore_errors=True)
    return deleted


def _prepare(warehouse: DuckDBResource) -> None:
    prune_dbt_targets(Path(dbt_project.project_dir) / "target")
    ensure_unlocked(warehouse)


def ensure_unlocked(warehouse: DuckDBResource) -> None:
    """Fail now, naming the lock and the remedy, if another process holds the warehouse:
    dbt-duckdb would otherwise retry and fail with a bare IO error much later."""
    with warehouse.get_connection():
        pass


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    # The feature catalog is staged with the rest: the theme-link step reads it before the marts.
    # An intermediate model built on a mart runs with the marts, or the two steps would wait
    # on each other and Dagster would split the marts around the theme step.
    select="staging intermediate",
    exclude="marts+",
    name="dbt_staging",
    dagster_dbt_translator=LayerTranslator(),
)
def dbt_staging(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: DuckDBResource):
    _prepare(warehouse)
    yield from dbt.cli(dbt_build_args(warehouse), context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    # The overrides file (<data root>/curation/theme_overrides.csv, read by the
    # theme_overrides model) is read with the marts that use it, so an edit to it shows up
    # in the next run without a separate step.
    select="marts+ theme_overrides",
    name="dbt_marts",
    dagster_dbt_translator=LayerTranslator(),
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: DuckDBResource):
    _prepare(warehouse)
    # dbt's own row-count fetch opens the DuckDB file while the dbt process still holds it,
    # so the marts (tables: counting is cheap) are counted once dbt has finished.
    # A failed test must still reach Dagster as a failed check before the step fails, so
    # the error is raised only after every event is passed on.
    invocation = dbt.cli(dbt_build_args(warehouse), context=context, raise_on_error=False)
    events = list(invocation.stream())
    with warehouse.get_connection() as con:
        for event in events:
            if isinstance(event, dg.Output):
                model = context.asset_key_for_output(event.output_name).path[-1]
                rows = con.execute(f"select count(*) from {model_relation(model)}").fetchone()[0]
                event = event.with_metadata({**event.metadata, "dagster/row_count": rows})
            yield event
    error = invocation.get_error()
    if error is not None:
        raise error
