"""One night of the theme step in figures: items, themes, outliers, what became of yesterday's
themes, and why there is no theme when there is none.

The same record feeds the run's metadata in Dagster (plotted night after night), the run log,
and `themes.theme_runs` (one row per run, `store.write_run`), which the `fct_theme_runs` mart
hands to the serving snapshot and the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from insights.themes.tables import NightlyThemes, PreviousThemes

# What `match.py` records per theme in theme_history.
STATUSES = ("new", "continued", "split", "merged", "retired")


@dataclass(frozen=True)
class ThemeRun:
    feedback_items: int
    themes: int
    # Themes of the night before that tonight's were matched against (0 on the first night, or
    # after a change of model, which starts every theme afresh).
    themes_before: int
    outliers: int
    outlier_share: float
    min_theme_size: int | None
    new: int
    continued: int
    split: int
    merged: int
    retired: int
    why_no_themes: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def summarise_run(tonight: NightlyThemes, previous: PreviousThemes | None) -> ThemeRun:
    items = len(tonight.assignments)
    outliers = int(tonight.assignments["is_outlier"].sum())
    statuses = tonight.history["status"].value_counts()
    return ThemeRun(
        feedback_items=items,
        themes=len(tonight.themes),
        themes_before=len(previous.theme_ids) if previous is not None else 0,
        outliers=outliers,
        # Share of no items is none at all; 0 keeps the figure plottable.
        outlier_share=round(outliers / items, 4) if items else 0.0,
        min_theme_size=tonight.result.min_theme_size,
        **{status: int(statuses.get(status, 0)) for status in STATUSES},
        why_no_themes=tonight.result.why_no_themes,
    )
