"""The nightly job and when it runs."""

from __future__ import annotations

import dagster as dg

MAX_RUNTIME_SECONDS = 4 * 60 * 60

nightly = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="Everything: load new landing files, transform, find themes, rebuild the marts.",
    # Run monitoring (orchestration/dagster.yaml) fails a run still going after 4 hours.
    tags={"dagster/max_runtime": str(MAX_RUNTIME_SECONDS)},
)


def nightly_schedule(timezone: str) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="nightly_at_2am",
        job=nightly,
        cron_schedule="0 2 * * *",
        execution_timezone=timezone,
        # Running every night is the product's promise, so a fresh deployment starts with it on.
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
