"""The serving snapshot refuses to publish after a failed ERROR check, in a real in-process run."""

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from orchestration.assets.serving import MARTS, serving_snapshot
from orchestration.resources import ServingFolder


def _run(tmp_path, passed: bool, severity=dg.AssetCheckSeverity.ERROR):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        for name in MARTS:
            con.execute(f'create or replace table "{name}" as select 1 as id')

    # Stands in for the dbt_marts step: a mart upstream of the snapshot whose step also
    # reports a dbt test as an asset check, the way dagster-dbt does.
    key = dg.AssetKey("dim_accounts")
    assert key in serving_snapshot.dependency_keys

    @dg.asset(key=key, check_specs=[dg.AssetCheckSpec("not_null_dim_accounts_account_id", asset=key)])
    def dim_accounts():
        yield dg.Output(None)
        yield dg.AssetCheckResult(check_name="not_null_dim_accounts_account_id", passed=passed, severity=severity)

    return dg.materialize(
        [dim_accounts, serving_snapshot],
        resources={
            "warehouse": DuckDBResource(database=str(warehouse)),
            "serving": ServingFolder(path=str(tmp_path / "serving")),
        },
        raise_on_error=False,
    )


def test_a_failed_error_check_blocks_the_snapshot_and_names_the_check(tmp_path):
    result = _run(tmp_path, passed=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "dim_accounts:not_null_dim_accounts_account_id" in failure.step_failure_data.error.message
    assert not (tmp_path / "serving" / "insights.duckdb").exists()


def test_passing_or_warning_checks_publish(tmp_path):
    assert _run(tmp_path, passed=True).success
    assert (tmp_path / "serving" / "insights.duckdb").exists()
    warned = tmp_path / "warned"
    warned.mkdir()
    assert _run(warned, passed=False, severity=dg.AssetCheckSeverity.WARN).success
