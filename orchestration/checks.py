"""Asset checks on every raw source: quarantine share, freshness, row-count change.

Each check is a thin wrapper over a verdict in insights.sources.health; the lines it draws
come from the `check_thresholds` resource, SourceCheckThresholds below (the one definition of
them: defaults here, `INSIGHTS_CHECK_<FIELD>` overrides read in orchestration/settings.py).
"""

from datetime import UTC, datetime

import dagster as dg
from dagster_duckdb import DuckDBResource

from insights.sources import health
from insights.sources.catalog import SOURCES
from insights.sources.spec import SourceSpec


class SourceCheckThresholds(dg.ConfigurableResource):
    """Where the per-source asset checks draw their lines."""

    # Share of rows read that went to raw.quarantine: WARN above the first, a WARN that names a
    # likely format change above the second. Never ERROR: quarantined rows never reach the marts.
    quarantine_warn_share: float = 0.05
    quarantine_high_share: float = 0.25
    # Age in days of the newest record (newest file load for CRM and Jira) before a WARN.
    freshness_max_age_days: float = 7.0
    # Change in rows across a run, as a fraction of the rows before: ERROR when they fell by
    # more than the drop (0.10 = 10%), WARN when they grew by more than the growth (3.0 = +300%).
    row_count_max_drop: float = 0.10
    row_count_max_growth: float = 3.0


_SEVERITY = {"warn": dg.AssetCheckSeverity.WARN, "error": dg.AssetCheckSeverity.ERROR}


def check_result(verdict: health.Verdict) -> dg.AssetCheckResult:
    """A verdict as Dagster's check result, its figures as metadata (the theme checks use it too)."""
    metadata = {"message": verdict.message, **{k: v for k, v in verdict.figures.items() if v is not None}}
    return dg.AssetCheckResult(passed=verdict.passed, severity=_SEVERITY[verdict.severity], metadata=metadata)


def last_run_counts(
    context: dg.AssetCheckExecutionContext, key: dg.AssetKey, before_key: str = "rows_before_run"
) -> tuple[int | None, int | None]:
    """(`before_key`, `dagster/row_count`) of the asset's latest materialisation, None if missing."""
    event = context.instance.get_latest_materialization_event(key)
    if event is None or event.asset_materialization is None:
        return None, None
    metadata = event.asset_materialization.metadata
    before, after = metadata.get(before_key), metadata.get("dagster/row_count")
    return (before.value if before else None), (after.value if after else None)


def build_source_checks(spec: SourceSpec) -> list[dg.AssetChecksDefinition]:
    key = dg.AssetKey(["raw", spec.name])

    @dg.asset_check(
        asset=key,
        name="quarantine_share",
        description="Share of rows sent to raw.quarantine, and files that failed, across the files loaded now.",
    )
    def quarantine_share(warehouse: DuckDBResource, check_thresholds: SourceCheckThresholds) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            counts = health.quarantine_share(con, spec)
        return check_result(
            health.judge_quarantine(
                *counts, check_thresholds.quarantine_warn_share, check_thresholds.quarantine_high_share
            )
        )

    @dg.asset_check(
        asset=key, name="freshness", description="Age of the newest record (for CRM and Jira: of the newest file load)."
    )
    def freshness(warehouse: DuckDBResource, check_thresholds: SourceCheckThresholds) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            newest = health.newest_record_at(con, spec)
        now = datetime.now(UTC).replace(tzinfo=None)
        return check_result(health.judge_freshness(newest, now, check_thresholds.freshness_max_age_days))

    # Blocking: the one source check that can fail at ERROR (loaded rows went missing) holds
    # back everything downstream of its source, the serving snapshot included, so the run
    # ends failed with the check named and the last good snapshot stays. The in-process
    # executor gives no order between a non-blocking check and the snapshot otherwise.
    @dg.asset_check(
        asset=key,
        name="row_count_change",
        description="Row count after the last run against before it, within the expected band.",
        blocking=True,
    )
    def row_count_change(
        context: dg.AssetCheckExecutionContext, check_thresholds: SourceCheckThresholds
    ) -> dg.AssetCheckResult:
        before, after = last_run_counts(context, key)
        if after is None:
            return check_result(health.Verdict(True, "warn", "asset not materialised yet"))
        return check_result(
            health.judge_row_count_change(
                before, after, check_thresholds.row_count_max_drop, check_thresholds.row_count_max_growth
            )
        )

    return [quarantine_share, freshness, row_count_change]


source_checks = [check for spec in SOURCES for check in build_source_checks(spec)]
