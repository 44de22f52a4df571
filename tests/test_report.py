import duckdb

from insights.report import summarise


def test_summary_counts_marts_and_lists_candidates_in_rank_order(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table fct_feedback as select 'f1' as feedback_id, true as is_outlier")
    con.execute("create table dim_themes as select 'thm_1' as theme_id")
    con.execute(
        "create table roadmap_candidates as select * from (values "
        "(2, 'dark mode', 3, 1000.0, 1.5), (1, 'csv export fails', 7, 25000.0, 9.25)) "
        "t(rank, label, reach_accounts, arr_affected, score)"
    )
    con.close()
    text = summarise(path)
    assert "fct_feedback             1" in text
    assert "dim_accounts             missing" in text
    assert "themes: 1 (feedback items left as outliers: 1)" in text
    assert text.index("csv export fails") < text.index("dark mode")
    assert "ARR 25,000" in text
