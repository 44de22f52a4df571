"""Tier 3: a night with too little feedback for a theme says why, in the run log, in the theme
step's metadata and in the serving snapshot the report reads (issue 14)."""

from __future__ import annotations

import json

import dagster as dg
import duckdb
import pandas as pd
import pytest

from insights.sample.generator import generate
from orchestration.definitions import ALL_ASSETS, ALL_CHECKS
from orchestration.resources import build_resources
from orchestration.settings import Settings

# A whole nightly run (real dbt, real model) on a company of 5 accounts: about a minute.
pytestmark = pytest.mark.slow


def _keep_two_feedback_items(landing):
    """The smallest sample (20 items) cut to one support ticket and one app review."""
    tickets = landing / "zendesk" / "tickets.json"
    export = json.loads(tickets.read_text())
    export["tickets"] = export["tickets"][:1]
    tickets.write_text(json.dumps(export))
    for path, keep in (("app_store/reviews.csv", 1), ("canny/posts.csv", 0), ("surveys/nps_responses.csv", 0)):
        frame = pd.read_csv(landing / path, dtype=str, keep_default_na=False)
        frame.head(keep).to_csv(landing / path, index=False)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("tiny")
    generate(data_dir, seed=7, scale=0.004)
    _keep_two_feedback_items(data_dir / "landing")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSIGHTS_DATA_DIR", str(data_dir))
        mp.setenv("INSIGHTS_CHECK_FRESHNESS_MAX_AGE_DAYS", "100000")
        settings = Settings.from_env()
        instance = dg.DagsterInstance.ephemeral()
        result = dg.materialize(
            [*ALL_ASSETS, *ALL_CHECKS], resources=build_resources(settings), instance=instance, raise_on_error=False
        )
    return result, instance, settings


def test_the_run_publishes_and_says_why_there_is_no_theme(tiny):
    result, instance, settings = tiny
    assert result.success
    why = "only 2 feedback items: a theme needs at least 3 (min_theme_size)"

    [themes] = [
        m for m in result.asset_materializations_for_node("feedback_themes") if m.asset_key.path[-1] == "themes"
    ]
    assert themes.metadata["dagster/row_count"].value == 0
    assert themes.metadata["why_no_themes"].value.startswith(why)
    assert themes.metadata["outlier_share"].value == 1.0

    warnings = [
        e.user_message for e in instance.all_logs(result.run_id) if e.level == 30 and e.step_key == "feedback_themes"
    ]
    assert any(why in message for message in warnings), warnings

    # Every item an outlier is worth a look, not a reason to keep the night from readers.
    verdicts = {e.check_name: e for e in result.get_asset_check_evaluations() if e.asset_key.path[0] == "themes"}
    assert set(verdicts) == {"outlier_share", "theme_count_collapse", "labels_present", "labels_unique"}
    assert not verdicts["outlier_share"].passed
    assert verdicts["outlier_share"].severity == dg.AssetCheckSeverity.WARN
    assert all(verdicts[name].passed for name in ("theme_count_collapse", "labels_present", "labels_unique"))

    with duckdb.connect(str(settings.serving_dir / "insights.duckdb"), read_only=True) as served:
        rows = served.execute(
            "select feedback_items, themes, why_no_themes from fct_theme_runs where is_latest"
        ).fetchall()
    assert len(rows) == 1 and rows[0][:2] == (2, 0) and rows[0][2].startswith(why)
