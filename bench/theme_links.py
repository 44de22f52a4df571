"""How well themes link to catalog features and roadmap items, against the sample's answers.

    .venv/bin/python bench/theme_links.py [--data-dir data] [--thresholds 0.3 0.4 0.5 0.6]

Reads a data root after a pipeline run on sample data (`make run`): the theme step's closest
feature and roadmap item per theme (themes.theme_feature_matches / theme_roadmap_matches), and
the generator's answers. A theme stands for the planted theme most of its items carry. At each
similarity threshold (the dbt vars feature_link_min_similarity / roadmap_link_min_similarity):
right = linked to the answer, wrong = linked to something else, missed = an answer exists but
nothing was linked, none = correctly left unlinked.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import pandas as pd


def planted_theme_of_each_theme(con: duckdb.DuckDBPyConnection, answers: Path) -> pd.Series:
    # The theme step's own assignments (before any merge override), named as the answer key names them.
    assigned = con.execute(
        "select feedback.source, feedback.source_record_id, assignments.theme_id "
        "from themes.feedback_themes as assignments "
        "inner join fct_feedback as feedback on assignments.feedback_id = feedback.feedback_id "
        "where assignments.theme_id is not null"
    ).df()
    planted = pd.read_csv(answers / "feedback_themes.csv", dtype=str)
    joined = assigned.merge(planted, on=["source", "source_record_id"])
    return joined.groupby("theme_id")["theme"].agg(lambda s: s.value_counts().index[0])


def score(best: pd.DataFrame, key: str, truth: dict[str, str | None], planted: pd.Series, threshold: float) -> dict:
    counts = {"right": 0, "wrong": 0, "missed": 0, "none": 0}
    for row in best.itertuples():
        want = truth.get(planted.get(row.theme_id))
        got = getattr(row, key) if row.similarity >= threshold else None
        if got is None:
            counts["missed" if want else "none"] += 1
        else:
            counts["right" if got == want else "wrong"] += 1
    linked = counts["right"] + counts["wrong"]
    counts["precision"] = round(counts["right"] / linked, 3) if linked else None
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.6])
    args = parser.parse_args()
    answers = args.data_dir / "answers"
    con = duckdb.connect(str(args.data_dir / "warehouse.duckdb"), read_only=True)
    planted = planted_theme_of_each_theme(con, answers)

    features = pd.read_csv(answers / "theme_features.csv", keep_default_na=False)
    feature_truth = {row.theme: row.feature or None for row in features.itertuples()}
    issues = pd.read_csv(answers / "roadmap_items.csv", keep_default_na=False)
    # A theme is answered by the item planted for it (the sample plants at most one per theme).
    roadmap_truth = {row.theme: row.issue_key for row in issues.itertuples() if row.theme}

    rows = []
    for kind, table, key, truth in (
        ("feature", "theme_feature_matches", "feature", feature_truth),
        ("roadmap item", "theme_roadmap_matches", "issue_key", roadmap_truth),
    ):
        best = con.execute(f"select theme_id, {key}, similarity from themes.{table} where match_rank = 1").df()
        for threshold in args.thresholds:
            rows.append(
                {
                    "link": kind,
                    "threshold": threshold,
                    "themes": len(best),
                    **score(best, key, truth, planted, threshold),
                }
            )
    print(f"{len(planted)} themes in {args.data_dir}, each standing for its commonest planted theme\n")
    print(pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    main()
