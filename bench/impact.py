"""Does theme_impact find the usage effect planted in the sample company?

    .venv/bin/python bench/impact.py [--data-dir data]

Reads a data root after a pipeline run on sample data (`make run`): the theme_impact mart and
the generator's answers. A theme stands for the planted theme most of its items carry (as in
theme_links.py, but over fct_feedback, after merges); a planted theme's main theme is the one
holding most of its items. Prints every theme's usage, churn and NPS figures, then the verdict:
the planted theme's main theme must show a significant fall in usage, and few others may (at a
0.05 level about 1 in 20 themes is flagged by chance alone).
Exits 1 when the planted effect is not found.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import pandas as pd


def planted_items(con: duckdb.DuckDBPyConnection, answers: Path) -> pd.DataFrame:
    """Each themed fct_feedback item with the theme the generator planted in it."""
    assigned = con.execute(
        "select source, source_record_id, theme_id from fct_feedback where theme_id is not null"
    ).df()
    planted = pd.read_csv(answers / "feedback_themes.csv", dtype=str)
    return assigned.merge(planted, on=["source", "source_record_id"])


def planted_theme_of_each_theme(items: pd.DataFrame) -> pd.Series:
    """theme_id -> the planted slug most of its items carry."""
    return items.groupby("theme_id")["theme"].agg(lambda s: s.value_counts().index[0])


def main_theme_of_each_slug(items: pd.DataFrame) -> pd.Series:
    """planted slug -> the theme holding most of its items (a slug the theme step split in
    two has one main theme; the other part is compared with accounts that raised the first)."""
    counts = items.groupby(["theme", "theme_id"]).size().reset_index(name="items")
    best = counts.sort_values(["items", "theme_id"], ascending=[False, True]).drop_duplicates("theme")
    return best.set_index("theme")["theme_id"]


def verdict(impact: pd.DataFrame, main_themes: set[str]) -> dict:
    """Whether the planted themes, and only they (give or take chance), lose usage significantly."""
    is_main = impact["theme_id"].isin(main_themes)
    falls = impact["usage_is_significant"] & (impact["usage_change_difference"] < 0)
    measured = impact["usage_accounts_raised"] > 0
    return {
        "planted_main_themes": int(is_main.sum()),
        "planted_found": bool(is_main.any() and falls[is_main].all()),
        "other_themes_measured": int((~is_main & measured).sum()),
        "other_themes_flagged": int((~is_main & impact["usage_is_significant"]).sum()),
        "other_themes_flagged_falls": int((~is_main & falls).sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    args = parser.parse_args()
    answers = args.data_dir / "answers"
    con = duckdb.connect(str(args.data_dir / "warehouse.duckdb"), read_only=True)
    impact = con.execute("select * from theme_impact").df()
    items = planted_items(con, answers)
    impact["planted"] = impact["theme_id"].map(planted_theme_of_each_theme(items))
    effects = pd.read_csv(answers / "planted_effects.csv")
    main_themes = set(main_theme_of_each_slug(items).reindex(sorted(set(effects["theme"]))).dropna())
    impact["main"] = impact["theme_id"].isin(main_themes)

    shown = impact.sort_values("usage_change_difference")[
        [
            "planted",
            "main",
            "raising_accounts",
            "usage_accounts_raised",
            "usage_accounts_comparison",
            "usage_change_raised",
            "usage_change_comparison",
            "usage_change_difference",
            "usage_change_difference_low",
            "usage_change_difference_high",
            "usage_is_significant",
            "churn_share_raised",
            "churn_share_comparison",
            "churn_is_significant",
            "nps_difference",
            "nps_is_significant",
            "impact_multiplier",
        ]
    ]
    print(f"planted effects ({answers / 'planted_effects.csv'}):")
    print(effects.to_markdown(index=False))
    print(f"\n{len(impact)} themes in {args.data_dir}, by usage_change_difference:\n")
    print(shown.to_markdown(index=False, floatfmt=".3f"))
    result = verdict(impact, main_themes)
    print()
    for key, value in result.items():
        print(f"{key}: {value}")
    sys.exit(0 if result["planted_found"] else 1)


if __name__ == "__main__":
    main()
