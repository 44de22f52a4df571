"""A sensor that loads a source as soon as new export files land in its folder."""

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb

from insights.sources.catalog import SOURCES
from insights.sources.landing import changed_sources, landing_fingerprints, sources_changed_since_load
from insights.sources.load import loaded_file_stats
from orchestration.resources import LandingFolder, WarehouseResource
from orchestration.schedules import nightly


class WarehouseBusy(Exception):
    """A run holds the warehouse's write lock, so the ledger cannot be read now."""


def _ledger(database: str) -> dict[tuple[str, str], tuple[int, int]]:
    """The load ledger's file sizes and mtimes, read-only; empty when there is no warehouse yet."""
    if not Path(database).exists():
        return {}
    try:
        con = duckdb.connect(database, read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise WarehouseBusy(str(error)) from error
        raise
    try:
        return loaded_file_stats(con)
    finally:
        con.close()


@dg.sensor(
    name="new_landing_files",
    job=nightly,
    minimum_interval_seconds=60,
    description="Starts a run when landing folders get new or changed files: the extract asset "
    "of each affected source and everything downstream of it.",
    # Dropping a file should be enough to see it loaded; the nightly schedule still runs everything.
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_landing_files(context: dg.SensorEvaluationContext, landing: LandingFolder, warehouse: WarehouseResource):
    current = landing_fingerprints(landing.root, SOURCES)
    if context.cursor:
        changed = changed_sources(json.loads(context.cursor), current)
    else:
        # First tick (a new `make ui`, a reset sensor): compare with what the last run loaded,
        # not with nothing, or every start would run the whole night again over unchanged files.
        try:
            changed = sources_changed_since_load(landing.root, SOURCES, _ledger(warehouse.database))
        except WarehouseBusy:
            return dg.SkipReason("a run holds the warehouse; landing files are compared next tick")
        if not changed:
            context.update_cursor(json.dumps(current, sort_keys=True))
            return dg.SkipReason("landing files unchanged since the last load (raw.load_ledger)")
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
