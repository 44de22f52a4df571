"""The report rendered from a tiny real DuckDB snapshot: its sections, charts, escaping, the
zero-theme night and the whole-folder swap."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import duckdb
import pytest

from insights.cli import main
from insights.reporting import charts, render_report
from tests.reporting.snapshot import write_snapshot

SCRIPT = "<script>alert('x')</script>"
WEEKS = [datetime(2026, 9, 7) + timedelta(weeks=i) for i in range(14)]


def _theme(theme_id, label, status, **extra):
    return {
        "theme_id": theme_id,
        "label": label,
        "generated_label": label,
        "status": status,
        "area_label": "Reports",
        "is_hidden": False,
        "merged_into_theme_id": None,
        "has_override": False,
        "n_items": 12,
        "n_accounts": 2,
        "avg_sentiment": -0.4,
        "share_bug": 0.5,
        "share_feature_request": 0.25,
        "share_question": 0.25,
        "share_praise": 0.0,
        "share_other": 0.0,
        "volume_recent": 8,
        "volume_baseline": 4,
        "trend_z": 2.5,
        "trend_ratio": 3.0,
        "first_seen_at": WEEKS[0],
        "last_seen_at": WEEKS[-1],
        "roadmap_item_key": "PRD-1",
        "roadmap_link_source": "similarity",
        **extra,
    }


def _candidate(theme_id, label, rank):
    return {
        "theme_id": theme_id,
        "label": label,
        "rank": rank,
        "area_label": "Reports",
        "trend": "growing",
        "roadmap_status": "planned",
        "roadmap_item_key": "PRD-1",
        "reach": 5.2,
        "reach_accounts": 5,
        "impact": 2.1,
        "confidence": 0.7,
        "effort": 3.0,
        "effort_source": "story_points",
        "rice_score": 5.2 * 2.1 * 0.7 / 3.0,
        "arr_affected": 120000.0,
        "avg_sentiment": -0.4,
    }


def _rows(themes=True):
    rows = {
        "fct_account_health": [
            {"account_id": "acc_1", "account_name": "Willow & Sons", "arr": 90000.0, "health_band": "at_risk"},
            {"account_id": "acc_2", "account_name": "Birch Ltd", "arr": 30000.0, "health_band": "healthy"},
        ],
        "fct_account_health_bands": [
            {"health_band": "healthy", "band_order": 1, "n_accounts": 1, "arr": 30000.0},
            {"health_band": "watch", "band_order": 2, "n_accounts": 0, "arr": 0.0},
            {"health_band": "at_risk", "band_order": 3, "n_accounts": 1, "arr": 90000.0},
            {"health_band": "unknown", "band_order": 4, "n_accounts": 0, "arr": 0.0},
        ],
    }
    if not themes:
        return rows
    quotes = ["CSV export times out on big reports", SCRIPT, "export hangs", "please fix export", "timeout again"]
    rows |= {
        "dim_themes": [
            _theme("thm_a", "CSV export times out", "growing", quotes=json.dumps(quotes)),
            _theme("thm_b", f"New {SCRIPT} theme", "new", quotes=json.dumps(["new thing"]), roadmap_item_key=None),
        ],
        "roadmap_candidates": [
            _candidate("thm_a", "CSV export times out", 1),
            _candidate("thm_b", f"New {SCRIPT} theme", 2),
        ],
        "fct_theme_trends": [
            {
                "theme_week_id": f"{t}@{w}",
                "theme_id": t,
                "week_start": w,
                "feedback_items": i % 4,
                "avg_sentiment": -0.2,
            }
            for t in ("thm_a", "thm_b")
            for i, w in enumerate(WEEKS)
        ],
        "theme_impact_accounts": [
            {"theme_account_id": "thm_a:acc_1", "theme_id": "thm_a", "account_id": "acc_1", "is_raiser": True},
            {"theme_account_id": "thm_a:acc_2", "theme_id": "thm_a", "account_id": "acc_2", "is_raiser": False},
        ],
        "dim_roadmap_items": [
            {"issue_key": "PRD-1", "summary": "Stream CSV exports", "roadmap_status": "planned", "effort": 3.0}
        ],
        "roadmap_shipped": [
            {
                "issue_key": "PRD-9",
                "summary": "Faster search",
                "theme_labels": "Search is slow",
                "weekly_items_before": 4.0,
                "weekly_items_after": 1.0,
                "volume_change": -0.75,
                "avg_sentiment_before": -0.5,
                "avg_sentiment_after": 0.1,
                "is_window_complete": True,
                "released_at": WEEKS[5],
            }
        ],
        "fct_theme_lineage": [
            {
                "lineage_id": "r2:split:thm_b",
                "theme_id": "thm_b",
                "event": "split",
                "split_from_theme_id": "thm_a",
                "run_id": "r2",
                "run_at": WEEKS[-1],
            }
        ],
    }
    return rows


@pytest.fixture
def snapshot(tmp_path):
    return write_snapshot(tmp_path / "insights.duckdb", _rows())


def test_index_holds_the_top_10_table_with_rice_bars_movers_and_health(snapshot, tmp_path):
    index = render_report(snapshot, tmp_path / "serving" / "report")
    html = index.read_text()
    table = re.search(r'<table class="top10">.*?</table>', html, re.S).group(0)
    assert table.count("<tr>") == 3  # header and two candidates
    assert 'href="themes/thm_a.html"' in table
    assert "120,000" in table and "+" not in table.split("-0.40")[0][-3:]
    assert html.count("<svg") >= 4  # RICE bars, two sparklines, shipped, health
    assert "Growing fastest" in html and "Faster search" in html and "90,000" in html


def test_every_text_is_escaped_in_pages_and_charts(snapshot, tmp_path):
    out = tmp_path / "report"
    render_report(snapshot, out)
    pages = [p.read_text() for p in out.rglob("*.html")]
    assert len(pages) == 3
    assert not any("<script" in page for page in pages)
    theme_a = (out / "themes" / "thm_a.html").read_text()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in theme_a
    assert theme_a.count("<blockquote>") == 5
    assert "Willow &amp; Sons" in theme_a and "Birch" not in theme_a  # raisers only
    assert "Stream CSV exports" in theme_a and "planned" in theme_a
    assert "split from this theme" in theme_a


def test_a_merge_target_names_the_themes_a_curator_merged_into_it(tmp_path):
    rows = _rows()
    rows["dim_themes"].append(_theme("thm_m", "Exports crawl", "growing", merged_into_theme_id="thm_a"))
    out = tmp_path / "report"
    render_report(write_snapshot(tmp_path / "insights.duckdb", rows), out)
    target = (out / "themes" / "thm_a.html").read_text()
    assert 'Merged into this theme by a curator: <a href="thm_m.html">Exports crawl</a>;' in target
    merged = (out / "themes" / "thm_m.html").read_text()
    assert 'Merged by a curator into <a href="thm_a.html">CSV export times out</a>' in merged
    assert "Merged into this theme" not in (out / "themes" / "thm_b.html").read_text()


def test_zero_themes_renders_and_says_so(tmp_path):
    snapshot = write_snapshot(tmp_path / "insights.duckdb", _rows(themes=False))
    index = render_report(snapshot, tmp_path / "report")
    html = index.read_text()
    assert "No themes this run" in html
    assert "No roadmap candidates in this snapshot" in html
    assert list((tmp_path / "report" / "themes").iterdir()) == []
    assert "<svg" in html  # account health still charts


def test_zero_themes_gives_the_theme_steps_reason_when_the_snapshot_has_one(tmp_path):
    snapshot = write_snapshot(tmp_path / "insights.duckdb", _rows(themes=False))
    # Written here, not from the manifest: the report reads this table only when a snapshot has it.
    with duckdb.connect(str(snapshot)) as con:
        con.execute(
            "create or replace table fct_theme_runs as select 'r1' as run_id, true as is_latest, "
            "'20 items, fewer than 2 x min size 15' as why_no_themes"
        )
    html = render_report(snapshot, tmp_path / "report").read_text()
    assert "No themes this run" in html and "fewer than 2 x min size 15" in html


def test_a_second_render_replaces_the_whole_folder_and_leaves_no_temporary_one(snapshot, tmp_path):
    serving = tmp_path / "serving"
    render_report(snapshot, serving / "report")
    stale = serving / "report" / "themes" / "thm_gone.html"
    stale.write_text("yesterday")
    render_report(write_snapshot(tmp_path / "zero.duckdb", _rows(themes=False)), serving / "report")
    assert not stale.exists()
    assert "No themes this run" in (serving / "report" / "index.html").read_text()
    assert sorted(p.name for p in serving.iterdir()) == ["report"]


def test_a_render_failing_halfway_keeps_the_previous_report(snapshot, tmp_path, monkeypatch):
    out = tmp_path / "serving" / "report"
    render_report(snapshot, out)
    before = (out / "index.html").read_text()

    def broken_chart(weekly):
        raise RuntimeError("chart failed after the index was written")

    # Theme pages are written after the index: the new index exists only in the temporary folder.
    monkeypatch.setattr(charts, "theme_trend", broken_chart)
    with pytest.raises(RuntimeError, match="chart failed"):
        render_report(snapshot, out)
    assert (out / "index.html").read_text() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["report"]


def test_insights_summary_ends_with_the_report_path_once_there_is_one(snapshot, tmp_path, capsys):
    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()
    assert main(["summary", "--data-dir", str(tmp_path)]) == 0
    assert "weekly report" not in capsys.readouterr().out
    index = render_report(snapshot, tmp_path / "serving" / "report")
    assert main(["summary", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"weekly report: {index.resolve()}")
