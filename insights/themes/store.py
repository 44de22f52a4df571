"""Read yesterday's theme state from the warehouse and write tonight's tables; nothing else.

`themes.feedback_themes`, `themes.themes`, `themes.theme_centroids` and `themes.theme_areas`
are replaced each run, all in one transaction; `themes.theme_history` and `themes.theme_runs`
(one row per run: its figures and why it found no theme) are appended to (a run written twice
under the same run_id replaces its own rows, so a retried step does not double the log).
The match tables (`theme_feature_matches`, `theme_roadmap_matches`) are replaced one at a
time by the link step. Which IDs carry over is decided in `lifecycle.py`, not here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from insights import warehouse
from insights.themes.runs import ThemeRun
from insights.themes.tables import AREA_COLUMNS, HISTORY_COLUMNS, MATCH_COLUMNS, NightlyThemes, PreviousThemes

SCHEMA = "themes"
HISTORY_TYPES = {
    "run_id": "varchar",
    "run_at": "timestamp",
    "theme_id": "varchar",
    "status": "varchar",
    "split_from": "varchar",
    "merged_into": "varchar",
    "similarity": "double",
}
RUN_TYPES = {
    "run_id": "varchar",
    "run_at": "timestamp",
    "feedback_items": "integer",
    "themes": "integer",
    "themes_before": "integer",
    "outliers": "integer",
    "outlier_share": "double",
    "min_theme_size": "integer",
    "new": "integer",
    "continued": "integer",
    "split": "integer",
    "merged": "integer",
    "retired": "integer",
    "why_no_themes": "varchar",
}


def read_previous(con: duckdb.DuckDBPyConnection, model_name: str | None = None) -> PreviousThemes | None:
    """Yesterday's theme centroids and theme-to-area table; None before the first run.

    With `model_name`, centroids another model made are not returned: vectors of two models
    are not comparable even when their dimensions agree, so no theme may continue across a
    change of model.
    """
    if not warehouse.table_exists(con, SCHEMA, "theme_centroids"):
        return None
    areas = (
        con.execute(f'select {", ".join(AREA_COLUMNS)} from "{SCHEMA}".theme_areas').df()
        if warehouse.table_exists(con, SCHEMA, "theme_areas")
        else None
    )
    theme_ids, centroids = read_centroids(con)
    if not theme_ids or (model_name is not None and read_model_name(con) not in (None, model_name)):
        return replace(PreviousThemes.empty(), areas=areas)
    return PreviousThemes(np.asarray(theme_ids, dtype=object), centroids, areas)


def read_centroids(con: duckdb.DuckDBPyConnection) -> tuple[list[str], np.ndarray]:
    """The stored themes' IDs and unit centroids (n x dim float32), in theme ID order."""
    frame = con.execute(f'select theme_id, centroid from "{SCHEMA}".theme_centroids order by theme_id').df()
    return frame["theme_id"].tolist(), warehouse.vectors_from_column(frame["centroid"])


def read_model_name(con: duckdb.DuckDBPyConnection) -> str | None:
    """The embedding model the stored centroids were made with (None: none stored, or a store
    written before the model was recorded)."""
    if "model_name" not in warehouse.column_names(con, SCHEMA, "theme_centroids"):
        return None
    row = con.execute(f'select min(model_name) from "{SCHEMA}".theme_centroids').fetchone()
    return row[0] if row else None


def write_run(
    con: duckdb.DuckDBPyConnection,
    tonight: NightlyThemes,
    *,
    model_name: str,
    run_id: str,
    run_at: datetime,
    summary: ThemeRun | None = None,
) -> None:
    """Replace the run's tables and append its history rows, and its `summary` row to
    theme_runs when given, all or nothing."""
    centroids = pd.DataFrame(
        {
            "theme_id": tonight.themes["theme_id"].astype("str"),
            "centroid": warehouse.vectors_to_column(tonight.centroids) if len(tonight.themes) else [],
            "model_name": model_name,
        }
    )
    log = tonight.history[HISTORY_COLUMNS].assign(run_id=run_id, run_at=pd.Timestamp(run_at))
    with warehouse.transaction(con):
        warehouse.replace_table(con, SCHEMA, "feedback_themes", tonight.assignments)
        warehouse.replace_table(con, SCHEMA, "themes", tonight.themes)
        warehouse.replace_table(
            con,
            SCHEMA,
            "theme_centroids",
            centroids,
            {"theme_id": "varchar", "centroid": warehouse.VECTOR_TYPE, "model_name": "varchar"},
        )
        warehouse.replace_table(con, SCHEMA, "theme_areas", tonight.areas[AREA_COLUMNS])
        warehouse.replace_rows(con, SCHEMA, "theme_history", log, {"run_id": run_id}, HISTORY_TYPES)
        if summary is not None:
            row = pd.DataFrame([{"run_id": run_id, "run_at": pd.Timestamp(run_at), **summary.as_dict()}])
            warehouse.replace_rows(con, SCHEMA, "theme_runs", row, {"run_id": run_id}, RUN_TYPES)


def history_run_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The run_ids `theme_history` holds rows of, oldest first."""
    if not warehouse.table_exists(con, SCHEMA, "theme_history"):
        return []
    rows = con.execute(f'select run_id from "{SCHEMA}".theme_history group by run_id order by min(run_at)').fetchall()
    return [row[0] for row in rows]


def drop_history_runs(con: duckdb.DuckDBPyConnection, run_ids: list[str]) -> int:
    """Delete the `theme_history` rows of `run_ids` (runs that did not finish), and their
    `theme_runs` rows; return how many history rows went."""
    if not run_ids or not warehouse.table_exists(con, SCHEMA, "theme_history"):
        return 0
    placeholders = ", ".join("?" for _ in run_ids)
    where = f"run_id in ({placeholders})"
    if warehouse.table_exists(con, SCHEMA, "theme_runs"):
        con.execute(f'delete from "{SCHEMA}".theme_runs where {where}', run_ids)
    # DuckDB answers a delete with the number of rows it removed.
    return int(con.execute(f'delete from "{SCHEMA}".theme_history where {where}', run_ids).fetchone()[0])


def read_split_lineage(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """theme ID -> the theme it split from, over every run `theme_history` holds."""
    if not warehouse.table_exists(con, SCHEMA, "theme_history"):
        return {}
    rows = con.execute(
        f"select theme_id, split_from from \"{SCHEMA}\".theme_history where status = 'split' order by run_at"
    ).fetchall()
    return {theme: parent for theme, parent in rows}


def write_matches(con: duckdb.DuckDBPyConnection, table: str, matches: pd.DataFrame, key_column: str) -> None:
    """Replace one match table in a single transaction; `target_key` is stored as `key_column`."""
    frame = matches[MATCH_COLUMNS].rename(columns={"target_key": key_column})
    types = {"theme_id": "varchar", key_column: "varchar", "similarity": "double", "match_rank": "integer"}
    with warehouse.transaction(con):
        warehouse.replace_table(con, SCHEMA, table, frame, types)
