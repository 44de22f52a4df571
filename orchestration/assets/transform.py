"""The dbt models as assets: staging + intermediate before the theme step, marts after it.

Two selections over one manifest, because the theme step (Python) sits between dbt layers
(theme_overrides, the model reading the user's curation file, goes with the marts);
dbt sources named `raw.*` / `themes.*` map to the Python assets' keys, so the graph is one.
"""

import json
import math
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
from dagster_dbt import DagsterDbtTranslator, DbtCliInvocation, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.dbt_project import dbt_project, model_relation


class LayerTranslator(DagsterDbtTranslator):
    """Group dbt assets by their layer folder (staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        return super().get_group_name(dbt_resource_props)


# A run with this tag set to true rebuilds the incremental models from all history
# (`dbt build --full-refresh`); docs/performance.md, "Incremental models".
FULL_REFRESH_TAG = "insights/full_refresh"


def dbt_build_args(warehouse: DuckDBResource, full_refresh: bool = False) -> list[str]:
    """`dbt build` on the warehouse file the Python assets use.

    dbt runs in the dbt project folder, so a path it read from the environment could name a
    different file than the one the Python assets opened; profiles.yml takes this var first.
    """
    args = ["build", "--vars", json.dumps({"warehouse_path": warehouse.database})]
    return [*args, "--full-refresh"] if full_refresh else args


def wants_full_refresh(context: dg.AssetExecutionContext) -> bool:
    return context.run.tags.get(FULL_REFRESH_TAG, "").strip().lower() in ("true", "1", "yes")


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


# Column names and types of every model, read through dbt's adapter (read-only on DuckDB,
# after the dbt process has ended). Column lineage is off: it would also read every parent's
# columns and parse every model's SQL with sqlglot each night, for lineage the asset graph
# already draws table by table.
COLUMN_METADATA = {"with_column_lineage": False}


def release_adapter(invocation: DbtCliInvocation, cwd: str) -> None:
    """Close the database handle of dbt's in-process adapter (the one the column fetch used),
    and go back to `cwd`: loading the project in process moves into the dbt project folder
    (dbt's `move_to_nearest_project_dir`), which would leave every later step and relative
    path of this process in dbt_project/.

    dbt-duckdb keeps its database open for the life of the process (`keep_open`, true by
    default in dbt-duckdb 1.11), and dagster-dbt opens it read-only: while that handle lives, every
    read-write connection this process opens to the warehouse fails ("different
    configuration than existing connections"), which is every later step of the in-process
    executor. Other adapters have no such handle; nothing happens for them.
    """
    os.chdir(cwd)
    adapter = invocation.adapter
    if adapter is None:
        return
    adapter.cleanup_connections()
    manager = type(adapter.connections)
    environment = getattr(manager, "_ENV", None)
    if environment is not None and hasattr(manager, "close_all_connections"):
        environment.close()
        manager.close_all_connections()


CANDIDATES_MODEL = "roadmap_candidates"
PREVIEW_ROWS = 10
# The score and the four parts it is made of (rice_score = reach * impact * confidence / effort).
PREVIEW_COLUMNS = {
    "rank": "{:d}",
    "label": "{}",
    "rice_score": "{:.3g}",
    "reach": "{:.1f}",
    "impact": "{:.2f}",
    "confidence": "{:.2f}",
    "effort": "{:.1f}",
}


def candidates_preview(top: pd.DataFrame) -> str:
    """The top roadmap candidates as a Markdown table (columns of PREVIEW_COLUMNS, in rank order)."""
    if top.empty:
        return "No roadmap candidates this run."
    lines = ["| " + " | ".join(PREVIEW_COLUMNS) + " |", "|" + "---|" * len(PREVIEW_COLUMNS)]
    for row in top.itertuples(index=False):
        cells = []
        for column, form in PREVIEW_COLUMNS.items():
            value = getattr(row, column)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                cells.append("")
            elif column == "label":
                # A pipe or a line break in a label would end the table cell.
                cells.append(" ".join(str(value).split()).replace("|", "\\|"))
            else:
                cells.append(form.format(int(value) if form == "{:d}" else value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mart_metadata(con, model: str) -> dict[str, object]:
    """Row count of a mart; for roadmap_candidates also the Markdown preview of its top 10."""
    relation = model_relation(model)
    metadata: dict[str, object] = {"dagster/row_count": con.execute(f"select count(*) from {relation}").fetchone()[0]}
    if model == CANDIDATES_MODEL:
        top = con.execute(
            f"select {', '.join(PREVIEW_COLUMNS)} from {relation} order by rank limit {PREVIEW_ROWS}"
        ).df()
        metadata["top_candidates"] = dg.MetadataValue.md(candidates_preview(top))
    return metadata


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
    # Staging and intermediate models are not counted (most are views, where a count runs the
    # whole query, deduplication included, every night), but their columns are shown.
    cwd = os.getcwd()
    invocation = dbt.cli(dbt_build_args(warehouse, wants_full_refresh(context)), context=context)
    try:
        yield from invocation.stream().fetch_column_metadata(**COLUMN_METADATA)
    finally:
        release_adapter(invocation, cwd)


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
    # The marts (tables: counting is cheap) are counted, and the top candidates read, on the
    # warehouse resource's own connection once dbt has finished and let go of the file (the
    # column fetch waits for that too, on DuckDB). A failed test must still reach Dagster as a
    # failed check before the step fails, so the error is raised only after every event is
    # passed on.
    cwd = os.getcwd()
    invocation = dbt.cli(dbt_build_args(warehouse, wants_full_refresh(context)), context=context, raise_on_error=False)
    try:
        events = list(invocation.stream().fetch_column_metadata(**COLUMN_METADATA))
    finally:
        release_adapter(invocation, cwd)
    with warehouse.get_connection() as con:
        for event in events:
            if isinstance(event, dg.Output):
                model = context.asset_key_for_output(event.output_name).path[-1]
                event = event.with_metadata({**event.metadata, **mart_metadata(con, model)})
            yield event
    error = invocation.get_error()
    if error is not None:
        raise error
