"""Candidate links from themes to what they are about: catalog features and roadmap items.

A theme's centroid (the mean meaning of everything its customers wrote) is compared with the
embedding of each feature's name and description, and of each roadmap item's summary and
labels. Only the strongest few candidates per theme are kept with their cosine similarity;
which of them counts as a link, and how confident it is, is decided in dbt
(`theme_feature_links`, `dim_themes`) from thresholds held in dbt vars, where the
`theme_overrides` seed can also overrule it.

On the sample company, against its answer key, centroids beat embedding the theme's label and
keywords. At similarity 0.5 (scale 1, 43 themes): 18 right feature links, 2 wrong, 5 missed;
13 right roadmap links, none wrong, 8 missed (`bench/theme_links.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from insights.themes.tables import MATCH_COLUMNS

TOP_K = 3


class ThemeMatches(NamedTuple):
    """The closest catalog features and roadmap items of each theme (`top_matches` rows)."""

    features: pd.DataFrame
    roadmap_items: pd.DataFrame


def build_theme_matches(
    theme_ids: Sequence[str],
    centroids: np.ndarray,
    catalog: pd.DataFrame,
    roadmap_items: pd.DataFrame,
    embed: Callable[[list[str]], np.ndarray],
) -> ThemeMatches:
    """The link step's front door: each theme's closest features (catalog columns feature, name,
    description) and roadmap items (columns issue_key, summary, labels). `embed` must be the
    model the centroids were made with, or the cosines mean nothing."""
    features = top_matches(theme_ids, centroids, catalog["feature"].tolist(), embed(feature_texts(catalog)))
    roadmap = top_matches(
        theme_ids, centroids, roadmap_items["issue_key"].tolist(), embed(roadmap_texts(roadmap_items))
    )
    return ThemeMatches(features, roadmap)


def feature_texts(catalog: pd.DataFrame) -> list[str]:
    """What a feature is, in words: its name, then its description."""
    return [f"{name}: {description}" for name, description in zip(catalog["name"], catalog["description"].fillna(""))]


def roadmap_texts(items: pd.DataFrame) -> list[str]:
    """A roadmap item in words: its summary, then its labels, which often name the area."""
    return [
        f"{summary} ({labels})" if isinstance(labels, str) and labels else str(summary)
        for summary, labels in zip(items["summary"].fillna(""), items["labels"])
    ]


def top_matches(
    theme_ids: Sequence[str],
    centroids: np.ndarray,
    target_keys: Sequence[str],
    target_vectors: np.ndarray,
    top_k: int = TOP_K,
) -> pd.DataFrame:
    """The `top_k` most similar targets of each theme, most similar first (`match_rank` 1).

    Vectors must be unit length, so the dot product is the cosine. Ties are broken by the
    target's position, which keeps the output deterministic.
    """
    if len(theme_ids) == 0 or len(target_keys) == 0:
        return pd.DataFrame(
            {
                column: pd.Series(dtype=dtype)
                for column, dtype in zip(MATCH_COLUMNS, ("object", "object", "float64", "int64"))
            }
        )
    similarity = np.asarray(centroids, dtype=np.float32) @ np.asarray(target_vectors, dtype=np.float32).T
    k = min(top_k, len(target_keys))
    # A stable sort on the negated similarity keeps the earlier target first among equals.
    order = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    rows = [
        (theme_ids[i], target_keys[j], float(similarity[i, j]), rank + 1)
        for i in range(len(theme_ids))
        for rank, j in enumerate(order[i])
    ]
    return pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
