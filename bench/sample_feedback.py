"""The sample company's feedback as the theme step sees it, with the planted theme of each item.

Shared by the benchmarks. The landing files go through the real readers and PII redaction
(`load_source`) into a scratch DuckDB file, and dbt builds `int_feedback__unified` (with the
staging views under it) there: the texts and feedback IDs are the pipeline's own, not a copy
of its SQL. Product events are not loaded (no feedback model reads them); their tables exist
empty so every staging view compiles.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
from dbt.cli.main import dbtRunner

from insights.sample.generator import generate
from insights.sources.catalog import AMPLITUDE_EVENTS, PRODUCT_EVENTS, SOURCES
from insights.sources.load import ensure_tables, load_source

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
MODEL = "int_feedback__unified"
ANSWER_KEY = ["source", "source_record_id"]


def build_feedback_model(landing: Path, warehouse: Path, scratch: Path) -> pd.DataFrame:
    """Load `landing` into `warehouse` and return dbt's int_feedback__unified built on it."""
    with duckdb.connect(str(warehouse)) as con:
        for spec in SOURCES:
            if spec in (PRODUCT_EVENTS, AMPLITUDE_EVENTS):
                ensure_tables(con, spec)
            else:
                load_source(con, spec, landing)
    args = [
        "run",
        "--select",
        f"+{MODEL}",
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        # The scratch folder, so a bench never rewrites the manifest `make` prepared.
        "--target-path",
        str(scratch / "target"),
        "--log-path",
        str(scratch / "logs"),
        "--quiet",
        "--vars",
        json.dumps({"warehouse_path": str(warehouse)}),
    ]
    result = dbtRunner().invoke(args)
    if not result.success:
        raise RuntimeError(f"dbt could not build {MODEL}: {result.exception or result.result}")
    # Not read-only: dbt-duckdb, run in this process, still holds the file open read-write.
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(f"select * from {MODEL} order by feedback_id").df()


def sample_feedback(scale: float, seed: int = 7, root: Path | None = None) -> pd.DataFrame:
    """int_feedback__unified's columns plus `theme`; one row per item the sample planted a theme in."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        root = Path(root or scratch)
        if not (root / "answers" / "feedback_themes.csv").exists():
            generate(root, seed=seed, scale=scale)
        feedback = build_feedback_model(root / "landing", scratch / "warehouse.duckdb", scratch)
        answers = pd.read_csv(root / "answers" / "feedback_themes.csv", dtype=str)
    merged = feedback.merge(answers, on=ANSWER_KEY, how="inner")
    return merged.sort_values("feedback_id").reset_index(drop=True)


if __name__ == "__main__":
    import sys

    frame = sample_feedback(float(sys.argv[1]) if len(sys.argv) > 1 else 0.2)
    print(len(frame), "items,", frame["theme"].nunique(), "planted themes")
    print(frame[["feedback_id", "source", "theme", "text"]].head().to_string())
