"""How well themes link to catalog features and roadmap items, against the sample's answers.

    .venv/bin/python bench/theme_links.py [--data-dir data] [--thresholds 0.3 0.4 0.5 0.6] [--margins 0 0.02]

Reads a data root after a pipeline run on sample data (`make run`): the theme step's closest
feature and roadmap item per theme (themes.theme_feature_matches / theme_roadmap_matches), and
the generator's answers. A theme stands for the planted theme most of its items carry. At each
similarity threshold and margin over the runner-up (the dbt vars feature_link_min_similarity,
feature_link_min_margin, roadmap_link_min_similarity): right = linked to the answer, wrong =
linked to something else, missed = an answer exists but nothing was linked, none = correctly
left unlinked (unassigned). accuracy = (right + none) / themes; item accuracy weighs each
theme by its items, as a reader of the marts meets them.
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


def score(
    best: pd.DataFrame,
    key: str,
    truth: dict[str, str | None],
    planted: pd.Series,
    threshold: float,
    margin: float,
    area_of: dict[str, str] | None = None,
) -> dict:
    counts = {"right": 0, "wrong": 0, "missed": 0, "none": 0}
    good_items, good_areas = 0, 0
    for row in best.itertuples():
        want = truth.get(planted.get(row.theme_id))
        clear = pd.isna(row.runner_up) or row.similarity - row.runner_up >= margin
        got = getattr(row, key) if row.similarity >= threshold and clear else None
        outcome = ("missed" if want else "none") if got is None else ("right" if got == want else "wrong")
        counts[outcome] += 1
        good_items += row.items if outcome in ("right", "none") else 0
        if area_of is not None:
            # The area a reader sees: the linked feature's catalog area, or unassigned.
            good_areas += area_of.get(got) == area_of.get(want)
    linked = counts["right"] + counts["wrong"]
    counts["precision"] = round(counts["right"] / linked, 3) if linked else None
    counts["accuracy"] = round((counts["right"] + counts["none"]) / max(len(best), 1), 3)
    counts["item accuracy"] = round(good_items / max(int(best["items"].sum()), 1), 3)
    if area_of is not None:
        counts["area accuracy"] = round(good_areas / max(len(best), 1), 3)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.4, 0.5, 0.6])
    parser.add_argument("--margins", type=float, nargs="+", default=[0.0, 0.02, 0.05])
    args = parser.parse_args()
    answers = args.data_dir / "answers"
    con = duckdb.connect(str(args.data_dir / "warehouse.duckdb"), read_only=True)
    planted = planted_theme_of_each_theme(con, answers)

    features = pd.read_csv(answers / "theme_features.csv", keep_default_na=False)
    feature_truth = {row.theme: row.feature or None for row in features.itertuples()}
    area_of = dict(con.execute("select feature, area from stg_catalog__features").fetchall())
    issues = pd.read_csv(answers / "roadmap_items.csv", keep_default_na=False)
    # A theme is answered by the item planted for it (the sample plants at most one per theme).
    roadmap_truth = {row.theme: row.issue_key for row in issues.itertuples() if row.theme}

    rows = []
    for kind, table, key, truth in (
        ("feature", "theme_feature_matches", "feature", feature_truth),
        ("roadmap item", "theme_roadmap_matches", "issue_key", roadmap_truth),
    ):
        best = con.execute(
            f"select first.theme_id, first.{key}, first.similarity, second.similarity as runner_up, "
            "coalesce(themes.size, 0) as items "
            f"from themes.{table} as first "
            f"left join themes.{table} as second on first.theme_id = second.theme_id and second.match_rank = 2 "
            "left join themes.themes as themes on first.theme_id = themes.theme_id "
            "where first.match_rank = 1"
        ).df()
        # The margin is the feature link's rule only; roadmap links use the threshold alone.
        margins = args.margins if kind == "feature" else [0.0]
        for threshold in args.thresholds:
            for margin in margins:
                rows.append(
                    {
                        "link": kind,
                        "threshold": threshold,
                        "margin": margin,
                        "themes": len(best),
                        **score(best, key, truth, planted, threshold, margin, area_of if kind == "feature" else None),
                    }
                )
    print(f"{len(planted)} themes in {args.data_dir}, each standing for its commonest planted theme\n")
    print(pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    main()
