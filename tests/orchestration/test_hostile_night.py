"""Issue 13's done-when, in-process: every hostile file of tests/hostile_landing.py dropped
beside the sample company's exports, in a data folder whose path holds a quote. The night
succeeds, each hostile file or row is in the ledger or the quarantine with a reason, every
good file loads, and neither the snapshot nor the run's event log holds a poisoned or private
value. Then a header-only accounts.csv: the run fails naming the check, the snapshot stays."""

from __future__ import annotations

import csv
import importlib.util
import math
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from insights.sample.generator import generate
from orchestration.definitions import ALL_ASSETS, ALL_CHECKS
from orchestration.resources import build_resources
from orchestration.settings import Settings

# tests/ is not a package (pytest runs with --import-mode=importlib): load the script by path.
_spec = importlib.util.spec_from_file_location("hostile_landing", Path(__file__).parents[1] / "hostile_landing.py")
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)
GOOD_ACCOUNT, GOOD_TEXT_U2028, GOOD_TEXT_UTF8 = hostile.GOOD_ACCOUNT, hostile.GOOD_TEXT_U2028, hostile.GOOD_TEXT_UTF8
OUTSIDE_SENTINEL, SECRETS = hostile.OUTSIDE_SENTINEL, hostile.SECRETS

# Minutes: one whole night on the sample (real dbt, real model) and a second, blocked one.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data_dir = root / "night's data"
    generate(data_dir, seed=7, scale=0.1)
    landing = data_dir / "landing"
    good_files = sorted(str(p.relative_to(landing)) for p in landing.rglob("*") if p.is_file())
    accounts_csv = landing / "accounts" / "accounts.csv"
    with accounts_csv.open(newline="") as f:
        sample_accounts = {row["Account ID"] for row in csv.DictReader(f)}
    written = hostile.write_hostile_files(landing, root / "outside")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSIGHTS_DATA_DIR", str(data_dir))
        mp.setenv("INSIGHTS_CHECK_FRESHNESS_MAX_AGE_DAYS", "100000")
        settings = Settings.from_env()
        instance = dg.DagsterInstance.ephemeral()
        run = dict(resources=build_resources(settings), instance=instance, raise_on_error=False)
        first = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], **run)
        first_log = "\n".join(str(entry) for entry in instance.all_logs(first.run_id))
        snapshot_file = settings.serving_dir / "insights.duckdb"
        with duckdb.connect(str(snapshot_file), read_only=True) as served:
            first_snapshot = served.execute("select any_value(snapshot_id) from readme").fetchone()[0]
        accounts_csv.write_text(accounts_csv.read_text().splitlines()[0] + "\n")
        second = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], **run)
    yield {
        "first": first,
        "first_log": first_log,
        "second": second,
        "first_snapshot": first_snapshot,
        "snapshot": snapshot_file,
        "warehouse": settings.warehouse_path,
        "good_files": good_files,
        "hostile": written,
        "sample_accounts": sample_accounts,
    }


@pytest.fixture(scope="module")
def served(night):
    with duckdb.connect(str(night["snapshot"]), read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def warehouse(night):
    with duckdb.connect(str(night["warehouse"]), read_only=True) as con:
        yield con


def test_the_night_with_every_hostile_file_succeeds(night):
    assert night["first"].success


def test_each_hostile_file_is_failed_or_quarantined_with_a_readable_reason(night, warehouse):
    ledger = {
        path: (status, error_class, error, quarantined)
        for path, status, error_class, error, quarantined in warehouse.execute(
            "select path, status, error_class, error, rows_quarantined from raw.load_ledger"
        ).fetchall()
    }
    reasons = dict(
        warehouse.execute("select file, min(reason) from raw.quarantine where reason <> '' group by file").fetchall()
    )
    for path, outcome in night["hostile"].items():
        status, error_class, error, quarantined = ledger[path]
        if outcome == "failed":
            assert status == "failed" and error_class and error.startswith(path), path
        else:
            assert status == "loaded" and quarantined > 0 and reasons[path], path


def test_every_good_file_loads(night, warehouse):
    loaded = {p for (p,) in warehouse.execute("select path from raw.load_ledger where status = 'loaded'").fetchall()}
    assert set(night["good_files"]) <= loaded


def test_no_poisoned_account_reaches_the_snapshot(night, served):
    accounts = dict(served.execute("select account_id, arr from dim_accounts").fetchall())
    assert set(accounts) == night["sample_accounts"] | {GOOD_ACCOUNT}
    assert all(arr is not None and math.isfinite(arr) and 0 <= arr <= 1e12 for arr in accounts.values())
    assert accounts[GOOD_ACCOUNT] == 1000.0


def test_ranks_and_dates_stay_sound(served):
    scores = served.execute("select rice_score, arr_affected, avg_sentiment from roadmap_candidates").fetchall()
    assert scores and all(v is None or math.isfinite(v) for row in scores for v in row)
    first_day, last_day, days = served.execute(
        "select min(activity_date), max(activity_date), count(*) from fct_daily_active_users"
    ).fetchone()
    assert first_day >= date(1990, 1, 1) and last_day.year == 2026 and days < 400


def test_good_rows_beside_bad_bytes_keep_their_text(served):
    texts = [t for (t,) in served.execute("select text from fct_feedback").fetchall()]
    assert any(GOOD_TEXT_UTF8 in t for t in texts)
    # One record, whole: a split at U+2028 would cut the ticket in two and break its JSON.
    assert any(GOOD_TEXT_U2028 in t for t in texts)


def test_no_outside_or_private_value_in_the_snapshot(served):
    columns = served.execute(
        "select table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema = 'main'"
    ).fetchall()
    for table, column in columns:
        for needle in (OUTSIDE_SENTINEL, *SECRETS):
            found = served.execute(
                f'select count(*) from "{table}" where contains("{column}", ?)', [needle]
            ).fetchone()[0]
            assert found == 0, f"{needle!r} in {table}.{column}"


def test_no_private_or_environment_value_in_the_run_log(night):
    log = night["first_log"]
    for needle in (*SECRETS, OUTSIDE_SENTINEL, "HF_HUB_OFFLINE="):
        assert needle not in log, needle


def test_a_header_only_accounts_export_fails_the_run_and_keeps_the_snapshot(night, served):
    second = night["second"]
    assert not second.success
    failures = [e.step_failure_data.error.message for e in second.all_events if e.is_step_failure]
    assert any("raw/accounts" in m and "row_count_change" in m for m in failures), failures
    assert served.execute("select distinct snapshot_id from readme").fetchall() == [(night["first_snapshot"],)]
    assert served.execute("select count(*) from dim_accounts").fetchone()[0] == len(night["sample_accounts"]) + 1
