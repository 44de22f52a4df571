"""The serving snapshot: what BI tools read, published only from marts that passed their tests."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from insights.serving import publish
from orchestration.assets.transform import dbt_marts
from orchestration.dbt_project import mart_descriptions
from orchestration.resources import ServingFolder

MARTS = mart_descriptions()


# No gate of its own is needed: dagster-dbt makes every error-severity dbt test a blocking
# check, and `dbt build` exits non-zero on one, so a failed mart test fails the dbt_marts step
# and this asset is skipped, leaving the last good snapshot in place.
@dg.asset(
    deps=[get_asset_key_for_model([dbt_marts], name) for name in MARTS],
    group_name="serving",
    kinds={"duckdb", "parquet"},
)
def serving_snapshot(warehouse: DuckDBResource, serving: ServingFolder) -> dg.MaterializeResult:
    """A read-only copy of the marts for BI tools (serving/insights.duckdb and serving/parquet/), swapped in whole."""
    with warehouse.get_connection() as con:
        snapshot = publish(con, serving.root, MARTS)
    counts = ["| table | rows |", "|---|---|"] + [f"| {name} | {n} |" for name, n in snapshot.row_counts.items()]
    return dg.MaterializeResult(
        metadata={
            "snapshot_id": snapshot.snapshot_id,
            "path": dg.MetadataValue.path(str(snapshot.path)),
            "parquet": dg.MetadataValue.path(str(snapshot.parquet_dir)),
            "row_counts": dg.MetadataValue.md("\n".join(counts)),
        }
    )
