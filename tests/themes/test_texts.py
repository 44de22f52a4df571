"""Texts reach the models cut to the limit, in DuckDB, and the cut ones are flagged."""

from __future__ import annotations

import duckdb

from insights import limits
from insights.themes.texts import read_feedback_texts


def test_long_texts_are_cut_in_the_warehouse_and_flagged(monkeypatch):
    monkeypatch.setattr(limits, "MAX_EMBED_CHARS", 10)
    con = duckdb.connect()
    con.execute("create schema main_int")
    con.execute(
        'create table main_int."unified" as select * from (values '
        "('b', 'x' || repeat('y', 5000000), 0.5), ('a', 'short', null), ('c', null, null), ('d', '0123456789', null)"
        ") as t(feedback_id, text, sentiment_score)"
    )
    frame = read_feedback_texts(con, 'main_int."unified"', ("sentiment_score",))
    assert frame["feedback_id"].tolist() == ["a", "b", "c", "d"]
    assert frame["text"].tolist()[1] == "xyyyyyyyyy"
    assert frame["text_truncated"].tolist() == [False, True, False, False]
    assert frame["sentiment_score"].tolist()[1] == 0.5
