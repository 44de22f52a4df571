"""Are tonight's themes sound? Outlier share, a collapse of the theme count, labels, as plain
verdicts; orchestration/theme_checks.py turns them into Dagster asset checks.

Severities follow what a bad answer costs. Many outliers or two themes under one label are
worth a look but publish (the themes are still true to the feedback). A theme count that fell
by more than half overnight, or a theme without a label, is far likelier a broken export or a
broken step than a change in what customers say, and an ERROR keeps the last good serving
snapshot in place.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from insights.sources.health import Verdict
from insights.themes.store import SCHEMA


def outlier_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(outliers, items) of the stored run."""
    outliers, items = con.execute(
        f'select count(*) filter (where is_outlier), count(*) from "{SCHEMA}".feedback_themes'
    ).fetchone()
    return int(outliers), int(items)


def theme_labels(con: duckdb.DuckDBPyConnection) -> list[str | None]:
    return [label for (label,) in con.execute(f'select label from "{SCHEMA}".themes order by theme_id').fetchall()]


def judge_outlier_share(outliers: int, items: int, warn_above: float) -> Verdict:
    """Never an error: an outlier is an item no theme fits, kept in fct_feedback all the same."""
    share = outliers / items if items else 0.0
    figures = {"outliers": outliers, "feedback_items": items, "outlier_share": round(share, 4)}
    if share > warn_above:
        return Verdict(
            False,
            "warn",
            f"{share:.1%} of feedback items fit no theme, above {warn_above:.0%}: too little feedback for themes "
            "yet (see why_no_themes on themes/themes), or min_similarity is too strict for this feedback",
            figures,
        )
    return Verdict(True, "warn", f"{share:.1%} of feedback items fit no theme", figures)


def judge_theme_count(before: int | None, after: int, min_ratio: float) -> Verdict:
    """ERROR when fewer than `min_ratio` of the themes the night before are left (0 turns it off)."""
    figures = {"themes_before": before, "themes": after}
    if not before:
        return Verdict(True, "error", "no earlier themes to compare with", figures)
    ratio = after / before
    figures["ratio"] = round(ratio, 4)
    if ratio < min_ratio:
        return Verdict(
            False,
            "error",
            f"themes fell from {before} to {after}, below {min_ratio:.0%} of the night before: most likely feedback "
            "went missing upstream or the theme settings changed; a deliberate change is let through with "
            "INSIGHTS_CHECK_THEME_COUNT_MIN_RATIO=0 for one run",
            figures,
        )
    return Verdict(True, "error", f"{after} themes against {before} the night before", figures)


def judge_labels_present(labels: Sequence[str | None]) -> Verdict:
    empty = sum(1 for label in labels if label is None or not str(label).strip())
    figures = {"themes": len(labels), "empty_labels": empty}
    if empty:
        return Verdict(False, "error", f"{empty} of {len(labels)} themes have no label", figures)
    return Verdict(True, "error", f"all {len(labels)} themes have a label", figures)


def judge_labels_unique(labels: Sequence[str | None]) -> Verdict:
    """A WARN: two themes under one label are still two themes, but a reader cannot tell them
    apart. The labeller gives each theme its next best phrase when its best is taken, so a
    duplicate points at the label step (case and spacing do not make two labels differ)."""
    seen: dict[str, int] = {}
    for label in labels:
        if label is not None and str(label).strip():
            key = " ".join(str(label).lower().split())
            seen[key] = seen.get(key, 0) + 1
    duplicated = sorted(label for label, n in seen.items() if n > 1)
    figures = {"themes": len(labels), "duplicated_labels": len(duplicated)}
    if duplicated:
        shown = "; ".join(duplicated[:5])
        return Verdict(
            False,
            "warn",
            f"{len(duplicated)} labels name more than one theme: {shown}; the labeller should have kept them apart",
            figures,
        )
    return Verdict(True, "warn", f"all {len(labels)} labels differ", figures)
