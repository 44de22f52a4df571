"""A sensor that loads a source as soon as new export files land in its folder."""

import hashlib
import json

import dagster as dg

from insights.sources.catalog import SOURCES
from insights.sources.landing import changed_sources, landing_fingerprints
from orchestration.resources import LandingFolder
from orchestration.schedules import nightly


@dg.sensor(
    name="new_landing_files",
    job=nightly,
    minimum_interval_seconds=60,
    description="Starts a run when landing folders get new or changed files: the extract asset "
    "of each affected source and everything downstream of it.",
    # Dropping a file should be enough to see it loaded; the nightly schedule still runs everything.
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_landing_files(context: dg.SensorEvaluationContext, landing: LandingFolder):
    previous = json.loads(context.cursor) if context.cursor else {}
    current = landing_fingerprints(landing.root, SOURCES)
    changed = changed_sources(previous, current)
    if not changed:
        return dg.SkipReason("no new or changed landing files")
    keys = [dg.AssetKey(["raw", name]) for name in changed]
    selection = dg.AssetSelection.assets(*keys).downstream()
    context.update_cursor(json.dumps(current, sort_keys=True))
    # One run for all changed sources rather than one each: DuckDB takes one writer, so
    # runs side by side would fight over its lock. The run key makes a re-evaluation of
    # the same folder state a no-op.
    return dg.RunRequest(
        run_key="landing-" + hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16],
        asset_selection=list(selection.resolve(context.repository_def.asset_graph)),
        tags={"insights/sources": ",".join(changed)},
    )
