"""The one way Python code writes and reads tables of the working warehouse.

Everything engine-specific that Python needs lives here: how a DataFrame is handed to the
engine (DuckDB's `register`), the type of an embedding column (DuckDB's `FLOAT[]`), how a
table is replaced (`create or replace table`) and how one is found (`information_schema`).
The stores (`insights.themes.store`, `insights.themes.cache`) and the source loaders call these
functions, so moving the Python assets to another engine means a second implementation of
this module, not edits across the library.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from itertools import count

import duckdb
import numpy as np
import pandas as pd

# An embedding: a variable-length list rather than FLOAT[384], so one column serves models of
# any dimension. Single precision is what the models produce; doubles would only double the size.
VECTOR_TYPE = "float[]"

_names = count()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All statements of the block or none of them: readers never see half a write."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> Iterator[str]:
    """`frame` visible to SQL under the name yielded, for the block only."""
    name = f"_frame_{next(_names)}"
    con.register(name, frame)
    try:
        yield name
    finally:
        con.unregister(name)


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchone()[0]
    )


def column_names(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def _select_list(frame: pd.DataFrame, column_types: Mapping[str, str] | None) -> str:
    types = column_types or {}
    return ", ".join(
        f'cast("{column}" as {types[column]}) as "{column}"' if column in types else f'"{column}"'
        for column in frame.columns
    )


def replace_table(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    frame: pd.DataFrame,
    column_types: Mapping[str, str] | None = None,
) -> None:
    """Make `schema.table` hold exactly `frame`; `column_types` casts the columns named in it.

    No transaction of its own: wrap several in `transaction` to replace them together.
    """
    con.execute(f'create schema if not exists "{schema}"')
    with registered(con, frame) as name:
        con.execute(
            f'create or replace table "{schema}"."{table}" as select {_select_list(frame, column_types)} from {name}'
        )


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    frame: pd.DataFrame,
    key: Mapping[str, object],
    column_types: Mapping[str, str],
) -> None:
    """Append `frame` to a log table after deleting the rows that match `key`, so writing the
    same key twice (a retried step) leaves one copy. `column_types` gives every column's type,
    in table order, for the first write. No transaction of its own."""
    con.execute(f'create schema if not exists "{schema}"')
    columns = ", ".join(f'"{column}" {kind}' for column, kind in column_types.items())
    con.execute(f'create table if not exists "{schema}"."{table}" ({columns})')
    where = " and ".join(f'"{column}" = ?' for column in key)
    con.execute(f'delete from "{schema}"."{table}" where {where}', list(key.values()))
    ordered = frame[list(column_types)]
    with registered(con, ordered) as name:
        con.execute(f'insert into "{schema}"."{table}" select {_select_list(ordered, column_types)} from {name}')


def vectors_to_column(vectors: np.ndarray) -> list[list[float]]:
    """Rows of a matrix as values of a `VECTOR_TYPE` column."""
    return [row.astype(float).tolist() for row in np.asarray(vectors)]


def vectors_from_column(values: pd.Series) -> np.ndarray:
    """A `VECTOR_TYPE` column read back as an (n x dim) float32 matrix (0 x 0 when empty)."""
    if len(values) == 0:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack(values.map(np.asarray)).astype(np.float32)
