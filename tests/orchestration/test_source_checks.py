"""Tier 3 for ingestion: the per-source asset checks and the landing sensor, run by Dagster
against a temporary data root."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg

from insights.sources.catalog import SOURCES
from orchestration.assets.extract import extract_assets
from orchestration.checks import SourceCheckThresholds, source_checks
from orchestration.definitions import build_definitions
from orchestration.resources import build_resources
from orchestration.sensors import new_landing_files
from orchestration.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _settings(monkeypatch, tmp_path) -> Settings:
    monkeypatch.setenv("INSIGHTS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INSIGHTS_CHECK_FRESHNESS_MAX_AGE_DAYS", "100000")
    return Settings.from_env()


def _drop(settings: Settings, base: str, rel: str) -> None:
    target = settings.landing_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / base / rel, target)


def _checks_for(name: str):
    return [c for c in source_checks if any(k.asset_key.path == ["raw", name] for k in c.check_keys)]


def _asset_for(name: str):
    return next(a for a in extract_assets if a.key.path == ["raw", name])


def test_every_source_has_three_checks():
    by_asset = {}
    for check in source_checks:
        for key in check.check_keys:
            by_asset.setdefault(key.asset_key.path[-1], set()).add(key.name)
    assert len(by_asset) == len(SOURCES)
    assert all(names == {"quarantine_share", "freshness", "row_count_change"} for names in by_asset.values())


def test_quarantine_far_above_threshold_warns_and_does_not_hold_the_night(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path)
    _drop(settings, "bad_input", "app_store/zero_stars.csv")  # 2 of 3 rows quarantined

    @dg.asset(deps=[_asset_for("app_reviews").key])
    def downstream():
        return 1

    result = dg.materialize(
        [_asset_for("app_reviews"), downstream, *_checks_for("app_reviews")], resources=build_resources(settings)
    )
    assert result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    share = evaluations["quarantine_share"]
    assert not share.passed and share.severity == dg.AssetCheckSeverity.WARN
    assert share.metadata["quarantined_rows"].value == 2
    assert evaluations["freshness"].passed and evaluations["row_count_change"].passed
    materialization = result.asset_materializations_for_node(_asset_for("app_reviews").op.name)[0]
    assert "quarantine_preview" in materialization.metadata
    assert result.asset_materializations_for_node("downstream")


def test_loaded_rows_going_missing_blocks_everything_downstream_and_names_the_check(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path)
    accounts = settings.landing_dir / "accounts" / "accounts.csv"
    accounts.parent.mkdir(parents=True)
    header = "Account ID,Account Name,Plan,ARR,Segment,Region,Account Owner,Created Date\n"
    accounts.write_text(
        header + "".join(f"acc_{i:04d},Co {i},pro,1000.00,SMB,NA,,2024-01-0{1 + i % 9}\n" for i in range(20))
    )
    ran = []

    @dg.asset(deps=[_asset_for("accounts").key])
    def downstream():
        ran.append(1)

    assets = [_asset_for("accounts"), downstream, *_checks_for("accounts")]
    instance = dg.DagsterInstance.ephemeral()
    assert dg.materialize(assets, resources=build_resources(settings), instance=instance).success
    accounts.write_text(header)  # the next export comes out header-only
    result = dg.materialize(assets, resources=build_resources(settings), instance=instance, raise_on_error=False)
    assert not result.success and ran == [1]
    change = {e.check_name: e for e in result.get_asset_check_evaluations()}["row_count_change"]
    assert not change.passed and change.severity == dg.AssetCheckSeverity.ERROR
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "row_count_change" in failure.step_failure_data.error.message


def test_clean_export_passes_and_a_rerun_compares_with_the_last_run(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path)
    _drop(settings, "exports", "google_play/reviews_reviews_com.acme.insights_202611.csv")
    assets = [_asset_for("google_play_reviews"), *_checks_for("google_play_reviews")]
    instance = dg.DagsterInstance.ephemeral()
    for _ in range(2):
        result = dg.materialize(assets, resources=build_resources(settings), instance=instance)
        assert all(e.passed for e in result.get_asset_check_evaluations())
    change = {e.check_name: e for e in result.get_asset_check_evaluations()}["row_count_change"]
    assert change.metadata["rows_before"].value == change.metadata["rows_after"].value == 2


def test_sensor_requests_a_run_for_the_sources_with_new_files_only(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path)
    defs = build_definitions(settings)
    resources = build_resources(settings)
    _drop(settings, "exports", "intercom/conversations_2026-11-27.json")

    context = dg.build_sensor_context(resources=resources, definitions=defs)
    request = new_landing_files(context)
    assert isinstance(request, dg.RunRequest)
    selected = {tuple(key.path) for key in request.asset_selection}
    assert ("raw", "support_conversations") in selected
    assert ("int_feedback__unified",) in selected and ("roadmap_candidates",) in selected
    assert ("raw", "support_tickets") not in selected
    assert request.tags["insights/sources"] == "support_conversations"

    # Same folder state again: nothing to do.
    again = new_landing_files(dg.build_sensor_context(cursor=context.cursor, resources=resources, definitions=defs))
    assert isinstance(again, dg.SkipReason)

    _drop(settings, "exports", "amplitude/123456_2026-11-27_0#0.json.gz")
    later = new_landing_files(dg.build_sensor_context(cursor=context.cursor, resources=resources, definitions=defs))
    assert later.tags["insights/sources"] == "amplitude_events"
    assert json.loads(context.cursor).keys() == {"support_conversations"}


def test_thresholds_take_their_defaults_unless_the_environment_overrides_one(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_CHECK_ROW_COUNT_MAX_DROP", "0.5")
    thresholds = _settings(monkeypatch, tmp_path).check_thresholds
    assert thresholds.row_count_max_drop == 0.5
    assert thresholds.freshness_max_age_days == 100000  # set by _settings
    # Untouched fields keep the one set of defaults, the resource's own.
    assert thresholds.quarantine_warn_share == SourceCheckThresholds().quarantine_warn_share == 0.05
    assert build_resources(_settings(monkeypatch, tmp_path))["check_thresholds"] == thresholds


def test_the_renamed_quarantine_setting_still_works_and_the_new_name_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_CHECK_QUARANTINE_FAIL_SHARE", "0.4")
    assert _settings(monkeypatch, tmp_path).check_thresholds.quarantine_high_share == 0.4
    monkeypatch.setenv("INSIGHTS_CHECK_QUARANTINE_HIGH_SHARE", "0.3")
    assert _settings(monkeypatch, tmp_path).check_thresholds.quarantine_high_share == 0.3
