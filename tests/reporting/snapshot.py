"""A tiny serving snapshot for report tests: real DuckDB tables with every column the dbt
manifest documents for each mart, so a report query naming a column no mart holds fails here."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

MANIFEST = Path(__file__).resolve().parents[2] / "dbt_project" / "target" / "manifest.json"


def mart_columns() -> dict[str, list[str]]:
    nodes = json.loads(MANIFEST.read_text())["nodes"].values()
    return {
        node["name"]: list(node["columns"])
        for node in nodes
        if node["resource_type"] == "model" and node["fqn"][1:2] == ["marts"]
    }


def _dtype(column: str) -> str:
    if column.startswith(("is_", "has_")):
        return "boolean"
    if column.endswith("_at") or column == "week_start":
        return "datetime64[us]"
    if column.startswith(("n_", "volume_")) or column.endswith(("_items", "accounts", "rank")):
        return "Int64"
    if column.startswith(("share_", "avg_", "trend_", "arr")) or column in {"reach", "impact", "confidence", "effort"}:
        return "Float64"
    return "string"


def write_snapshot(path: Path, rows: dict[str, list[dict]]) -> Path:
    """Every mart of the manifest as a table at `path`, holding `rows` (table -> rows; columns not given are null)."""
    columns = mart_columns()
    con = duckdb.connect(str(path))
    try:
        for table, names in columns.items():
            given = rows.get(table, [])
            unknown = {key for row in given for key in row} - set(names)
            assert not unknown, f"{table} has no column(s) {sorted(unknown)} in the manifest"
            frame = pd.DataFrame(given, columns=names)
            # A column with no value at all has no type to infer: guess it from the name, as the marts name them.
            for name in names:
                if frame[name].isna().all():
                    frame[name] = frame[name].astype(_dtype(name))
            con.register("frame", frame)
            con.execute(f'create table "{table}" as select * from frame')
            con.unregister("frame")
        con.execute(
            "create table readme as select table_name, '' as description, 0::bigint as row_count, "
            "'snap1' as snapshot_id, timestamp '2026-12-01 02:00:00' as published_at "
            "from information_schema.tables where table_schema = 'main'"
        )
        con.execute(
            "update readme set row_count = (select count(*) from fct_feedback) where table_name = 'fct_feedback'"
        )
    finally:
        con.close()
    return path
