"""The theme checks in a real Dagster run: a collapse of the theme count fails at ERROR and
holds back what is downstream of the themes (the marts, the serving snapshot); a normal night
passes. The themes asset here is a stand-in that reports the figures the theme step reports."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.checks import SourceCheckThresholds
from orchestration.resources import ServingFolder
from orchestration.settings import Settings
from orchestration.theme_checks import THEMES, ThemeCheckThresholds, theme_count_collapse


def _night(before: int, after: int, thresholds: ThemeCheckThresholds, serving: Path | None = None):
    @dg.asset(key=THEMES)
    def themes():
        return dg.MaterializeResult(metadata={"themes_before_run": before, "dagster/row_count": after})

    @dg.asset(deps=[THEMES])
    def downstream_mart():
        return None

    return dg.materialize(
        [themes, downstream_mart, theme_count_collapse],
        resources={
            "theme_check_thresholds": thresholds,
            "serving": ServingFolder(path=str(serving or Path("/nonexistent/serving"))),
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def test_a_collapse_fails_at_error_and_blocks_what_is_downstream():
    result = _night(22, 5, ThemeCheckThresholds())
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert "from 22 to 5" in evaluation.metadata["message"].value
    assert result.asset_materializations_for_node("downstream_mart") == []
    assert not result.success


def test_a_collapse_still_fails_the_night_after_against_the_published_snapshot(tmp_path):
    # The blocked night's 5 themes became the theme step's previous run; the snapshot still
    # holds the 22 of the last good night, and that is what tonight is held to.
    (tmp_path / "serving").mkdir()
    with duckdb.connect(str(tmp_path / "serving" / "insights.duckdb")) as con:
        con.execute("create table fct_theme_runs as select 22 as themes, true as is_latest union all select 3, false")
    result = _night(5, 5, ThemeCheckThresholds(), serving=tmp_path / "serving")
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert "from 22 to 5" in evaluation.metadata["message"].value


def test_a_normal_night_and_a_deliberate_change_pass():
    for before, after, thresholds in (
        (22, 21, ThemeCheckThresholds()),
        (22, 5, ThemeCheckThresholds(theme_count_min_ratio=0)),
    ):
        result = _night(before, after, thresholds)
        [evaluation] = result.get_asset_check_evaluations()
        assert evaluation.passed
        assert len(result.asset_materializations_for_node("downstream_mart")) == 1


def test_lines_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("INSIGHTS_CHECK_THEME_COUNT_MIN_RATIO", "0")
    monkeypatch.setenv("INSIGHTS_CHECK_OUTLIER_SHARE_WARN", "0.4")
    thresholds = Settings.from_env().theme_check_thresholds
    assert (thresholds.theme_count_min_ratio, thresholds.outlier_share_warn) == (0.0, 0.4)
    # The source checks' lines are not touched by the theme checks' variables.
    assert Settings.from_env().check_thresholds == SourceCheckThresholds()
