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


def failed_error_checks(context: dg.AssetExecutionContext) -> list[str]:
    """`asset:check` of every ERROR-severity asset check (dbt test or source check) that failed in this run.

    The dbt steps run with raise_on_error=False and source checks do not stop their step, so
    a failed check does not by itself keep this asset from running: it reads them from the
    run's own event log, which holds every check evaluation whatever emitted it.
    """
    records = context.instance.get_records_for_run(
        context.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=100_000
    ).records
    failed = set()
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failed.add(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    return sorted(failed)


@dg.asset(
    deps=[get_asset_key_for_model([dbt_marts], name) for name in MARTS],
    group_name="serving",
    kinds={"duckdb", "parquet"},
)
def serving_snapshot(
    context: dg.AssetExecutionContext, config: SnapshotConfig, warehouse: DuckDBResource, serving: ServingFolder
) -> dg.MaterializeResult:
    """A read-only copy of the marts for BI tools (serving/insights.duckdb and serving/parquet/), swapped in whole."""
    failed = failed_error_checks(context)
    if failed:
        raise dg.Failure(
            f"not published: {len(failed)} error-severity check(s) failed in this run: {', '.join(failed)}; "
            "the last snapshot stays in place.",
            metadata={"failed_checks": failed},
        )
    with warehouse.get_connection() as con:
        try:
            snapshot = publish(con, serving.root, MARTS, allow_shrink=config.allow_shrink)
        except ShrinkError as error:
            raise dg.Failure(str(error), metadata={"shrunk": str(error.shrunk)}) from error
    if snapshot.removed_leftovers:
        context.log.info(f"removed what an earlier, killed publish left: {', '.join(snapshot.removed_leftovers)}")
    counts = ["| table | rows |", "|---|---|"] + [f"| {name} | {n} |" for name, n in snapshot.row_counts.items()]
    return dg.MaterializeResult(
        metadata={
            "snapshot_id": snapshot.snapshot_id,
            "path": dg.MetadataValue.path(str(snapshot.path)),
            "parquet": dg.MetadataValue.path(str(snapshot.parquet_dir)),
            "row_counts": dg.MetadataValue.md("\n".join(counts)),
        }
    )
