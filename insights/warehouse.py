"""Small, shared ways of writing DataFrames into the DuckDB warehouse."""

from __future__ import annotations

import duckdb
import pandas as pd


def replace_tables(con: duckdb.DuckDBPyConnection, schema: str, tables: dict[str, pd.DataFrame]) -> None:
    """Replace several tables of `schema` in one transaction, so readers never see a mix."""
    con.execute(f'create schema if not exists "{schema}"')
    con.begin()
    try:
        for name, frame in tables.items():
            con.register("replacement", frame)
            try:
                con.execute(f'create or replace table "{schema}"."{name}" as select * from replacement')
            finally:
                con.unregister("replacement")
        con.commit()
    except Exception:
        con.rollback()
        raise
