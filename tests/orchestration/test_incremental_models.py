"""Tier 3: the incremental dbt models after a second night equal a full refresh, row for row.

Night 1 and night 2 are whole in-process runs of the nightly job on a small generated company;
night 2 brings 1 % new events, late events (one inside the lookback window, one far outside
it), a shorter re-export of an old events file and a new ticket. Then a dbt-only run with the
full-refresh tag rebuilds every model from all history, and every model must come out the same.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from insights.sample.generator import generate
from orchestration.assets.transform import FULL_REFRESH_TAG, dbt_marts, dbt_staging
from orchestration.dbt_project import dbt_project
from orchestration.definitions import ALL_ASSETS, ALL_CHECKS
from orchestration.resources import build_resources
from orchestration.settings import Settings
from tests.orchestration.incremental_night import add_second_night, fingerprints

EXTRA_EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
INCREMENTAL_MODELS = [
    "stg_segment__events",
    "stg_amplitude__events",
    "fct_daily_active_users",
    "fct_daily_active_users_by_plan",
]

# Two whole nightly runs and one dbt-only run.
pytestmark = pytest.mark.slow


def _compiled_run_sql(step: str, run_id: str, model_path: str) -> str:
    """The SQL dbt ran for a model in one step of one run (dagster-dbt's per-invocation target)."""
    folders = sorted(Path(dbt_project.project_dir, "target").glob(f"{step}-{run_id[:7]}-*"))
    assert folders, f"no dbt target folder of {step} in run {run_id}"
    return (folders[-1] / "run" / "customer_insights" / "models" / model_path).read_text()


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    generate(data_dir, seed=7, scale=0.1)
    shutil.copytree(EXTRA_EXPORTS, data_dir / "landing", dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSIGHTS_DATA_DIR", str(data_dir))
        mp.setenv("INSIGHTS_CHECK_FRESHNESS_MAX_AGE_DAYS", "100000")
        settings = Settings.from_env()
        resources = build_resources(settings)
        instance = dg.DagsterInstance.ephemeral()
        first = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources=resources, instance=instance)
        written = add_second_night(data_dir / "landing")
        second = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources=resources, instance=instance)
        # Read now: the target folders are pruned to the newest few.
        compiled = {
            "staging": _compiled_run_sql("dbt_staging", second.run_id, "staging/segment/stg_segment__events.sql"),
            "marts": _compiled_run_sql("dbt_marts", second.run_id, "marts/product/fct_daily_active_users.sql"),
            "marts by plan": _compiled_run_sql(
                "dbt_marts", second.run_id, "marts/product/fct_daily_active_users_by_plan.sql"
            ),
        }
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        incremental = fingerprints(con)
        con.close()
        dbt_keys = [*dbt_staging.keys, *dbt_marts.keys]
        full = dg.materialize(
            [*ALL_ASSETS, *ALL_CHECKS],
            resources=resources,
            instance=instance,
            selection=dg.AssetSelection.assets(*dbt_keys),
            tags={FULL_REFRESH_TAG: "true"},
        )
        refreshed_sql = _compiled_run_sql("dbt_marts", full.run_id, "marts/product/fct_daily_active_users.sql")
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        refreshed = fingerprints(con)
    yield {
        "runs": (first, second, full),
        "written": written,
        "compiled": compiled,
        "refreshed_sql": refreshed_sql,
        "incremental": incremental,
        "refreshed": refreshed,
        "con": con,
    }
    con.close()


def test_every_night_and_the_full_refresh_succeed_with_every_dbt_test(nights):
    for result in nights["runs"]:
        assert result.success
        failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
        assert failed == []


def test_night_two_built_the_event_models_incrementally(nights):
    # dbt-duckdb's delete+insert, not a create-table-as of all history.
    for sql in nights["compiled"].values():
        assert "delete from" in sql and "insert into" in sql


def test_the_full_refresh_tag_rebuilds_from_all_history(nights):
    # Without the tag the third run would be one more incremental night and compare equal anyway.
    sql = nights["refreshed_sql"]
    assert "delete from" not in sql
    assert re.search(r"create\s+table", sql)


def test_every_model_equals_its_full_refresh_row_for_row(nights):
    incremental, refreshed = nights["incremental"], nights["refreshed"]
    assert set(incremental) == set(refreshed)
    for model in INCREMENTAL_MODELS:
        assert f"main.{model}" in incremental
    for relation, (columns, rows) in refreshed.items():
        assert incremental[relation][0] == columns, relation
        assert len(incremental[relation][1]) == len(rows), relation
        assert incremental[relation][1] == rows, relation


def test_late_dropped_and_changed_events_are_where_a_full_build_puts_them(nights):
    con, written = nights["con"], nights["written"]
    late = con.execute(
        "select count(*) from stg_segment__events where event_id in ('night-2-late-2d', 'night-2-late-20d')"
    ).fetchone()[0]
    assert late == 2
    assert (
        con.execute(
            "select count(*) from stg_segment__events where event_id = ?", [written["dropped_event"]]
        ).fetchone()[0]
        == 0
    )
    feature = con.execute(
        "select feature from stg_segment__events where event_id = ?", [written["changed_event"]]
    ).fetchone()[0]
    assert feature == "night_2_feature"
    new_day = con.execute(
        "select dau from fct_daily_active_users where activity_date = (select max(activity_date) from fct_daily_active_users)"
    ).fetchone()[0]
    assert new_day > 0
