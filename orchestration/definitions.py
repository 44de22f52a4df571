"""The one code location: every asset, source check and theme check, the nightly job, its schedule, the
landing sensor, and the resources."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.extract import extract_assets, quarantine
from orchestration.assets.report import insights_report
from orchestration.assets.serving import serving_snapshot
from orchestration.assets.signals import feedback_signals
from orchestration.assets.themes import feedback_themes, theme_matches
from orchestration.assets.transform import dbt_marts, dbt_staging
from orchestration.checks import source_checks
from orchestration.resources import build_resources
from orchestration.schedules import nightly, nightly_schedule
from orchestration.sensors import new_landing_files
from orchestration.settings import Settings
from orchestration.theme_checks import theme_checks

ALL_ASSETS = [
    *extract_assets,
    quarantine,
    dbt_staging,
    feedback_themes,
    theme_matches,
    feedback_signals,
    dbt_marts,
    serving_snapshot,
    insights_report,
]
ALL_CHECKS = [*source_checks, *theme_checks]


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[nightly],
        schedules=[nightly_schedule(settings.schedule_timezone)],
        sensors=[new_landing_files],
        resources=build_resources(settings),
        # DuckDB takes one writer at a time: steps run in sequence, in one process, which
        # also loads the embedding model once per run rather than once per step.
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_env())
