"""The one code location: every asset, the nightly job and its schedule, and the resources."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.extract import extract_assets
from orchestration.assets.themes import feedback_themes
from orchestration.assets.transform import dbt_marts, dbt_staging
from orchestration.resources import build_resources
from orchestration.schedules import nightly, nightly_schedule
from orchestration.settings import Settings

ALL_ASSETS = [*extract_assets, dbt_staging, feedback_themes, dbt_marts]


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[nightly],
        schedules=[nightly_schedule(settings.schedule_timezone)],
        resources=build_resources(settings),
        # DuckDB takes one writer at a time: steps run in sequence, in one process, which
        # also loads the embedding model once per run rather than once per step.
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_env())
