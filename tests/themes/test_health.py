"""Theme health verdicts behind the theme asset checks (orchestration/theme_checks.py), and
the figures of a night: plain functions on numbers, labels and a warehouse, no Dagster."""

from __future__ import annotations

import duckdb
import pandas as pd

from insights import warehouse
from insights.themes import health
from insights.themes.store import SCHEMA


def test_outlier_share_warns_above_the_line_and_never_blocks():
    assert health.judge_outlier_share(10, 100, warn_above=0.25).passed
    # A share on the line is still fine: only above it warns.
    assert health.judge_outlier_share(25, 100, warn_above=0.25).passed
    warned = health.judge_outlier_share(20, 20, warn_above=0.25)
    assert (warned.passed, warned.severity) == (False, "warn")
    assert warned.figures["outlier_share"] == 1.0 and "why_no_themes" in warned.message
    # No items at all is no share of outliers.
    assert health.judge_outlier_share(0, 0, warn_above=0.25).passed


def test_theme_count_collapse_is_an_error_below_half_of_the_night_before():
    assert health.judge_theme_count(22, 22, min_ratio=0.5).passed
    assert health.judge_theme_count(22, 11, min_ratio=0.5).passed
    collapsed = health.judge_theme_count(22, 10, min_ratio=0.5)
    assert (collapsed.passed, collapsed.severity) == (False, "error")
    assert "22 to 10" in collapsed.message
    assert not health.judge_theme_count(22, 0, min_ratio=0.5).passed
    # The first night, or a change of model (no themes before), has nothing to collapse from.
    assert health.judge_theme_count(0, 0, min_ratio=0.5).passed
    assert health.judge_theme_count(None, 5, min_ratio=0.5).passed
    # Growth is never a collapse, and a ratio of 0 lets a deliberate change through.
    assert health.judge_theme_count(5, 40, min_ratio=0.5).passed
    assert health.judge_theme_count(22, 0, min_ratio=0.0).passed


def test_an_empty_label_is_an_error_and_a_shared_one_a_warning():
    assert health.judge_labels_present(["CSV export times out", "SSO login fails"]).passed
    for empty in (None, "", "   "):
        verdict = health.judge_labels_present(["CSV export times out", empty])
        assert (verdict.passed, verdict.severity, verdict.figures["empty_labels"]) == (False, "error", 1)
    assert health.judge_labels_present([]).passed

    assert health.judge_labels_unique(["CSV export times out", "SSO login fails"]).passed
    # Case and spacing do not make two labels differ for a reader.
    shared = health.judge_labels_unique(["CSV export times out", "csv export  times out", "SSO login fails"])
    assert (shared.passed, shared.severity, shared.figures["duplicated_labels"]) == (False, "warn", 1)
    # Empty labels are the other check's to report.
    assert health.judge_labels_unique([None, None, ""]).passed


def test_figures_are_read_from_the_stored_run():
    con = duckdb.connect()
    con.execute(f"create schema {SCHEMA}")
    assignments = pd.DataFrame(
        {
            "feedback_id": ["a", "b", "c", "d"],
            "theme_id": ["t1", "t1", None, None],
            "is_outlier": [False, False, True, True],
        }
    )
    warehouse.replace_table(con, SCHEMA, "feedback_themes", assignments)
    warehouse.replace_table(con, SCHEMA, "themes", pd.DataFrame({"theme_id": ["t2", "t1"], "label": ["b", None]}))
    assert health.outlier_counts(con) == (2, 4)
    assert health.theme_labels(con) == [None, "b"]
