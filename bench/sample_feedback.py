"""The sample company's feedback as the theme step sees it, with the planted theme of each item.

Shared by the benchmarks. The landing files go through the real readers and PII redaction
(`load_source`) into an in-memory DuckDB; the text is then put together the way
`int_feedback__unified` does (trimmed redacted parts joined by ". "), without running dbt.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from insights.sample.generator import generate
from insights.sources.catalog import BY_FOLDER
from insights.sources.load import load_source

_FEEDBACK_SQL = """
with parts as (
    select 'zendesk:' || ticket_id as feedback_id, subject_redacted as a, description_redacted as b from raw.support_tickets
    union all
    select 'surveys:' || response_id, null, comment_redacted from raw.nps_responses
    union all
    select 'app_store:' || review_id, title_redacted, review_redacted from raw.app_reviews
    union all
    select 'canny:' || post_id, title_redacted, details_redacted from raw.feature_requests
)
select feedback_id, concat_ws('. ', nullif(trim(a), ''), nullif(trim(b), '')) as text
from parts
"""


def sample_feedback(scale: float, seed: int = 7, root: Path | None = None) -> pd.DataFrame:
    """Columns feedback_id, text, theme; one row per feedback item with a non-empty text."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(root or scratch)
        if not (root / "answers" / "feedback_themes.csv").exists():
            generate(root, seed=seed, scale=scale)
        con = duckdb.connect()
        for folder in ("zendesk", "surveys", "app_store", "canny"):
            load_source(con, BY_FOLDER[folder], root / "landing")
        feedback = con.execute(_FEEDBACK_SQL).df()
        con.close()
        answers = pd.read_csv(root / "answers" / "feedback_themes.csv", dtype=str)
    feedback = feedback[feedback["text"].str.len() > 0]
    merged = feedback.merge(answers[["feedback_id", "theme"]], on="feedback_id", how="inner")
    return merged.sort_values("feedback_id").reset_index(drop=True)


if __name__ == "__main__":
    import sys

    frame = sample_feedback(float(sys.argv[1]) if len(sys.argv) > 1 else 0.2)
    print(len(frame), "items,", frame["theme"].nunique(), "planted themes")
    print(frame.head().to_string())
