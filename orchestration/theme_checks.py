"""Asset checks on the theme step: outlier share, a collapse of the theme count, labels.

Thin wrappers over the verdicts in insights.themes.health; the lines come from the
`theme_check_thresholds` resource, ThemeCheckThresholds below (defaults here,
`INSIGHTS_CHECK_<FIELD>` overrides read in orchestration/settings.py, as for the source checks).
"""

from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from insights.serving import SNAPSHOT_FILE
from insights.sources.health import Verdict
from insights.themes import health
from orchestration.checks import check_result, last_run_counts

FEEDBACK_THEMES = dg.AssetKey(["themes", "feedback_themes"])
THEMES = dg.AssetKey(["themes", "themes"])


class ThemeCheckThresholds(dg.ConfigurableResource):
    """Where the theme checks draw their lines."""

    # Share of feedback items that fit no theme before a WARN. The defaults leave 3 % or less
    # on the four sets of docs/themes.md (the step aims under 10 %), 15 % on the sample's
    # smallest company (20 items); a night too small for any theme is all outliers, and says why.
    outlier_share_warn: float = 0.25
    # ERROR when tonight's themes are fewer than this fraction of the night before's (0.5: fewer
    # than half); 0 turns the check off for a deliberate change of settings.
    theme_count_min_ratio: float = 0.5


def _published_theme_count(serving_root: Path) -> int | None:
    """Themes of the run the live serving snapshot was published from; None before the first
    snapshot (or one made before fct_theme_runs existed)."""
    path = serving_root / SNAPSHOT_FILE
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as served:
            row = served.execute("select themes from fct_theme_runs where is_latest").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


@dg.asset_check(
    asset=FEEDBACK_THEMES, description="Share of feedback items that fit no theme (outliers), below a limit."
)
def outlier_share(warehouse: DuckDBResource, theme_check_thresholds: ThemeCheckThresholds) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        outliers, items = health.outlier_counts(con)
    return check_result(health.judge_outlier_share(outliers, items, theme_check_thresholds.outlier_share_warn))


# Blocking, like the source row-count check: an ERROR holds back the marts and the serving
# snapshot, so the last good snapshot stays; the in-process executor gives no order otherwise.
@dg.asset_check(
    asset=THEMES,
    description="Tonight's theme count against the published snapshot's (else the night before's): an ERROR "
    "when fewer than half are left.",
    blocking=True,
    # By key: orchestration.resources imports this module (through settings), so not by type.
    required_resource_keys={"serving", "theme_check_thresholds"},
)
def theme_count_collapse(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    theme_check_thresholds: ThemeCheckThresholds = context.resources.theme_check_thresholds
    before, after = last_run_counts(context, THEMES, "themes_before_run")
    # Against what was last published, not only the night before: a blocked night's themes
    # still become the theme step's "previous", and the next night must not pass the same
    # collapse just because it is no longer new.
    published = _published_theme_count(context.resources.serving.root)
    if published is not None:
        before = published
    if after is None:
        return check_result(Verdict(True, "error", "asset not materialised yet"))
    return check_result(health.judge_theme_count(before, after, theme_check_thresholds.theme_count_min_ratio))


@dg.asset_check(asset=THEMES, description="Every theme has a label.", blocking=True)
def labels_present(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        labels = health.theme_labels(con)
    return check_result(health.judge_labels_present(labels))


@dg.asset_check(asset=THEMES, description="No two themes share a label (ignoring case and spacing).")
def labels_unique(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        labels = health.theme_labels(con)
    return check_result(health.judge_labels_unique(labels))


theme_checks = [outlier_share, theme_count_collapse, labels_present, labels_unique]
