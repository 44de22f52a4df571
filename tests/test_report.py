import duckdb

from insights.report import summarise


def test_summary_counts_marts_and_lists_candidates_in_rank_order(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table fct_feedback as select 'f1' as feedback_id, true as is_outlier")
    con.execute("create table dim_themes as select 'thm_1' as theme_id")
    con.execute(
        "create table roadmap_candidates as select * from (values "
        "(2, 'dark mode', 'not on roadmap', 3.0, 1.5, 0.5, 5.0, 0.45), "
        "(1, 'csv export fails', 'planned', 7.0, 2.0, 1.0, 2.0, 7.0)) "
        "t(rank, label, roadmap_status, reach, impact, confidence, effort, rice_score)"
    )
    con.execute(
        "create table roadmap_shipped as select 'PRD-7' as issue_key, 'Timezone fix' as summary, "
        "4.0 as weekly_items_before, 2.0 as weekly_items_after, -0.5 as volume_change, "
        "0.25 as sentiment_change, timestamp '2024-05-01' as released_at"
    )
    con.close()
    text = summarise(path, ["fct_feedback", "dim_themes", "roadmap_candidates", "dim_accounts"])
    assert "fct_feedback                    1" in text
    assert "dim_accounts                    missing" in text
    assert "themes: 1 (feedback items left as outliers: 1)" in text
    assert text.index("csv export fails") < text.index("dark mode")
    assert "[planned]  RICE 7.0 = reach 7.0 x impact 2.00 x confidence 1.00 / effort 2" in text
    assert "PRD-7 Timezone fix: 4.0 -> 2.0 a week (-50%, sentiment +0.25)" in text
