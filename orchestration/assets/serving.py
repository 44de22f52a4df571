"""The serving snapshot: what BI tools read, published only from marts that passed their tests."""

import os

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource
from pydantic import Field

from insights.serving import ShrinkError, publish
from orchestration.assets.transform import dbt_marts
from orchestration.dbt_project import mart_descriptions
from orchestration.resources import ServingFolder

MARTS = mart_descriptions()


class SnapshotConfig(dg.Config):
    allow_shrink: bool = Field(
        default_factory=lambda: os.environ.get("INSIGHTS_ALLOW_SHRINK", "").lower() in {"1", "true", "yes"},
        description="Publish even if a core table lost more than half its rows against the live snapshot "
        "(default: the environment variable INSIGHTS_ALLOW_SHRINK).",
    )


# No gate of its own is needed: dagster-dbt makes every error-severity dbt test a blocking
# check, and `dbt build` exits non-zero on one, so a failed mart test fails the dbt_marts step
# and this asset is skipped, leaving the last good snapshot in place.
@dg.asset(
    deps=[get_asset_key_for_model([dbt_marts], name) for name in MARTS],
    group_name="serving",
    kinds={"duckdb", "parquet"},
)
def serving_snapshot(config: SnapshotConfig, warehouse: DuckDBResource, serving: ServingFolder) -> dg.MaterializeResult:
    """A read-only copy of the marts for BI tools (serving/insights.duckdb and serving/parquet/), swapped in whole."""
    with warehouse.get_connection() as con:
        try:
            snapshot = publish(con, serving.root, MARTS, allow_shrink=config.allow_shrink)
        except ShrinkError as error:
            raise dg.Failure(str(error), metadata={"shrunk": str(error.shrunk)}) from error
    counts = ["| table | rows |", "|---|---|"] + [f"| {name} | {n} |" for name, n in snapshot.row_counts.items()]
    return dg.MaterializeResult(
        metadata={
            "snapshot_id": snapshot.snapshot_id,
            "path": dg.MetadataValue.path(str(snapshot.path)),
            "parquet": dg.MetadataValue.path(str(snapshot.parquet_dir)),
            "row_counts": dg.MetadataValue.md("\n".join(counts)),
        }
    )
