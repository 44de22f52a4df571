"""Read the previous run's themes from the warehouse and write this run's, in one transaction.

`themes.feedback_themes`, `themes.themes`, `themes.theme_centroids` and `themes.theme_areas`
are replaced each run; `themes.theme_history` is appended to (a run written twice under the
same run_id replaces its own rows, so a retried step does not double the log).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from insights.themes.area import AREA_COLUMNS, AreaGrouper
from insights.themes.match import HISTORY_COLUMNS, PreviousThemes, match_themes
from insights.themes.pipeline import ThemeResult

SCHEMA = "themes"


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [SCHEMA, table]
        ).fetchone()[0]
    )


def read_previous(con: duckdb.DuckDBPyConnection) -> tuple[PreviousThemes | None, pd.DataFrame | None]:
    """The last run's theme centroids and theme-to-area table; (None, None) before the first run."""
    if not _exists(con, "theme_centroids"):
        return None, None
    theme_ids, centroids = read_centroids(con)
    previous = PreviousThemes(np.asarray(theme_ids, dtype=object), centroids) if theme_ids else PreviousThemes.empty()
    areas = con.execute(f'select {", ".join(AREA_COLUMNS)} from "{SCHEMA}".theme_areas').df() if _exists(con, "theme_areas") else None
    return previous, areas


def read_centroids(con: duckdb.DuckDBPyConnection) -> tuple[list[str], np.ndarray]:
    """The stored themes' IDs and unit centroids (n x dim float32), in theme ID order."""
    frame = con.execute(f'select theme_id, centroid from "{SCHEMA}".theme_centroids order by theme_id').df()
    if frame.empty:
        return [], np.zeros((0, 0), dtype=np.float32)
    return frame["theme_id"].tolist(), np.stack(frame["centroid"].map(np.asarray)).astype(np.float32)


def carry_over(
    result: ThemeResult, previous: PreviousThemes | None, previous_areas: pd.DataFrame | None
) -> tuple[ThemeResult, pd.DataFrame, pd.DataFrame]:
    """This run's themes under last run's IDs where they continue, their history rows and areas."""
    matched, history = match_themes(result, previous)
    old_centroids = dict(zip(previous.theme_ids, previous.centroids)) if previous is not None else None
    areas = AreaGrouper().fit(matched.themes, matched.centroids, previous_areas, old_centroids).areas_
    return matched, history, areas


def write_run(
    con: duckdb.DuckDBPyConnection,
    result: ThemeResult,
    history: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    run_id: str,
    run_at: datetime,
) -> None:
    """Replace the run's tables and append its history rows, all or nothing."""
    centroids = pd.DataFrame(
        {
            "theme_id": result.themes["theme_id"].astype("str"),
            "centroid": [row.astype(float).tolist() for row in np.asarray(result.centroids)] if len(result.themes) else [],
        }
    )
    log = history[HISTORY_COLUMNS].assign(run_id=run_id, run_at=pd.Timestamp(run_at))
    con.execute(f'create schema if not exists "{SCHEMA}"')
    con.execute(
        f'create table if not exists "{SCHEMA}".theme_history (run_id varchar, run_at timestamp, theme_id varchar, '
        "status varchar, split_from varchar, merged_into varchar, similarity double)"
    )
    con.begin()
    try:
        for name, frame, select in (
            ("feedback_themes", result.assignments, "*"),
            ("themes", result.themes, "*"),
            ("theme_centroids", centroids, "cast(theme_id as varchar) as theme_id, cast(centroid as float[]) as centroid"),
            ("theme_areas", areas[AREA_COLUMNS], "*"),
        ):
            con.register("replacement", frame)
            try:
                con.execute(f'create or replace table "{SCHEMA}"."{name}" as select {select} from replacement')
            finally:
                con.unregister("replacement")
        con.execute(f'delete from "{SCHEMA}".theme_history where run_id = ?', [run_id])
        con.register("history_rows", log)
        try:
            con.execute(
                f'insert into "{SCHEMA}".theme_history select run_id, run_at, theme_id, status, split_from, '
                "merged_into, similarity from history_rows"
            )
        finally:
            con.unregister("history_rows")
        con.commit()
    except Exception:
        con.rollback()
        raise
