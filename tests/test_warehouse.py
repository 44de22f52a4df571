import duckdb
import pandas as pd
import pytest

from insights.warehouse import replace_table, transaction


def replace_tables(con, schema, tables):
    # How the stores replace several tables at once (insights/themes/store.py write_run).
    with transaction(con):
        for name, frame in tables.items():
            replace_table(con, schema, name, frame)


def test_tables_are_replaced_together():
    con = duckdb.connect()
    replace_tables(con, "themes", {"a": pd.DataFrame({"x": [1, 2]}), "b": pd.DataFrame({"y": ["p"]})})
    replace_tables(con, "themes", {"a": pd.DataFrame({"x": [3]}), "b": pd.DataFrame({"y": ["q", "r"]})})
    assert con.execute("select * from themes.a").fetchall() == [(3,)]
    assert con.execute("select count(*) from themes.b").fetchone()[0] == 2


def test_a_failure_leaves_every_table_as_it_was():
    con = duckdb.connect()
    replace_tables(con, "themes", {"a": pd.DataFrame({"x": [1]})})
    with pytest.raises(duckdb.Error):
        replace_tables(con, "themes", {"a": pd.DataFrame({"x": [9]}), "b": object()})
    assert con.execute("select * from themes.a").fetchall() == [(1,)]
