"""Product areas: a parent level above themes, found by grouping theme centroids.

A product manager owns an area ("reporting", "billing"), not thirty themes, so themes are
grouped into a handful of areas by average-linkage agglomeration of their centroids (cosine).
The number of areas grows slowly with the number of themes, about sqrt(2k), kept within
[min_areas, max_areas]; with fewer themes than `min_areas` each theme is its own area.

Area IDs are kept across runs the same way theme IDs are (`ThemeMatcher` on area centroids),
so a dashboard filtered on an area keeps working; a new area gets `area_<hash of its themes>`.
Its label is made of its themes' commonest keywords, weighted by theme size.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.cluster import AgglomerativeClustering

from insights.themes.embed import normalize_rows
from insights.themes.keywords import stems
from insights.themes.match import ThemeMatcher
from insights.themes.tables import AREA_COLUMNS


def area_id(theme_ids) -> str:
    """`area_<8 hex>` of the sorted member theme IDs."""
    digest = hashlib.sha256("\n".join(sorted(map(str, theme_ids))).encode("utf-8")).hexdigest()
    return f"area_{digest[:8]}"


class AreaGrouper(BaseEstimator):
    """Group themes into product areas.

    Parameters
    ----------
    min_areas, max_areas : bounds on the number of areas (when there are enough themes).
    label_terms : keywords in an area's label.
    matcher : how area IDs are carried over from the previous run.
    """

    def __init__(
        self, min_areas: int = 6, max_areas: int = 10, label_terms: int = 2, matcher: ThemeMatcher | None = None
    ):
        self.min_areas = min_areas
        self.max_areas = max_areas
        self.label_terms = label_terms
        self.matcher = matcher

    def n_areas(self, n_themes: int) -> int:
        wanted = min(max(round(math.sqrt(2 * n_themes)), self.min_areas), self.max_areas)
        return min(wanted, n_themes)

    def fit(
        self,
        themes: pd.DataFrame,
        centroids: np.ndarray,
        previous: pd.DataFrame | None = None,
        previous_centroids: dict | None = None,
    ):
        """`themes` (theme_id, keywords, size) row-aligned with `centroids`; sets `areas_`.

        `previous` is the last run's theme-to-area table and `previous_centroids` its theme
        centroids by ID; together they give last run's area centroids, to keep area IDs.
        """
        k = len(themes)
        if k == 0:
            self.areas_ = pd.DataFrame(columns=AREA_COLUMNS).astype("str")
            return self
        centroids = normalize_rows(np.asarray(centroids, dtype=np.float32))
        n = self.n_areas(k)
        if n == k:
            labels = np.arange(k)
        else:
            labels = AgglomerativeClustering(n_clusters=n, metric="cosine", linkage="average").fit_predict(centroids)
        theme_ids = themes["theme_id"].astype(str).to_numpy()
        candidates = np.array([area_id(theme_ids[labels == a]) for a in range(n)], dtype=object)
        area_centroids = normalize_rows(np.stack([centroids[labels == a].mean(axis=0) for a in range(n)]))
        old_ids, old_centroids = _previous_areas(previous, previous_centroids, centroids.shape[1])
        matcher = self.matcher if self.matcher is not None else ThemeMatcher()
        ids = matcher.fit(area_centroids, candidates, old_centroids, old_ids).theme_ids_
        names = [self._label(themes[labels == a]) for a in range(n)]
        self.areas_ = pd.DataFrame(
            {"theme_id": theme_ids, "area_id": ids[labels], "area_label": np.asarray(names, dtype=object)[labels]},
            columns=AREA_COLUMNS,
        ).astype("str")
        return self

    def _label(self, members: pd.DataFrame) -> str:
        weight: Counter[str] = Counter()
        for keywords, size in zip(members["keywords"], members["size"]):
            for term in str(keywords).split(", "):
                if term:
                    weight[term] += int(size)
        chosen: list[str] = []
        used: set[str] = set()
        # Heaviest first, ties alphabetical; a term repeating a chosen word adds nothing.
        for term, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0])):
            if stems(term) & used:
                continue
            chosen.append(term)
            used |= stems(term)
            if len(chosen) == self.label_terms:
                break
        return " / ".join(chosen) if chosen else "(unnamed area)"


def _previous_areas(
    previous: pd.DataFrame | None, centroids: dict | None, dimension: int
) -> tuple[np.ndarray, np.ndarray]:
    if previous is None or previous.empty or not centroids:
        return np.array([], dtype=object), np.zeros((0, dimension), dtype=np.float32)
    ids, vectors = [], []
    for area, group in previous.groupby("area_id", sort=True):
        members = [centroids[t] for t in group["theme_id"] if t in centroids]
        if members:
            ids.append(area)
            vectors.append(np.mean(members, axis=0))
    if not ids:
        return np.array([], dtype=object), np.zeros((0, dimension), dtype=np.float32)
    return np.asarray(ids, dtype=object), normalize_rows(np.asarray(vectors, dtype=np.float32))
