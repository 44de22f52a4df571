"""What the Dagster UI shows beside a materialisation: the top roadmap candidates as Markdown,
the theme step's figures as plottable numbers. Plain functions on small frames."""

from __future__ import annotations

import math

import pandas as pd

from insights.themes.runs import ThemeRun
from orchestration.assets.themes import theme_run_metadata
from orchestration.assets.transform import PREVIEW_COLUMNS, candidates_preview


def _candidates(n):
    return pd.DataFrame(
        {
            "rank": range(1, n + 1),
            "label": [f"Theme {i}" for i in range(1, n + 1)],
            "rice_score": [12.345 / i for i in range(1, n + 1)],
            "reach": [40.0] * n,
            "impact": [2.125] * n,
            "confidence": [0.61] * n,
            "effort": [5.0] * n,
        }
    )


def test_preview_is_a_markdown_table_of_rank_label_score_and_its_parts():
    lines = candidates_preview(_candidates(3)).splitlines()
    assert lines[0] == "| " + " | ".join(PREVIEW_COLUMNS) + " |"
    assert set(PREVIEW_COLUMNS) >= {"rank", "label", "rice_score", "reach", "impact", "confidence", "effort"}
    assert lines[2] == "| 1 | Theme 1 | 12.3 | 40.0 | 2.12 | 0.61 | 5.0 |"
    assert len(lines) == 2 + 3


def test_a_label_cannot_break_the_table_and_missing_figures_stay_blank():
    frame = _candidates(1).assign(label=["Export | import\nbroken"], effort=[math.nan])
    row = candidates_preview(frame).splitlines()[2]
    assert row == "| 1 | Export \\| import broken | 12.3 | 40.0 | 2.12 | 0.61 |  |"


def test_no_candidates_says_so():
    assert candidates_preview(_candidates(0)) == "No roadmap candidates this run."


def _run(**changes):
    run = dict(
        feedback_items=20,
        themes=0,
        themes_before=0,
        outliers=20,
        outlier_share=1.0,
        min_theme_size=3,
        new=0,
        continued=0,
        split=0,
        merged=0,
        retired=0,
        why_no_themes="20 feedback items, but no 3 of them are alike enough",
    )
    return ThemeRun(**{**run, **changes})


def test_theme_figures_are_numbers_every_night_and_the_reason_only_when_there_is_one():
    quiet = theme_run_metadata(_run())
    assert quiet["why_no_themes"].startswith("20 feedback items")
    busy = theme_run_metadata(
        _run(themes=22, themes_before=21, outliers=2, outlier_share=0.1, new=1, continued=21, why_no_themes=None)
    )
    assert "why_no_themes" not in busy
    # The same numeric keys every night, zeros included, so each plots as one unbroken line.
    assert set(quiet) == set(busy) | {"why_no_themes"}
    assert {k: busy[k] for k in ("dagster/row_count", "themes_before_run", "new", "split", "merged", "retired")} == {
        "dagster/row_count": 22,
        "themes_before_run": 21,
        "new": 1,
        "split": 0,
        "merged": 0,
        "retired": 0,
    }
    assert all(isinstance(v, (int, float)) for k, v in busy.items())
